"""One module per command: each turns a Project and options into engine work."""
