"""The audit pages: creating and editing an audit, inline findings over htmx, the lifecycle."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.urls import reverse

from audits.models import (
    Assessment,
    Audit,
    AuditQuestion,
    AuditTeamMember,
    Criterion,
    Observation,
    QuestionSet,
    RatingLevel,
    SharedQuestion,
)
from recommendations.models import Recommendation
from regions.models import Body, Membership

from ..conftest import sv
from ..web import (
    HTMX,
    element,
    field_error,
    form_data,
    form_errors,
    formset_data,
    member,
    signed_in,
    text,
)

D = datetime.date
AUDITOR = Membership.Role.AUDITOR


@pytest.fixture
def auditor(region):
    return member(region, AUDITOR)


@pytest.fixture
def browser(auditor):
    return signed_in(auditor)


@pytest.fixture
def committee(region) -> Body:
    return Body.objects.create(region=region, name="Hälso- och sjukvårdsnämnden", short_name="HSN")


def _questions(audit: Audit, parent: AuditQuestion | None = None) -> list[tuple[int, str]]:
    rows = AuditQuestion.objects.filter(audit=audit, parent=parent).order_by("position")
    return list(rows.values_list("position", "text"))


def _settle(page) -> dict[str, str]:
    return json.loads(page["HX-Trigger-After-Settle"])


def _create_form(browser) -> dict:
    page = browser.get(reverse("audit-create"))
    assert page.status_code == 200
    return {**form_data(page.context["form"]), **formset_data(page.context["team"])}


def _edit_form(browser, audit: Audit) -> dict:
    page = browser.get(reverse("audit-edit", args=[audit.pk]))
    assert page.status_code == 200
    return {**form_data(page.context["form"]), **formset_data(page.context["team"])}


# Creating an audit ------------------------------------------------------------------


def test_auditor_creates_an_audit_and_lands_on_its_questions(browser, region, board, scale):
    data = _create_form(browser)
    data.update(
        title="Granskning av 1177",
        reference_number="Nr 11/2021",
        year="2021",
        rating_scale=str(scale.pk),
        audited_bodies=[str(board.pk)],
    )
    page = browser.post(reverse("audit-create"), data)
    audit = Audit.objects.get()
    assert page.status_code == 302
    assert page["Location"] == reverse("audit-detail", args=[audit.pk]) + "#questions"
    assert (audit.region, audit.title, audit.year) == (region, "Granskning av 1177", 2021)
    assert list(audit.audited_bodies.all()) == [board]
    assert audit.status == Audit.Status.PLANNED


def test_missing_title_is_shown_next_to_the_field_in_swedish(browser):
    data = _create_form(browser)
    data["title"] = ""
    page = browser.post(reverse("audit-create"), data)
    assert page.status_code == 200
    assert field_error(page, "id_title") == sv("This field is required.")
    assert not Audit.objects.exists()


def test_a_year_that_is_not_a_number_is_a_swedish_error_not_a_500(browser):
    data = {**_create_form(browser), "title": "Granskning av 1177", "year": "abc"}
    page = browser.post(reverse("audit-create"), data)
    assert page.status_code == 200
    assert field_error(page, "id_year") == sv("Enter a whole number.")
    assert not Audit.objects.exists()


@pytest.mark.parametrize("year", ["99999", "99999999999999999999", "1066"])
def test_a_year_out_of_range_is_refused_next_to_the_field(browser, year):
    data = {**_create_form(browser), "title": "Granskning av 1177", "year": year}
    page = browser.post(reverse("audit-create"), data)
    assert page.status_code == 200
    error = field_error(page, "id_year")
    if int(year) > 2100:
        assert (
            sv("Ensure this value is less than or equal to %(limit_value)s.")
            % {"limit_value": 2100}
            in error
        )
    else:
        assert (
            sv("Ensure this value is greater than or equal to %(limit_value)s.")
            % {"limit_value": 1990}
            in error
        )
    assert not Audit.objects.exists()


# "²" passes str.isdigit() but is no number int() can read.
@pytest.mark.parametrize(
    "region_value",
    ["foreign", "notanumber", "", "²"],
    ids=["foreign", "not-a-number", "empty", "superscript-two"],
)
def test_a_region_outside_the_users_scope_is_refused(browser, other_region, region_value):
    data = {**_create_form(browser), "title": "Granskning av 1177"}
    data["region"] = str(other_region.pk) if region_value == "foreign" else region_value
    page = browser.post(reverse("audit-create"), data)
    assert page.status_code == 200
    expected = (
        sv("This field is required.")
        if region_value == ""
        else sv("Select a valid choice. That choice is not one of the available choices.")
    )
    assert field_error(page, "id_region") == expected
    assert not Audit.objects.exists()


def test_a_body_of_another_region_is_refused(browser, other_region):
    foreign = Body.objects.create(region=other_region, name="Regionstyrelsen")
    data = {**_create_form(browser), "title": "Granskning av 1177", "audited_bodies": [foreign.pk]}
    page = browser.post(reverse("audit-create"), data)
    assert page.status_code == 200
    assert field_error(page, "id_audited_bodies") == sv(
        "Select a valid choice. %(value)s is not one of the available choices."
    ) % {"value": foreign.pk}
    assert not Audit.objects.exists()


def test_a_reference_number_taken_in_the_region_is_refused_in_swedish(browser, audit):
    audit.reference_number = "Nr 11/2021"
    audit.save()
    data = {
        **_create_form(browser),
        "title": "En annan granskning",
        "reference_number": "Nr 11/2021",
    }
    page = browser.post(reverse("audit-create"), data)
    assert page.status_code == 200
    assert sv("The region already has an audit with this reference.") in text(page)
    assert Audit.objects.count() == 1


def test_secretary_cannot_create_audits(region, board):
    secretary = signed_in(member(region, Membership.Role.SECRETARY, bodies=(board,)))
    assert secretary.get(reverse("audit-create")).status_code == 403
    assert secretary.post(reverse("audit-create"), {"title": "x"}).status_code == 403


# Editing the details ------------------------------------------------------------------


def test_criteria_one_per_line_become_criteria_in_order(browser, audit):
    data = _edit_form(browser, audit)
    data["criteria_text"] = (
        "Kommunallagen (2017:725)\n\n   Hälso- och sjukvårdslagen (2017:30)  \r\n"
        "Regionens digitaliseringsstrategi\n"
    )
    page = browser.post(reverse("audit-edit", args=[audit.pk]), data)
    assert page.status_code == 302
    assert list(audit.criteria.values_list("position", "text")) == [
        (1, "Kommunallagen (2017:725)"),
        (2, "Hälso- och sjukvårdslagen (2017:30)"),
        (3, "Regionens digitaliseringsstrategi"),
    ]

    data = _edit_form(browser, audit)
    assert data["criteria_text"].splitlines()[0] == "Kommunallagen (2017:725)"
    data["criteria_text"] = "Patientlagen (2014:821)\nKommunallagen (2017:725)"
    browser.post(reverse("audit-edit", args=[audit.pk]), data)
    assert list(Criterion.objects.filter(audit=audit).values_list("position", "text")) == [
        (1, "Patientlagen (2014:821)"),
        (2, "Kommunallagen (2017:725)"),
    ]
    page = browser.get(reverse("audit-detail", args=[audit.pk]))
    html = text(page)
    assert html.index("Patientlagen (2014:821)") < html.index("Kommunallagen (2017:725)")


def test_team_members_are_saved_in_the_order_of_the_form(browser, audit):
    data = _edit_form(browser, audit)
    data.update(
        {
            "team-0-name": "Ida Ek",
            "team-0-title": "Projektledare",
            "team-0-role": "project_lead",
            "team-1-name": "Carl Berg",
            "team-1-title": "Certifierad kommunal revisor",
            "team-1-role": "quality_reviewer",
        }
    )
    page = browser.post(reverse("audit-edit", args=[audit.pk]), data)
    assert page.status_code == 302
    team = list(audit.team.order_by("position").values_list("position", "name", "role"))
    assert team == [(1, "Ida Ek", "project_lead"), (2, "Carl Berg", "quality_reviewer")]

    # Removing the first member moves the second up.
    data = _edit_form(browser, audit)
    data["team-0-DELETE"] = "on"
    browser.post(reverse("audit-edit", args=[audit.pk]), data)
    assert list(audit.team.values_list("position", "name")) == [(1, "Carl Berg")]
    page = browser.get(reverse("audit-detail", args=[audit.pk]))
    assert "Carl Berg (Certifierad kommunal revisor)" in text(page)


def test_a_second_quality_reviewer_is_refused(browser, audit):
    AuditTeamMember.objects.create(audit=audit, name="Carl Berg", role="quality_reviewer")
    data = _edit_form(browser, audit)
    data.update({"team-1-name": "Ida Ek", "team-1-role": "quality_reviewer"})
    page = browser.post(reverse("audit-edit", args=[audit.pk]), data)
    assert page.status_code == 200
    assert sv("The audit already has a quality reviewer.") in form_errors(page)
    assert list(audit.team.values_list("name", flat=True)) == ["Carl Berg"]


def test_two_quality_reviewers_on_a_new_audit_are_refused(browser):
    data = {**_create_form(browser), "title": "Granskning av 1177"}
    data.update(
        {
            "team-0-name": "Carl Berg",
            "team-0-role": "quality_reviewer",
            "team-1-name": "Ida Ek",
            "team-1-role": "quality_reviewer",
        }
    )
    page = browser.post(reverse("audit-create"), data)
    assert page.status_code == 200
    assert sv("The audit already has a quality reviewer.") in form_errors(page)
    assert not Audit.objects.exists()


# Starting from a coordinated question set ------------------------------------------


@pytest.fixture
def question_set(db) -> QuestionSet:
    question_set = QuestionSet.objects.create(title="Granskning av 1177", year=2021)
    first = SharedQuestion.objects.create(
        question_set=question_set, position=1, text="Ökar användningen av 1177?"
    )
    SharedQuestion.objects.create(
        question_set=question_set, position=2, text="Finns mål för 1177 på telefon?"
    )
    SharedQuestion.objects.create(
        question_set=question_set, parent=first, position=1, text="Följs användningen upp?"
    )
    return question_set


def _from_set(question_set, region, scale, **extra) -> dict:
    return {
        "question_set": question_set.pk,
        "region": region.pk,
        "rating_scale": scale.pk,
        "title": "",
        "reference_number": "",
        "audit_firm": "PwC",
        **extra,
    }


def test_starting_from_a_question_set_copies_its_questions(browser, question_set, region, scale):
    page = browser.post(
        reverse("audit-create-from-set"), _from_set(question_set, region, scale, title="")
    )
    audit = Audit.objects.get()
    assert page.status_code == 302
    assert page["Location"] == reverse("audit-detail", args=[audit.pk]) + "#questions"
    assert (audit.title, audit.year, audit.question_set) == (
        "Granskning av 1177",
        2021,
        question_set,
    )
    assert _questions(audit) == [
        (1, "Ökar användningen av 1177?"),
        (2, "Finns mål för 1177 på telefon?"),
    ]
    main = audit.questions.get(position=1, parent=None)
    assert _questions(audit, parent=main) == [(1, "Följs användningen upp?")]
    assert all(q.shared_question_id for q in audit.questions.all())


def test_a_second_audit_of_the_same_set_in_the_region_is_refused(
    browser, auditor, question_set, region, other_region, scale
):
    browser.post(reverse("audit-create-from-set"), _from_set(question_set, region, scale))
    page = browser.post(reverse("audit-create-from-set"), _from_set(question_set, region, scale))
    assert page.status_code == 200
    assert field_error(page, "id_question_set") == sv(
        "The region already has an audit from this question set."
    )
    assert Audit.objects.filter(region=region).count() == 1

    # Another region takes part in the same coordinated audit.
    other = signed_in(member(other_region, AUDITOR))
    page = other.post(
        reverse("audit-create-from-set"), _from_set(question_set, other_region, scale)
    )
    assert page.status_code == 302
    assert Audit.objects.filter(question_set=question_set).count() == 2


# Inline question editing over htmx -------------------------------------------------


def test_adding_questions_over_htmx_numbers_them_and_refreshes_the_questions(browser, audit):
    url = reverse("question-add", args=[audit.pk])
    for number, question in enumerate(["Finns mål?", "Följs målen upp?", "Finns rutiner?"], 1):
        page = browser.post(url, {"new-text": question}, **HTMX)
        assert page.status_code == 200
        assert page["HX-Retarget"] == "#questions"
        assert page["HX-Reswap"] == "outerHTML"
        assert _settle(page) == {
            "tracker:focus": "#id_new-text",
            "tracker:announce": sv("Question %(number)s added.") % {"number": number},
        }
        assert json.loads(page["HX-Trigger"]) == {"audit-changed": ""}
        assert page.content.decode().lstrip().startswith('<div id="questions">')
        assert "<html" not in page.content.decode()
    assert _questions(audit) == [(1, "Finns mål?"), (2, "Följs målen upp?"), (3, "Finns rutiner?")]


def test_an_empty_question_is_answered_in_place_with_a_swedish_error(browser, audit):
    page = browser.post(reverse("question-add", args=[audit.pk]), {"new-text": " "}, **HTMX)
    assert page.status_code == 200
    assert "HX-Retarget" not in page
    assert field_error(page, "id_new-text") == sv("This field is required.")
    assert not audit.questions.exists()


def test_sub_questions_are_numbered_under_their_main_question(browser, audit):
    url = reverse("question-add", args=[audit.pk])
    browser.post(url, {"new-text": "Finns styrning?"}, **HTMX)
    browser.post(url, {"new-text": "Finns uppföljning?"}, **HTMX)
    main = audit.questions.get(position=2)
    for sub in ["Finns mål?", "Finns rapportering?"]:
        page = browser.post(url, {"parent": main.pk, "new-sub-text": sub}, **HTMX)
        added = audit.questions.get(parent=main, text=sub)
        assert page["HX-Retarget"] == "#questions"
        assert _settle(page) == {
            "tracker:focus": f"#question-{added.pk}",
            "tracker:announce": sv("Question %(number)s added.") % {"number": added.number},
        }
    assert _questions(audit, parent=main) == [(1, "Finns mål?"), (2, "Finns rapportering?")]
    assert [q.number for q in main.sub_questions.order_by("position")] == ["2.1", "2.2"]
    assert _questions(audit) == [(1, "Finns styrning?"), (2, "Finns uppföljning?")]


def test_a_sub_question_cannot_have_sub_questions(browser, audit):
    url = reverse("question-add", args=[audit.pk])
    browser.post(url, {"new-text": "Finns styrning?"}, **HTMX)
    main = audit.questions.get()
    browser.post(url, {"parent": main.pk, "new-sub-text": "Finns mål?"}, **HTMX)
    sub = main.sub_questions.get()
    page = browser.post(url, {"parent": sub.pk, "new-sub-text": "Djupare?"}, **HTMX)
    assert page.status_code == 404
    assert audit.questions.count() == 2


@pytest.mark.parametrize(
    "parent", ["abc", "-1", "1.0", "²"], ids=["abc", "negative", "decimal", "superscript-two"]
)
def test_a_parent_that_is_not_an_id_is_a_bad_request(browser, audit, parent):
    url = reverse("question-add", args=[audit.pk])
    page = browser.post(url, {"parent": parent, "new-sub-text": "Delfråga"}, **HTMX)
    assert page.status_code == 400
    assert not audit.questions.exists()


def test_a_sub_question_cannot_be_added_under_another_audits_question(
    browser, audit, region, scale
):
    other = Audit.objects.create(region=region, title="Annan", year=2022, rating_scale=scale)
    foreign = AuditQuestion.objects.create(audit=other, position=1, text="Annan fråga")
    url = reverse("question-add", args=[audit.pk])
    page = browser.post(url, {"parent": foreign.pk, "new-sub-text": "Delfråga"}, **HTMX)
    assert page.status_code == 404
    assert not AuditQuestion.objects.filter(parent=foreign).exists()


def _three_questions(audit: Audit) -> list[AuditQuestion]:
    return [
        AuditQuestion.objects.create(audit=audit, position=position, text=text)
        for position, text in enumerate(["Första", "Andra", "Tredje"], start=1)
    ]


def test_moving_a_question_down_and_up_swaps_it_with_its_neighbour(browser, audit):
    first, second, _third = _three_questions(audit)
    page = browser.post(reverse("question-move", args=[first.pk]), {"direction": "down"}, **HTMX)
    assert page.status_code == 200
    assert page["HX-Retarget"] == "#questions"
    assert _settle(page) == {
        "tracker:focus": f"#move-down-{first.pk}",
        "tracker:announce": sv("Question moved; it is now number %(number)s.") % {"number": 2},
    }
    assert _questions(audit) == [(1, "Andra"), (2, "Första"), (3, "Tredje")]
    html = page.content.decode()
    assert html.index("Andra") < html.index("Första") < html.index("Tredje")

    browser.post(reverse("question-move", args=[first.pk]), {"direction": "up"}, **HTMX)
    assert _questions(audit) == [(1, "Första"), (2, "Andra"), (3, "Tredje")]

    page = browser.post(reverse("question-move", args=[first.pk]), {"direction": "up"}, **HTMX)
    assert _settle(page)["tracker:announce"] == sv("Question %(number)s is already first.") % {
        "number": 1
    }
    assert _questions(audit) == [(1, "Första"), (2, "Andra"), (3, "Tredje")]
    second.refresh_from_db()
    assert second.position == 2


def test_moving_a_sub_question_stays_among_its_siblings(browser, audit):
    main, *_ = _three_questions(audit)
    one = AuditQuestion.objects.create(audit=audit, parent=main, position=1, text="Delfråga A")
    AuditQuestion.objects.create(audit=audit, parent=main, position=2, text="Delfråga B")
    browser.post(reverse("question-move", args=[one.pk]), {"direction": "down"}, **HTMX)
    assert _questions(audit, parent=main) == [(1, "Delfråga B"), (2, "Delfråga A")]
    assert _questions(audit) == [(1, "Första"), (2, "Andra"), (3, "Tredje")]


def test_deleting_a_question_renumbers_the_rest(browser, audit):
    first, second, _third = _three_questions(audit)
    AuditQuestion.objects.create(audit=audit, parent=second, position=1, text="Delfråga")
    page = browser.post(reverse("question-delete", args=[second.pk]))
    assert page.status_code == 302
    assert page["Location"] == reverse("audit-detail", args=[audit.pk]) + "#questions"
    assert _questions(audit) == [(1, "Första"), (2, "Tredje")]
    assert not AuditQuestion.objects.filter(text="Delfråga").exists()

    one = AuditQuestion.objects.create(audit=audit, parent=first, position=1, text="A")
    AuditQuestion.objects.create(audit=audit, parent=first, position=2, text="B")
    AuditQuestion.objects.create(audit=audit, parent=first, position=3, text="C")
    browser.post(reverse("question-delete", args=[one.pk]))
    assert _questions(audit, parent=first) == [(1, "B"), (2, "C")]


def test_the_delete_page_says_what_goes_with_the_question(browser, audit):
    first, *_ = _three_questions(audit)
    Observation.objects.create(question=first, position=1, text="Ingen uppföljning.")
    page = browser.get(reverse("question-delete", args=[first.pk]))
    assert page.status_code == 200
    assert "Första" in text(page)
    assert AuditQuestion.objects.filter(pk=first.pk).exists()


def test_without_htmx_the_inline_forms_are_pages_of_their_own(browser, audit):
    question = AuditQuestion.objects.create(audit=audit, position=1, text="Finns mål?")
    detail = reverse("audit-detail", args=[audit.pk])
    for url in [
        reverse("question-add", args=[audit.pk]),
        reverse("question-add", args=[audit.pk]) + f"?parent={question.pk}",
        reverse("question-edit", args=[question.pk]),
        reverse("observation-add", args=[question.pk]),
        reverse("assessment-edit", args=[question.pk]),
        reverse("overall-edit", args=[audit.pk]),
    ]:
        page = browser.get(url)
        assert page.status_code == 200, url
        assert "<html" in page.content.decode(), url
        assert f'href="{detail}' in page.content.decode(), url
        fragment = browser.get(url, **HTMX)
        assert fragment.status_code == 200, url
        assert "<html" not in fragment.content.decode(), url
        assert "hx-post=" in fragment.content.decode(), url


def test_without_htmx_posts_redirect_back_to_the_audit_page(browser, audit, scale):
    detail = reverse("audit-detail", args=[audit.pk])
    page = browser.post(reverse("question-add", args=[audit.pk]), {"new-text": "Finns mål?"})
    assert (page.status_code, page["Location"]) == (302, f"{detail}#add-question")
    question = audit.questions.get()

    page = browser.post(
        reverse("question-add", args=[audit.pk]),
        {"parent": question.pk, "new-sub-text": "Delfråga"},
    )
    sub = question.sub_questions.get()
    assert (page.status_code, page["Location"]) == (302, f"{detail}#question-{sub.pk}")

    page = browser.post(
        reverse("question-edit", args=[question.pk]), {"text": "Finns beslutade mål?", "version": 1}
    )
    assert (page.status_code, page["Location"]) == (302, f"{detail}#question-{question.pk}")

    page = browser.post(reverse("question-move", args=[question.pk]), {"direction": "down"})
    assert (page.status_code, page["Location"]) == (302, f"{detail}#question-{question.pk}")

    level = scale.levels.get(label="Uppfylld")
    page = browser.post(
        reverse("assessment-edit", args=[question.pk]), {f"rating-{question.pk}-level": level.pk}
    )
    assert (page.status_code, page["Location"]) == (302, f"{detail}#question-{question.pk}")

    page = browser.post(
        reverse("observation-add", args=[question.pk]),
        {f"obs-new-{question.pk}-text": "Iakttagelse"},
    )
    assert (page.status_code, page["Location"]) == (302, f"{detail}#question-{question.pk}")

    page = browser.post(
        reverse("overall-edit", args=[audit.pk]), {"overall_assessment": "Delvis.", "version": 1}
    )
    assert (page.status_code, page["Location"]) == (302, f"{detail}#overall")

    page = browser.get(reverse("question-block", args=[question.pk]))
    assert (page.status_code, page["Location"]) == (302, f"{detail}#question-{question.pk}")

    question.refresh_from_db()
    assert question.text == "Finns beslutade mål?"
    assert question.assessment.level == level
    assert question.observations.get().text == "Iakttagelse"
    audit.refresh_from_db()
    assert audit.overall_assessment == "Delvis."


# Observations ------------------------------------------------------------------------


def test_observations_are_added_edited_and_deleted_in_order(browser, audit):
    question = AuditQuestion.objects.create(audit=audit, position=1, text="Finns mål?")
    add = reverse("observation-add", args=[question.pk])
    prefix = f"obs-new-{question.pk}"
    for heading in ["Styrning", "Uppföljning", "Rapportering"]:
        page = browser.post(
            add, {f"{prefix}-heading": heading, f"{prefix}-text": f"Om {heading.lower()}."}, **HTMX
        )
        assert page.status_code == 200
        assert page["HX-Retarget"] == f"#question-{question.pk}"
        assert _settle(page)["tracker:announce"] == sv("Observation added.")
        assert heading in page.content.decode()
    rows = question.observations.order_by("position")
    assert list(rows.values_list("position", "heading")) == [
        (1, "Styrning"),
        (2, "Uppföljning"),
        (3, "Rapportering"),
    ]

    middle = rows.get(position=2)
    url = reverse("observation-edit", args=[middle.pk])
    form = browser.get(url, **HTMX)
    data = form_data(form.context["form"])
    data[f"obs-{middle.pk}-text"] = "Uppföljningen saknas helt."
    page = browser.post(url, data, **HTMX)
    assert page.status_code == 200
    assert "Uppföljningen saknas helt." in text(page)
    middle.refresh_from_db()
    assert middle.text == "Uppföljningen saknas helt."

    page = browser.post(reverse("observation-delete", args=[rows.get(position=1).pk]))
    assert page.status_code == 302
    assert list(question.observations.values_list("position", "heading")) == [
        (1, "Uppföljning"),
        (2, "Rapportering"),
    ]


def test_an_observation_needs_its_text(browser, audit):
    question = AuditQuestion.objects.create(audit=audit, position=1, text="Finns mål?")
    page = browser.post(
        reverse("observation-add", args=[question.pk]),
        {f"obs-new-{question.pk}-heading": "Rubrik", f"obs-new-{question.pk}-text": ""},
        **HTMX,
    )
    assert page.status_code == 200
    assert field_error(page, f"id_obs-new-{question.pk}-text") == sv("This field is required.")
    assert not question.observations.exists()


# Rating ---------------------------------------------------------------------------------


def test_rating_a_question_with_a_level_of_the_audits_scale(browser, audit, scale):
    question = AuditQuestion.objects.create(audit=audit, position=1, text="Finns mål?")
    url = reverse("assessment-edit", args=[question.pk])
    form = browser.get(url, **HTMX)
    offered = form.context["form"].fields["level"].queryset
    assert list(offered) == list(scale.levels.order_by("rank"))
    level = scale.levels.get(label="Delvis uppfylld")
    page = browser.post(
        url,
        {
            f"rating-{question.pk}-level": level.pk,
            f"rating-{question.pk}-comment": "Mål finns men följs inte upp.",
        },
        **HTMX,
    )
    assert page.status_code == 200
    assert page["HX-Retarget"] == f"#question-{question.pk}"
    assert json.loads(page["HX-Trigger"]) == {"audit-changed": ""}
    assert "Delvis uppfylld" in text(page)
    assessment = Assessment.objects.get(question=question)
    assert (assessment.level, assessment.comment) == (level, "Mål finns men följs inte upp.")


def test_a_level_of_another_scale_is_refused_in_swedish(browser, audit):
    question = AuditQuestion.objects.create(audit=audit, position=1, text="Finns mål?")
    foreign = RatingLevel.objects.get(scale__code="trafikljus", label="Grön")
    page = browser.post(
        reverse("assessment-edit", args=[question.pk]),
        {f"rating-{question.pk}-level": foreign.pk},
        **HTMX,
    )
    assert page.status_code == 200
    assert field_error(page, f"id_rating-{question.pk}-level") == sv(
        "Select a valid choice. That choice is not one of the available choices."
    )
    assert not Assessment.objects.exists()


def test_the_scale_of_a_rated_audit_cannot_be_changed(browser, audit, scale):
    question = AuditQuestion.objects.create(audit=audit, position=1, text="Finns mål?")
    Assessment.objects.create(question=question, level=scale.levels.get(rank=1))
    data = _edit_form(browser, audit)
    other_scale = RatingLevel.objects.get(scale__code="trafikljus", label="Grön").scale
    data.update(rating_scale=other_scale.pk, title="Granskning av 1177 Vårdguiden")
    page = browser.post(reverse("audit-edit", args=[audit.pk]), data)
    assert page.status_code == 302
    audit.refresh_from_db()
    assert (audit.rating_scale, audit.title) == (scale, "Granskning av 1177 Vårdguiden")


def test_changing_a_rating_keeps_one_assessment(browser, audit, scale):
    question = AuditQuestion.objects.create(audit=audit, position=1, text="Finns mål?")
    url = reverse("assessment-edit", args=[question.pk])
    browser.post(url, {f"rating-{question.pk}-level": scale.levels.get(rank=1).pk}, **HTMX)
    data = form_data(browser.get(url, **HTMX).context["form"])
    data[f"rating-{question.pk}-level"] = scale.levels.get(rank=3).pk
    page = browser.post(url, data, **HTMX)
    assert page.status_code == 200
    assert Assessment.objects.get(question=question).level.label == "Ej uppfylld"


def test_summary_table_lists_questions_in_order_with_the_rating_word(audit, scale, auditor):
    levels = {level.label: level for level in scale.levels.all()}
    second = AuditQuestion.objects.create(audit=audit, position=2, text="Följs målen upp?")
    first = AuditQuestion.objects.create(audit=audit, position=1, text="Finns mål?")
    sub = AuditQuestion.objects.create(audit=audit, parent=first, position=1, text="För telefon?")
    Assessment.objects.create(question=first, level=levels["Uppfylld"], comment="Mål finns.")
    Assessment.objects.create(question=second, level=levels["Ej uppfylld"], comment="Saknas.")
    page = signed_in(auditor).get(reverse("audit-detail", args=[audit.pk]))
    summary = element(page, '<section id="summary"', "section")
    rows = [
        [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]
        for cells in re.findall(
            r'<tr><th scope="row">(.*?)</th><td>(.*?)</td><td class="prose">(.*?)</td></tr>',
            summary,
            re.S,
        )
    ]
    assert rows == [
        ["1. Finns mål?", "Uppfylld", "Mål finns."],
        ["1.1. För telefon?", sv("Not rated"), ""],
        ["2. Följs målen upp?", "Ej uppfylld", "Saknas."],
    ]
    assert sub.number == "1.1"


# Lifecycle ------------------------------------------------------------------------------


def _move(browser, audit: Audit, status: str):
    return browser.post(reverse("audit-move", args=[audit.pk]), {"status": status}, follow=True)


def test_the_lifecycle_moves_only_along_allowed_steps(browser, audit):
    page = _move(browser, audit, "fact_check")
    audit.refresh_from_db()
    assert audit.status == Audit.Status.PLANNED
    assert sv("An audit cannot move from %(old)s to %(new)s.") % {
        "old": sv("planned"),
        "new": sv("fact check"),
    } in text(page)

    for status in ["ongoing", "fact_check", "ongoing", "fact_check"]:
        page = _move(browser, audit, status)
        audit.refresh_from_db()
        assert audit.status == status
        assert sv("The audit's status is now: %(status)s.") % {
            "status": audit.get_status_display()
        } in text(page)


@pytest.mark.parametrize("status", ["issued", "bogus", ""])
def test_a_move_that_is_not_offered_is_refused(browser, audit, status):
    audit.status = Audit.Status.FACT_CHECK
    audit.save()
    page = _move(browser, audit, status)
    assert page.status_code == 200
    assert sv("Choose one of the offered steps.") in text(page)
    audit.refresh_from_db()
    assert audit.status == Audit.Status.FACT_CHECK
    assert audit.issued_date is None


def test_a_move_the_lifecycle_does_not_allow_is_refused(browser, audit):
    audit.status = Audit.Status.FACT_CHECK
    audit.save()
    page = _move(browser, audit, "answered")
    assert sv("An audit cannot move from %(old)s to %(new)s.") % {
        "old": sv("fact check"),
        "new": sv("answered"),
    } in text(page)
    audit.refresh_from_db()
    assert audit.status == Audit.Status.FACT_CHECK


def test_the_audit_page_offers_only_the_allowed_moves(browser, audit):
    audit.status = Audit.Status.ONGOING
    audit.save()
    page = browser.get(reverse("audit-detail", args=[audit.pk]))
    offered = re.findall(
        r'<button type="submit" name="status" value="(\w+)"', page.content.decode()
    )
    assert sorted(offered) == ["fact_check", "planned"]


def test_reader_cannot_move_an_audit(issued_audit, region):
    reader = signed_in(member(region, Membership.Role.READER))
    page = reader.post(reverse("audit-move", args=[issued_audit.pk]), {"status": "answered"})
    assert page.status_code == 403
    issued_audit.refresh_from_db()
    assert issued_audit.status == Audit.Status.ISSUED


def _issue(browser, audit: Audit, **data):
    values = {"issued_date": "2021-02-26", "response_deadline": "2021-05-31", **data}
    return browser.post(reverse("audit-issue", args=[audit.pk]), values)


@pytest.fixture
def fact_checked(audit) -> Audit:
    audit.status = Audit.Status.FACT_CHECK
    audit.save()
    return audit


def test_issuing_sends_the_report_to_the_chosen_bodies(browser, fact_checked, board):
    page = _issue(browser, fact_checked, bodies=[board.pk])
    assert page.status_code == 302
    fact_checked.refresh_from_db()
    assert fact_checked.status == Audit.Status.ISSUED
    assert fact_checked.issued_date == D(2021, 2, 26)
    assert fact_checked.response_deadline == D(2021, 5, 31)
    assert list(fact_checked.audited_bodies.all()) == [board]


def test_issuing_sends_the_report_only_to_the_bodies_chosen_on_the_issue_form(
    browser, fact_checked, board, committee, region
):
    # The details named both bodies; the issue form sends the report to the board alone.
    fact_checked.audited_bodies.set([board, committee])
    page = _issue(browser, fact_checked, bodies=[board.pk])
    assert page.status_code == 302
    fact_checked.refresh_from_db()
    assert fact_checked.status == Audit.Status.ISSUED
    assert list(fact_checked.audited_bodies.all()) == [board]
    committee_secretary = signed_in(
        member(region, Membership.Role.SECRETARY, bodies=(committee,), username="hsn")
    )
    page = committee_secretary.get(reverse("audit-detail", args=[fact_checked.pk]))
    assert page.status_code == 404


def test_the_issue_form_needs_at_least_one_body(browser, fact_checked):
    page = _issue(browser, fact_checked)
    assert page.status_code == 200
    assert field_error(page, "id_bodies") == sv("Choose at least one body to send the report to.")
    fact_checked.refresh_from_db()
    assert fact_checked.status == Audit.Status.FACT_CHECK


def test_only_an_audit_in_fact_check_can_be_issued(browser, audit, board):
    audit.status = Audit.Status.ONGOING
    audit.save()
    page = browser.get(reverse("audit-issue", args=[audit.pk]), follow=True)
    assert sv("Only an audit in fact check can be issued.") in text(page)
    page = _issue(browser, audit, bodies=[board.pk])
    assert page.status_code == 302
    audit.refresh_from_db()
    assert audit.status == Audit.Status.ONGOING
    assert audit.issued_date is None


def test_the_issue_form_refuses_a_deadline_before_the_issue_date(browser, fact_checked, board):
    page = _issue(browser, fact_checked, bodies=[board.pk], response_deadline="2021-02-25")
    assert page.status_code == 200
    assert field_error(page, "id_response_deadline") == sv(
        "The response deadline cannot be before the issue date."
    )
    fact_checked.refresh_from_db()
    assert fact_checked.status == Audit.Status.FACT_CHECK


def test_the_issue_form_refuses_a_date_that_is_not_iso(browser, fact_checked, board):
    page = _issue(browser, fact_checked, bodies=[board.pk], issued_date="26/2/2021")
    assert page.status_code == 200
    assert field_error(page, "id_issued_date") == sv("Enter a date as YYYY-MM-DD, e.g. 2022-09-15.")
    fact_checked.refresh_from_db()
    assert fact_checked.status == Audit.Status.FACT_CHECK


def test_the_issue_form_refuses_when_a_recommendation_body_is_not_a_recipient(
    browser, fact_checked, board, committee
):
    Recommendation.objects.create(audit=fact_checked, body=committee, number=1, text="Sätt mål.")
    page = _issue(browser, fact_checked, bodies=[board.pk])
    assert page.status_code == 200
    assert field_error(page, "id_bodies") == sv(
        "Recommendations are addressed to %(bodies)s; send the report there too."
    ) % {"bodies": "Hälso- och sjukvårdsnämnden"}
    fact_checked.refresh_from_db()
    assert fact_checked.status == Audit.Status.FACT_CHECK
    assert not fact_checked.audited_bodies.exists()


def test_the_issue_form_refuses_a_body_of_another_region(browser, fact_checked, other_region):
    foreign = Body.objects.create(region=other_region, name="Regionstyrelsen")
    page = _issue(browser, fact_checked, bodies=[foreign.pk])
    assert page.status_code == 200
    assert field_error(page, "id_bodies") == sv(
        "Select a valid choice. %(value)s is not one of the available choices."
    ) % {"value": foreign.pk}
    fact_checked.refresh_from_db()
    assert fact_checked.status == Audit.Status.FACT_CHECK


# Issued findings stay as sent --------------------------------------------------------


@pytest.fixture
def issued_findings(issued_audit, scale):
    question = AuditQuestion.objects.create(audit=issued_audit, position=1, text="Finns mål?")
    observation = Observation.objects.create(question=question, position=1, text="Nej.")
    Assessment.objects.create(question=question, level=scale.levels.get(rank=2))
    recommendation = Recommendation.objects.create(
        audit=issued_audit, body=issued_audit.audited_bodies.get(), number=1, text="Sätt mål."
    )
    return {
        "audit": issued_audit,
        "question": question,
        "observation": observation,
        "recommendation": recommendation,
    }


EDITS_OF_FINDINGS = [
    ("audit-edit", "audit"),
    ("overall-edit", "audit"),
    ("question-add", "audit"),
    ("question-edit", "question"),
    ("question-move", "question"),
    ("question-delete", "question"),
    ("assessment-edit", "question"),
    ("assessment-delete", "question"),
    ("observation-add", "question"),
    ("observation-edit", "observation"),
    ("observation-delete", "observation"),
    ("recommendation-add", "audit"),
    ("recommendation-edit", "recommendation"),
    ("recommendation-delete", "recommendation"),
]


@pytest.mark.parametrize(("url_name", "target"), EDITS_OF_FINDINGS)
def test_findings_of_an_issued_audit_cannot_be_edited(browser, issued_findings, url_name, target):
    url = reverse(url_name, args=[issued_findings[target].pk])
    assert browser.post(url, {"text": "Ändrad", "direction": "down"}, **HTMX).status_code == 403
    if url_name != "question-move":
        assert browser.get(url).status_code == 403
    question = issued_findings["question"]
    question.refresh_from_db()
    assert (question.text, question.position) == ("Finns mål?", 1)
    assert question.observations.count() == 1
    assert Assessment.objects.filter(question=question).exists()
    assert Recommendation.objects.get().text == "Sätt mål."


def test_the_issued_audit_page_offers_no_editing(browser, issued_findings):
    page = browser.get(reverse("audit-detail", args=[issued_findings["audit"].pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("question-edit", args=[issued_findings["question"].pk]) not in html
    assert reverse("audit-edit", args=[issued_findings["audit"].pk]) not in html


# Who sees what ---------------------------------------------------------------------------


def test_auditor_of_another_region_does_not_see_the_audit(audit, other_region):
    stranger = signed_in(member(other_region, AUDITOR))
    question = AuditQuestion.objects.create(audit=audit, position=1, text="Finns mål?")
    assert stranger.get(reverse("audit-detail", args=[audit.pk])).status_code == 404
    assert stranger.get(reverse("question-edit", args=[question.pk])).status_code == 404
    page = stranger.post(reverse("question-add", args=[audit.pk]), {"new-text": "x"}, **HTMX)
    assert page.status_code == 404
    assert audit.questions.count() == 1


def test_secretary_sees_the_issued_report_but_cannot_change_it(issued_findings, region, board):
    secretary = signed_in(member(region, Membership.Role.SECRETARY, bodies=(board,)))
    audit = issued_findings["audit"]
    assert secretary.get(reverse("audit-detail", args=[audit.pk])).status_code == 200
    question = issued_findings["question"]
    assert secretary.get(reverse("question-edit", args=[question.pk])).status_code == 403


def test_nobody_outside_the_audit_side_sees_a_draft(audit, region, board):
    audit.audited_bodies.add(board)
    reader = signed_in(member(region, Membership.Role.READER))
    secretary = signed_in(member(region, Membership.Role.SECRETARY, bodies=(board,)))
    for client in (reader, secretary):
        assert client.get(reverse("audit-detail", args=[audit.pk])).status_code == 404
