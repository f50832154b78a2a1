"""The writer: what a run would change (plan), the diff ``check`` prints, and applying a plan all at
once — only changed files written, unchanged ones kept as they were, only listed files removed."""

from __future__ import annotations

import ctypes
import errno
import json
import os
from pathlib import Path

import pytest

from generator import output
from generator.output import MANIFEST, Plan, apply, diff, manifest_text, plan, read_manifest
from tests.conftest import snapshot


def manifest(out: Path, targets: dict[str, list[str]]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / MANIFEST).write_text(manifest_text(targets), "utf-8")


def generate(out: Path, by_target: dict[str, dict[str, str]]) -> Plan:
    the_plan = plan(out, by_target)
    apply(out, the_plan)
    return the_plan


# -- the manifest -----------------------------------------------------------------------------


def test_the_manifest_is_sorted_json_with_a_final_newline() -> None:
    text = manifest_text({"b": ["z.txt", "a/y.txt"], "a": []})
    assert (
        text == json.dumps({"generator": "specgen", "targets": {"a": [], "b": ["a/y.txt", "z.txt"]}}, indent=2) + "\n"
    )


@pytest.mark.parametrize("content", [None, "not json", "[]", '{"targets": []}', '{"other": {}}', '"x"'])
def test_an_unreadable_manifest_lists_nothing(tmp_path: Path, content: str | None) -> None:
    if content is not None:
        (tmp_path / MANIFEST).write_text(content, "utf-8")
    assert read_manifest(tmp_path) == {}


def test_only_safe_relative_paths_are_read_from_a_manifest(tmp_path: Path) -> None:
    data = {
        "targets": {
            "docs": ["a.md", "sub/b.md", "/etc/passwd", "../outside", "sub/../../x", "", 5, None],
            "broken": "a.md",
            "models": [],
        }
    }
    (tmp_path / MANIFEST).write_text(json.dumps(data), "utf-8")
    assert read_manifest(tmp_path) == {"docs": ["a.md", "sub/b.md"], "models": []}


# -- plans ------------------------------------------------------------------------------------


def test_a_first_run_writes_everything(tmp_path: Path) -> None:
    out = tmp_path / "out"
    the_plan = plan(out, {"docs": {"b.md": "B\n", "a/x.md": "X\n"}})
    assert the_plan.written == {
        "a/x.md": "X\n",
        "b.md": "B\n",
        MANIFEST: manifest_text({"docs": ["a/x.md", "b.md"]}),
    }
    assert list(the_plan.written) == [MANIFEST, "a/x.md", "b.md"]  # in path order
    assert the_plan.unchanged == [] and the_plan.removed == []
    assert the_plan.manifest == manifest_text({"docs": ["a/x.md", "b.md"]})
    assert the_plan.changes_anything
    assert not out.exists(), "planning writes nothing"


def test_a_second_run_changes_only_what_differs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(out, {"docs": {"a.md": "A\n", "b.md": "B\n", "c.md": "C\n"}})
    the_plan = plan(out, {"docs": {"a.md": "A\n", "b.md": "B, changed\n"}})
    assert the_plan.written == {"b.md": "B, changed\n", MANIFEST: manifest_text({"docs": ["a.md", "b.md"]})}
    assert the_plan.unchanged == ["a.md"]
    assert the_plan.removed == ["c.md"]
    again = plan(out, {"docs": {"a.md": "A\n", "b.md": "B\n", "c.md": "C\n"}})
    assert again.written == {} and again.removed == [] and not again.changes_anything
    assert again.unchanged == sorted(["a.md", "b.md", "c.md", MANIFEST])


