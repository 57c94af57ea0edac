"""Fill in a body's response form from its response document, for the secretary to review.

The document is read (audits.importing) into a proposal, its answers are matched to the
body's recommendations, and the ordinary response form is shown filled in but unsaved:
saving goes through response_edit and its validation like any other edit. Nothing is
stored here, not even the document.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from audits.importing import match_answers, propose_response
from tracker.pages import posted, posted_files

from ..forms import ResponseImportForm
from ..models import Recommendation, Response
from .responses import ResponsePage


@dataclass
class Proposal:
    """What the page tells the secretary about the document it was filled in from."""

    file_name: str
    per_recommendation: bool = False
    narrative: bool = False
    decision_date: datetime.date | None = None
    date_source: dict[str, Any] | None = None
    # Answers matched to a recommendation: recommendation pk -> the passage they came from.
    answer_sources: dict[int, dict[str, Any]] = field(default_factory=dict)
    # Answers in the document that match no recommendation, shown so none is lost.
    unmatched: list[dict[str, Any]] = field(default_factory=list)
    # The body's recommendations the document has no answer to.
    unanswered: list[Recommendation] = field(default_factory=list)


def _iso_date(value: object) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def propose(
    response: dict[str, Any], recommendations: list[Recommendation], file_name: str
) -> tuple[Proposal, dict[str, Any], dict[int, dict[str, Any]]]:
    """The proposal to show, the response form's initial values and the answer forms'
    (recommendation pk -> initial values)."""
    matches = match_answers(response, [(r.number, r.text) for r in recommendations])
    by_number = {r.number: r for r in recommendations}
    matched = {by_number[n].pk: answer for n, answer in matches.items() if n in by_number}
    proposal = Proposal(file_name=file_name)
    initial: dict[str, Any] = {}
    answers: dict[int, dict[str, Any]] = {}
    if matched:
        proposal.per_recommendation = True
        initial["kind"] = Response.Kind.PER_RECOMMENDATION
        # The stance is left to the secretary: the document states it only in prose.
        answers = {pk: {"text": answer["text"]} for pk, answer in matched.items()}
        proposal.answer_sources = {pk: answer["source"] for pk, answer in matched.items()}
        proposal.unanswered = [r for r in recommendations if r.pk not in matched]
    elif response.get("narrative"):
        proposal.narrative = True
        initial["kind"] = Response.Kind.NARRATIVE
        initial["narrative"] = response["narrative"]
    # Otherwise answers were found but none is to these recommendations (another audit's
    # response?): the form stays as it was, and the answers are listed below it.
    taken = list(matched.values())
    proposal.unmatched = [a for a in response.get("answers") or [] if a not in taken]
    decision_date = _iso_date(response.get("date"))
    if decision_date:
        initial["decision_date"] = decision_date
        proposal.decision_date = decision_date
        proposal.date_source = (response.get("sources") or {}).get("date")
    return proposal, initial, answers


@require_http_methods(["GET", "POST"])
@login_required
def response_import(request: HttpRequest, audit_pk: int, body_pk: int) -> HttpResponse:
    """The response form filled in from an uploaded response document, not saved.

    GET (a reload, a language switch) shows the response form as response_edit does."""
    page = ResponsePage.load(request, audit_pk, body_pk)
    import_form = ResponseImportForm(posted(request), posted_files(request))
    if not import_form.is_valid():
        form, answer_forms = page.forms()
        return page.render(request, form, answer_forms, import_form=import_form)
    response = propose_response(import_form.cleaned_data["document"])
    proposal, initial, answers = propose(response, page.recommendations, import_form.file_name)
    form, answer_forms = page.forms(initial=initial, answers=answers)
    for answer_form in answer_forms:
        answer_form.proposed_from = proposal.answer_sources.get(answer_form.recommendation.pk)
    return page.render(request, form, answer_forms, imported=proposal)
