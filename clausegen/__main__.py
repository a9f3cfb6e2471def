"""``python -m clausegen``: the same command as ``clausegen``."""

from clausegen.cli.app import main

main(prog_name="clausegen")
