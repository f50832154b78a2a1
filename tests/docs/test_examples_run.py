"""Every example of the generated pages runs for real: the command line, Python and curl tabs.

They are taken from the generated Markdown exactly as a reader copies them, and run against the
generated HTTP API (``specgen serve``) on a free loopback port: Squall's Activity page over a
temporary database that ``specgen load`` filled with a few activities (its output is checked
against them), and the kitchen sink's pages (creates, updates and deletes in every tab) over
one of their own. The command-line tab runs the generated client's console script (here a
shim that runs ``python -m squallclient``, as an installed one would), the Python tab the
generated client. Every Go tab of every page (the goldens' too) passes ``gofmt -e`` and is in
gofmt's layout.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GOLDEN, ROOT
from tests.docs.pages import Example, examples
from tests.live_serve import TOKEN as LIVE_TOKEN
from tests.live_serve import generate_into, serving

TOKEN = "docs-example-token"
NAMESPACE = "/namespace"
# Activities of the example namespace, one below it (seen only with recursive=true), one elsewhere.
ACTIVITIES: list[dict[str, Any]] = [
    {
        "ID": "5d07a1f0e1a2b3c4d5e6f701",
        "operation": "create",
        "targetIdentity": "processingunit",
        "namespace": "/namespace",
        "date": "2019-06-17T10:00:00Z",
        "data": {"name": "web", "replicas": 2},
        "claims": ["@auth:subject=alice"],
        "message": "created processing unit web",
        "source": "apoctl",
    },
    {
        "ID": "5d07a1f0e1a2b3c4d5e6f702",
        "operation": "update",
        "targetIdentity": "processingunit",
        "namespace": "/namespace",
        "date": "2019-06-17T11:30:00Z",
        "data": {"name": "web", "replicas": 3},
        "originalData": {"name": "web", "replicas": 2},
        "claims": ["@auth:subject=bob"],
        "message": 'scaled web to 3; it\'s "busy" & <loud>',
        "source": "ui",
    },
    {
        "ID": "5d07a1f0e1a2b3c4d5e6f703",
        "operation": "delete",
        "targetIdentity": "networkpolicy",
        "namespace": "/namespace",
        "date": "2019-06-17T09:15:00Z",
        "data": {"name": "allow-all"},
        "error": {"code": 409, "title": "Conflict"},
        "claims": ["@auth:subject=alice"],
        "message": "delete refused",
        "source": "apoctl",
    },
    {
        "ID": "5d07a1f0e1a2b3c4d5e6f704",
        "operation": "create",
        "targetIdentity": "namespace",
        "namespace": "/namespace/child",
        "date": "2019-06-17T12:00:00Z",
        "data": {"name": "grandchild"},
        "claims": ["@auth:subject=carol"],
        "message": "created a namespace below",
        "source": "apoctl",
    },
    {
        "ID": "5d07a1f0e1a2b3c4d5e6f705",
        "operation": "create",
        "targetIdentity": "processingunit",
        "namespace": "/other",
        "date": "2019-06-17T12:30:00Z",
        "data": {"name": "elsewhere"},
        "claims": ["@auth:subject=dave"],
        "message": "not in the example namespace",
        "source": "apoctl",
    },
]
# What the list example must show: exactly the example namespace, newest first (default order -date).
EXPECTED_IDS = ["5d07a1f0e1a2b3c4d5e6f702", "5d07a1f0e1a2b3c4d5e6f701", "5d07a1f0e1a2b3c4d5e6f703"]
RETRIEVED_ID = "5d07a1f0e1a2b3c4d5e6f702"
STARTUP_SECONDS = 30
RUN_SECONDS = 30


@dataclass(frozen=True)
class Server:
    url: str
    python_path: str
    bin: str  # a folder with the command line's shim


def command_shim(folder: Path, command: str, package: str) -> Path:
    """``folder/bin/<command>``: runs the generated client's command line, as its console script would."""
    bin_folder = folder / "bin"
    bin_folder.mkdir(exist_ok=True)
    shim = bin_folder / command
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m {package} "$@"\n', "utf-8")
    shim.chmod(0o755)
    return bin_folder


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _cli(*args: str) -> list[str]:
    # Run from ROOT: --specs defaults to its specs/ folder.
    return [sys.executable, "-m", "generator", *args]


