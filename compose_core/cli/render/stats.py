"""One `stats` sample of a container in the words and units `docker stats` uses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_DECIMAL_UNITS = ("B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB")
_BINARY_UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB")


def decimal_size(size: float, precision: int = 3) -> str:
    """`1.98MB`, `746B`: powers of 1000, `precision` significant digits."""
    return _scaled(size, 1000.0, _DECIMAL_UNITS, precision)


def binary_size(size: float) -> str:
    """`588KiB`, `23.54GiB`: powers of 1024, four significant digits."""
    return _scaled(size, 1024.0, _BINARY_UNITS, 4)


def _scaled(size: float, base: float, units: tuple[str, ...], precision: int) -> str:
    unit = 0
    while size >= base and unit < len(units) - 1:
        size /= base
        unit += 1
    return f"{size:.{precision}g}{units[unit]}"


@dataclass(frozen=True)
class StatsRow:
    """What `stats --no-stream` prints for one container."""

    id: str
    name: str
    cpu_percent: float
    memory_usage: float
    memory_limit: float
    memory_percent: float
    net_rx: float
    net_tx: float
    block_read: float
    block_write: float
    pids: int

    def cells(self) -> list[str]:
        return [
            self.id[:12],
            self.name,
            f"{self.cpu_percent:.2f}%",
            f"{binary_size(self.memory_usage)} / {binary_size(self.memory_limit)}",
            f"{self.memory_percent:.2f}%",
            f"{decimal_size(self.net_rx)} / {decimal_size(self.net_tx)}",
            f"{decimal_size(self.block_read)} / {decimal_size(self.block_write)}",
            str(self.pids),
        ]

    def record(self) -> dict[str, str]:
        """The JSON form, keys in the order the Docker CLI prints them."""
        cells = self.cells()
        return {
            "BlockIO": cells[6],
            "CPUPerc": cells[2],
            "Container": self.id,
            "ID": cells[0],
            "MemPerc": cells[4],
            "MemUsage": cells[3],
            "Name": self.name,
            "NetIO": cells[5],
            "PIDs": cells[7],
        }


def stats_row(ident: str, name: str, sample: Mapping[str, Any]) -> StatsRow:
    """Figures from one sample of the engine's stats call (its `precpu_stats` is the
    sample before, so CPU % is the share of the host's time between the two)."""
    memory = sample.get("memory_stats") or {}
    usage = _memory_usage(memory)
    limit = float(memory.get("limit") or 0)
    rx, tx = _network_bytes(sample.get("networks") or {})
    read, write = _block_bytes(sample.get("blkio_stats") or {})
    return StatsRow(
        id=ident,
        name=name,
        cpu_percent=cpu_percent(sample),
        memory_usage=usage,
        memory_limit=limit,
        memory_percent=usage / limit * 100 if limit else 0.0,
        net_rx=rx,
        net_tx=tx,
        block_read=read,
        block_write=write,
        pids=int((sample.get("pids_stats") or {}).get("current") or 0),
    )


def cpu_percent(sample: Mapping[str, Any]) -> float:
    now, before = sample.get("cpu_stats") or {}, sample.get("precpu_stats") or {}
    used = _total_usage(now) - _total_usage(before)
    system = float(now.get("system_cpu_usage") or 0) - float(before.get("system_cpu_usage") or 0)
    cpus = now.get("online_cpus") or len((now.get("cpu_usage") or {}).get("percpu_usage") or ())
    if used <= 0 or system <= 0:
        return 0.0
    return used / system * cpus * 100


def _total_usage(cpu: Mapping[str, Any]) -> float:
    return float((cpu.get("cpu_usage") or {}).get("total_usage") or 0)


def _memory_usage(memory: Mapping[str, Any]) -> float:
    """Usage less the page cache the kernel can drop (cgroup v1 and v2 name it apart)."""
    usage = float(memory.get("usage") or 0)
    details = memory.get("stats") or {}
    for key in ("total_inactive_file", "inactive_file"):
        cache = details.get(key)
        if cache is not None and cache < usage:
            return usage - cache
    return usage


def _network_bytes(networks: Mapping[str, Mapping[str, Any]]) -> tuple[float, float]:
    rx = sum(float(n.get("rx_bytes") or 0) for n in networks.values())
    tx = sum(float(n.get("tx_bytes") or 0) for n in networks.values())
    return rx, tx


def _block_bytes(blkio: Mapping[str, Any]) -> tuple[float, float]:
    read = write = 0.0
    for entry in blkio.get("io_service_bytes_recursive") or ():
        operation = str(entry.get("op", "")).lower()
        if operation == "read":
            read += float(entry.get("value") or 0)
        elif operation == "write":
            write += float(entry.get("value") or 0)
    return read, write
