"""The generated packages (Squall's and the kitchen sink's) on the path, as tests/server has them."""

from __future__ import annotations

import sys

from tests.conftest import GENERATED, GOLDEN

for folder in (GENERATED / "python", GOLDEN / "kitchen_sink" / "expected" / "python"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
