"""fastjsonschema validators compiled once and kept between runs, as Python keeps ``.pyc`` files.

Compiling the four spec schemas to Python (fastjsonschema's code generation, then Python's
compiler over 440 KB of generated code) took about 0.1 s of every run, before any worker could
start. The compiled code object is kept in the cache folder under a name made from everything it
depends on (the schema, fastjsonschema's version, the interpreter's bytecode format), so a
changed schema or an upgrade compiles afresh; a cache that is missing, unreadable or damaged
only means compiling again, and one that cannot be written never fails a run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from typing import Any


def compiled(schema: dict[str, Any], cache_dir: Path | None) -> Any:
    """fastjsonschema's ``validate(data)`` for ``schema``: raises JsonSchemaException when data does not fit."""
    import fastjsonschema

    if cache_dir is None:
        return fastjsonschema.compile(schema)
    key = hashlib.sha256()
    key.update(f"fastjsonschema {fastjsonschema.VERSION}\n".encode())
    key.update(MAGIC_NUMBER)
    key.update(json.dumps(schema, sort_keys=True).encode())
    path = cache_dir / f"{key.hexdigest()[:32]}.marshal"
    code = _read(path)
    if code is None:
        # compile_to_code() and compile() generate the same function; this one can be kept.
        source = fastjsonschema.compile_to_code(schema)
        code = compile(source, f"<fastjsonschema validator {schema.get('title', '')}>", "exec")
        _write(path, marshal.dumps(code))
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # the validator's module: its patterns, then the functions
    return namespace["validate"]


def _read(path: Path) -> Any:
    """The code object kept at ``path``; None when there is none or it cannot be read."""
    try:
        code = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return code if type(code) is type(compiled.__code__) else None


def _write(path: Path, data: bytes) -> None:
    """Write ``data`` at ``path`` all at once (a reader never sees half a file); skipped on failure."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
