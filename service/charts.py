"""Indicators → SVG charts (pygal), rendered on the server with no script; each chart comes with its data table.

A chart never computes a number: it draws what catalog.indicators returned. Words arrive translated.
"""

import re
import sys
from dataclasses import dataclass
from html import escape

import pygal
from pygal.style import Style

from catalog.indicators import Indicator

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1b1f1c",
    foreground_strong="#1b1f1c",
    foreground_subtle="#5d6b62",
    colors=("#1d6b3a", "#a3261d", "#5d6b62"),
    opacity="1",
    opacity_hover="1",
    guide_stroke_color="#c9d3cc",
    major_guide_stroke_color="#9aa79e",
    font_family="system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=13,
    legend_font_size=13,
)
WIDTH, HEIGHT = 720, 300
# pygal appends a legacy import hook for its map plugins (unused here) that makes every failed import in the process
# raise ImportWarning on Python 3.11+; take it back out.
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"]
# pygal always embeds a config script for its (unused) tooltips, and credits in comments: neither may reach a page.
SCRIPT_OR_COMMENT = re.compile(r"<script\b.*?</script>|<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class Chart:
    """An inline SVG and the table that says the same in words and numbers."""

    svg: str
    caption: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]


def _config(chart: pygal.graph.graph.Graph) -> None:
    chart.config.js = []  # pygal links its tooltip script from a CDN unless told not to
    chart.config.disable_xml_declaration = True
    chart.config.show_legend = True
    chart.config.legend_at_bottom = True
    chart.config.pretty_print = False
    chart.config.print_values = False
    chart.config.explicit_size = False


def _svg(chart: pygal.graph.graph.Graph, caption: str) -> str:
    svg = SCRIPT_OR_COMMENT.sub("", chart.render(is_unicode=True))
    # The table next to the chart carries the numbers; the image names itself for screen readers.
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(caption)}" ', 1)


def bag_share(months: list[Indicator], *, caption: str, share_name: str, target_name: str, month_name: str) -> Chart:
    """Month by month, the share of target stores without free hard-to-degrade bags, against the plan's line."""
    chart = pygal.Line(
        width=WIDTH,
        height=HEIGHT,
        style=STYLE,
        range=(0, 100),
        dots_size=3,
        x_label_rotation=30,
        stroke_style={"width": 3},
    )
    _config(chart)
    chart.x_labels = [m.key for m in months]
    chart.value_formatter = lambda v: f"{v:.0f}%"
    chart.add(share_name, [None if m.value is None else round(m.value * 100, 1) for m in months])
    if any(m.target is not None for m in months):
        chart.add(
            target_name,
            [None if m.target is None else m.target * 100 for m in months],
            show_dots=False,
            stroke_style={"width": 3, "dasharray": "8, 5"},
        )
    rows = [
        (
            m.key,
            "–" if m.value is None else f"{m.value * 100:.0f}%",
            f"{m.numerator}/{m.denominator}",
            "–" if m.target is None else f"{m.target * 100:.0f}%",
        )
        for m in months
    ]
    return Chart(_svg(chart, caption), caption, (month_name, share_name, "n", target_name), rows)


def bars(labels: list[str], values: list[int], *, caption: str, series: str, label_name: str) -> Chart:
    """A plain bar chart of counts (OCOP products by stars, scans per week)."""
    chart = pygal.Bar(width=WIDTH, height=HEIGHT, style=STYLE, show_legend=False)
    _config(chart)
    chart.show_legend = False
    chart.x_labels = labels
    chart.add(series, values)
    return Chart(
        _svg(chart, caption),
        caption,
        (label_name, series),
        [(label, str(v)) for label, v in zip(labels, values, strict=True)],
    )
