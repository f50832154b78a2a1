"""openapi-python-client, a generator nobody here wrote, makes a client from ``generated/openapi.json``;
that client lists and retrieves activities from a live ``specgen serve`` with the same results
as ours. A document that said anything else than the server does would show here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import GENERATED, ROOT, SPECS
from tests.live_serve import Live, serving

if str(GENERATED / "python") not in sys.path:
    sys.path.insert(0, str(GENERATED / "python"))

from squallclient import Client
from squallmodels import Activity

PACKAGE = "squall_opc"
# Run in a fresh interpreter: the generated client imports attrs and its own package name.
SCRIPT = """
import json, sys
from squall_opc import AuthenticatedClient
from squall_opc.api.activities import list_activities, retrieve_activity
from squall_opc.models import ListActivitiesOrderItem

url, token, namespace = sys.argv[1:4]
with AuthenticatedClient(base_url=url, token=token) as client:
    out = {"pages": [], "totals": []}
    for page in (1, 2, 3):
        answer = list_activities.sync_detailed(
            client=client, x_namespace=namespace, page=page, pagesize=25,
            order=[ListActivitiesOrderItem("-date"), ListActivitiesOrderItem("ID")],
            q=['operation == "create" or operation == "delete"'], recursive=True,
        )
        out["totals"].append(int(answer.headers["X-Count-Total"]))
        out["pages"].append([a.to_dict() for a in answer.parsed])
    first = out["pages"][0][0]["ID"]
    out["one"] = retrieve_activity.sync(first, client=client, x_namespace=namespace, recursive=True).to_dict()
    missing = retrieve_activity.sync_detailed("no-such-id", client=client, x_namespace=namespace)
    out["missing"] = [missing.status_code, [e.to_dict() for e in missing.parsed]]
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def generated_client(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("openapi-python-client")
    tool = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent))
    assert tool is not None, "openapi-python-client is in the dev extra: pip install -e '.[dev]'"
    result = subprocess.run(
        [tool, "generate", "--path", str(GENERATED / "openapi.json"), "--meta", "none", "--output-path", PACKAGE],
        cwd=folder,
        # ruff (its formatter) from this environment
        env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    return folder


@pytest.fixture(scope="module")
def squall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with serving(SPECS, GENERATED, tmp_path_factory.mktemp("api"), seed=ROOT / "examples" / "activities.jsonl") as live:
        yield live


def test_a_client_generated_by_openapi_python_client_reads_what_ours_reads(
    generated_client: Path, squall: Live
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, squall.url, squall.token, "/acme"],
        cwd=generated_client,
        env={**os.environ, "PYTHONPATH": str(generated_client)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    theirs = json.loads(result.stdout)
    with Client(squall.url, namespace="/acme", token=squall.token) as ours:
        listing = ours.activities.list(
            q='operation == "create" or operation == "delete"', order=["-date", "ID"], recursive=True, page_size=25
        )
        total = listing.total
        mine = [a.to_dict() for a in listing]
        one = ours.activities.get(theirs["pages"][0][0]["ID"], recursive=True).to_dict()
    assert theirs["totals"] == [total] * 3 and total > 50
    # Their times say +00:00 where ours say Z: the same instants, read back through our model.
    assert [Activity.from_dict(obj).to_dict() for page in theirs["pages"] for obj in page] == mine[:75]
    assert Activity.from_dict(theirs["one"]).to_dict() == one
    status, errors = theirs["missing"]
    assert status == 404 and errors[0]["code"] == 404 and "no-such-id" in errors[0]["description"]