@pytest.fixture(scope="module")
def server(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("api")
    database = folder / "activities.db"
    tokens = folder / "tokens.yaml"
    tokens.write_text(
        f"- token: {TOKEN}\n  claims: ['@auth:subject=docs-test']\n  namespaces: ['{NAMESPACE}']\n", "utf-8"
    )
    records = folder / "activities.jsonl"
    records.write_text("".join(json.dumps(a) + "\n" for a in ACTIVITIES), "utf-8")
    python_path = str(generated / "python")
    # `specgen serve/load --out` import the freshly generated server, not the committed one.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    loaded = subprocess.run(
        _cli("load", "--out", str(generated), "--db", str(database), str(records)),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert loaded.returncode == 0, f"specgen load failed:\n{loaded.stdout}\n{loaded.stderr}"

    port = _free_port()
    log = (folder / "server.log").open("w", encoding="utf-8")
    command = _cli("serve", "--out", str(generated), "--db", str(database), "--tokens", str(tokens))
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, folder / "server.log")
        yield Server(url=url, python_path=python_path, bin=str(command_shim(folder, "squallctl", "squallclient")))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def _wait_until_up(url: str, process: subprocess.Popen[bytes] | subprocess.Popen[str], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"specgen serve exited with {process.returncode}:\n{log.read_text('utf-8')}")
        try:
            urllib.request.urlopen(url + "/activities", timeout=1).close()
        except urllib.error.HTTPError:
            return  # it answers (401 without a token): it is up
        except OSError:
            time.sleep(0.1)
            continue
        return
    pytest.fail(f"specgen serve did not answer within {STARTUP_SECONDS} s:\n{log.read_text('utf-8')}")


@pytest.fixture(scope="module")
def page_examples(generated: Path) -> dict[tuple[str, str], Example]:
    found = examples((generated / "docs" / "models" / "activity.md").read_text("utf-8"))
    return {(e.section, e.tab): e for e in found}


def _run(
    example: Example, server: Server, folder: Path, env: dict[str, str] | None = None, **overrides: str
) -> subprocess.CompletedProcess[str]:
    """Run one example the way the page says: its environment variables set, nothing else edited."""
    variables = (
        env
        if env is not None
        else {
            "SQUALL_URL": server.url,
            "SQUALL_TOKEN": TOKEN,
            "SQUALL_NAMESPACE": NAMESPACE,
            "ACTIVITY_ID": RETRIEVED_ID,
        }
    )
    environment = {
        "PATH": f"{server.bin}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(folder),
        "LANG": "C.UTF-8",
        "PYTHONPATH": server.python_path,
        **variables,
        **overrides,
    }
    if example.tab == "Python":
        script = folder / "example.py"
        script.write_text(example.code, "utf-8")
        command = [sys.executable, str(script)]
    elif example.language == "shell":  # curl, and the command line's tab
        bash = shutil.which("bash")
        assert bash and shutil.which("curl"), "the shell examples need bash and curl"
        command = [bash, "-euo", "pipefail", "-c", example.code]
    else:
        raise AssertionError(f"not runnable here: {example.tab}")
    return subprocess.run(
        command, env=environment, cwd=folder, capture_output=True, text=True, timeout=RUN_SECONDS, check=False
    )


LIST = "Retrieve all Activities"
RETRIEVE = "Retrieve a given Activity"
BY_ID = {a["ID"]: a for a in ACTIVITIES}


def _same_as_loaded(obj: dict[str, Any]) -> None:
    loaded = BY_ID[obj["ID"]]
    for key, value in loaded.items():
        assert obj[key] == value, f"{obj['ID']}.{key}: {obj[key]!r} != {value!r}"


