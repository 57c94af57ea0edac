"""Bar charts as SVG, drawn on the server.

The same chart goes into a page and into a PDF, so it is plain SVG with no script and
no web font. A chart never stands alone: callers show the same figures as a table
(for screen readers, and for anyone who wants the numbers), and each bar carries its
value in words next to it, so colour is never the only carrier of meaning.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

FONT = "DejaVu Sans, sans-serif"
# Dark enough against white for WCAG AA non-text contrast (3:1) and beyond.
DEFAULT_COLOUR = "#1f5f8b"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    # What is written at the bar's end, e.g. "12" or "45 %".
    shown: str
    colour: str = DEFAULT_COLOUR


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    maximum: float | None = None,
    width: int = 480,
    label_width: int = 170,
    bar_height: int = 18,
    gap: int = 8,
    value_width: int = 70,
) -> str:
    """A horizontal bar chart; bars grow from a common baseline to `maximum`."""
    top = max((bar.value for bar in bars), default=0)
    scale_to = maximum if maximum is not None else top
    plot_width = width - label_width - value_width
    height = max(len(bars), 1) * (bar_height + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label={quoteattr(title)} '
        f'font-family="{FONT}" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    for index, bar in enumerate(bars):
        y = gap + index * (bar_height + gap)
        length = 0.0 if scale_to <= 0 else plot_width * max(bar.value, 0) / scale_to
        middle = y + bar_height / 2 + 4
        parts.append(
            f'<text x="{label_width - 6}" y="{middle:.1f}" text-anchor="end" fill="#1a1a1a">'
            f"{escape(_fit(bar.label, label_width))}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" '
            f'fill="{escape(bar.colour)}" stroke="#1a1a1a" stroke-width="0.5"/>'
        )
        parts.append(
            f'<text x="{label_width + length + 5:.1f}" y="{middle:.1f}" fill="#1a1a1a">'
            f"{escape(bar.shown)}</text>"
        )
    parts.append(
        f'<line x1="{label_width}" y1="{gap / 2}" x2="{label_width}" y2="{height - gap / 2}" '
        'stroke="#1a1a1a" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def data_uri(svg: str) -> str:
    """The SVG as a data: URL, for an <img> with alt text (how PDFs tag figures)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def _fit(label: str, width: int) -> str:
    # About 6.5 px a character at 11 px DejaVu Sans; cut long labels with an ellipsis
    # rather than let them run into the bars (the table beside has them in full).
    room = max(int(width / 6.5) - 1, 4)
    return label if len(label) <= room else label[: room - 1] + "…"


# Several series: grouped bars (one bar per series in each group) and stacked bars (one
# bar per row, a segment per series). A legend names each series in words; each bar or
# segment also carries its value, so colour still never stands alone.


@dataclass(frozen=True)
class Series:
    label: str
    colour: str = DEFAULT_COLOUR


def _legend(series: Sequence[Series], x0: int, y: int, width: int) -> tuple[list[str], int]:
    """Swatches with their words, wrapped to `width`; returns the parts and the height."""
    parts: list[str] = []
    x, line = x0, 0
    for item in series:
        room = 14 + 6 + int(len(item.label) * 6.5) + 16
        if x + room > width and x > x0:
            x, line = x0, line + 1
        top = y + line * 18
        parts.append(
            f'<rect x="{x}" y="{top}" width="12" height="12" fill="{escape(item.colour)}" '
            'stroke="#1a1a1a" stroke-width="0.5"/>'
        )
        parts.append(
            f'<text x="{x + 17}" y="{top + 10}" fill="#1a1a1a">{escape(item.label)}</text>'
        )
        x += room
    return parts, (line + 1) * 18 + 6 if series else 0


