"""Plain text tables, columns padded as the Docker CLI pads them."""

from __future__ import annotations

from collections.abc import Sequence


class Table:
    def __init__(self, headers: Sequence[str], gap: int = 3) -> None:
        self.headers = list(headers)
        self.rows: list[list[str]] = []
        self.gap = gap

    def add(self, row: Sequence[str]) -> None:
        self.rows.append([str(cell) for cell in row])

    def render(self) -> str:
        everything = [self.headers, *self.rows]
        widths = [max(len(row[i]) for row in everything) for i in range(len(self.headers))]
        lines = []
        for row in everything:
            cells = [cell.ljust(width) for cell, width in zip(row, widths)]
            lines.append((" " * self.gap).join(cells).rstrip())
        return "\n".join(lines) + "\n"
