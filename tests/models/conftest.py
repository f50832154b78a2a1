"""Import the generated model packages: the project's own and the kitchen-sink golden one."""

from __future__ import annotations

import sys

from tests.conftest import GENERATED, GOLDEN

for folder in (GENERATED / "python", GOLDEN / "kitchen_sink" / "expected" / "python"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