def _open(width: int, height: int, title: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label={quoteattr(title)} '
        f'font-family="{FONT}" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]


def grouped_bar_chart(
    groups: Sequence[tuple[str, Sequence[Bar]]],
    *,
    title: str,
    series: Sequence[Series] = (),
    maximum: float | None = None,
    width: int = 520,
    label_width: int = 150,
    bar_height: int = 14,
    gap: int = 3,
    group_gap: int = 12,
) -> str:
    """Horizontal bars in groups (e.g. per year: within 12 months, within 24, to date).

    The group's label stands left of its first bar; each bar writes its value (and, in
    `shown`, what it counts) at its end.
    """
    top = max((bar.value for _, bars in groups for bar in bars), default=0)
    scale_to = maximum if maximum is not None else top
    value_width = 120
    plot_width = width - label_width - value_width
    legend, legend_height = _legend(series, label_width, 4, width)
    rows = sum(len(bars) for _, bars in groups)
    body = rows * (bar_height + gap) + max(len(groups), 1) * group_gap
    height = legend_height + body + group_gap
    parts = _open(width, height, title) + legend
    y = legend_height + group_gap
    for label, bars in groups:
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height / 2 + 4:.1f}" text-anchor="end" '
            f'fill="#1a1a1a">{escape(_fit(label, label_width))}</text>'
        )
        for bar in bars:
            length = 0.0 if scale_to <= 0 else plot_width * max(bar.value, 0) / scale_to
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" '
                f'fill="{escape(bar.colour)}" stroke="#1a1a1a" stroke-width="0.5"/>'
            )
            parts.append(
                f'<text x="{label_width + length + 5:.1f}" y="{y + bar_height / 2 + 4:.1f}" '
                f'fill="#1a1a1a">{escape(bar.shown)}</text>'
            )
            y += bar_height + gap
        y += group_gap
    parts.append(
        f'<line x1="{label_width}" y1="{legend_height + group_gap / 2}" x2="{label_width}" '
        f'y2="{height - group_gap / 2}" stroke="#1a1a1a" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar_chart(
    rows: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str,
    series: Sequence[Series],
    width: int = 520,
    label_width: int = 90,
    bar_height: int = 20,
    gap: int = 8,
) -> str:
    """One horizontal bar per row, a segment per series in the legend's order.

    A segment wide enough shows its count inside it (in black or white, whichever
    contrasts with its fill); each bar's total is written at its end.
    """
    totals = [sum(values) for _, values in rows]
    top = max(totals, default=0)
    value_width = 50
    plot_width = width - label_width - value_width
    legend, legend_height = _legend(series, label_width, 4, width)
    height = legend_height + max(len(rows), 1) * (bar_height + gap) + gap
    parts = _open(width, height, title) + legend
    for index, (label, values) in enumerate(rows):
        y = legend_height + gap + index * (bar_height + gap)
        middle = y + bar_height / 2 + 4
        parts.append(
            f'<text x="{label_width - 6}" y="{middle:.1f}" text-anchor="end" fill="#1a1a1a">'
            f"{escape(_fit(label, label_width))}</text>"
        )
        x = float(label_width)
        for item, value in zip(series, values, strict=True):
            length = 0.0 if top <= 0 else plot_width * max(value, 0) / top
            if length <= 0:
                continue
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{bar_height}" '
                f'fill="{escape(item.colour)}" stroke="#ffffff" stroke-width="1"/>'
            )
            text = f"{value:g}"
            if length >= len(text) * 7 + 4:
                parts.append(
                    f'<text x="{x + length / 2:.1f}" y="{middle:.1f}" text-anchor="middle" '
                    f'fill="{_ink_on(item.colour)}">{escape(text)}</text>'
                )
            x += length
        parts.append(
            f'<text x="{x + 5:.1f}" y="{middle:.1f}" fill="#1a1a1a">{totals[index]:g}</text>'
        )
    parts.append(
        f'<line x1="{label_width}" y1="{legend_height + gap / 2}" x2="{label_width}" '
        f'y2="{height - gap / 2}" stroke="#1a1a1a" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _ink_on(colour: str) -> str:
    """Black or white text, whichever contrasts more with the fill `colour` (#rrggbb)."""
    try:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    except ValueError:
        return "#1a1a1a"
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#1a1a1a" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"
