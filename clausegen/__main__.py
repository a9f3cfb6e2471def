"""``python -m clausegen``: the same command as ``clausegen``."""

from clausegen.cli.app import run

run()
