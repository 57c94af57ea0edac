"""What the two measuring harnesses share: `measure.py` (reports) and
`measure_responses.py` (responses).

Here: how a document is prepared as a text file or a PDF (`Layout`, `pdf_source`,
`document_bytes`), a check and the string helpers the comparisons use (`Check`, `plain`,
`similarity`), how the reader is imported (`import_reader`), and the score table both
harnesses print (`run`, `score_table`). What is compared, and how, stays in each
harness.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

KINDS = ("text", "pdf")

# The checks of one document read as one kind, and the error if the reader failed.
Measure = Callable[[str, str], tuple[list["Check"], str | None]]


# -- the documents ---------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """How a document is rendered to PDF."""

    header: str | None  # the PDF's running header (None: no header)
    footer: str  # render_pdf's footer: "sida" ("Sida N av M") or "number"
    width_mm: int  # text column; narrower wraps and hyphenates more lines
    # Running header/footer lines the text file already has (as text extraction left
    # them), as regular expressions matching a whole stripped line: dropped before
    # rendering, since the PDF gets its own.
    page_lines: tuple[str, ...] = ()


def pdf_source(text: str, layout: Layout) -> str:
    """The text file without its running header/footer lines, for rendering."""
    patterns = [re.compile(pattern) for pattern in layout.page_lines]
    kept = []
    for line in text.split("\n"):
        # A page's first line carries pdftotext's form feed; keep the page break.
        feed = "\f" if line.startswith("\f") else ""
        if any(pattern.fullmatch(line.strip("\f").strip()) for pattern in patterns):
            if feed:
                kept.append(feed)
            continue
        kept.append(line)
    return "\n".join(kept).replace("\f\n", "\f")


def document_bytes(text: str, kind: str, layout: Layout) -> bytes:
    """The upload: the text file as UTF-8, or the PDF rendered from it."""
    if kind == "text":
        return text.encode("utf-8")
    if kind == "pdf":
        from tests.imports.render import render_pdf

        return render_pdf(
            pdf_source(text, layout),
            header=layout.header,
            width_mm=layout.width_mm,
            footer=layout.footer,  # type: ignore[arg-type]
        )
    raise ValueError(f"kind must be one of {KINDS}: {kind!r}")


def import_reader(*names: str) -> list[ModuleType]:
    """The reader's modules (`audits.importing…`), imported."""
    from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured

    try:
        return [importlib.import_module(name) for name in names]
    except (AppRegistryNotReady, ImproperlyConfigured):
        # Only if the reader comes to need Django's app registry; it should not.
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
        django.setup()
        return [importlib.import_module(name) for name in names]


# -- the comparison --------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    field: str
    ok: bool
    expected: Any
    actual: Any
    note: str = ""

    def describe(self) -> str:
        note = f" ({self.note})" if self.note else ""
        return f"{self.field}: expected {self.expected!r}, got {self.actual!r}{note}"


def all_wrong(checks: list[Check]) -> list[Check]:
    """The checks as they count when the reader failed: each wrong, nothing read."""
    return [Check(check.field, False, check.expected, None) for check in checks]


def plain(value: Any) -> str:
    """Unicode NFC, whitespace collapsed, case folded."""
    text = unicodedata.normalize("NFC", str(value or ""))
    return " ".join(text.split()).casefold()


def similarity(a: str, b: str) -> float:
    """difflib's similarity of two strings (autojunk off)."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


# -- the table -------------------------------------------------------------------------


def run(
    argv: list[str] | None,
    *,
    description: str,
    stems: Callable[[], list[str]],
    measure: Measure,
    verbose_help: str,
) -> int:
    """A harness's command line: the score table of the documents named (default: all)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("stems", nargs="*", help="documents to measure (default: all)")
    parser.add_argument("--kind", choices=KINDS, action="append", help="text or pdf (both)")
    parser.add_argument("-v", "--verbose", action="store_true", help=verbose_help)
    options = parser.parse_args(argv)
    chosen = options.stems or stems()
    unknown = sorted(set(chosen) - set(stems()))
    if unknown:
        parser.error(f"no such document: {', '.join(unknown)}")
    score_table(chosen, options.kind or list(KINDS), measure, verbose=options.verbose)
    return 0


def score_table(
    chosen: list[str], kinds: Sequence[str], measure: Measure, *, verbose: bool
) -> None:
    """Print checks right / checks made per document and kind, and the totals; then the
    documents the reader failed on, and with `verbose` the wrong checks."""
    width = max(len(stem) for stem in chosen) + 2
    print("document".ljust(width) + "".join(kind.rjust(10) for kind in kinds))
    totals = {kind: [0, 0] for kind in kinds}
    details = []
    for stem in chosen:
        row = stem.ljust(width)
        for kind in kinds:
            checks, error = measure(stem, kind)
            right = sum(check.ok for check in checks)
            totals[kind][0] += right
            totals[kind][1] += len(checks)
            row += f"{right}/{len(checks)}".rjust(10)
            wrong = [check for check in checks if not check.ok]
            if error or wrong:
                details.append((stem, kind, error, wrong))
        print(row)
    print("total".ljust(width) + "".join(f"{r}/{t}".rjust(10) for r, t in totals.values()))

    for stem, kind, error, wrong in details:
        if error:
            print(f"\n{stem} ({kind}): the reader failed: {error}")
        elif verbose:
            print(f"\n{stem} ({kind}): {len(wrong)} wrong")
            for check in wrong:
                print(f"  - {check.describe()}")
