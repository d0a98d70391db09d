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
    ("Scan page throughput, c=32 (page cache)", "scan_page_throughput_ratio", "scan_page_rps", "scan_floor_rps",
     "req/s", 0.6),
    ("Scan p99, c=32 (page cache; ours/floor, lower better)", "scan_page_p99_ratio", "scan_page_p99_ms",
     "scan_floor_p99_ms", "ms", None),
    ("Scan page throughput, c=32 (no page cache)", "scan_page_throughput_ratio_uncached", "scan_page_rps_uncached",
     "scan_floor_rps", "req/s", None),
    ("Scan p99, c=32 (no page cache; ours/floor)", "scan_page_p99_ratio_uncached", "scan_page_p99_ms_uncached",
     "scan_floor_p99_ms", "ms", None),
    ("Reindex (docs/s, ours/best upload floor)", "reindex_ratio", "reindex_docs_per_s", "reindex_floor_docs_per_s",
     "docs/s", 0.9),
    ("Tag sheet (renderer floor / ours)", "tag_sheet_ratio", "tag_sheet_tags_per_s", "tag_sheet_floor_tags_per_s",
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
    if "reindex_floor_batch_seconds" in results:
        lines += [
            "",
            f"Reindex floors: one batch {results['reindex_floor_batch_seconds']:.1f} s, "
            f"parallel chunks {results['reindex_floor_chunked_seconds']:.1f} s (the best is the floor).",
        ]
    keys = (
        "search_errors", "search_floor_errors", "scan_errors", "scan_floor_errors", "scan_errors_uncached",
        "scan_floor_errors_uncached",
    )  # fmt: skip
    errors = {key: results[key] for key in keys if key in results}
    if errors:
        lines += ["", "Errors (connection or non-2xx): " + ", ".join(f"{k} {int(v)}" for k, v in errors.items())]
    if "scale_reindex_s" in results:
        lines += [
            "",
            f"Scale ({int(results['scale_size']):,} products): "
            f"reindex {results['scale_reindex_s']:.0f} s ({results['scale_reindex_ratio']:.2f} of the chunked floor), "
            f"Meilisearch database {results['scale_index_bytes'] / 2**20:,.0f} MiB, "
            f"search p99 ratio {results['scale_search_p99_ratio']:.2f}, "
            f"scan page throughput ratio {results['scale_scan_page_throughput_ratio']:.3f}, "
            f"errors {int(results['scale_errors'])} (floors {int(results['scale_floor_errors'])})",
        ]
    if "tag_sheet_200_seconds" in results:
        lines += ["", f"A 200-tag sheet (9 A4 pages) renders in {results['tag_sheet_200_seconds']:.1f} s."]
    lines += ["", f"Total time: {results.get('total_seconds', 0):.0f} s"]
    return "\n".join(lines)
