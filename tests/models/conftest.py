"""Import the generated model packages: the project's own and the kitchen-sink golden one.

Under ``make mutation`` (SPECGEN_RUNTIME_AT_SOURCE=1) each package's ``_runtime`` is the
module it is copied from, generator/runtime/models/_runtime.py, so these tests of what a
generated model does also judge a mutant of that source. The copy is byte for byte the same
(``specgen check`` and the golden tests hold it), so the behaviour tested is the same.
"""

from __future__ import annotations

import os
import sys

from generator.runtime.models import _runtime
from tests.conftest import GENERATED, GOLDEN

for folder in (GENERATED / "python", GOLDEN / "kitchen_sink" / "expected" / "python"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

if os.environ.get("SPECGEN_RUNTIME_AT_SOURCE"):
    for package in ("squallmodels", "sinkmodels"):
        assert package not in sys.modules, f"{package} was imported before its runtime could be the source's"
        sys.modules[f"{package}._runtime"] = _runtime
