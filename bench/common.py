"""Helpers shared by the bench scripts: where the data is, and writing a section of bench/RESULTS.md."""

from __future__ import annotations

import contextlib
import os
import platform
import re
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DOCSEARCH_SHARED", ROOT.parent / "shared"))
RESULTS = ROOT / "bench" / "RESULTS.md"
sys.path.insert(0, str(ROOT))


@contextlib.contextmanager
def settings(**env: str):
    """docsearch settings set through the environment (DOCSEARCH_RANKER="fusion", …) for the duration; the previous
    values come back after, and the settings cache is cleared both ways."""
    from docsearch.config import get_settings

    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    get_settings.cache_clear()
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        get_settings.cache_clear()


def machine() -> str:
    return f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, {date.today().isoformat()}"


def write_section(name: str, command: str, body: str) -> None:
    """Replace (or add) the section `name` of RESULTS.md, keeping the others."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n\nEach section is written by the command shown in it; numbers come from one run on the machine named.\n"
    block = f"<!-- {name} -->\n## {name}\n\nCommand: `{command}` — {machine()}\n\n{body.strip()}\n<!-- /{name} -->\n"
    pattern = re.compile(rf"<!-- {re.escape(name)} -->.*?<!-- /{re.escape(name)} -->\n", re.S)
    text = pattern.sub(lambda _m: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block
    RESULTS.write_text(text, encoding="utf-8")
    print(block)


def percentiles(values: list[float]) -> tuple[float, float, float]:
    import numpy as np

    a = np.asarray(values)
    return float(np.percentile(a, 50)), float(np.percentile(a, 95)), float(np.percentile(a, 99))


def start_server(index: str | Path) -> tuple[object, str]:
    """Start `uvicorn api.main:app` on a free loopback port over `index`; returns (process, base URL)."""
    from tests.servers import start_api

    return start_api(Path(index), {})
