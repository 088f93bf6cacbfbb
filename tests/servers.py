"""Servers the tests and the benchmarks start: the API under uvicorn, and a Milvus Lite server, each on a free
loopback port and stopped by the caller."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_api(index: Path, env: dict, workers: int = 1, log: Path | None = None) -> tuple[subprocess.Popen, str]:
    """`uvicorn api.main:app` with `workers` processes on a free loopback port (its output in `log`)."""
    import httpx

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1", "--port",
                             str(port), "--workers", str(workers)], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "DOCSEARCH_INDEX": str(index), **env},
                            stdout=subprocess.DEVNULL, stderr=open(log, "w") if log else subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(url + "/health", timeout=5).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise RuntimeError("the API process exited")
        time.sleep(0.5)
    proc.kill()
    raise RuntimeError("the API did not start")


def start_milvus_lite(data: Path) -> tuple[subprocess.Popen, str]:
    """A Milvus Lite server over the folder `data`; returns (process, URI) once it answers."""
    from docsearch.index.milvus import wait_for

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "milvus_lite", "server", "--data-dir", str(data), "--host",
                             "127.0.0.1", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    uri = f"http://127.0.0.1:{port}"
    try:
        wait_for(uri, 120)
    except BaseException:
        proc.kill()
        raise
    return proc, uri
