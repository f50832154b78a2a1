"""``specgen import regolithe SRC --out DEST``: what it prints, writes and exits with."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli, snapshot
from tests.importers.regolithe.support import KITCHEN, copy_of


def test_import_writes_validates_and_reports(tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "specs"
    run = cli("import", "regolithe", str(KITCHEN), "--out", str(out), "--fix")
    assert run.code == 0, run.err
    first = run.out.splitlines()[0]
    assert first.startswith(
        f"specgen import: {KITCHEN} -> {out}: 7 models, 3 nested types, 3 abstracts, 6 parameter sets,"
    )
    for heading in (
        "not carried, no effect on the API:",
        "not carried:",
        "carried with a loss:",
        "renamed:",
        "code you write:",
        "repaired (--fix):",
    ):
        assert heading in run.out
    assert (
        "  getter: a Go getter method; only steers Go code generation; no effect on the API [kitchen/@identifiable.abs:20:5]"
        in run.out
    )
    assert run.out.rstrip().endswith(f"next: specgen validate --specs {out}  (then specgen generate --specs {out})")
    assert cli("validate", "--specs", str(out)).code == 0


def test_problems_carried_over_are_written_located_and_exit_1(tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "specs"
    run = cli("import", "regolithe", str(KITCHEN), "--out", str(out))
    assert run.code == 1
    assert (out / "project.spec.yaml").is_file()  # the source's mistakes are the user's to see in the files
    assert "specs/project.spec.yaml:" in run.err
    assert "--fix repairs those with an obvious repair" in run.err
    validate = cli("validate", "--specs", str(out))
    assert validate.code == 1
    carried = [line for line in run.err.splitlines() if line.startswith("specs/")]
    assert carried == [line for line in validate.err.splitlines() if line.startswith("specs/")]


def test_broken_source_writes_nothing(tmp_path: Path, cli: Cli) -> None:
    folder = copy_of(tmp_path)
    (folder / "list.spec").write_text("model: [\n", encoding="utf-8")
    out = tmp_path / "specs"
    run = cli("import", "regolithe", str(folder), "--out", str(out))
    assert run.code == 1
    assert run.err.splitlines()[0].startswith("kitchen/list.spec:2:1: YAML syntax:")
    assert run.err.rstrip().endswith("specgen import: 1 problem in 1 regolithe file; nothing written")
    assert "Traceback" not in run.err
    assert not out.exists()


def test_a_folder_with_files_is_refused_unless_overwrite(tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "specs"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    (out / "old.spec.yaml").write_text("model: {}\n", encoding="utf-8")
    before = snapshot(out)
    run = cli("import", "regolithe", str(KITCHEN), "--out", str(out), "--fix")
    assert run.code == 1
    assert "is not empty" in run.err and "--overwrite" in run.err
    assert snapshot(out) == before
    run = cli("import", "regolithe", str(KITCHEN), "--out", str(out), "--fix", "--overwrite")
    assert run.code == 0, run.err
    assert (out / "notes.txt").read_text("utf-8") == "mine\n"  # not a spec file: stays
    assert not (out / "old.spec.yaml").exists()  # a spec file the import did not write: goes
    assert (out / "project.spec.yaml").is_file()


def test_output_is_the_same_bytes_every_time(tmp_path: Path, cli: Cli) -> None:
    outs = [tmp_path / "a" / "specs", tmp_path / "b" / "specs"]
    for out in outs:
        assert cli("import", "regolithe", str(KITCHEN), "--out", str(out), "--fix").code == 0
    assert snapshot(outs[0]) == snapshot(outs[1])
    again = cli("import", "regolithe", str(KITCHEN), "--out", str(outs[0]), "--fix", "--overwrite")
    assert again.code == 0
    assert snapshot(outs[0]) == snapshot(outs[1])


def test_schema_lines_point_at_the_shipped_schemas(tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "specs"
    assert cli("import", "regolithe", str(KITCHEN), "--out", str(out), "--fix").code == 0
    for path in out.iterdir():
        first = path.read_text("utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path.name
        target = (out / first.split("=", 1)[1]).resolve()
        assert target.is_file() and target.parent.name == "schemas", first


def test_full_report_names_every_place(tmp_path: Path, cli: Cli) -> None:
    report = tmp_path / "report.txt"
    run = cli("import", "regolithe", str(KITCHEN), "--out", str(tmp_path / "specs"), "--fix", "--report", str(report))
    assert run.code == 0
    text = report.read_text("utf-8")
    assert "  group (11x): " in text
    assert sum(1 for line in text.splitlines() if line.startswith("    kitchen/") and ".spec:" in line) >= 10
    assert "and 8 more" in run.out  # the printed report is short


def test_usage(tmp_path: Path, cli: Cli) -> None:
    assert cli("import", "regolithe", str(KITCHEN)).code == 2  # --out is required
    assert cli("import", "regolith", str(KITCHEN), "--out", str(tmp_path / "o")).code == 2
    missing = cli("import", "regolithe", str(tmp_path / "nope"), "--out", str(tmp_path / "o"))
    assert missing.code == 1 and "no such folder" in missing.err
