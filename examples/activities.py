"""Write examples/activities.jsonl: a realistic, deterministic activity log for ``make serve``.

Run ``python examples/activities.py`` to rewrite it; the same code always writes the same
bytes (a seeded random generator, a fixed start date), so the file is reviewed like code.
"""

from __future__ import annotations

import json
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "activities.jsonl"
COUNT = 360
START = datetime(2024, 5, 6, 7, 30, tzinfo=UTC)
NAMESPACES = ["/acme", "/acme/dev", "/acme/prod", "/acme/prod/eu", "/acme/prod/us"]
SUBJECT = "squall"

# Who writes: claims as the Aporeto control plane issued them, one list per kind of login.
USERS = [
    ["@auth:realm=certificate", "@auth:commonname=alice", "@auth:organization=acme", "@auth:subject=alice"],
    ["@auth:realm=oidc", "@auth:email=bob@acme.example", "@auth:namespace=/acme", "@auth:subject=bob"],
    ["@auth:realm=appcredential", "@auth:commonname=ci-deployer", "@auth:subject=app:credential:ci-deployer"],
    ["@auth:realm=vince", "@auth:account=acme", "@auth:subject=carol"],
]
SOURCES = ["apoctl", "web ui", "10.0.4.17", "10.0.9.233", "terraform-provider"]


def processingunit(rng: random.Random, ident: str, ns: str, when: str) -> dict[str, Any]:
    service = rng.choice(["checkout", "payments", "inventory", "frontend", "auth", "search"])
    return {
        "ID": ident,
        "name": f"{service}-{rng.randrange(16**5):05x}",
        "namespace": ns,
        "type": rng.choice(["Docker", "LinuxService", "Kubernetes"]),
        "operationalStatus": rng.choice(["Running", "Initialized", "Paused"]),
        "enforcementStatus": rng.choice(["Active", "Inactive"]),
        "normalizedTags": [f"app={service}", f"$namespace={ns}"],
        "createTime": when,
        "updateTime": when,
    }


def networkpolicy(rng: random.Random, ident: str, ns: str, when: str) -> dict[str, Any]:
    app = rng.choice(["checkout", "payments", "inventory", "frontend"])
    return {
        "ID": ident,
        "name": f"allow-{app}-to-{rng.choice(['db', 'dns', 'cache', 'api'])}",
        "namespace": ns,
        "action": rng.choice(["Allow", "Reject"]),
        "subject": [[f"app={app}"]],
        "object": [[f"app={rng.choice(['postgres', 'redis', 'kube-dns'])}"]],
        "propagate": rng.random() < 0.3,
        "disabled": False,
        "createTime": when,
        "updateTime": when,
    }


def externalnetwork(rng: random.Random, ident: str, ns: str, when: str) -> dict[str, Any]:
    return {
        "ID": ident,
        "name": rng.choice(["internet", "corp-vpn", "partner-sftp", "saas-crm"]),
        "namespace": ns,
        "entries": [f"{rng.randrange(1, 224)}.{rng.randrange(256)}.0.0/16"],
        "ports": [rng.choice(["443", "22", "80", "5432"])],
        "protocols": ["tcp"],
        "createTime": when,
        "updateTime": when,
    }


def enforcer(rng: random.Random, ident: str, ns: str, when: str) -> dict[str, Any]:
    return {
        "ID": ident,
        "name": f"node-{rng.randrange(1, 40):02d}.{ns.rsplit('/', 1)[-1]}.acme.example",
        "namespace": ns,
        "operationalStatus": rng.choice(["Connected", "Disconnected"]),
        "currentVersion": rng.choice(["1.1234.5", "1.1301.2", "1.1402.0"]),
        "createTime": when,
        "updateTime": when,
    }


TARGETS = {
    "processingunit": processingunit,
    "networkaccesspolicy": networkpolicy,
    "externalnetwork": externalnetwork,
    "enforcer": enforcer,
}


def failure(rng: random.Random, target: str, obj: dict[str, Any], operation: str) -> list[dict[str, Any]]:
    """A realistic error array, in the API's error shape."""
    kind = rng.choice(
        ["required", "choice", "unique", "notfound"] if operation != "create" else ["required", "choice", "unique"]
    )
    if kind == "required":
        return [_error(422, "Validation Error", "Attribute 'name' is required.", {"attribute": "name"})]
    if kind == "choice":
        return [
            _error(
                422,
                "Validation Error",
                "Attribute 'type' must be one of Docker, LinuxService, Kubernetes.",
                {"attribute": "type"},
            ),
            _error(
                422,
                "Validation Error",
                "Attribute 'protocols' must be a list of strings, not a string.",
                {"attribute": "protocols"},
            ),
        ][: rng.randrange(1, 3)]
    if kind == "unique":
        return [
            _error(
                422,
                "Validation Error",
                f"name {obj['name']!r} is already used by another {target} in namespace {obj['namespace']}",
                {"attribute": "name"},
            )
        ]
    return [
        _error(
            404, "Not Found", f"no {target} with ID {obj['ID']!r} in namespace {obj['namespace']}", {"id": obj["ID"]}
        )
    ]


def _error(code: int, title: str, description: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"code": code, "title": title, "description": description, "subject": SUBJECT, "data": data}


def activities(rng: random.Random) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    live: dict[str, tuple[str, dict[str, Any]]] = {}  # object ID -> (target, current object)
    moment = START
    for _ in range(COUNT):
        moment += timedelta(seconds=rng.randrange(20, 1800), microseconds=rng.randrange(1_000_000))
        when = moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        if live and rng.random() < 0.55:
            ident = rng.choice(sorted(live))
            target, before = live[ident]
            operation = "update" if rng.random() < 0.7 else "delete"
        else:
            target = rng.choice(sorted(TARGETS))
            ident = f"{rng.randrange(16**24):024x}"
            before = {}
            operation = "create"
        ns = before.get("namespace") or rng.choice(NAMESPACES)
        entry: dict[str, Any] = {
            "ID": f"{rng.randrange(16**24):024x}",
            "operation": operation,
            "targetIdentity": target,
            "namespace": ns,
            "date": when,
            "claims": rng.choice(USERS),
            "source": rng.choice(SOURCES),
        }
        if operation == "create":
            after = TARGETS[target](rng, ident, ns, when)
        elif operation == "update":
            after = {**before, "updateTime": when}
            after["name"] = (
                before["name"] if rng.random() < 0.6 else f"{before['name'].split('-')[0]}-{rng.randrange(16**4):04x}"
            )
            entry["originalData"] = before
        else:
            after = before
            entry["originalData"] = before
        if rng.random() < 0.12:
            errors = failure(rng, target, after, operation)
            entry["error"] = errors
            if operation != "delete":
                entry["data"] = {
                    k: v for k, v in after.items() if k not in ("ID", "createTime", "updateTime", "namespace")
                }
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            what = target if operation == "create" else f"{target} {ident}"
            entry["message"] = f"{operation} of {what} failed: {errors[0]['description']}{more}"
        else:
            if operation != "delete":
                entry["data"] = after
                live[ident] = (target, after)
            else:
                del live[ident]
            entry["message"] = f"{operation}d {target} {ident}"  # created, updated, deleted
        out.append(entry)
    return out


def render() -> str:
    rng = random.Random(20240506)
    return "".join(json.dumps(a, ensure_ascii=False, sort_keys=True) + "\n" for a in activities(rng))


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {COUNT} activities to {OUT}", file=sys.stderr)
