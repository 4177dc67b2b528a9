"""compose_core: define and run multi-container applications with Docker."""

__version__ = "0.1.0"
