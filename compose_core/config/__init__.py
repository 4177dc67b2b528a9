"""Compose files to a validated Project; this package never touches the engine."""
