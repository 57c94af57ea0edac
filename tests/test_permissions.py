"""The permission matrix: every URL, every role, own and another region's objects.

The expectations below are written out by hand from the product's access rules (the
same rules regions/access.py describes in its docstring), never computed by asking
regions/access.py: a table that asked the code it checks could not fail.

Rules, as the table encodes them:

- Auditors and the audit office see their own region's audits, drafts included. They
  change findings (audit details, questions, observations, ratings, overall assessment,
  recommendations) only while the audit is a draft (planned, ongoing, fact check): on
  an issued audit those URLs answer 403. They move the lifecycle and issue (only from
  fact check; otherwise the issue page redirects to the audit), and record follow-ups
  on issued audits that are not closed. They never record responses or measures.
- Body secretaries see issued audits sent to their bodies (never drafts, even when
  their body is already listed on one) and every recommendation of those audits; they
  see and change only their own bodies' responses and measures, while the audit is
  open (a closed audit is read-only for everyone). They never change findings,
  recommendations or follow-ups: 403 when they can see the object, 404 when not.
- Readers read issued material of their region and change nothing (403).
- Nobody sees another region's anything: 404. A logged-in user without membership sees
  nothing (404) and may create nothing (403). Anonymous users are sent to the login
  page. The inbox is for secretaries only (403 for the others).
- Everyone logged in has their own account page. The calendar feed needs no login: its
  secret address is the credential, so who asks does not matter; a revoked address or
  a deactivated user's is not found (404).
- A view refuses a method it does not serve with 405, before anything else.

Each test asks one URL for every actor, every case and both methods, and reports every
mismatch at once. Every request runs in a savepoint that is rolled back.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from audits.models import Assessment, Audit, AuditQuestion, Observation
from recommendations.models import Measure, Recommendation, Response
from regions.models import User

from .permissions_helpers import (
    IMPORTED_REPORT,
    NO_MEMBERSHIP_USERNAME,
    Actor,
    RegionWorld,
    World,
    ask,
    build_world,
    check_demo_roles,
    log_in,
    shows,
    snapshot,
    walk_urls,
)

# ---------------------------------------------------------------------------------------
# Who asks. "own" is the actor's region, "other" another region with the same kinds of
# objects. Users without a region are asked about norrbotten's objects only (anonymous
# users about one object per URL: the login check comes before any lookup).

ACTORS = [
    Actor("auditor", "revisor.norrbotten", own="norrbotten", other="vasterbotten"),
    Actor("office", "revisionskontor.vasterbotten", own="vasterbotten", other="norrbotten"),
    # Regionstyrelsen; the other region's Regionstyrelsen is its body T.
    Actor("secretary", "sekreterare.norrbotten", own="norrbotten", other="vasterbotten"),
    # Hälso- och sjukvårdsnämnden; the other region's nämnd is its body T.
    Actor("secretary", "sekreterare.vasterbotten", own="vasterbotten", other="vastmanland"),
    # Regionstyrelsen; the other region's Regionstyrelsen is its secretary's body S.
    Actor("secretary", "sekreterare.vastmanland", own="vastmanland", other="norrbotten"),
    Actor("reader", "lasare.norrbotten", own="norrbotten", other="vastmanland"),
    Actor("nomember", NO_MEMBERSHIP_USERNAME, own="norrbotten", other=""),
    Actor("anon", None, own="norrbotten", other=""),
]
ROLES = ("auditor", "office", "secretary", "reader", "nomember")

# ---------------------------------------------------------------------------------------
# The objects a URL is asked about, per region (see tests/permissions_helpers.py).
# S is the secretary's body, T another body of the same region.

KINDS = {
    "none": ("-",),
    # draft: ongoing (S listed); factcheck: in fact check; issued: open, sent to S and T;
    # issued_t: open, sent to T only; closed: closed, sent to S.
    "audit": ("draft", "factcheck", "issued", "issued_t", "closed"),
    # a rated question with an observation, of the audit of that kind
    "question": ("draft", "issued", "issued_t", "closed"),
    "observation": ("draft", "issued", "issued_t", "closed"),
    # issued: to S; issued_tbody: to T in the audit sent to S and T
    "recommendation": ("draft", "issued", "issued_tbody", "issued_t", "closed"),
    # (audit, body): draft+S, issued+S (answered), issued+T (answered), issued_t+T,
    # issued_t+S (not sent to S), closed+S, awaiting+S (sent to S, not answered yet)
    "response-pair": (
        "draft",
        "issued",
        "issued_tbody",
        "issued_t",
        "issued_t_s",
        "closed",
        "awaiting",
    ),
    # issued: S's response; issued_tbody: T's response to the same audit
    "response": ("issued", "issued_tbody", "issued_t", "closed"),
    # issued: S's open measure; issued_done: S's measure marked done
    "measure": ("issued", "issued_done", "issued_tbody", "issued_t", "closed"),
    # active: S's secretary's feed; revoked: their earlier address; inactive: the feed
    # of a deactivated user
    "calendar": ("active", "revoked", "inactive"),
    # done: a finished background PDF, requested by the region's auditor
    "export": ("done",),
    # cited: one of the region's indicators (cited by its 1177 audit)
    "indicator": ("cited",),
    # the region itself (its dashboard)
    "region": ("region",),
    # coordinated: the demo's 1177 question set, whose issued audit every region has;
    # draft: a set only this region has started, its audit still in fact check
    "question-set": ("coordinated", "draft"),
    # unsaved: a report uploaded by the region's auditor, under review; saved: one
    # already saved as the region's draft audit
    "report-import": ("unsaved", "saved"),
}

# In another region nothing is visible whatever its status or body, so another region
# (and a user without any region) is asked about a draft and about the open audit sent
# to both its S and its T (where a check on status or body name alone would let a
# secretary or reader through: norrbotten's and vastmanland's S and vasterbotten's T
# are all called Regionstyrelsen), not about every kind.
OTHER_KINDS = {
    "audit": ("draft", "issued"),
    "question": ("draft", "issued"),
    "observation": ("draft", "issued"),
    "recommendation": ("draft", "issued", "issued_tbody"),
    "response-pair": ("draft", "issued", "issued_tbody", "awaiting"),
    "response": ("issued", "issued_tbody"),
    "measure": ("issued", "issued_tbody"),
    "export": ("done",),
    "indicator": ("cited",),
    "region": ("region",),
    # The coordinated set is every region's own too: comparing is what it is for.
    "question-set": ("draft",),
    "report-import": ("unsaved", "saved"),
}

Row = dict[str, str]


def row(*, auditor: str, office: str, secretary: str, reader: str, nomember: str) -> Row:
    return {
        "auditor": auditor,
        "office": office,
        "secretary": secretary,
        "reader": reader,
        "nomember": nomember,
    }


# Shared rows. Tokens follow KINDS[family] in order, for objects of the actor's own
# region. 200 on a POST means: the form again, with its errors (the POST is empty).

EVERYONE_200 = row(auditor="200", office="200", secretary="200", reader="200", nomember="200")
SECRETARIES_ONLY = row(auditor="403", office="403", secretary="200", reader="403", nomember="403")
AUDIT_SIDE_ONLY = row(auditor="200", office="200", secretary="403", reader="403", nomember="403")
EVERYONE_302 = row(auditor="302", office="302", secretary="302", reader="302", nomember="302")

# A public address answers the same whoever asks, logged in or not, from any region.
#                     active    revoked   inactive
CALENDAR_FEED = {"anyone": "200 404 404"}

# A background export is its requester's alone: the auditor asks for their own; the
# others ask for that of their region's auditor.
OWNER_ONLY = row(auditor="200", office="404", secretary="404", reader="404", nomember="404")

#                 draft     factcheck issued    issued_t  closed
AUDIT_VIEW = row(
    auditor="     200       200       200       200       200",
    office="      200       200       200       200       200",
    secretary="   404       404       200       404       200",
    reader="      404       404       200       200       200",
    nomember="    404       404       404       404       404",
)
AUDIT_EDIT = row(
    auditor="     200       200       403       403       403",
    office="      200       200       403       403       403",
    secretary="   404       404       403       404       403",
    reader="      404       404       403       403       403",
    nomember="    404       404       404       404       404",
)
AUDIT_MOVE = row(  # an empty POST: "choose one of the offered steps", back to the audit
    auditor="     302       302       302       302       302",
    office="      302       302       302       302       302",
    secretary="   404       404       403       404       403",
    reader="      404       404       403       403       403",
    nomember="    404       404       404       404       404",
)
AUDIT_ISSUE = row(  # only an audit in fact check can be issued; otherwise back to it
    auditor="     302       200       302       302       302",
    office="      302       200       302       302       302",
    secretary="   404       404       403       404       403",
    reader="      404       404       403       403       403",
    nomember="    404       404       404       404       404",
)

#                    draft     issued    issued_t  closed
QUESTION_VIEW = row(
    auditor="        200       200       200       200",
    office="         200       200       200       200",
    secretary="      404       200       404       200",
    reader="         404       200       200       200",
    nomember="       404       404       404       404",
)
QUESTION_EDIT = row(
    auditor="        200       403       403       403",
    office="         200       403       403       403",
    secretary="      404       403       404       403",
    reader="         404       403       403       403",
    nomember="       404       404       404       404",
)
QUESTION_CHANGE_302 = row(  # move / delete: done at once, then back to the audit
    auditor="        302       403       403       403",
    office="         302       403       403       403",
    secretary="      404       403       404       403",
    reader="         404       403       403       403",
    nomember="       404       404       404       404",
)

#                          draft     issued    issued_tbody issued_t closed
RECOMMENDATION_VIEW = row(
    auditor="              200       200       200       200       200",
    office="               200       200       200       200       200",
    secretary="            404       200       200       404       200",
    reader="               404       200       200       200       200",
    nomember="             404       404       404       404       404",
)
RECOMMENDATION_EDIT = row(
    auditor="              200       403       403       403       403",
    office="               200       403       403       403       403",
    secretary="            404       403       403       404       403",
    reader="               404       403       403       403       403",
    nomember="             404       404       404       404       404",
)
RECOMMENDATION_DELETE_POST = row(
    auditor="              302       403       403       403       403",
    office="               302       403       403       403       403",
    secretary="            404       403       403       404       403",
    reader="               404       403       403       403       403",
    nomember="             404       404       404       404       404",
)
FOLLOW_UP = row(
    auditor="              403       200       200       200       403",
    office="               403       200       200       200       403",
    secretary="            404       403       403       404       403",
    reader="               404       403       403       403       403",
    nomember="             404       404       404       404       404",
)

#                 draft  issued issued_tbody issued_t issued_t_s closed awaiting
RESPOND = row(
    auditor="     403    403    403          403      403        403    403",
    office="      403    403    403          403      403        403    403",
    secretary="   404    200    403          404      404        403    200",
    reader="      404    403    403          403      403        403    403",
    nomember="    404    404    404          404      404        404    404",
)

#                    issued issued_tbody issued_t closed
RESPONSE_VIEW = row(
    auditor="        200    200          200      200",
    office="         200    200          200      200",
    secretary="      200    404          404      200",
    reader="         200    200          200      200",
    nomember="       404    404          404      404",
)
MEASURE_ADD = row(
    auditor="        403    403          403      403",
    office="         403    403          403      403",
    secretary="      200    404          404      403",
    reader="         403    403          403      403",
    nomember="       404    404          404      404",
)

#                    issued issued_done issued_tbody issued_t closed
MEASURE_EDIT = row(
    auditor="        403    403         403          403      403",
    office="         403    403         403          403      403",
    secretary="      200    200         404          404      403",
    reader="         403    403         403          403      403",
    nomember="       404    404         404          404      404",
)
MEASURE_COMPLETE = row(  # a measure already done: back to the response
    auditor="        403    403         403          403      403",
    office="         403    403         403          403      403",
    secretary="      200    302         404          404      403",
    reader="         403    403         403          403      403",
    nomember="       404    404         404          404      404",
)

# A region's dashboard: whoever has a role in the region (figures narrowed by role).
REGION_VIEW = row(auditor="200", office="200", secretary="200", reader="200", nomember="404")

# The comparison of a coordinated audit: whoever sees one of its audits; a set only
# started as a draft is its region's audit side's alone.
#                         coordinated draft
QUESTION_SET_VIEW = row(
    auditor="             200         200",
    office="              200         200",
    secretary="           200         404",
    reader="              200         404",
    nomember="            404         404",
)

# An uploaded report under review is a draft audit in the making: the region's audit side
# sees it, whoever of them uploaded it; nobody else. Once saved as an audit, its review
# and discard addresses lead to the audit (an empty POST to the review: the form again).
#                      unsaved   saved
REPORT_IMPORT = row(
    auditor="          200       302",
    office="           200       302",
    secretary="        404       404",
    reader="           404       404",
    nomember="         404       404",
)
REPORT_IMPORT_DISCARD = row(
    auditor="          302       302",
    office="           302       302",
    secretary="        404       404",
    reader="           404       404",
    nomember="         404       404",
)

# ---------------------------------------------------------------------------------------
# Payloads for forbidden POSTs: what an intruder would send, so that a missing check
# would really change the database (the tests also check that they would).

INTRUSION = "INTRÅNG i behörighetstestet"


@dataclass
class Case:
    key: Any
    rw: RegionWorld
    world: World


def _today(days: int = 0) -> str:
    """An ISO date the forms accept whenever the tests run (no dates in the future)."""
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _versioned(model: type, pk: int) -> Any:
    return model.objects.get(pk=pk)


def _audit_data(case: Case) -> dict[str, Any]:
    audit = _versioned(Audit, case.key)
    return {
        "title": INTRUSION,
        "reference_number": audit.reference_number,
        "year": audit.year,
        "kind": audit.kind,
        "rating_scale": audit.rating_scale_id,
        "version": audit.version,
        "team-TOTAL_FORMS": "0",
        "team-INITIAL_FORMS": "0",
        "team-MIN_NUM_FORMS": "0",
        "team-MAX_NUM_FORMS": "30",
    }


def _move_data(case: Case) -> dict[str, Any]:
    audit = _versioned(Audit, case.key)
    steps = [s for s in Audit.TRANSITIONS[audit.status] if s != Audit.Status.ISSUED]
    return {"status": steps[0] if steps else Audit.Status.PLANNED}


def _assessment_data(case: Case) -> dict[str, Any]:
    prefix = f"rating-{case.key}"
    assessment = Assessment.objects.filter(question=case.key).first()
    return {
        f"{prefix}-level": case.world.level,
        f"{prefix}-comment": INTRUSION,
        f"{prefix}-reasoning": INTRUSION,
        f"{prefix}-version": assessment.version if assessment else "",
    }


def _recommendation_data(case: Case) -> dict[str, Any]:
    recommendation = _versioned(Recommendation, case.key)
    prefix = f"rec-{case.key}"
    return {
        f"{prefix}-number": recommendation.number,
        f"{prefix}-body": recommendation.body_id,
        f"{prefix}-text": INTRUSION,
        f"{prefix}-version": recommendation.version,
    }


def _response_data(case: Case) -> dict[str, Any]:
    audit_pk, body_pk = case.key
    response = Response.objects.filter(audit=audit_pk, body=body_pk).first()
    data: dict[str, Any] = {
        "kind": Response.Kind.PER_RECOMMENDATION,
        "received_date": _today(),
        "decision_reference": INTRUSION,
        "narrative": INTRUSION,
        "version": response.version if response else "",
    }
    for recommendation in Recommendation.objects.filter(audit=audit_pk, body=body_pk):
        data[f"answer-{recommendation.pk}-stance"] = "accepted"
        data[f"answer-{recommendation.pk}-text"] = INTRUSION
    return data


def _measure_version(case: Case) -> int:
    return _versioned(Measure, case.key).version


def _audit_data_new(case: Case) -> dict[str, Any]:
    return {
        "region": case.rw.region,
        "title": INTRUSION,
        "year": 2026,
        "kind": Audit.Kind.BASIC,
        "rating_scale": case.world.scale,
        "team-TOTAL_FORMS": "0",
        "team-INITIAL_FORMS": "0",
        "team-MIN_NUM_FORMS": "0",
        "team-MAX_NUM_FORMS": "30",
    }


def _report_review_data(case: Case) -> dict[str, Any]:
    """A reviewed draft that saves as an audit (no questions or recommendations)."""
    data: dict[str, Any] = {
        "title": INTRUSION,
        "year": 2026,
        "status": Audit.Status.ONGOING,
        "rating_scale": case.world.scale,
    }
    for prefix in ("questions", "recommendations"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


HOSTILE: dict[str, Callable[[Case], dict[str, Any]]] = {
    "audit-create": _audit_data_new,
    "report-import": lambda c: {
        "region": c.rw.region,
        "file": SimpleUploadedFile("rapport.txt", IMPORTED_REPORT.encode()),
    },
    "report-import-review": _report_review_data,
    "report-import-discard": lambda c: {},
    "audit-create-from-set": lambda c: {
        "question_set": c.world.question_set,
        "region": c.rw.region,
        "rating_scale": c.world.scale,
        "title": INTRUSION,
    },
    "audit-edit": _audit_data,
    "audit-move": _move_data,
    "audit-issue": lambda c: {
        "bodies": [c.rw.s_body, c.rw.t_body],
        "issued_date": _today(),
        "response_deadline": _today(days=30),
    },
    "overall-edit": lambda c: {
        "overall_assessment": INTRUSION,
        "version": _versioned(Audit, c.key).version,
    },
    "question-add": lambda c: {"new-text": INTRUSION},
    "recommendation-add": lambda c: {
        "new-recommendation-number": 99,
        "new-recommendation-body": c.rw.s_body,
        "new-recommendation-text": INTRUSION,
    },
    "question-edit": lambda c: {
        "text": INTRUSION,
        "version": _versioned(AuditQuestion, c.key).version,
    },
    "question-move": lambda c: {"direction": "down"},
    "question-delete": lambda c: {},
    "assessment-edit": _assessment_data,
    "assessment-delete": lambda c: {},
    "observation-add": lambda c: {
        f"obs-new-{c.key}-heading": INTRUSION,
        f"obs-new-{c.key}-text": INTRUSION,
    },
    "observation-edit": lambda c: {
        f"obs-{c.key}-heading": INTRUSION,
        f"obs-{c.key}-text": INTRUSION,
        f"obs-{c.key}-version": _versioned(Observation, c.key).version,
    },
    "observation-delete": lambda c: {},
    "recommendation-edit": _recommendation_data,
    "recommendation-delete": lambda c: {},
    "follow-up-add": lambda c: {
        "date": _today(),
        "assessment": "implemented",
        "comment": INTRUSION,
    },
    "response-edit": _response_data,
    "measure-add": lambda c: {
        "description": INTRUSION,
        "responsible": "Regiondirektör",
        "original_due_date": "2027-01-31",
        "status": "planned",
    },
    "measure-edit": lambda c: {
        "description": INTRUSION,
        "responsible": "Regiondirektör",
        "status": "in_progress",
        "version": _measure_version(c),
    },
    "measure-complete": lambda c: {
        "completed_date": _today(),
        "version": _measure_version(c),
    },
    "measure-revise": lambda c: {
        "revised_due_date": "2030-01-31",
        "revision_reason": INTRUSION,
        "version": _measure_version(c),
    },
}


# ---------------------------------------------------------------------------------------
# The matrix: every URL name with the objects it is asked about and what each role gets.


@dataclass(frozen=True)
class Rule:
    family: str
    get: Row | None  # None: the view does not serve GET (405 for everyone)
    post: Row | None  # None: the view does not serve POST (405 for everyone)
    extra_args: tuple[Any, ...] = ()
    htmx: bool = False  # ask as htmx (the fragment instead of a redirect to the audit)
    shows_marker: bool = False  # an allowed GET shows the object's own text
    public: bool = False  # no login: the tables have one row, "anyone"


MATRIX: dict[str, Rule] = {
    # Start page and lists: everyone logged in; rows are checked in test_lists_*.
    "home": Rule("none", get=EVERYONE_200, post=None),
    "audit-list": Rule("none", get=EVERYONE_200, post=None),
    "recommendation-list": Rule("none", get=EVERYONE_200, post=None),
    "measure-list": Rule("none", get=EVERYONE_200, post=None),
    "followup-list": Rule("none", get=EVERYONE_200, post=None),
    # A list's download: the same rows as the list (the CSV's text is checked for leaks;
    # XLSX is the same rows through the same view, tests/test_spreadsheets.py).
    "audit-list-export": Rule("none", get=EVERYONE_200, post=None, extra_args=("csv",)),
    "recommendation-list-export": Rule("none", get=EVERYONE_200, post=None, extra_args=("csv",)),
    "measure-list-export": Rule("none", get=EVERYONE_200, post=None, extra_args=("csv",)),
    "followup-list-export": Rule("none", get=EVERYONE_200, post=None, extra_args=("csv",)),
    "inbox": Rule("none", get=SECRETARIES_ONLY, post=None),
    "audit-create": Rule("none", get=AUDIT_SIDE_ONLY, post=AUDIT_SIDE_ONLY),
    "audit-create-from-set": Rule("none", get=AUDIT_SIDE_ONLY, post=AUDIT_SIDE_ONLY),
    # Importing a published report: upload, review (the proposal's title is its marker).
    "report-import": Rule("none", get=AUDIT_SIDE_ONLY, post=AUDIT_SIDE_ONLY),
    "report-import-review": Rule(
        "report-import", get=REPORT_IMPORT, post=REPORT_IMPORT, shows_marker=True
    ),
    "report-import-discard": Rule("report-import", get=None, post=REPORT_IMPORT_DISCARD),
    # The audit page and its details
    "audit-detail": Rule("audit", get=AUDIT_VIEW, post=None, shows_marker=True),
    # Who sees which events is narrowed further by Scope.history (tests/history).
    "audit-history": Rule("audit", get=AUDIT_VIEW, post=None, shows_marker=True),
    "audit-file": Rule("audit", get=AUDIT_VIEW, post=None, extra_args=("report",)),
    # PDFs: the report stands for all four kinds (one view, one lookup through the scope);
    # its text is read back, so the marker and leak checks see what a reader would.
    "audit-pdf": Rule(
        "audit", get=AUDIT_VIEW, post=None, extra_args=("report",), shows_marker=True
    ),
    "followup-report": Rule("none", get=EVERYONE_200, post=None),
    # Dashboards: the overview has a row per region of the user's (none: an empty page).
    "dashboard": Rule("none", get=EVERYONE_200, post=None),
    "region-dashboard": Rule("region", get=REGION_VIEW, post=None),
    "question-set-comparison": Rule("question-set", get=QUESTION_SET_VIEW, post=None),
    "export-status": Rule("export", get=OWNER_ONLY, post=None, shows_marker=True),
    "export-download": Rule("export", get=OWNER_ONLY, post=None, shows_marker=True),
    "audit-section": Rule("audit", get=AUDIT_VIEW, post=None, extra_args=("questions",), htmx=True),
    "audit-edit": Rule("audit", get=AUDIT_EDIT, post=AUDIT_EDIT),
    "overall-edit": Rule("audit", get=AUDIT_EDIT, post=AUDIT_EDIT),
    "audit-move": Rule("audit", get=None, post=AUDIT_MOVE),
    "audit-issue": Rule("audit", get=AUDIT_ISSUE, post=AUDIT_ISSUE),
    "question-add": Rule("audit", get=AUDIT_EDIT, post=AUDIT_EDIT),
    "recommendation-add": Rule("audit", get=AUDIT_EDIT, post=AUDIT_EDIT),
    # Findings
    "question-block": Rule("question", get=QUESTION_VIEW, post=None, htmx=True, shows_marker=True),
    "question-edit": Rule("question", get=QUESTION_EDIT, post=QUESTION_EDIT),
    "question-move": Rule("question", get=None, post=QUESTION_CHANGE_302),
    "question-delete": Rule("question", get=QUESTION_EDIT, post=QUESTION_CHANGE_302),
    "assessment-edit": Rule("question", get=QUESTION_EDIT, post=QUESTION_EDIT),
    "assessment-delete": Rule("question", get=QUESTION_EDIT, post=QUESTION_CHANGE_302),
    "observation-add": Rule("question", get=QUESTION_EDIT, post=QUESTION_EDIT),
    "observation-edit": Rule("observation", get=QUESTION_EDIT, post=QUESTION_EDIT),
    "observation-delete": Rule("observation", get=QUESTION_EDIT, post=QUESTION_CHANGE_302),
    # Recommendations and follow-ups
    "recommendation-detail": Rule(
        "recommendation", get=RECOMMENDATION_VIEW, post=None, shows_marker=True
    ),
    "recommendation-block": Rule(
        "recommendation", get=RECOMMENDATION_VIEW, post=None, htmx=True, shows_marker=True
    ),
    "recommendation-edit": Rule(
        "recommendation", get=RECOMMENDATION_EDIT, post=RECOMMENDATION_EDIT
    ),
    "recommendation-delete": Rule(
        "recommendation", get=RECOMMENDATION_EDIT, post=RECOMMENDATION_DELETE_POST
    ),
    "follow-up-add": Rule("recommendation", get=FOLLOW_UP, post=FOLLOW_UP),
    # Responses and measures
    "response-edit": Rule("response-pair", get=RESPOND, post=RESPOND),
    # Fills the response form from an uploaded document, unsaved (GET: the same form);
    # an empty POST is the form with the file field's error. Nothing to intrude with.
    "response-import": Rule("response-pair", get=RESPOND, post=RESPOND),
    "response-detail": Rule("response", get=RESPONSE_VIEW, post=None, shows_marker=True),
    "response-document": Rule("response", get=RESPONSE_VIEW, post=None),
    "measure-add": Rule("response", get=MEASURE_ADD, post=MEASURE_ADD),
    "measure-edit": Rule("measure", get=MEASURE_EDIT, post=MEASURE_EDIT),
    "measure-complete": Rule("measure", get=MEASURE_COMPLETE, post=MEASURE_COMPLETE),
    "measure-revise": Rule("measure", get=MEASURE_EDIT, post=MEASURE_EDIT),
    # The user's own account; an empty POST is the form with its errors, a calendar
    # button without an action changes nothing and goes back to the account page.
    "account": Rule("none", get=EVERYONE_200, post=EVERYONE_200),
    "account-calendar": Rule("none", get=None, post=EVERYONE_302),
    # A personal API token: created (the page shows it once) or revoked; a POST without
    # an action changes nothing and goes back to the account page.
    "account-api-token": Rule("none", get=None, post=EVERYONE_302),
    # Two-step sign-in: the page for everyone signed in; turning off without an app set
    # up goes back to the page.
    "two-factor": Rule("none", get=EVERYONE_200, post=EVERYONE_200),
    # Indicators: every role of the region sees its targets and outcomes.
    "indicator-list": Rule("none", get=EVERYONE_200, post=None),
    "indicator-detail": Rule(
        "indicator",
        get=row(auditor="200", office="200", secretary="200", reader="200", nomember="404"),
        post=None,
        shows_marker=True,
    ),
    "two-factor-off": Rule("none", get=None, post=EVERYONE_302),
    "calendar-feed": Rule("calendar", get=CALENDAR_FEED, post=None, shows_marker=True, public=True),
}

FOUND_URLS = walk_urls()
URL_NAMES = sorted({url.name for url in FOUND_URLS if url.name})
LOGIN_URL = "/login/"


def expected(rule: Rule, actor: Actor, rel: str, kind: str, method: str) -> str:
    table = rule.get if method == "GET" else rule.post
    if table is None:
        return "405"
    if rule.public:
        return table["anyone"].split()[KINDS[rule.family].index(kind)]
    if actor.role == "anon":
        return "login"
    if rel == "other":
        return "404"
    return table[actor.role].split()[KINDS[rule.family].index(kind)]


def cases(rule: Rule, actor: Actor) -> list[tuple[str, str, str]]:
    """(own/other, region code, kind) for every object the actor is asked about."""
    if rule.family == "none":
        return [("own", actor.own, "-")]
    if rule.public:
        # The same answer for everyone: each actor asks about every kind, in its own
        # region and (where it has one) another.
        codes = [("own", actor.own)] + ([("other", actor.other)] if actor.other else [])
        return [(rel, code, kind) for rel, code in codes for kind in KINDS[rule.family]]
    if actor.role == "anon":
        # The login check comes before any lookup: one object per URL shows it.
        return [("own", actor.own, KINDS[rule.family][0])]
    if actor.role == "nomember":
        # No region at all: like another region, status and body cannot matter.
        return [("own", actor.own, kind) for kind in OTHER_KINDS[rule.family]]
    own = [("own", actor.own, kind) for kind in KINDS[rule.family]]
    if not actor.other:
        return own
    return own + [("other", actor.other, kind) for kind in OTHER_KINDS[rule.family]]


def url_args(rule: Rule, key: Any) -> tuple[Any, ...]:
    if rule.family == "none":
        return rule.extra_args
    if rule.family == "response-pair":
        return (*key, *rule.extra_args)
    return (key, *rule.extra_args)


# ---------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo plus the extra objects, built once and rolled back after the module.

    Each test runs in its own savepoint inside this transaction (pytest-django's `db`),
    and each request in a savepoint of its own.
    """
    overrides = override_settings(
        MEDIA_ROOT=str(tmp_path_factory.mktemp("uploads")),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    overrides.enable()
    # Hundreds of deliberate 403/404/405s: log only server errors (formatting each
    # refusal's traceback would cost a third of the run).
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    outer = transaction.atomic()
    try:
        with django_db_blocker.unblock():
            outer.__enter__()
            built = build_world()
            built.sessions = log_in([actor.username for actor in ACTORS if actor.username])
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
        request_log.setLevel(level)
        overrides.disable()


# ---------------------------------------------------------------------------------------
# Tests


def test_every_url_has_an_access_rule():
    unnamed = [url.route for url in FOUND_URLS if not url.name]
    names = [url.name for url in FOUND_URLS if url.name]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    missing = sorted(set(names) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(names))
    assert not unnamed, f"URL patterns without a name cannot be in the matrix: {unnamed}"
    assert not duplicated, f"URL names used by more than one pattern: {duplicated}"
    assert not missing, f"URLs without an access rule in tests/test_permissions.py: {missing}"
    assert not stale, f"Access rules for URLs that no longer exist: {stale}"


def test_the_matrix_is_well_formed():
    for name, rule in MATRIX.items():
        for table in (rule.get, rule.post):
            if table is None:
                continue
            assert set(table) == ({"anyone"} if rule.public else set(ROLES)), name
            for role, tokens in table.items():
                assert len(tokens.split()) == len(KINDS[rule.family]), (name, role, tokens)
                assert set(tokens.split()) <= {"200", "302", "403", "404"}, (name, role)


def test_the_world_is_as_the_matrix_assumes(world, db):
    assert check_demo_roles() == []
    for rw in world.regions.values():
        for family, kinds in KINDS.items():
            if family != "none":
                assert set(rw.objects[family]) == set(kinds), (rw.code, family)
    for code, rw in world.regions.items():
        audits = {k: Audit.objects.get(pk=pk) for k, pk in rw.objects["audit"].items()}
        assert [a.status for a in audits.values()] == [
            "ongoing",
            "fact_check",
            audits["issued"].status,
            "issued",
            "closed",
        ], code
        assert audits["issued"].status in Audit.OPEN_STATUSES, code
        assert set(audits["issued"].audited_bodies.values_list("pk", flat=True)) == {
            rw.s_body,
            rw.t_body,
        }, code
        assert list(audits["issued_t"].audited_bodies.values_list("pk", flat=True)) == [rw.t_body]
        assert Response.objects.get(pk=rw.objects["response"]["issued"]).body_id == rw.s_body
        done = Measure.objects.get(pk=rw.objects["measure"]["issued_done"])
        assert done.status == Measure.Status.DONE
        assert Measure.objects.get(pk=rw.objects["measure"]["issued"]).status != "done"
    # The leak check on every page has texts to look for, and the right ones.
    unique = unique_texts()
    auditor, secretary, reader = ACTORS[0], ACTORS[2], ACTORS[5]
    norrbotten, vasterbotten = world.regions["norrbotten"], world.regions["vasterbotten"]
    [own_draft_question] = norrbotten.markers["question"]["draft"]
    [other_draft_question] = vasterbotten.markers["question"]["draft"]
    t_response = norrbotten.markers["response"]["issued_tbody"][0]
    [t_recommendation] = norrbotten.markers["recommendation"]["issued_tbody"]
    assert {own_draft_question, other_draft_question, t_response, t_recommendation} <= unique
    assert other_draft_question in hidden_texts(world, auditor, unique)
    assert own_draft_question not in hidden_texts(world, auditor, unique)
    assert own_draft_question in hidden_texts(world, reader, unique)
    assert t_response in hidden_texts(world, secretary, unique)
    assert t_recommendation not in hidden_texts(world, secretary, unique)
    # The demo's own cases are among them.
    norrbotten = world.regions["norrbotten"].objects["audit"]
    assert Audit.objects.get(pk=norrbotten["draft"]).title == "Uppföljning av granskningen av 1177"
    vasterbotten = world.regions["vasterbotten"].objects["response-pair"]["awaiting"]
    assert Audit.objects.get(pk=vasterbotten[0]).reference_number == "REV 2026:3"


@pytest.mark.parametrize("name", URL_NAMES)
def test_permission_matrix(name, world, db):
    assert name in MATRIX, f"{name} has no access rule in MATRIX"
    rule = MATRIX[name]
    baseline = snapshot()
    failures: list[str] = []
    allowed_posts: list[tuple[Actor, str, Case]] = []
    unique = unique_texts()
    for actor in ACTORS:
        client = actor.client(world.sessions)
        hidden = hidden_texts(world, actor, unique)
        for number, (rel, code, kind) in enumerate(cases(rule, actor)):
            rw = world.regions[code]
            key = rw.objects[rule.family][kind] if rule.family != "none" else None
            markers = rw.markers[rule.family][kind] if rule.family != "none" else []
            url = reverse(name, args=url_args(rule, key))
            case = Case(key, rw, world)
            for method in ("GET", "POST"):
                want = expected(rule, actor, rel, kind, method)
                if want == "405" and number > 0:
                    continue  # refused before anything else: once per actor is enough
                allowed = want in ("200", "302")
                data = {}
                if method == "POST" and not allowed:
                    data = HOSTILE[name](case) if name in HOSTILE else {}
                got = ask(
                    client,
                    method,
                    url,
                    data,
                    htmx=rule.htmx,
                    baseline=baseline if method == "POST" and not allowed else None,
                )
                seen_hidden = hidden
                if rule.public:
                    # What a feed may show depends on its owner, not on who asks.
                    got.body = ics_text(got.body)
                    seen_hidden = hidden_texts(world, feed_owner(code), unique)
                where = (
                    f"{name} | {actor.label} ({actor.role}) | {rel} {code}:{kind} | "
                    f"{method} {url} | expected {want}, got {got.status}"
                )
                problem = _check(rule, method, want, got, markers)
                if problem:
                    failures.append(f"{where}: {problem}")
                elif got.status in (200, 302):
                    leaked = sorted(text for text in seen_hidden if shows(got.body, text))
                    if leaked:
                        failures.append(f"{where}: shows what the user may not see: {leaked}")
                if method == "POST" and allowed and name in HOSTILE:
                    allowed_posts.append((actor, url, case))
    failures += _hostile_data_would_change_something(name, allowed_posts, baseline, world.sessions)
    assert not failures, f"{len(failures)} mismatches:\n" + "\n".join(failures)


def feed_owner(code: str) -> Actor:
    """The owner of a region's calendar token: its secretary (see permissions_helpers)."""
    return next(actor for actor in ACTORS if actor.username == f"sekreterare.{code}")


def ics_text(body: str) -> str:
    """An iCalendar file's text as written: lines unfolded, commas and the like unescaped."""
    unfolded = body.replace("\r\n ", "").replace("\r\n\t", "")
    for escaped, plain in (("\\n", "\n"), ("\\,", ","), ("\\;", ";"), ("\\\\", "\\")):
        unfolded = unfolded.replace(escaped, plain)
    return unfolded


def _explains_refusal(body: str) -> bool:
    """An unsaved POST tells the user why: errors next to fields, or the conflict notice
    (a form without the version it was opened with is treated as an edit conflict)."""
    return "errorlist" in body or 'class="conflict"' in body


def _check(rule: Rule, method: str, want: str, got: Any, markers: list[str]) -> str:
    if got.status == 500:
        return f"SERVER ERROR {got.error}"
    if want == "login":
        if got.status != 302 or not got.location.startswith(LOGIN_URL):
            return f"not sent to the login page (Location {got.location!r})"
        return "database changed: " + "; ".join(got.changes) if got.changes else ""
    if got.status != int(want):
        leaked = [m for m in markers if shows(got.body, m)]
        problem = "wrong status"
        if leaked:
            problem += f"; shows {leaked}"
        if got.changes:
            problem += "; changed the database: " + "; ".join(got.changes)
        return f"{problem} {got.error}".strip()
    if want == "200" and method == "POST" and not _explains_refusal(got.body):
        return "an empty POST answered 200 without form errors"
    if want == "200" and method == "GET" and rule.shows_marker:
        missing = [m for m in markers if not shows(got.body, m)]
        if missing:
            return f"the page does not show {missing}"
    if want == "302" and got.location.startswith(LOGIN_URL):
        return "sent to the login page"
    if want in ("403", "404", "405"):
        leaked = [m for m in markers if shows(got.body, m)]
        if leaked:
            return f"the refusal shows {leaked}"
        if got.changes:
            return "database changed: " + "; ".join(got.changes)
    return ""


def _hostile_data_would_change_something(
    name: str,
    allowed_posts: list[tuple[Actor, str, Case]],
    baseline: list,
    sessions: dict[str, str],
) -> list[str]:
    """The intruder's payload, sent by someone allowed, changes the database.

    Otherwise "a forbidden POST changed nothing" would prove nothing.
    """
    if not allowed_posts:
        return []
    for actor, url, case in allowed_posts:
        data = HOSTILE[name](case)
        got = ask(actor.client(sessions), "POST", url, data, htmx=False, baseline=baseline)
        if got.status == 500:
            return [f"{name} | {actor.label} | POST {url} with valid data: {got.error}"]
        if got.changes:
            return []
    return [f"{name}: the intruder's payload changes nothing even when allowed; fix HOSTILE"]


# ---------------------------------------------------------------------------------------
# What an actor may not see, as texts that must appear on none of their pages

# Which view row says whether an object of a family is visible (its detail or block).
SEEN_THROUGH = {
    "audit": ("audit-detail", lambda kind: kind),
    "question": ("question-block", lambda kind: kind),
    "observation": ("question-block", lambda kind: kind),
    "recommendation": ("recommendation-detail", lambda kind: kind),
    "response": ("response-detail", lambda kind: kind),
    "measure": ("response-detail", lambda kind: "issued" if kind == "issued_done" else kind),
}


def unique_texts() -> set[str]:
    """Texts that belong to exactly one object (coordinated audits share titles and
    questions between regions; such texts cannot tell whose object a page shows)."""
    values: list[str] = []
    values += Audit.objects.values_list("title", flat=True)
    values += Audit.objects.values_list("reference_number", flat=True)
    values += AuditQuestion.objects.values_list("text", flat=True)
    values += Observation.objects.values_list("text", flat=True)
    values += Recommendation.objects.values_list("text", flat=True)
    values += Response.objects.values_list("narrative", flat=True)
    values += Response.objects.values_list("decision_reference", flat=True)
    values += Measure.objects.values_list("description", flat=True)
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    # Help texts quote real examples from the seeds ("e.g. Nr 11/2021"); the demo uses
    # the same facts, so such a text on a form is not a leak.
    help_texts = []
    for language in ("sv", "en"):
        with translation.override(language):
            for app in ("regions", "audits", "recommendations"):
                for model in apps.get_app_config(app).get_models():
                    help_texts += [str(f.help_text) for f in model._meta.fields if f.help_text]
    return {
        value
        for value, count in counts.items()
        if value and count == 1 and not any(value in text for text in help_texts)
    }


def hidden_texts(world: World, actor: Actor, unique: set[str]) -> set[str]:
    """The distinctive texts of every world object the actor may not see."""
    if actor.role == "anon":
        return set()
    hidden = set()
    for code, rw in world.regions.items():
        rel = "own" if code == actor.own and actor.role != "nomember" else "other"
        for family, (view, kind_of) in SEEN_THROUGH.items():
            for kind, texts in rw.markers[family].items():
                if expected(MATRIX[view], actor, rel, kind_of(kind), "GET") != "200":
                    hidden |= {text for text in texts if text in unique}
    return hidden


# ---------------------------------------------------------------------------------------
# Lists: rows the user may not see never appear; rows they may see do.

LIST_PAGES = ("audit-list", "recommendation-list", "measure-list", "followup-list", "home", "inbox")
MEASURE_RESPONSE = {
    "issued": "issued",
    "issued_done": "issued",
    "issued_tbody": "issued_tbody",
    "issued_t": "issued_t",
    "closed": "closed",
}


def _visible(rule_name: str, actor: Actor, rel: str, kind: str) -> bool:
    return expected(MATRIX[rule_name], actor, rel, kind, "GET") == "200"


def test_lists_hide_what_the_user_may_not_see(world, db):
    failures: list[str] = []
    unique = unique_texts()
    all_titles = list(Audit.objects.values_list("title", flat=True))
    for actor in ACTORS:
        if actor.role == "anon":
            continue
        client = actor.client(world.sessions)
        pages = {}
        for page in LIST_PAGES:
            got = ask(client, "GET", reverse(page), None, htmx=False, baseline=None)
            if got.status == 500:
                failures.append(f"{page} | {actor.label}: SERVER ERROR {got.error}")
            if got.status == 200:
                pages[page] = got.body
        if actor.other:
            # Filters and search pointed at another region's objects find nothing new.
            other = world.regions[actor.other]
            draft_title = Audit.objects.get(pk=other.objects["audit"]["factcheck"]).title
            query = {"region": other.region, "body": other.s_body, "q": draft_title.split()[0]}
            for page in ("audit-list", "recommendation-list", "measure-list"):
                got = ask(client, "GET", reverse(page), query, htmx=False, baseline=None)
                if got.status != 200:
                    failures.append(f"{page}?{query} | {actor.label}: {got.status} {got.error}")
                pages[f"{page} (filtered)"] = got.body
        regions = [("own", actor.own)] + ([("other", actor.other)] if actor.other else [])
        for rel, code in regions:
            rw = world.regions[code]
            checks = []
            for kind, pk in rw.objects["audit"].items():
                href = f'href="{reverse("audit-detail", args=[pk])}"'
                checks.append(("audit-list", href, _visible("audit-detail", actor, rel, kind)))
                title = Audit.objects.get(pk=pk).title
                if kind in ("draft", "factcheck") and all_titles.count(title) == 1:
                    visible = _visible("audit-detail", actor, rel, kind)
                    checks.append(("audit-list", title, visible))
            for kind, pk in rw.objects["recommendation"].items():
                href = f'href="{reverse("recommendation-detail", args=[pk])}"'
                visible = _visible("recommendation-detail", actor, rel, kind)
                checks.append(("recommendation-list", href, visible))
            for kind, pk in rw.objects["measure"].items():
                anchor = f'#measure-{pk}"'
                visible = _visible("response-detail", actor, rel, MEASURE_RESPONSE[kind])
                checks.append(("measure-list", anchor, visible))
            for list_page, text, visible in checks:
                for page, body in pages.items():
                    if not visible and shows(body, text):
                        failures.append(
                            f"{page} | {actor.label} ({actor.role}) | {rel} {code}: shows {text}"
                        )
                if visible and list_page in pages and not shows(pages[list_page], text):
                    failures.append(
                        f"{list_page} | {actor.label} ({actor.role}) | {rel} {code}: "
                        f"does not show {text}, which the user may see"
                    )
        hidden = hidden_texts(world, actor, unique)
        for page, body in pages.items():
            leaked = sorted(text for text in hidden if shows(body, text))
            if leaked:
                failures.append(f"{page} | {actor.label} ({actor.role}): shows {leaked}")
        if actor.role == "reader":
            for page, body in pages.items():
                for audit in Audit.objects.drafts():
                    href = f'href="{reverse("audit-detail", args=[audit.pk])}"'
                    if shows(body, href):
                        failures.append(f"{page} | {actor.label}: shows the draft {audit}")
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)


