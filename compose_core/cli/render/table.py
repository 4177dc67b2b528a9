"""Plain text tables, columns padded as the Docker CLI pads them."""

from __future__ import annotations

from collections.abc import Sequence


class Table:
    def __init__(self, headers: Sequence[str], gap: int = 3, min_width: int = 0) -> None:
        self.headers = list(headers)
        self.rows: list[list[str]] = []
        self.gap = gap
        self.min_width = min_width  # a column's least width, its gap included

    def add(self, row: Sequence[str]) -> None:
        self.rows.append([str(cell) for cell in row])

    def render(self) -> str:
        everything = [self.headers, *self.rows]
        widths = [
            max(max(len(row[i]) for row in everything) + self.gap, self.min_width)
            for i in range(len(self.headers))
        ]
        lines = []
        for row in everything:
            cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths)]
            lines.append(("".join(cells) + row[-1]).rstrip())
        return "\n".join(lines) + "\n"
