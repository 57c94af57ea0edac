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
) -> str:
    """A horizontal bar chart; bars grow from a common baseline to `maximum`."""
    top = max((bar.value for bar in bars), default=0)
    scale_to = maximum if maximum is not None else top
    value_width = 70
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
