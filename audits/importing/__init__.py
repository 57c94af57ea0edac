"""Read published audit reports and board responses into proposals for review.

Rule-based and explainable: every value found carries the passage it came from, so
the review screen can show the source next to the field. Nothing here saves anything.

The proposals are plain dicts (JSON-ready, kept on a `ReportImport` until reviewed):

report (`propose_report`)::

    {"title", "region", "date", "firm", "questions", "overall_assessment",
     "recommendations", "response_deadline"}            # the issue's JSON shape, plus
    {"year": int|None, "consultants": [{"name", "title"}], "purpose": str|None,
     "issued_date": str|None,                           # the cover letter's date
     "scale": RatingScale.code|None, "addressee": str|None,
     "sources": {field: passage}}                       # for the review screen
    question: {"number", "text", "rating", "sub_questions", "source", "rating_source"}
    recommendation: {"number", "text", "body", "source"}   # body: addressee as written

response (`propose_response`)::

    {"title", "body", "date", "answers": [{"number", "recommendation", "text",
     "source"}], "narrative", "sources"}

A passage is {"text": str, "page": int|None}.
"""

from .report import propose_report, public_json
from .response import match_answers, propose_response
from .text import Source, UnreadableDocument, read_document

__all__ = [
    "Source",
    "UnreadableDocument",
    "match_answers",
    "propose_report",
    "propose_response",
    "public_json",
    "read_document",
]
