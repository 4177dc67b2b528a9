"""One module per command group; each handler's docstring is its docopt usage."""
