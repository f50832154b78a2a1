"""The whole chain on real regolithe folders: import, validate, generate, lint and type-check the
generated Python, serve it and call every route, build the docs, run the docs' examples.

    python scripts/import_corpora.py                 # every corpus of ../shared/corpora
    python scripts/import_corpora.py PATH [PATH...]  # these regolithe folders
    make import-corpora

Not part of ``make test``: a user's clone has no ``../shared``. One line per stage, with its
counts and seconds; a stage that fails says why in a few indented lines, the next stages that
need it are skipped, and the exit code is 1. A folder named ``broken`` is expected to be
refused: one located message per problem, nothing written.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import operations, pipeline  # noqa: E402
from generator.errors import SpecError  # noqa: E402
from generator.importers import regolithe  # noqa: E402
from generator.render import Templates  # noqa: E402
from generator.spec import Api, Model  # noqa: E402
from generator.starter import mkdocs_config  # noqa: E402
from generator.targets.docs import EnvVars  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
TOKEN = "corpus-token-0123456789abcdef"
SERVER_SECONDS = 30
DETAIL_LINES = 6


class StageFailed(Exception):
    """A stage went wrong; the message is the detail to show."""


@dataclass
class Run:
    corpus: str
    failed: bool = False
    lines: list[str] = field(default_factory=list)

    def stage(self, name: str, action: Callable[[], str]) -> bool:
        started = time.perf_counter()
        try:
            summary = action()
            ok = True
        except StageFailed as exc:
            summary, ok = str(exc), False
        except Exception as exc:  # a bug here or in specgen: shown, and the run goes on
            summary, ok = f"{type(exc).__name__}: {exc}", False
        took = time.perf_counter() - started
        first, *rest = summary.splitlines() or [""]
        status = "ok  " if ok else "FAIL"
        print(f"{self.corpus:<16} {name:<9} {status} {first:<78} {took:6.2f} s", flush=True)
        for line in rest[:DETAIL_LINES]:
            print(f"{'':<32}{line}", flush=True)
        if len(rest) > DETAIL_LINES:
            print(f"{'':<32}... {len(rest) - DETAIL_LINES} more lines", flush=True)
        self.failed |= not ok
        return ok


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# --- the stages -----------------------------------------------------------------------------


def import_stage(source: Path, specs: Path) -> str:
    try:
        result = regolithe.import_folder(source, specs, fix=True)
    except SpecError as exc:
        raise StageFailed("\n".join([f"{len(exc.problems)} problems in the source", *map(str, exc.problems)])) from None
    counts = result.counts
    notes = result.notes.items
    fixed = sum(1 for n in notes if n.category == "fixed")
    not_carried = sum(1 for n in notes if n.category in ("go_only", "not_carried"))
    lossy = sum(1 for n in notes if n.category == "lossy")
    summary = (
        f"{_plural(counts['models'], 'model')}, {_plural(counts['nested types'], 'nested type')},"
        f" {_plural(counts['abstracts'], 'abstract')}; {not_carried} keys not carried, {lossy} lossy, {fixed} fixed"
    )
    if result.problems:
        raise StageFailed("\n".join([f"{summary}; {len(result.problems)} problems left", *map(str, result.problems)]))
    return summary


def refuse_stage(source: Path, scratch: Path) -> str:
    """A broken folder: refused, each problem located, nothing written; its files that regolithe
    names *.bad are then read under their real names, to show what is wrong inside them."""
    lines: list[str] = []
    total = 0
    for attempt, folder in enumerate((source, _unbad(source, scratch / "unbad"))):
        out = scratch / f"refused-{attempt}"
        try:
            regolithe.import_folder(folder, out)
        except SpecError as exc:
            total += len(exc.problems)
            lines += [str(p) for p in exc.problems]
        else:
            raise StageFailed(f"{folder} was imported; a broken folder must be refused")
        if out.exists():
            raise StageFailed(f"{out} was written by a refused import")
    return "\n".join([f"refused twice, {total} located problems, nothing written", *lines])


def _unbad(source: Path, target: Path) -> Path:
    target.mkdir(parents=True)
    for path in source.iterdir():
        if path.is_file():
            shutil.copy(path, target / path.name.removesuffix(".bad"))
    return target


def validate_stage(specs: Path) -> str:
    try:
        api = pipeline.validate(specs)
    except SpecError as exc:
        raise StageFailed("\n".join([f"{len(exc.problems)} problems", *map(str, exc.problems)])) from None
    return f"{_plural(len(api.models), 'model')}, {_plural(len(api.nested_types), 'nested type')}, no problems"


def generate_stage(specs: Path, generated: Path) -> str:
    result = pipeline.generate(specs, generated, use_cache=False)
    python = sum(1 for p in result.written if p.endswith(".py"))
    pages = sum(1 for p in result.written if p.endswith(".md"))
    return f"{len(result.written)} files written: {python} Python modules, {pages} docs pages"


def _tool(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *argv], cwd=cwd, capture_output=True, text=True, check=False)


def ruff_stage(generated: Path) -> str:
    tree = generated / "python"
    config = str(ROOT / "pyproject.toml")
    lint = _tool("ruff", "check", "--no-cache", "--config", config, ".", cwd=tree)
    fmt = _tool("ruff", "format", "--check", "--no-cache", "--config", config, ".", cwd=tree)
    if lint.returncode or fmt.returncode:
        detail = [line for line in (lint.stdout + fmt.stdout).splitlines() if line.strip()]
        raise StageFailed(
            "\n".join([f"ruff check exit {lint.returncode}, ruff format --check exit {fmt.returncode}", *detail])
        )
    files = sum(1 for _ in tree.rglob("*.py"))
    return f"ruff check and ruff format --check: {files} files clean"


def mypy_stage(generated: Path, scratch: Path) -> str:
    tree = generated / "python"
    packages = sorted(p.name for p in tree.iterdir() if (p / "__init__.py").is_file())
    argv = ["mypy", "--strict", "--no-incremental", "--cache-dir", str(scratch / "mypy-cache")]
    for package in packages:
        argv += ["-p", package]
    result = _tool(*argv, cwd=tree)
    if result.returncode:
        lines = [line for line in result.stdout.splitlines() if line.strip()]
        raise StageFailed("\n".join([lines[-1] if lines else f"exit {result.returncode}", *lines[:-1]]))
    return f"mypy --strict: {', '.join(packages)} clean"


def validator_stubs(api: Api, folder: Path) -> int:
    """Function validators are the user's code: stand-ins that accept everything, so the
    generated packages can import them."""
    modules: dict[str, set[str]] = {}
    for validator in api.validators:
        if validator.function:
            module, _, function = validator.function.partition(":")
            modules.setdefault(module, set()).add(function)
    for module, functions in modules.items():
        path = folder / Path(*module.split(".")).with_suffix(".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        body = [f'"""Stand-ins for {module}, written by scripts/import_corpora.py: every value passes."""', ""]
        for function in sorted(functions):
            body += ["", f"def {function}(value: object) -> None:", "    return None", ""]
        path.write_text("\n".join(body), encoding="utf-8")
    return sum(len(f) for f in modules.values())


@dataclass
class Server:
    url: str
    env: dict[str, str]


@contextmanager
def serving(specs: Path, generated: Path, scratch: Path, stubs: Path) -> Iterator[Server]:
    tokens = scratch / "tokens.yaml"
    tokens.write_text(f"- token: {TOKEN}\n  claims: ['@auth:subject=corpus']\n  namespaces: ['/']\n", "utf-8")
    tokens.chmod(0o600)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(stubs), str(ROOT)])}
    log_path = scratch / "serve.log"
    command = [sys.executable, "-m", "generator", "serve", "--specs", str(specs), "--out", str(generated)]
    command += ["--db", str(scratch / "api.db"), "--tokens", str(tokens), "--port", str(port)]
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=scratch, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + SERVER_SECONDS
            while True:
                if process.poll() is not None:
                    raise StageFailed(f"specgen serve exited with {process.returncode}\n{log_path.read_text('utf-8')}")
                try:
                    urllib.request.urlopen(url + "/", timeout=1).close()
                    break
                except urllib.error.HTTPError:
                    break  # it answers
                except OSError:
                    if time.monotonic() > deadline:
                        raise StageFailed(f"specgen serve did not answer in {SERVER_SECONDS} s") from None
                    time.sleep(0.1)
            yield Server(url, env)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _call(server: Server, api: Api, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    data = json.dumps(body).encode("utf-8") if body is not None else None
    request = urllib.request.Request(server.url + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {TOKEN}")
    request.add_header("X-Namespace", api.example_namespace)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")[:300]


def example_body(model: Model, *, update: bool = False) -> dict[str, Any]:
    """What a client sends: every attribute it may write, with its example (to update, less the
    creation-only ones)."""
    body: dict[str, Any] = {}
    for attribute in model.attributes:
        if attribute.read_only or attribute.autogenerated or not attribute.exposed:
            continue
        if update and attribute.creation_only:
            continue
        body[attribute.exposed_name] = attribute.example
    return body


def routes_stage(api: Api, server: Server, ids: dict[str, str], *, deletes: bool) -> str:
    """Every endpoint of every model, once: creates first (their objects serve the other calls),
    then lists, retrieves, updates and relations; or (``deletes``) every delete."""
    calls: list[tuple[str, str, int, int | str]] = []  # (model, what, expected, got)

    def record(model: Model, what: str, expected: int, status: int, answer: Any) -> None:
        calls.append((model.name, what, expected, status if status == expected else f"{status} {answer}"))

    by_order = {"create": 0, "list": 1, "retrieve": 2, "update": 3, "delete": 4}
    plan = [(m, e) for m in api.models for e in operations.endpoints(api, m) if (e.operation == "delete") == deletes]
    plan.sort(key=lambda item: (by_order[item[1].operation], item[1].parent is not None, item[0].name))
    for model, endpoint in plan:
        op = endpoint.operation
        expected = operations.SUCCESS[op][0]
        path = endpoint.path
        if endpoint.parent is not None:
            parent_id = ids.get(endpoint.parent)
            if parent_id is None:
                calls.append((model.name, f"{endpoint.method} {path}", expected, "skipped: no parent object"))
                continue
            path = path.replace("{id}", parent_id)
        elif endpoint.on_one_object:
            object_id = ids.get(model.name)
            if object_id is None:
                calls.append((model.name, f"{endpoint.method} {path}", expected, "skipped: no object (no create)"))
                continue
            path = path.replace("{id}", object_id)
        body = example_body(model, update=op == "update") if endpoint.has_body else None
        status, answer = _call(server, api, endpoint.method, path, body)
        record(model, f"{endpoint.method} {path}", expected, status, answer)
        if op == "create" and status == expected and model.identifier and isinstance(answer, dict):
            identifier = next(a.exposed_name for a in model.attributes if a.name == model.identifier)
            ids.setdefault(model.name, str(answer.get(identifier)))
        if op == "list" and status == expected and model.identifier and isinstance(answer, list) and answer:
            identifier = next(a.exposed_name for a in model.attributes if a.name == model.identifier)
            ids.setdefault(model.name, str(answer[0].get(identifier)))
    failed = [c for c in calls if c[3] != c[2]]
    what = "deletes" if deletes else "routes (all but deletes)"
    summary = f"{len(calls)} {what} of {_plural(len(api.models), 'model')} called, {len(calls) - len(failed)} answered as expected"
    if failed:
        raise StageFailed("\n".join([summary, *(f"{m}: {w}: expected {e}, got {g}" for m, w, e, g in failed)]))
    return summary


def mkdocs_stage(api: Api, generated: Path, scratch: Path) -> str:
    config = mkdocs_config(Templates(), api.title, api.description)
    config = config.replace("docs_dir: generated/docs", f"docs_dir: {(generated / 'docs').as_posix()}")
    config_file = scratch / "mkdocs.yml"
    config_file.write_text(config, encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file), "-d", str(scratch / "site")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if result.returncode:
        lines = [line for line in result.stderr.splitlines() if "WARNING" in line or "ERROR" in line or "Error" in line]
        raise StageFailed(
            "\n".join([f"mkdocs build --strict exit {result.returncode}", *(lines or result.stderr.splitlines())])
        )
    pages = sum(1 for _ in (scratch / "site").rglob("*.html"))
    return f"mkdocs build --strict: {pages} HTML pages"


def examples_stage(api: Api, generated: Path, server: Server, ids: dict[str, str], scratch: Path) -> str:
    from tests.docs.pages import examples

    env_names = EnvVars.of(api)
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(scratch),
        "LANG": "C.UTF-8",
        "PYTHONPATH": os.pathsep.join([str(generated / "python"), server.env["PYTHONPATH"]]),
        env_names.url: server.url,
        env_names.token: TOKEN,
        env_names.namespace: api.example_namespace,
        **{f"{name.upper()}_ID": value for name, value in ids.items()},
    }
    ran, failed = 0, []
    for page in sorted((generated / "docs" / "models").glob("*.md")):
        for example in examples(page.read_text("utf-8")):
            if example.tab == "Python":
                script = scratch / "example.py"
                script.write_text(example.code, encoding="utf-8")
                command = [sys.executable, str(script)]
            elif example.tab == "curl" and shutil.which("curl"):
                command = ["bash", "-euo", "pipefail", "-c", example.code]
            else:
                continue
            ran += 1
            result = subprocess.run(
                command, env=base, cwd=scratch, capture_output=True, text=True, timeout=30, check=False
            )
            if result.returncode:
                failed.append(
                    f"{page.stem}: {example.section} ({example.tab}): {result.stderr.strip().splitlines()[-1:]}"
                )
    summary = f"{ran} Python and curl examples run, {ran - len(failed)} ok"
    if failed:
        raise StageFailed("\n".join([summary, *failed]))
    return summary


def _fail(exc: StageFailed) -> str:
    raise exc


# --- one corpus -----------------------------------------------------------------------------


def run_corpus(source: Path, keep: Path | None) -> bool:
    name = source.name if source.name != "broken" else f"{source.parent.name}/broken"
    run = Run(name)
    with tempfile.TemporaryDirectory(prefix="specgen-corpus-") as tmp:
        scratch = Path(tmp)
        if source.name == "broken":
            run.stage("refuse", lambda: refuse_stage(source, scratch))
            return not run.failed
        specs, generated, stubs = scratch / "specs", scratch / "generated", scratch / "stubs"
        if not run.stage("import", lambda: import_stage(source, specs)):
            return False
        if not run.stage("validate", lambda: validate_stage(specs)):
            return False
        api = pipeline.validate(specs)
        stubs.mkdir()
        validator_stubs(api, stubs)
        if not run.stage("generate", lambda: generate_stage(specs, generated)):
            return False
        run.stage("ruff", lambda: ruff_stage(generated))
        run.stage("mypy", lambda: mypy_stage(generated, scratch))
        run.stage("mkdocs", lambda: mkdocs_stage(api, generated, scratch))
        ids: dict[str, str] = {}
        try:
            with serving(specs, generated, scratch, stubs) as server:
                run.stage("serve", lambda: routes_stage(api, server, ids, deletes=False))
                run.stage("examples", lambda: examples_stage(api, generated, server, ids, scratch))
                run.stage("delete", lambda: routes_stage(api, server, ids, deletes=True))
        except StageFailed as exc:
            failure = exc
            run.stage("serve", lambda: _fail(failure))
        if keep is not None:
            target = keep / name.replace("/", "-")
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(scratch, target, ignore=shutil.ignore_patterns("mypy-cache", "site"))
    return not run.failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "corpora", nargs="*", type=Path, help="regolithe folders (default: every corpus of ../shared/corpora)"
    )
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep each corpus's specs and generated output in DIR")
    args = parser.parse_args(argv)
    corpora: list[Path] = args.corpora
    if not corpora:
        if not CORPORA.is_dir():
            print(f"import_corpora: no corpora: {CORPORA} is missing (a user's clone has none)", file=sys.stderr)
            return 1
        for folder in sorted(CORPORA.iterdir()):
            if (folder / "_api.info").is_file():
                corpora.append(folder)
            if (folder / "broken").is_dir():
                corpora.append(folder / "broken")
    ok = True
    for source in corpora:
        ok &= run_corpus(source, args.keep)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
