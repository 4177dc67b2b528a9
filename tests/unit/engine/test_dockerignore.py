"""The build context's .dockerignore rules, as the Docker CLI applies them."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from compose_core.engine.dockerignore import (
    PatternMatcher,
    build_patterns,
    context_files,
    make_context,
    read_patterns,
)
from compose_core.errors import UserError


def test_read_patterns_drops_comments_blank_lines_and_leading_slash() -> None:
    text = "\ufeff# comment\n\n  /build  \n!/build/keep\n ./a/../b/\n#x\n *.log\n"
    assert read_patterns(text) == ["build", "!build/keep", "b", "*.log"]


@pytest.mark.parametrize(
    ("patterns", "path", "excluded"),
    [
        (["*.log"], "a.log", True),
        (["*.log"], "dir/a.log", False),  # `*` stays in one directory
        (["**/*.log"], "dir/sub/a.log", True),
        (["**/*.log"], "a.log", True),  # `**/` may match nothing
        (["dir"], "dir/sub/file", True),  # a parent directory that matches excludes
        (["dir/*"], "dir/sub/file", True),
        (["a?c"], "abc", True),
        (["a?c"], "a/c", False),
        (["docs", "!docs/keep.md"], "docs/keep.md", False),
        (["docs", "!docs/keep.md"], "docs/other.md", True),
        (["!docs/keep.md", "docs"], "docs/keep.md", True),  # the last match wins
        (["*", "!src"], "src/main.c", False),
        (["*", "!src", "src/*.o"], "src/main.o", True),
        (["**"], "anything/at/all", True),
        (["file.txt"], "file_txt", False),  # a dot is literal
        (["a\\*b"], "a*b", True),
        (["a\\*b"], "axb", False),
        (["[ab].txt"], "b.txt", True),
    ],
)
def test_matcher_follows_the_docker_cli(patterns: list[str], path: str, excluded: bool) -> None:
    assert PatternMatcher(patterns).matches(path) is excluded


def test_lone_exclamation_mark_is_an_error() -> None:
    with pytest.raises(UserError, match="illegal exclusion"):
        PatternMatcher(["!"])


def _tree(root: Path, files: list[str]) -> None:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name)


def test_dockerfile_and_dockerignore_are_always_sent(tmp_path: Path) -> None:
    _tree(tmp_path, ["Dockerfile", "app.py", "notes.md"])
    (tmp_path / ".dockerignore").write_text("*\n!app.py\n")
    patterns = build_patterns(str(tmp_path), "Dockerfile")
    assert sorted(context_files(str(tmp_path), patterns)) == [
        ".dockerignore",
        "Dockerfile",
        "app.py",
    ]


def test_excluded_directory_is_entered_only_for_its_reincludes(tmp_path: Path) -> None:
    _tree(tmp_path, ["Dockerfile", "vendor/a/keep.txt", "vendor/a/drop.txt", "vendor/b/x"])
    (tmp_path / ".dockerignore").write_text("vendor\n!vendor/a/keep.txt\n")
    sent = sorted(context_files(str(tmp_path), build_patterns(str(tmp_path), "Dockerfile")))
    assert sent == [".dockerignore", "Dockerfile", "vendor/a/keep.txt"]


def test_make_context_adds_an_outside_dockerfile_under_a_random_name(tmp_path: Path) -> None:
    context = tmp_path / "ctx"
    _tree(context, ["app.py"])
    (tmp_path / "build.Dockerfile").write_text("FROM scratch\n")
    made = make_context(str(context), str(tmp_path / "build.Dockerfile"))
    with tarfile.open(fileobj=made.archive) as tar:
        names = tar.getnames()
        dockerfile = tar.extractfile(made.dockerfile).read()
    assert made.dockerfile.startswith(".dockerfile.")
    assert sorted(names) == sorted(["app.py", made.dockerfile])
    assert dockerfile == b"FROM scratch\n"


def test_make_context_sends_files_owned_by_root(tmp_path: Path) -> None:
    _tree(tmp_path, ["Dockerfile", "sub/file"])
    made = make_context(str(tmp_path), None, inline="FROM scratch\n")
    with tarfile.open(fileobj=made.archive) as tar:
        members = tar.getmembers()
    assert {(m.uid, m.gid) for m in members} == {(0, 0)}
    assert {m.name for m in members} >= {"Dockerfile", "sub", "sub/file", made.dockerfile}


def test_bad_pattern_names_the_dockerignore_file(tmp_path: Path) -> None:
    (tmp_path / ".dockerignore").write_text("ok\n!\n")
    with pytest.raises(UserError, match=r"\.dockerignore: illegal exclusion pattern"):
        build_patterns(str(tmp_path), "Dockerfile")