def test_forms_refuse_another_regions_objects(world, db):
    """Allowed users cannot reach into another region through a form's choices.

    Each POST is sent twice: with one value from another region (refused: the form
    again with its errors, or 404; nothing changes) and, as a control, with the
    user's own region's value instead (it saves, so the refusal was the region's).
    """
    sessions = world.sessions
    own, other = world.regions["norrbotten"], world.regions["vasterbotten"]
    auditor = Actor("auditor", "revisor.norrbotten", own="norrbotten", other="vasterbotten")
    secretary = Actor("secretary", "sekreterare.norrbotten", own="norrbotten", other="")
    other_secretary = User.objects.get(username="sekreterare.vasterbotten").pk
    own_secretary = User.objects.get(username="sekreterare.norrbotten").pk

    def case(family: str, kind: str) -> Case:
        return Case(own.objects[family][kind], own, world)

    draft, factcheck = case("audit", "draft"), case("audit", "factcheck")
    draft_rec = case("recommendation", "draft")
    response, measure = case("response", "issued"), case("measure", "issued")
    other_rec = other.objects["recommendation"]["issued"]
    own_rec = own.objects["recommendation"]["issued"]
    rec_prefix = f"rec-{draft_rec.key}"
    attempts = [
        # (actor, url name, args, payload, field, other region's value, own value)
        (
            auditor,
            "audit-create",
            (),
            _audit_data_new(Case(None, own, world)),
            "region",
            other.region,
            own.region,
        ),
        (
            auditor,
            "audit-create-from-set",
            (),
            HOSTILE["audit-create-from-set"](Case(None, own, world)),
            "region",
            other.region,
            own.region,
        ),
        (
            auditor,
            "audit-edit",
            (draft.key,),
            _audit_data(draft),
            "audited_bodies",
            [other.s_body],
            [own.t_body],
        ),
        (
            auditor,
            "audit-edit",
            (draft.key,),
            _audit_data(draft),
            "follows_up",
            other.objects["audit"]["issued"],
            own.objects["audit"]["issued"],
        ),
        (
            auditor,
            "audit-issue",
            (factcheck.key,),
            HOSTILE["audit-issue"](factcheck),
            "bodies",
            [own.s_body, other.t_body],
            [own.s_body, own.t_body],
        ),
        (
            auditor,
            "recommendation-add",
            (draft.key,),
            HOSTILE["recommendation-add"](draft),
            "new-recommendation-body",
            other.s_body,
            own.t_body,
        ),
        (
            auditor,
            "recommendation-add",
            (draft.key,),
            HOSTILE["recommendation-add"](draft),
            "new-recommendation-questions",
            [other.objects["question"]["draft"]],
            [own.objects["question"]["draft"]],
        ),
        (
            auditor,
            "recommendation-edit",
            (draft_rec.key,),
            _recommendation_data(draft_rec),
            f"{rec_prefix}-body",
            other.s_body,
            own.t_body,
        ),
        (
            secretary,
            "measure-add",
            (response.key,),
            HOSTILE["measure-add"](response),
            "recommendations",
            [other_rec],
            [own_rec],
        ),
        (
            secretary,
            "measure-add",
            (response.key,),
            HOSTILE["measure-add"](response),
            "responsible_user",
            other_secretary,
            own_secretary,
        ),
        (
            secretary,
            "measure-edit",
            (measure.key,),
            HOSTILE["measure-edit"](measure),
            "recommendations",
            [other_rec],
            [own_rec],
        ),
    ]
    baseline = snapshot()
    failures = []
    for actor, name, args, payload, field_name, bad, good in attempts:
        url = reverse(name, args=args)
        client = actor.client(sessions)
        where = f"{name} | {actor.label} | POST {url} with {field_name}"
        got = ask(client, "POST", url, {**payload, field_name: bad}, htmx=False, baseline=baseline)
        if got.status not in (200, 404) or got.changes:
            failures.append(
                f"{where} of another region: got {got.status} {got.error} {got.changes}"
            )
        elif got.status == 200 and not _explains_refusal(got.body):
            failures.append(f"{where} of another region: 200 without form errors")
        control = ask(
            client, "POST", url, {**payload, field_name: good}, htmx=False, baseline=baseline
        )
        if not control.changes:
            failures.append(
                f"{where} of the own region (control) did not save: {control.status} "
                f"{control.error}"
            )
    # A response for another region's body, through the own audit's address.
    awaiting = own.objects["response-pair"]["awaiting"][0]
    url = reverse("response-edit", args=[awaiting, other.s_body])
    got = ask(secretary.client(sessions), "GET", url, None, htmx=False, baseline=None)
    if got.status != 404:
        failures.append(f"response-edit | {secretary.label} | GET {url}: got {got.status}")
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)


def test_every_actor_is_asked(world, db):
    """Guard against a silently empty loop: each logged-in actor reaches the start page."""
    for actor in ACTORS:
        got = ask(
            actor.client(world.sessions), "GET", reverse("home"), None, htmx=False, baseline=None
        )
        if actor.role == "anon":
            assert got.status == 302 and got.location.startswith(LOGIN_URL)
        else:
            assert got.status == 200, (actor, got.status, got.error)
