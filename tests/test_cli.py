"""The generate / check / validate commands as a user runs them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.output import MANIFEST
from tests.conftest import GENERATED, SPECS, TEMPLATES, Cli, snapshot


def _args(project: Path, *extra: str) -> list[str]:
    return ["--specs", str(project / "specs"), "--out", str(project / "out"), *extra]


def test_generate_into_an_empty_folder_equals_the_committed_output(tmp_path: Path, cli: Cli) -> None:
    result = cli("generate", "--out", str(tmp_path / "out"))
    assert result.code == 0, result.err
    assert snapshot(tmp_path / "out") == snapshot(GENERATED)


def test_committed_output_is_up_to_date(cli: Cli) -> None:
    result = cli("check")
    assert result.code == 0, result.out + result.err
    assert "up to date" in result.out


def test_generate_twice_gives_the_same_bytes_and_writes_nothing_the_second_time(project: Path, cli: Cli) -> None:
    first = cli("generate", *_args(project))
    assert first.code == 0
    before = snapshot(project / "out")
    stats = {p: os.stat(project / "out" / p).st_mtime_ns for p in before}
    second = cli("generate", *_args(project))
    assert second.code == 0
    assert " 0 written" in second.out and " 0 removed" in second.out
    assert snapshot(project / "out") == before
    assert {p: os.stat(project / "out" / p).st_mtime_ns for p in before} == stats


def test_summary_line_counts_written_unchanged_removed_and_time(project: Path, cli: Cli) -> None:
    result = cli("generate", *_args(project))
    count = len(snapshot(project / "out"))
    assert result.out.strip().startswith("specgen: ")
    assert f"{count} written, 0 unchanged, 0 removed in " in result.out
    assert result.out.strip().endswith(" s")


def test_check_reports_a_hand_edit_with_a_diff_and_writes_nothing(project: Path, cli: Cli) -> None:
    cli("generate", *_args(project))
    edited = project / "out/python/squallmodels/activity.py"
    edited.write_text(edited.read_text().replace("Date of the notification.", "Hand edit."))
    before = snapshot(project / "out")
    result = cli("check", *_args(project))
    assert result.code == 1
    assert '-    """Hand edit."""' in result.out
    assert '+    """Date of the notification."""' in result.out
    assert "python/squallmodels/activity.py" in result.out
    assert "stale" in result.err
    assert snapshot(project / "out") == before


def test_a_changed_spec_rewrites_only_what_changed(project: Path, cli: Cli) -> None:
    cli("generate", *_args(project))
    spec = project / "specs/activity.spec.yaml"
    spec.write_text(spec.read_text().replace("Date of the notification.", "When it happened."))
    result = cli("generate", *_args(project))
    assert result.code == 0
    assert "When it happened." in (project / "out/python/squallmodels/activity.py").read_text()
    assert " 0 removed" in result.out
    assert not result.out.split(": ", 2)[2].startswith("0 written")


def test_files_of_a_removed_spec_go_and_foreign_files_stay(project: Path, cli: Cli) -> None:
    spec = (project / "specs/activity.spec.yaml").read_text()
    second = spec.replace("name: activity", "name: event").replace("category: activities", "category: events")
    (project / "specs/event.spec.yaml").write_text(second.replace("class_name: Activity", "class_name: Event"))
    cli("generate", *_args(project))
    assert (project / "out/python/squallmodels/event.py").exists()
    (project / "out/notes.txt").write_text("mine\n")
    (project / "out/python/squallmodels/local_helper.py").write_text("# mine\n")

    (project / "specs/event.spec.yaml").unlink()
    result = cli("generate", *_args(project))

    assert result.code == 0
    assert not (project / "out/python/squallmodels/event.py").exists()
    assert (project / "out/notes.txt").read_text() == "mine\n"
    assert (project / "out/python/squallmodels/local_helper.py").exists()
    assert "event.py" not in (project / "out" / MANIFEST).read_text()


def test_a_template_failure_leaves_the_output_exactly_as_it_was(project: Path, cli: Cli) -> None:
    cli("generate", *_args(project))
    spec = project / "specs/activity.spec.yaml"
    spec.write_text(spec.read_text().replace("Date of the notification.", "Changed."))
    broken = project / "templates"
    shutil.copytree(TEMPLATES, broken)
    model_template = broken / "models/model.py.j2"
    model_template.write_text(model_template.read_text() + "\n{{ no_such_variable }}\n")
    before = snapshot(project / "out")

    result = cli(
        "generate", "--specs", str(project / "specs"), "--out", str(project / "out"), "--templates", str(broken)
    )

    assert result.code == 1
    assert "no_such_variable" in result.err
    assert "Traceback" not in result.err
    assert snapshot(project / "out") == before


def test_no_staging_folders_are_left_behind(project: Path, cli: Cli) -> None:
    cli("generate", *_args(project))
    spec = project / "specs/activity.spec.yaml"
    spec.write_text(spec.read_text().replace("Date of the notification.", "Changed."))
    cli("generate", *_args(project))
    leftovers = [p.name for p in project.iterdir() if "specgen-new" in p.name or "specgen-old" in p.name]
    assert leftovers == []


def test_usage_errors_exit_2(cli: Cli) -> None:
    assert cli().code == 2
    assert cli("frobnicate").code == 2
    assert cli("generate", "--no-such-option").code == 2


def test_missing_folders_are_clean_errors(tmp_path: Path, cli: Cli) -> None:
    result = cli("validate", "--specs", str(tmp_path / "nope"))
    assert result.code == 1 and f"no specs folder: looked for {tmp_path / 'nope'}" in result.err
    result = cli("generate", "--specs", str(SPECS), "--templates", str(tmp_path / "nope"), "--out", str(tmp_path / "o"))
    assert result.code == 1 and "no such templates folder" in result.err
    assert not (tmp_path / "o").exists()


def test_python_dash_m_generator_runs(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "generator", "validate"], cwd=SPECS.parent, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "no problems" in result.stdout


def test_a_single_target_leaves_the_other_targets_files_alone(project: Path, cli: Cli) -> None:
    cli("generate", *_args(project))
    docs_page = project / "out/docs/models/activity.md"
    before = docs_page.read_bytes()
    spec = project / "specs/activity.spec.yaml"
    spec.write_text(spec.read_text().replace("Date of the notification.", "When it happened."))

    result = cli("generate", *_args(project), "--target", "models")

    assert result.code == 0, result.err
    assert "When it happened." in (project / "out/python/squallmodels/activity.py").read_text()
    assert docs_page.read_bytes() == before, "the docs target was not selected"
    manifest = (project / "out" / MANIFEST).read_text()
    assert "docs/models/activity.md" in manifest and "python/squallmodels/activity.py" in manifest
    assert cli("check", *_args(project), "--target", "models").code == 0
    assert cli("check", *_args(project)).code == 1  # the docs are stale


def test_an_unchanged_run_is_answered_from_the_cache(project: Path, cli: Cli) -> None:
    cli("generate", *_args(project))
    again = cli("generate", *_args(project))
    assert "(no input changed)" in again.out
    assert (project / ".specgen-cache" / "out.json").is_file()
    assert "no input changed" in cli("check", *_args(project)).out


def test_the_cache_never_hides_a_hand_edit(project: Path, cli: Cli) -> None:
    cli("generate", *_args(project))
    edited = project / "out/python/squallmodels/activity.py"
    edited.write_text(edited.read_text().replace("Date of the notification.", "Hand edit."))
    result = cli("check", *_args(project))
    assert result.code == 1 and "Hand edit." in result.out
    assert "Hand edit." not in cli("generate", *_args(project)).out
    assert "Date of the notification." in edited.read_text()


def test_the_cache_never_hides_an_input_change(project: Path, cli: Cli) -> None:
    templates = project / "templates"
    shutil.copytree(TEMPLATES, templates)
    args = ["--specs", str(project / "specs"), "--out", str(project / "out"), "--templates", str(templates)]
    cli("generate", *args)
    model_template = templates / "models/model.py.j2"
    model_template.write_text(model_template.read_text().replace("Decode the wire form", "Decode the WIRE form"))
    result = cli("check", *args)
    assert result.code == 1 and "Decode the WIRE form" in result.out
    assert cli("generate", *args).out.count("1 written") == 1


def test_the_cache_reads_library_versions_as_importlib_metadata_does() -> None:
    from importlib import metadata

    from generator.cache import _VERSIONED, _installed_version

    for name in (*_VERSIONED, "PyYAML", "Jinja2"):
        assert _installed_version(name) == metadata.version(name)
    assert _installed_version("no-such-distribution") == "missing"


def test_no_cache_renders_in_full(project: Path, cli: Cli) -> None:
    cli("generate", *_args(project))
    result = cli("generate", *_args(project), "--no-cache")
    assert result.code == 0 and "no input changed" not in result.out


def test_an_internal_error_is_one_line_without_a_traceback(
    project: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.output

    def broken(*_: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(generator.output, "plan", broken)
    result = cli("generate", *_args(project))
    assert result.code == 1
    assert "internal error (RuntimeError: simulated bug)" in result.err
    assert "Traceback" not in result.err
    assert not (project / "out").exists()


def test_the_specgen_console_script_is_installed_and_works() -> None:
    import subprocess
    import sys

    script = Path(sys.executable).parent / "specgen"
    assert script.exists(), "pip install -e . installs the specgen command next to the interpreter"
    result = subprocess.run([str(script), "validate"], cwd=SPECS.parent, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "no problems" in result.stdout


@pytest.mark.parametrize("folder_there", [True, False])
def test_the_command_leaves_with_mains_code_after_its_exit_handlers(tmp_path: Path, folder_there: bool) -> None:
    # run() ends the process without tearing its heap down: the code, the output and the
    # exit handlers must still be what an ordinary exit gives.
    import subprocess
    import sys

    specs = SPECS if folder_there else tmp_path / "nowhere"
    code = (
        "import atexit, sys; atexit.register(print, 'exit handler ran');"
        " sys.argv = ['specgen', 'validate', '--specs', sys.argv[1]];"
        " from generator.cli import run; print('before', end=' '); run()"
    )
    result = subprocess.run([sys.executable, "-c", code, str(specs)], capture_output=True, text=True, check=False)
    assert result.returncode == (0 if folder_there else 1), result.stderr
    assert result.stdout.startswith("before ") and result.stdout.endswith("exit handler ran\n")
    if folder_there:
        assert "1 model, no problems" in result.stdout
    else:
        assert "no specs folder" in result.stderr
