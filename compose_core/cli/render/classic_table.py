"""Tables as the classic docker-compose 1.29.2 prints them: headers centred over a dashed
rule, cells left-aligned three spaces apart, wrapped to the terminal's width."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Sequence

_GAP = "   "


def classic_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """The table fitted to the terminal (COLUMNS, else the terminal, else unbounded)."""
    max_width = shutil.get_terminal_size(fallback=(999, 0)).columns
    return render_classic_table(headers, rows, max_width)


def render_classic_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], max_width: int = 0
) -> str:
    everything = [list(headers), *(list(map(str, row)) for row in rows)]
    widths = fitted_widths(everything, max_width)
    header, *body = (_wrapped_row(row, widths) for row in everything)
    lines = [_GAP.join(_centered(cell, w) for cell, w in zip(line, widths)) for line in header]
    lines.append("-" * (sum(widths) + len(_GAP) * (len(widths) - 1)))
    for row in body:
        lines += [_GAP.join(cell.ljust(w) for cell, w in zip(line, widths)) for line in row]
    return "\n".join(lines) + "\n"


def fitted_widths(rows: Sequence[Sequence[str]], max_width: int) -> list[int]:
    """Each column's width; when the table is wider than `max_width`, the room is dealt
    out one character at a time, column after column."""
    wanted = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    room = max_width - len(_GAP) * (len(wanted) - 1)
    if not max_width or sum(wanted) <= room or room < len(wanted):
        return wanted
    widths = [0] * len(wanted)
    column = 0
    while room > 0:
        if widths[column] < wanted[column]:
            widths[column] += 1
            room -= 1
        column = (column + 1) % len(wanted)
    return widths


def _wrapped_row(row: Sequence[str], widths: Sequence[int]) -> list[list[str]]:
    cells = [
        textwrap.wrap(cell, width) if cell.strip() else [""] for cell, width in zip(row, widths)
    ]
    height = max(len(cell) for cell in cells)
    cells = [cell + [""] * (height - len(cell)) for cell in cells]
    return [list(line) for line in zip(*cells)]


def _centered(text: str, width: int) -> str:
    """Centred, the odd space going to the right."""
    left = (width - len(text)) // 2
    return " " * left + text.ljust(width - left)
