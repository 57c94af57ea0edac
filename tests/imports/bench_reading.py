"""How long reading a report takes: text extraction and the proposal, median of 7.

    DJANGO_DEBUG=1 .venv/bin/python -m tests.imports.bench_reading

The documents are the Norrbotten seed report as its text file, as a 21-page PDF
rendered from it, and the text repeated 20 times (a very long report); then two
responses: the Västerbotten seed and a held-out one with a table read row by row.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
REPORT = SEED / "norrbotten-1177-audit-report-2021.txt"
RESPONSE = "vasterbotten-1177-committee-response.txt"
HERE = Path(__file__).resolve().parent
TABLE = "set2-graberga-lakemedel-2025.txt"
RUNS = 7


def _median_ms(step: Callable[[], Any]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    django.setup()
    from audits.importing import propose_report, propose_response, read_document

    from .render import render_pdf

    text = REPORT.read_bytes()
    lines = "\n".join(line.text for line in read_document(text).lines)
    documents = {
        f"text file, {len(text) // 1000} kB": text,
        "PDF rendered from it": render_pdf(lines, header="Revisionsrapport", width_mm=120),
        f"text file, the seed 20 times ({len(text) * 20 // 1000} kB)": text * 20,
    }
    responses = {
        "response, per recommendation (seed)": (SEED / RESPONSE).read_bytes(),
        "response, a row-by-row table": (HERE / "responses" / "documents" / TABLE).read_bytes(),
    }
    print(f"{'document':<44} {'pages':>5} {'extract':>10} {'propose':>10}")
    for name, data in documents.items():
        _row(name, data, propose_report)
    for name, data in responses.items():
        _row(name, data, propose_response)


def _row(name: str, data: bytes, propose: Callable[[Any], Any]) -> None:
    from audits.importing import read_document

    source = read_document(data)
    pages = max((line.page or 1) for line in source.lines)
    extract = _median_ms(lambda: read_document(data))
    proposing = _median_ms(lambda: propose(source))
    print(f"{name:<44} {pages:>5} {extract:>8.0f} ms {proposing:>7.0f} ms")


if __name__ == "__main__":
    main()
