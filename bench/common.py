"""What the benchmark scripts share: a free loopback port, and the report they print and keep."""

from __future__ import annotations

import socket
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def report(lines: list[str], name: str | None) -> str:
    """Print the lines; keep them as bench/results/<name>.txt unless name is None (quick mode)."""
    text = "\n".join(lines)
    print(text)
    if name is not None:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"{name}.txt").write_text(text + "\n")
    return text
