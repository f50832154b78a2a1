"""``python -m generator``: the same as the ``specgen`` command."""

from generator.cli import run

run()
