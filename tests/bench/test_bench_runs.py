"""The benchmark's own paths, run end to end on a tiny catalog so a broken path shows in the suite, not at 1M."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import load

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.xdist_group("bench"),
    pytest.mark.skipif(not load.wrk_available() and not os.environ.get("CI"), reason="wrk is not installed"),
]


def test_quick_and_scale_paths_report_every_figure_without_errors(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--size", "300", "--scale", "--scale-size", "400", "--seconds", "1",
         "--sheet-tags", "30", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-3000:]
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    for key in (
        "reindex_ratio", "reindex_floor_batch_seconds", "reindex_floor_chunked_seconds", "search_throughput_ratio",
        "tag_sheet_ratio", "tag_sheet_floor_seconds",
        "search_p50_ratio_c1", "scan_page_throughput_ratio", "tag_sheet_tags_per_s", "workers",
        "scale_reindex_s", "scale_index_bytes", "scale_search_p99_ratio", "scale_scan_page_throughput_ratio",
        "scan_page_p99_ratio_cached", "scan_page_throughput_ratio_uncached", "scan_page_p99_ratio_uncached",
    ):  # fmt: skip
        assert report[key] > 0, key
    assert report["reindex_floor_seconds"] == min(
        report["reindex_floor_batch_seconds"], report["reindex_floor_chunked_seconds"]
    )
    for key in (
        "search_errors", "search_floor_errors", "scan_errors", "scan_floor_errors", "scan_errors_uncached",
        "scan_floor_errors_uncached", "scale_errors",
    ):  # fmt: skip
        assert report[key] == 0, key
    assert "Scale (400 products)" in (tmp_path / "report.md").read_text(encoding="utf-8")
