"""`cp` both ways on the real engine, with docker cp's rules for files and directories."""

from __future__ import annotations

import os

import pytest

PROJECT = """
services:
  web:
    image: compose-core-test/busybox:latest
    command: sleep 600
"""


@pytest.fixture
def web(compose):
    compose.write(PROJECT)
    compose.run("up", "-d", "--scale", "web=2")
    return compose


def in_container(compose, number: int, *command: str) -> str:
    container = compose.client.containers.get(f"{compose.name}-web-{number}")
    result = container.exec_run(list(command))
    return result.output.decode()


def test_cp_out_of_a_container_file_and_directory(web, tmp_path):
    out = tmp_path / "out"
    out.mkdir()

    web.run("cp", "web:/etc/hostname", str(out / "renamed"))
    web.run("cp", "--index", "2", "web:/etc/hostname", str(out))
    web.run("cp", "web:/etc", str(out / "etc-copy"))
    web.run("cp", "web:/etc", str(out / "etc-copy"))  # exists now: lands inside

    hostname_1 = in_container(web, 1, "cat", "/etc/hostname")
    hostname_2 = in_container(web, 2, "cat", "/etc/hostname")
    assert (out / "renamed").read_text() == hostname_1
    assert (out / "hostname").read_text() == hostname_2 != hostname_1
    assert (out / "etc-copy" / "passwd").is_file()
    assert (out / "etc-copy" / "etc" / "passwd").is_file()


def test_cp_into_a_container_file_directory_and_archive_owners(web, tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "a.txt").write_text("alpha\n")
    (source / "link").symlink_to("a.txt")
    os.chown(source / "a.txt", 1234, 1234)

    web.run("cp", str(source / "a.txt"), "web:/tmp/")
    web.run("cp", str(source), "web:/tmp/tree")
    web.run("cp", "-a", str(source / "a.txt"), "web:/tmp/kept")
    web.run("cp", "-L", str(source / "link"), "web:/tmp/followed")
    web.run("cp", str(source / "link"), "web:/tmp/")

    assert in_container(web, 1, "cat", "/tmp/a.txt", "/tmp/tree/a.txt") == "alpha\nalpha\n"
    assert in_container(web, 1, "stat", "-c", "%u", "/tmp/a.txt", "/tmp/kept") == "0\n1234\n"
    assert in_container(web, 1, "cat", "/tmp/followed") == "alpha\n"
    assert in_container(web, 1, "readlink", "/tmp/link") == "a.txt\n"
    assert in_container(web, 2, "ls", "/tmp") == ""


@pytest.mark.parametrize(
    "args",
    [
        ["web:/no/such/file", "{tmp}"],
        ["{tmp}/no-such-file", "web:/tmp/"],
        ["{tmp}/a.txt", "web:/no-dir/x"],
        ["{tmp}/a.txt", "web:/no-dir/"],
        ["{tmp}", "web:/etc/hostname"],
        ["--index", "3", "web:/etc/hostname", "{tmp}"],
        ["--index", "zero", "web:/etc/hostname", "{tmp}"],
        ["nosuch:/etc/hostname", "{tmp}"],
        ["{tmp}/a.txt", "{tmp}/b.txt"],
        ["web:/etc/hostname", "{tmp}/no-dir/x"],
    ],
)
def test_cp_bad_input_is_one_clear_error_and_changes_nothing(web, tmp_path, args):
    (tmp_path / "a.txt").write_text("a")
    before = sorted(p.name for p in tmp_path.iterdir())
    container_tmp = in_container(web, 1, "ls", "/tmp")

    result = web.run("cp", *(a.format(tmp=tmp_path) for a in args), check=False)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "Copying" not in line]
    assert 1 <= len(errors) <= 2
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert in_container(web, 1, "ls", "/tmp") == container_tmp