def test_a_run_of_one_target_keeps_the_files_of_the_others(tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(out, {"docs": {"d.md": "D\n"}, "models": {"m.py": "M\n", "n.py": "N\n"}})
    the_plan = plan(out, {"models": {"m.py": "M2\n"}})
    assert the_plan.removed == ["n.py"]
    assert the_plan.manifest == manifest_text({"docs": ["d.md"], "models": ["m.py"]})
    apply(out, the_plan)
    assert snapshot(out) == {"d.md": b"D\n", "m.py": b"M2\n", MANIFEST: the_plan.manifest.encode()}


def test_a_file_listed_but_already_gone_is_not_removed_again(tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(out, {"docs": {"a.md": "A\n", "b.md": "B\n"}})
    (out / "b.md").unlink()
    assert plan(out, {"docs": {"a.md": "A\n"}}).removed == []


def test_a_file_moved_to_another_target_is_kept(tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(out, {"docs": {"shared.md": "S\n"}, "models": {}})
    the_plan = plan(out, {"docs": {}, "models": {"shared.md": "S\n"}})
    assert the_plan.removed == [] and the_plan.unchanged == ["shared.md"]


def test_text_is_compared_as_utf8_bytes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(out, {"docs": {"é.md": "é\n"}})
    assert (out / "é.md").read_bytes() == "é\n".encode()
    assert plan(out, {"docs": {"é.md": "é\n"}}).unchanged == [MANIFEST, "é.md"]
    (out / "é.md").write_bytes("é\r\n".encode())
    assert "é.md" in plan(out, {"docs": {"é.md": "é\n"}}).written


# -- applying ---------------------------------------------------------------------------------


def test_apply_makes_the_folder_match_and_leaves_foreign_files(tmp_path: Path) -> None:
    out = tmp_path / "deep" / "deeper" / "out"
    generate(out, {"docs": {"a/b/c.md": "C\n", "a/d.md": "D\n", "e.md": "E\n"}})
    (out / "a" / "mine.txt").write_text("keep me\n")
    (out / "notes").mkdir()
    generate(out, {"docs": {"e.md": "E2\n"}})
    assert snapshot(out) == {
        "a/mine.txt": b"keep me\n",
        "e.md": b"E2\n",
        MANIFEST: manifest_text({"docs": ["e.md"]}).encode(),
    }
    assert not (out / "a" / "b").exists(), "a folder that only held removed files goes"
    assert (out / "notes").is_dir(), "an empty folder of the user's stays"


def test_apply_makes_only_the_folders_of_the_files_it_writes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(out, {"docs": {"top.md": "T\n", "a/b/c.md": "C\n", "a/d.md": "D\n"}})
    folders = sorted(path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_dir())
    assert folders == ["a", "a/b"]


def test_unchanged_files_keep_their_inode_and_time(tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(out, {"docs": {"same.md": "S\n", "other.md": "O\n"}})
    os.utime(out / "same.md", (1_000_000, 1_000_000))
    before = (out / "same.md").stat()
    generate(out, {"docs": {"same.md": "S\n", "other.md": "O2\n"}})
    after = (out / "same.md").stat()
    assert (after.st_ino, after.st_mtime) == (before.st_ino, before.st_mtime)
    assert (out / "other.md").read_text() == "O2\n"


def test_symlinks_in_the_folder_stay_symlinks(tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(out, {"docs": {"a.md": "A\n"}})
    os.symlink("a.md", out / "link.md")
    generate(out, {"docs": {"a.md": "A2\n"}})
    assert (out / "link.md").is_symlink() and os.readlink(out / "link.md") == "a.md"
    assert (out / "link.md").read_text() == "A2\n"


def test_nothing_to_change_touches_nothing_but_leftovers(tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(out, {"docs": {"a.md": "A\n"}})
    before = snapshot(out)
    inode = (out / "a.md").stat().st_ino
    staging, old = output._leftover_paths(out)
    assert (staging.name, old.name) == (".out.specgen-new", ".out.specgen-old")
    staging.mkdir()
    (staging / "half.md").write_text("half")
    old.mkdir()
    generate(out, {"docs": {"a.md": "A\n"}})
    assert snapshot(out) == before and (out / "a.md").stat().st_ino == inode
    assert not staging.exists() and not old.exists()
    generate(out, {"docs": {"a.md": "A\n"}})  # and with no leftovers, nothing at all
    assert sorted(p.name for p in tmp_path.iterdir()) == [".specgen-cache", "out"]
    assert [p.name for p in (tmp_path / ".specgen-cache").iterdir() if p.suffix == ".lock"] == ["out.lock"]


def test_leftovers_of_a_killed_run_are_cleared_before_a_run_that_changes_something(tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(out, {"docs": {"a.md": "A\n"}})
    staging, old = output._leftover_paths(out)
    staging.mkdir()
    (staging / "junk.md").write_text("junk")
    old.mkdir()
    generate(out, {"docs": {"a.md": "A2\n"}})
    assert snapshot(out) == {"a.md": b"A2\n", MANIFEST: manifest_text({"docs": ["a.md"]}).encode()}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".specgen-cache", "out"]
    assert [p.name for p in (tmp_path / ".specgen-cache").iterdir() if p.suffix == ".lock"] == ["out.lock"]


def test_exchange_swaps_two_folders_and_reports_a_failure(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "from-a").write_text("a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "from-b").write_text("b")
    output._exchange(tmp_path / "a", tmp_path / "b")
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["from-b"]
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["from-a"]
    # Two failures with different causes: each reports its own errno (read right after the call).
    (tmp_path / "file").write_text("not a folder")
    for source, code in ((tmp_path / "file" / "x", errno.ENOTDIR), (tmp_path / "missing", errno.ENOENT)):
        with pytest.raises(OSError) as caught:
            output._exchange(source, tmp_path / "b")
        assert (caught.value.errno, caught.value.strerror) == (code, os.strerror(code))
        assert caught.value.filename == str(tmp_path / "b")


def test_without_renameat2_the_swap_is_three_renames(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where libc has no renameat2 (macOS, old Linux), the folders are swapped by renames."""

    class NoRenameat2:
        def __init__(self, name: object, use_errno: bool = False) -> None:
            del name, use_errno

    monkeypatch.setattr(ctypes, "CDLL", NoRenameat2)
    out = tmp_path / "out"
    generate(out, {"docs": {"a.md": "A\n"}})
    generate(out, {"docs": {"a.md": "A2\n", "b.md": "B\n"}})
    assert snapshot(out) == {
        "a.md": b"A2\n",
        "b.md": b"B\n",
        MANIFEST: manifest_text({"docs": ["a.md", "b.md"]}).encode(),
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == [".specgen-cache", "out"]
    assert [p.name for p in (tmp_path / ".specgen-cache").iterdir() if p.suffix == ".lock"] == ["out.lock"]
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "from-x").write_text("x")
    output._exchange(tmp_path / "x", out)
    assert [p.name for p in out.iterdir()] == ["from-x"] and (tmp_path / "x" / "b.md").read_text() == "B\n"
    assert not (tmp_path / ".out.specgen-old").exists()


# -- the diff of check ------------------------------------------------------------------------


def test_the_diff_of_a_file_that_is_not_utf8_shows_it_rather_than_failing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(out, {"docs": {"a.md": "a\n", "b.md": "b\n"}})
    (out / "a.md").write_bytes(b"caf\xe9\n")  # a hand edit in Latin-1
    (out / "b.md").write_bytes(b"\xff\n")
    text = diff(out, plan(out, {"docs": {"a.md": "a\n"}}), "g")
    assert "--- g/a.md\n+++ g/a.md (generated)\n@@ -1 +1 @@\n-caf\ufffd\n+a\n" in text
    assert text.endswith("--- g/b.md\n+++ /dev/null\n@@ -1 +0,0 @@\n-\ufffd\n")


def test_the_diff_shows_changes_new_files_and_removals(tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(out, {"docs": {"a.md": "one\ntwo\n", "gone.md": "bye\n", "tail.md": "x"}})
    the_plan = plan(out, {"docs": {"a.md": "one\nTWO\n", "new.md": "hi\n", "tail.md": "y"}})
    text = diff(out, the_plan, "generated")
    assert "--- generated/a.md\n+++ generated/a.md (generated)\n@@ -1,2 +1,2 @@\n one\n-two\n+TWO\n" in text
    assert "--- /dev/null\n+++ generated/new.md (generated)\n@@ -0,0 +1 @@\n+hi\n" in text
    assert text.endswith("--- generated/gone.md\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n")
    assert (
        "--- generated/tail.md\n+++ generated/tail.md (generated)\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n"
        "+y\n\\ No newline at end of file\n"
    ) in text
    assert text.index(MANIFEST) < text.index("generated/a.md") < text.index("generated/new.md")
    assert text.index("generated/tail.md") < text.index("generated/gone.md"), "removals come last"
    assert diff(out, plan(out, {"docs": {"a.md": "one\ntwo\n", "gone.md": "bye\n", "tail.md": "x"}}), "g") == ""
