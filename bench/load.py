"""HTTP load on loopback with wrk: bounded in time, parsed into throughput and latency percentiles."""

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).with_name("requests.lua")


@dataclass(frozen=True)
class Request:
    """One request of a mix; `body` makes it a POST with JSON."""

    method: str
    path: str
    body: str | None = None


@dataclass(frozen=True)
class LoadResult:
    """Throughput and latency of one wrk run."""

    requests: int
    seconds: float
    errors: int
    non_2xx: int
    p50_ms: float
    p99_ms: float

    @property
    def throughput(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_available() -> bool:
    """True when Debian's wrk is installed."""
    return shutil.which("wrk") is not None


def run(
    base_url: str,
    mix: list[Request],
    *,
    connections: int,
    seconds: int,
    threads: int = 2,
    bearer: str | None = None,
    content_type: str | None = None,
) -> LoadResult:
    """Drive `mix` against `base_url` with wrk for `seconds` (loopback only), and parse its summary."""
    if not base_url.startswith(("http://127.", "http://localhost")):
        raise ValueError(f"benchmarks only load loopback addresses, not {base_url}")
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False, encoding="utf-8") as file:
        for item in mix:
            file.write(f"{item.method}\t{item.path}\t{item.body or ''}\n")
        mix_path = file.name
    env = {**os.environ, "BENCH_AUTH": bearer or "", "BENCH_CONTENT_TYPE": content_type or ""}
    try:
        completed = subprocess.run(
            ["wrk", f"-t{min(threads, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
             "-s", str(SCRIPT), base_url, "--", mix_path],
            capture_output=True, text=True, check=True, env=env, timeout=seconds + 60,
        )  # fmt: skip
    finally:
        Path(mix_path).unlink(missing_ok=True)
    line = next(ln for ln in completed.stdout.splitlines() if ln.startswith("BENCH_JSON "))
    data = json.loads(line.removeprefix("BENCH_JSON "))
    return LoadResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        errors=data["errors"],
        non_2xx=data["non2xx"],
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
    )