def test_python_list_example_prints_the_namespace_newest_first(
    server: Server, page_examples: dict[tuple[str, str], Example], tmp_path: Path
) -> None:
    result = _run(page_examples[(LIST, "Python")], server, tmp_path)
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["ID"] for o in objects] == EXPECTED_IDS
    for obj in objects:
        _same_as_loaded(obj)


def test_curl_list_example_prints_the_same_objects(
    server: Server, page_examples: dict[tuple[str, str], Example], tmp_path: Path
) -> None:
    result = _run(page_examples[(LIST, "curl")], server, tmp_path)
    assert result.returncode == 0, result.stderr
    objects = json.loads(result.stdout)
    assert isinstance(objects, list)
    assert [o["ID"] for o in objects] == EXPECTED_IDS
    for obj in objects:
        _same_as_loaded(obj)
    python = _run(page_examples[(LIST, "Python")], server, tmp_path)
    # The Python example goes through Activity.from_dict/to_dict: nothing is lost on the way.
    assert [json.loads(line) for line in python.stdout.splitlines()] == objects


def test_python_retrieve_example_prints_the_activity(
    server: Server, page_examples: dict[tuple[str, str], Example], tmp_path: Path
) -> None:
    result = _run(page_examples[(RETRIEVE, "Python")], server, tmp_path)
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    obj = json.loads(line)
    assert obj["ID"] == RETRIEVED_ID
    _same_as_loaded(obj)


def test_curl_retrieve_example_prints_the_activity(
    server: Server, page_examples: dict[tuple[str, str], Example], tmp_path: Path
) -> None:
    result = _run(page_examples[(RETRIEVE, "curl")], server, tmp_path)
    assert result.returncode == 0, result.stderr
    obj = json.loads(result.stdout)
    assert isinstance(obj, dict) and obj["ID"] == RETRIEVED_ID
    _same_as_loaded(obj)


def test_examples_report_a_refused_token(
    server: Server, page_examples: dict[tuple[str, str], Example], tmp_path: Path
) -> None:
    python = _run(page_examples[(LIST, "Python")], server, tmp_path, SQUALL_TOKEN="not-a-token")
    assert python.returncode == 1 and python.stdout == ""
    assert python.stderr.startswith("Error 401 Unauthorized: ")
    curl = _run(page_examples[(RETRIEVE, "curl")], server, tmp_path, SQUALL_TOKEN="not-a-token")
    errors = json.loads(curl.stdout)
    assert errors[0]["code"] == 401
    command = _run(page_examples[(LIST, "squallctl")], server, tmp_path, SQUALL_TOKEN="not-a-token")
    assert command.returncode == 1 and command.stdout == ""
    assert command.stderr.startswith("squallctl: 401 Unauthorized: ")


def test_examples_read_the_namespace_from_the_environment(
    server: Server, page_examples: dict[tuple[str, str], Example], tmp_path: Path
) -> None:
    # The token may read /namespace and below: /namespace/child holds exactly one activity.
    result = _run(page_examples[(LIST, "curl")], server, tmp_path, SQUALL_NAMESPACE="/namespace/child")
    assert [o["ID"] for o in json.loads(result.stdout)] == ["5d07a1f0e1a2b3c4d5e6f704"]
    result = _run(page_examples[(RETRIEVE, "Python")], server, tmp_path, SQUALL_NAMESPACE="/other")
    assert result.returncode == 1 and result.stderr.startswith("Error 403 Forbidden: ")


def test_command_line_examples_print_what_curl_prints(
    server: Server, page_examples: dict[tuple[str, str], Example], tmp_path: Path
) -> None:
    for section in (LIST, RETRIEVE):
        command = _run(page_examples[(section, "squallctl")], server, tmp_path)
        assert command.returncode == 0, command.stderr
        curl = _run(page_examples[(section, "curl")], server, tmp_path)
        assert json.loads(command.stdout) == json.loads(curl.stdout)
    listed = json.loads(_run(page_examples[(LIST, "squallctl")], server, tmp_path).stdout)
    assert [o["ID"] for o in listed] == EXPECTED_IDS


