"""Charts drawn on the server (pygal → SVG inline in the page): no JavaScript, nothing fetched from a
CDN, Chinese labels in the console's own fonts. pygal's SVG would load its tooltip script from
kozea.github.io and carry an inline config script: both are turned off or removed."""

from __future__ import annotations

import re
import sys

import pygal
from markupsafe import Markup, escape
from pygal.style import Style

# pygal appends a legacy importer to sys.meta_path for its old "pygal.maps.*" plugin names. It has
# no find_spec, which breaks importlib-based loading elsewhere in the process (pytest's
# --import-mode=importlib fails on every module collected after pygal). We draw no maps: take it out.
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"]

FONTS = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif'
STYLE = Style(background="#ffffff", plot_background="#ffffff", foreground="#1f2328", foreground_strong="#1f2328",
              foreground_subtle="#5b6470", font_family=FONTS, label_font_size=13, major_label_font_size=13,
              legend_font_size=14, title_font_size=17, value_font_size=13, tooltip_font_size=13,
              no_data_font_size=22,
              colors=("#9f1d20", "#0b57a4", "#067647", "#b54708", "#6941c6", "#5b6470"))

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _config(title: str, empty: str = "本月无数据", **options) -> dict:
    return dict(title=title, js=[], disable_xml_declaration=True, style=STYLE, width=620, height=340,
                print_values=True, print_zeroes=False, legend_at_bottom=True, legend_at_bottom_columns=3,
                no_data_text=empty, truncate_label=-1, truncate_legend=-1, margin=14, margin_bottom=40, order_min=0, **options)


def _svg(chart, title: str) -> Markup:
    svg = chart.render(is_unicode=True)
    svg = _COMMENT.sub("", _SCRIPT.sub("", svg))
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
    return Markup(svg)


def _wide_label_room(labels: list[str]) -> int:
    """pygal sizes the axis labels' room as 0.6 em a character; a Chinese character takes a whole em.
    The extra left margin a horizontal chart needs so its labels (on the left) are not cut off."""
    wide = max((sum(1 for ch in label if ord(ch) >= 0x2E80) for label in labels), default=0)
    return int(wide * 0.45 * STYLE.label_font_size + 0.5)


def bars(title: str, labels: list[str], series: dict[str, list[float | int]], *, stacked: bool = False,
         horizontal: bool = False, empty: str = "本月无数据") -> Markup:
    """One group of bars per label, one bar (or stacked segment) per series; horizontal bars are
    listed from the top in the order given."""
    kind = {(False, False): pygal.Bar, (True, False): pygal.StackedBar,
            (False, True): pygal.HorizontalBar, (True, True): pygal.HorizontalStackedBar}[(stacked, horizontal)]
    room = {"margin_left": 14 + _wide_label_room(labels)} if horizontal else {}
    chart = kind(**_config(title, empty, show_legend=len(series) > 1, **room))
    if horizontal:  # pygal draws the first label at the bottom: read from the top, in the given order
        labels, series = labels[::-1], {name: list(values)[::-1] for name, values in series.items()}
    chart.x_labels = labels
    empty = not labels or all(not any(v for v in values) for values in series.values())
    if not empty:
        for name, values in series.items():
            chart.add(name, values)
    return _svg(chart, title)


def pie(title: str, parts: dict[str, int], *, empty: str = "本月无数据") -> Markup:
    chart = pygal.Pie(**_config(title, empty, inner_radius=0.45))
    for name, value in parts.items():
        if value:
            chart.add(name, value)
    return _svg(chart, title)
