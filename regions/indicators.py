"""Targets against outcomes for a region's indicators, as rows and as an SVG chart.

A target holds from its year until a later target replaces it; each outcome is judged
against the target in force in the year its period starts.
"""

from __future__ import annotations

import bisect
import operator
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tracker.charts import FONT

from .models import Indicator, Outcome, Target

MET, MISSED, NO_TARGET = "#1d6b34", "#a34a00", "#5c6670"
_COMPARE = {
    Target.Comparator.AT_LEAST: operator.ge,
    Target.Comparator.AT_MOST: operator.le,
    Target.Comparator.MORE_THAN: operator.gt,
    Target.Comparator.LESS_THAN: operator.lt,
}


@dataclass(frozen=True)
class Row:
    period: str
    outcome: Decimal
    target: Target | None

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        return _COMPARE[self.target.comparator](Decimal(self.outcome), Decimal(self.target.value))

    @property
    def verdict(self) -> str:
        return {True: _("target met"), False: _("target not met"), None: _("no target")}[self.met]


def period_label(outcome: Outcome) -> str:
    start, end = outcome.period_start, outcome.period_end
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    if start.year == end.year and start.month == end.month:
        return start.strftime("%Y-%m")
    return f"{start.isoformat()}–{end.isoformat()}"


def rows(indicator: Indicator, targets: list[Target], outcomes: list[Outcome]) -> list[Row]:
    """One row per outcome, oldest first, with the target in force for it."""
    targets = sorted(targets, key=lambda t: t.year)
    years = [t.year for t in targets]

    def in_force(year: int) -> Target | None:
        index = bisect.bisect_right(years, year) - 1
        return targets[index] if index >= 0 else None

    return [
        Row(period_label(o), o.value, in_force(o.period_start.year))
        for o in sorted(outcomes, key=lambda o: o.period_start)
    ]


def amount(value: Decimal | int, unit: str) -> str:
    value = Decimal(value)
    shown = number_format(value.normalize() if value == value.to_integral() else value)
    return f"{shown} {unit}".strip()


def target_text(target: Target, unit: str) -> str:
    return f"{target.get_comparator_display()} {amount(target.value, unit)}"


def chart(indicator: Indicator, table: list[Row], *, width: int = 560) -> str:
    """Outcomes as bars, the target in force as a tick across each bar, and the verdict in
    words at the bar's end: colour is never the only carrier of meaning."""
    label_width, value_width, bar_height, gap = 90, 230, 18, 10
    plot = width - label_width - value_width
    top = max(
        [float(r.outcome) for r in table] + [float(r.target.value) for r in table if r.target],
        default=0.0,
    )
    top = top * 1.05 or 1.0
    height = max(len(table), 1) * (bar_height + gap) + gap
    title = _("%(indicator)s: outcome against target") % {"indicator": indicator.name}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label={quoteattr(title)} '
        f'font-family="{FONT}" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    for index, row in enumerate(table):
        y = gap + index * (bar_height + gap)
        middle = y + bar_height / 2 + 4
        length = plot * float(row.outcome) / top
        colour = {True: MET, False: MISSED, None: NO_TARGET}[row.met]
        shown = amount(row.outcome, indicator.unit)
        if row.target is not None:
            shown += f" ({target_text(row.target, indicator.unit)}: {row.verdict})"
        parts += [
            f'<text x="{label_width - 6}" y="{middle:.1f}" text-anchor="end" fill="#1a1a1a">'
            f"{escape(row.period)}</text>",
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" '
            f'fill="{colour}" stroke="#1a1a1a" stroke-width="0.5"/>',
            f'<text x="{label_width + plot + 6}" y="{middle:.1f}" fill="#1a1a1a">'
            f"{escape(shown)}</text>",
        ]
        if row.target is not None:
            x = label_width + plot * float(row.target.value) / top
            parts.append(
                f'<line x1="{x:.1f}" y1="{y - 3}" x2="{x:.1f}" y2="{y + bar_height + 3}" '
                'stroke="#1a1a1a" stroke-width="2" stroke-dasharray="3,2"/>'
            )
    parts.append(
        f'<line x1="{label_width}" y1="{gap / 2}" x2="{label_width}" y2="{height - gap / 2}" '
        'stroke="#1a1a1a" stroke-width="1"/></svg>'
    )
    return "".join(parts)