# --- the kitchen sink's pages: every operation, every tab -----------------------------------

SINK_PREFIX = "KITCHEN_SINK"


@pytest.fixture(scope="module")
def sink(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    folder = tmp_path_factory.mktemp("sink")
    specs = GOLDEN / "kitchen_sink" / "specs"
    out = generate_into(specs, folder / "generated")
    with serving(specs, out, folder) as live:
        server = Server(live.url, str(out / "python"), str(command_shim(folder, "sinkctl", "sinkclient")))
        yield server, out


def _sink_env(server: Server, **more: str) -> dict[str, str]:
    return {
        f"{SINK_PREFIX}_URL": server.url,
        f"{SINK_PREFIX}_TOKEN": LIVE_TOKEN,
        f"{SINK_PREFIX}_NAMESPACE": "/acme/dev",
        **more,
    }


def _page(out: Path, name: str) -> dict[tuple[str, str], Example]:
    return {(e.section, e.tab): e for e in examples((out / "docs" / "models" / f"{name}.md").read_text("utf-8"))}


def _output(result: subprocess.CompletedProcess[str], lines: bool = False) -> Any:
    """What an example printed: one JSON text, or (``lines``: a Python list example) one per line."""
    assert result.returncode == 0, result.stderr
    if lines:
        return [json.loads(line) for line in result.stdout.splitlines()]
    return json.loads(result.stdout)


def test_every_kitchen_sink_example_creates_updates_and_deletes(sink: tuple[Server, Path], tmp_path: Path) -> None:
    server, out = sink
    page = _page(out, "widget")
    tabs = ("sinkctl", "Python", "curl")
    sections = {
        "Retrieve all": "Retrieve all Widgets",
        "Retrieve": "Retrieve a given Widget",
        "Create": "Create a Widget",
        "Update": "Update a given Widget",
        "Delete": "Delete a given Widget",
    }
    created = {}
    for tab in tabs:
        obj = _output(_run(page[(sections["Create"], tab)], server, tmp_path, _sink_env(server)))
        assert obj["name"] == "my-widget" and obj["namespace"] == "/acme/dev", (tab, obj)
        created[tab] = obj
    assert len({obj["ID"] for obj in created.values()}) == 3  # each tab made its own
    for tab in tabs:
        identifier = created[tab]["ID"]
        env = _sink_env(server, WIDGET_ID=identifier)
        fetched = _output(_run(page[(sections["Retrieve"], tab)], server, tmp_path, env))
        assert fetched == created[tab]
        updated = _output(_run(page[(sections["Update"], tab)], server, tmp_path, env))
        assert updated["ID"] == identifier and updated["createdAt"] == created[tab]["createdAt"]
    listed = _output(_run(page[(sections["Retrieve all"], "curl")], server, tmp_path, _sink_env(server)))
    assert {o["ID"] for o in listed} == {obj["ID"] for obj in created.values()}
    for tab in ("sinkctl", "Python"):
        same = _run(page[(sections["Retrieve all"], tab)], server, tmp_path, _sink_env(server))
        assert _output(same, lines=tab == "Python") == listed
    for tab in tabs:
        env = _sink_env(server, WIDGET_ID=created[tab]["ID"])
        assert _output(_run(page[(sections["Delete"], tab)], server, tmp_path, env))["ID"] == created[tab]["ID"]
        gone = _run(page[(sections["Retrieve"], "curl")], server, tmp_path, env)
        assert json.loads(gone.stdout)[0]["code"] == 404
    gadgets = _page(out, "gadget")
    empty = [_run(gadgets[("Retrieve all Gadgets", tab)], server, tmp_path, _sink_env(server)) for tab in tabs]
    assert [r.returncode for r in empty] == [0, 0, 0], [r.stderr for r in empty]
    assert [r.stdout.strip() for r in empty] == ["[]", "", "[]"]


# --- Go: every Go tab of every page parses, in gofmt's layout ---------------------------------


def _go_examples(generated: Path) -> list[tuple[str, Example]]:
    pages = [*(generated / "docs" / "models").glob("*.md"), *GOLDEN.glob("*/expected/docs/models/*.md")]
    return [
        (f"{page.parent.parent.parent.name}/{page.name}", example)
        for page in sorted(pages)
        for example in examples(page.read_text("utf-8"))
        if example.tab == "Go"
    ]


def test_every_go_example_parses_and_is_gofmt_clean(generated: Path) -> None:
    gofmt = shutil.which("gofmt")
    assert gofmt, "gofmt checks the Go examples: make test installs it (.ci/install-go)"
    found = _go_examples(generated)
    assert len(found) >= 2 + 6 + 13  # Squall's two, the kitchen sink's six, whole_api's thirteen
    for where, example in found:
        parsed = subprocess.run([gofmt, "-e", "-d"], input=example.code, capture_output=True, text=True, check=False)
        assert parsed.returncode == 0, f"{where}: {example.section}: {parsed.stderr}"
        assert parsed.stdout == "", f"{where}: {example.section}: not in gofmt's layout:\n{parsed.stdout}"
        assert '"os"' in example.code and "import (" in example.code  # its imports are stated


# --- what `make serve` prints is what the page says to paste --------------------------------


def _export_block(markdown: str) -> list[str]:
    """The export lines of the page's "Before you run the examples" shell block."""
    section = markdown.split("### Before you run the examples", 1)[1]
    block = section.split("```shell\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.startswith("export ")]


def test_make_serve_prints_the_pages_export_lines_and_its_namespace_holds_data(
    generated: Path, page_examples: dict[tuple[str, str], Example], tmp_path: Path
) -> None:
    make = subprocess.run(["make", "-n", "serve"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    serve_line = next(line for line in make.splitlines() if " serve " in line)
    assert "--seed examples/activities.jsonl" in serve_line  # the sample data this test loads too
    port = _free_port()
    command = _cli(
        "serve",
        "--out",
        str(generated),
        "--db",
        str(tmp_path / "squall.db"),
        "--seed",
        str(ROOT / "examples" / "activities.jsonl"),
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            printed: list[str] = []
            while len([line for line in printed if line.startswith("export ")]) < 3:
                line = process.stdout.readline()
                assert line, "specgen serve stopped before printing its export lines:\n" + "".join(printed)
                printed.append(line.rstrip("\n"))
            exports = [line for line in printed if line.startswith("export ")]
            page = _export_block((generated / "docs" / "models" / "activity.md").read_text("utf-8"))
            # The same variables in the same order; the page has the spec's URL and a placeholder token.
            assert [line.split("=", 1)[0] for line in exports] == [line.split("=", 1)[0] for line in page[:3]]
            assert exports[0] == f"export SQUALL_URL=http://127.0.0.1:{port}"
            assert page[0] == "export SQUALL_URL=http://127.0.0.1:8000"
            assert exports[1] == page[1] == "export SQUALL_NAMESPACE=/acme"
            assert page[2] == "export SQUALL_TOKEN=the-token-specgen-serve-printed"
            token = exports[2].split("=", 1)[1]
            assert token in printed[0], "the token of the run, as its first line says"
            (tmp_path / "serve.log").write_text("\n".join(printed), "utf-8")  # shown if it never answers
            _wait_until_up(f"http://127.0.0.1:{port}", process, tmp_path / "serve.log")
            # Paste the lines into a shell, then run the page's curl example: the namespace holds data.
            script = "\n".join([*exports, page_examples[(LIST, "curl")].code])
            bash = shutil.which("bash")
            assert bash
            result = subprocess.run(
                [bash, "-euo", "pipefail", "-c", script],
                capture_output=True,
                text=True,
                timeout=RUN_SECONDS,
                check=False,
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
            )
            assert result.returncode == 0, result.stderr
            listed = json.loads(result.stdout)
            assert len(listed) >= 50 and {a["namespace"] for a in listed} == {"/acme"}
        finally:
            process.terminate()
            process.wait(timeout=10)
