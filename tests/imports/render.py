"""Render a plain-text document to a multi-page PDF, as a firm's report would be.

Test helper for the importer: the PDF carries what real reports carry and what text
extraction then returns mixed into the body, namely a running header and a page footer
on every page (CSS @page margin boxes), and words hyphenated by the layout
(`hyphens: auto` with `lang="sv"`, hyphenated with a plain "-" as Word does).

Layout of the text:

- a form feed ("\\f", as pdftotext writes between pages) starts a new page;
- blank lines separate paragraphs;
- inside a paragraph every line stays a line of its own; a line longer than the text
  column wraps, and that is where WeasyPrint hyphenates. A narrower `width_mm` wraps and
  hyphenates more lines.

Local only: DejaVu from the installed fonts and a URL fetcher that refuses every URL,
so rendering never makes a request. Needs no Django settings.
"""

from __future__ import annotations

import html
from typing import Literal

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

Footer = Literal["sida", "number"]

# A4 is 210 mm wide; the left margin is fixed, the right one takes up the rest.
PAGE_WIDTH_MM = 210
LEFT_MARGIN_MM = 20
MIN_RIGHT_MARGIN_MM = 10

_FOOTERS: dict[str, str] = {
    # "Sida 3 av 7"
    "sida": '"Sida " counter(page) " av " counter(pages)',
    # a lone page number
    "number": "counter(page)",
}


class _NoNetwork(URLFetcher):
    """Refuses every resource: the documents use none, and tests make no requests."""

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        raise ValueError(f"render_pdf fetches nothing: {url}")


def _css_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def _css(header: str | None, width_mm: int, footer: Footer) -> str:
    if footer not in _FOOTERS:
        raise ValueError(f"footer must be one of {sorted(_FOOTERS)}, not {footer!r}")
    right = PAGE_WIDTH_MM - LEFT_MARGIN_MM - width_mm
    if right < MIN_RIGHT_MARGIN_MM:
        raise ValueError(
            f"width_mm={width_mm} leaves less than {MIN_RIGHT_MARGIN_MM} mm on an A4 page"
        )
    # Margin boxes take no selector lists: each carries its own font.
    small = 'font-family: "DejaVu Sans"; font-size: 8pt;'
    top = f"@top-left {{ content: {_css_string(header)}; {small} }}" if header else ""
    return f"""
@page {{
  size: A4;
  margin: 25mm {right}mm 25mm {LEFT_MARGIN_MM}mm;
  {top}
  @bottom-right {{ content: {_FOOTERS[footer]}; {small} }}
}}
html {{ font-family: "DejaVu Sans"; font-size: 10pt; line-height: 1.35; }}
body {{ margin: 0; hyphens: auto; hyphenate-character: "-"; text-align: left; }}
p {{ margin: 0 0 0.8em 0; orphans: 2; widows: 2; }}
section + section {{ break-before: page; }}
"""


def _body(text: str) -> str:
    sections = []
    for page in text.replace("\r\n", "\n").split("\f"):
        paragraphs = []
        block: list[str] = []
        for line in [*page.split("\n"), ""]:
            if line.strip():
                block.append(html.escape(line.strip()))
            elif block:
                paragraphs.append("<p>" + "<br>".join(block) + "</p>")
                block = []
        if paragraphs:
            sections.append("<section>\n" + "\n".join(paragraphs) + "\n</section>")
    return "\n".join(sections)


def render_pdf(
    text: str,
    *,
    header: str | None = None,
    width_mm: int = 170,
    footer: Footer = "sida",
) -> bytes:
    """`text` as an A4 PDF: `header` at the top left of every page, a page footer
    ("Sida N av M", or the lone number with footer="number") at the bottom right, text
    column `width_mm` wide, Swedish hyphenation."""
    document = (
        '<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8">'
        f"<style>{_css(header, width_mm, footer)}</style></head>"
        f"<body>\n{_body(text)}\n</body></html>"
    )
    return HTML(string=document, url_fetcher=_NoNetwork()).write_pdf()
