"""The benchmark report: JSON for machines, a Markdown table for people."""

import json
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROWS = [
    ("Search throughput, c=32", "search_throughput_ratio", "search_rps_c32", "search_floor_rps_c32", "req/s", 0.6),
    ("Search p50, c=1 (ours/floor, lower better)", "search_p50_ratio_c1", "search_p50_ms_c1",
     "search_floor_p50_ms_c1", "ms", None),
    ("Search p99, c=32 (ours/floor, lower better)", "search_p99_ratio_c32", "search_p99_ms_c32",
     "search_floor_p99_ms_c32", "ms", None),
    ("Scan page throughput, c=32", "scan_page_throughput_ratio", "scan_page_rps", "scan_floor_rps", "req/s", 0.6),
    ("Scan p99, c=32 (ours/floor, lower better)", "scan_page_p99_ratio", "scan_page_p99_ms", "scan_floor_p99_ms",
     "ms", None),
    ("Reindex (docs/s, ours/one-batch floor)", "reindex_ratio", "reindex_docs_per_s", "reindex_floor_docs_per_s",
     "docs/s", 0.8),
    ("Tag sheet, 1,000 tags (QR-only time / sheet time)", "tag_sheet_ratio", "tag_sheet_tags_per_s", None,
     "tags/s", None),
]  # fmt: skip


def write(results: dict[str, Any], folder: Path) -> None:
    """var/bench/report.json and report.md."""
    stamped = {**results, "machine": f"{platform.node()} {platform.machine()}", "at": datetime.now(UTC).isoformat()}
    (folder / "report.json").write_text(json.dumps(stamped, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    (folder / "report.md").write_text(table(results) + "\n", encoding="utf-8")


def table(results: dict[str, Any]) -> str:
    """A Markdown table of the ratios with the absolute figures they come from."""
    lines = [
        f"Green Shelf benchmarks — {int(results['catalog_size']):,} products, {int(results['workers'])} app worker(s), "
        f"{results.get('database', 'sqlite')}",
        "",
        "| benchmark | ratio | ours | floor | target |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for title, ratio, ours, floor, unit, target in ROWS:
        if ratio not in results:
            continue
        floor_text = f"{results[floor]:,.1f} {unit}" if floor else "—"
        lines.append(
            f"| {title} | {results[ratio]:.2f} | {results[ours]:,.1f} {unit} | {floor_text} | "
            f"{'≥ ' + str(target) if target else '—'} |"
        )
    if "scale_reindex_seconds" in results:
        lines += [
            "",
            f"Scale ({int(results.get('scale_size', 1_000_000)):,} products): "
            f"reindex {results['scale_reindex_seconds']:.0f} s, "
            f"index {results['scale_index_bytes'] / 2**20:,.0f} MiB, "
            f"search p99 ratio {results['scale_search_p99_ratio_c32']:.2f}",
        ]
    if "tag_sheet_200_seconds" in results:
        lines += ["", f"A 200-tag sheet (9 A4 pages) renders in {results['tag_sheet_200_seconds']:.1f} s."]
    lines += ["", f"Total time: {results.get('total_seconds', 0):.0f} s"]
    return "\n".join(lines)
