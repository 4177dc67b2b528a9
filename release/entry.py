"""The frozen binary's entry point: the same `run()` the pip console script calls."""

from compose_core.cli.main import run

run()
