"""Where `cp` puts a copy (docker cp's rules), and the archives that carry it."""

from __future__ import annotations

import io
import tarfile

import pytest

from compose_core.cli.commands.transfer import _split
from compose_core.errors import UsageError, UserError
from compose_core.ops.archive import Landing, extract, landing, local_archive


@pytest.mark.parametrize(
    ("source", "is_dir", "dest", "kind", "expected"),
    [
        ("/etc/hostname", False, "/tmp", "dir", Landing("/tmp", "hostname")),
        ("/etc/hostname", False, "/tmp/h", None, Landing("/tmp", "h")),
        ("/etc/hostname", False, "/tmp/h", "file", Landing("/tmp", "h")),
        ("/etc", True, "/tmp", "dir", Landing("/tmp", "etc")),
        ("/etc/", True, "/tmp/copy", None, Landing("/tmp", "copy")),
        ("/etc/.", True, "/tmp", "dir", Landing("/tmp", None)),
        ("/etc", True, "/tmp/new/", None, Landing("/tmp", "new")),
        ("hostname", False, "h", None, Landing(".", "h")),
    ],
)
def test_landing_follows_docker_cp_rules(source, is_dir, dest, kind, expected):
    assert landing(source, is_dir, dest, kind, where="in container web-1") == expected


def test_landing_refuses_a_directory_onto_a_file():
    with pytest.raises(UserError, match="cannot copy directory /etc onto file /tmp/h"):
        landing("/etc", True, "/tmp/h", "file", where="here")


def test_landing_refuses_a_file_into_a_missing_directory():
    with pytest.raises(UserError, match="no such directory /nodir/ in container web-1"):
        landing("/etc/hostname", False, "/nodir/", None, where="in container web-1")


@pytest.mark.parametrize(
    ("argument", "expected"),
    [
        ("web:/etc", ("web", "/etc")),
        ("web:relative", ("web", "relative")),
        ("/tmp/a:b", ("", "/tmp/a:b")),
        ("./web:x", ("", "./web:x")),
        ("plain", ("", "plain")),
    ],
)
def test_split_tells_a_service_path_from_a_local_one(argument, expected):
    assert _split(argument) == expected


def test_split_wants_a_path_after_the_service():
    with pytest.raises(UsageError):
        _split("web:")


def test_local_archive_names_the_top_entry_and_owns_it_by_root(tmp_path):
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "a.txt").write_text("a")

    data = local_archive(str(tmp_path / "dir"), "copy", follow_link=False, archive=False)

    with data, tarfile.open(fileobj=data) as tar:
        members = {m.name: (m.uid, m.gid) for m in tar.getmembers()}
    assert members == {"copy": (0, 0), "copy/a.txt": (0, 0)}


def engine_archive(entries: dict[str, bytes | None]) -> list[bytes]:
    """A tar as the engine sends it, in two chunks; None marks a directory."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, content in entries.items():
            info = tarfile.TarInfo(name)
            if content is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            else:
                info.size, info.mode = len(content), 0o640
                tar.addfile(info, io.BytesIO(content))
    data = buffer.getvalue()
    return [data[:700], data[700:]]


def test_extract_renames_the_top_entry_and_keeps_modes(tmp_path):
    chunks = engine_archive({"etc": None, "etc/hosts": b"127.0.0.1 localhost\n"})

    extract(chunks, Landing(str(tmp_path), "copy"), archive=False)

    assert (tmp_path / "copy" / "hosts").read_text() == "127.0.0.1 localhost\n"
    assert (tmp_path / "copy" / "hosts").stat().st_mode & 0o777 == 0o640


def test_extract_contents_only_lands_in_place(tmp_path):
    extract(engine_archive({".": None, "./a": b"a"}), Landing(str(tmp_path), None), archive=False)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]


def test_extract_refuses_paths_that_climb_out(tmp_path):
    with pytest.raises(UserError, match="unsafe path"):
        extract(engine_archive({"etc/../../x": b"x"}), Landing(str(tmp_path), "e"), archive=False)
