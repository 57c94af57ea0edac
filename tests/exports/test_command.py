"""`manage.py export_pdf` writes any of the documents to a file."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from audits.models import Audit, QuestionSet

from ..web import demo_for_a_module
from .pdf import read_pdf


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_for_a_module(django_db_blocker, timezone.localdate()):
        yield


@pytest.mark.parametrize(
    ("kind", "title"),
    [
        ("report", "Revisionsrapport: Granskning av 1177 – Region Norrbotten"),
        ("cover-letter", "Missiv: Granskning av 1177 – Regionstyrelsen"),
        ("response", "Sammanställning av yttranden: Granskning av 1177 – Region Norrbotten"),
        ("comparison", "Jämförande PM: Granskning av 1177 (2021)"),
    ],
)
def test_each_audit_document_is_written_to_the_file(demo, db, tmp_path, kind, title, capsys):
    audit = Audit.objects.get(reference_number="Nr 11/2021")
    out = tmp_path / "sub" / f"{kind}.pdf"
    call_command("export_pdf", "--audit", audit.pk, "--kind", kind, "--out", str(out))
    pdf = read_pdf(out.read_bytes())
    assert pdf.title == title
    assert pdf.pdfa == ("3", "A")
    assert f"{out}: {title}" in capsys.readouterr().out


def test_the_follow_up_report_by_region_with_filters_and_in_english(demo, db, tmp_path):
    out = tmp_path / "followup.pdf"
    call_command(
        "export_pdf",
        "--kind=followup",
        "--region=norrbotten",
        "--year=2021",
        "--status=implemented",
        "--lang=en",
        f"--out={out}",
    )
    pdf = read_pdf(out.read_bytes())
    assert pdf.language == "en"
    assert pdf.title == "Follow-up report: Region Norrbotten"
    assert "Status Implemented" in pdf.text
    assert "Implementation rate 100 % (1/1)" in pdf.text


def test_the_comparison_by_question_set(demo, db, tmp_path):
    out = tmp_path / "memo.pdf"
    question_set = QuestionSet.objects.get()
    call_command(
        "export_pdf", f"--question-set={question_set.pk}", "--kind=comparison", f"--out={out}"
    )
    assert (
        "Region Norrbotten Region Västerbotten Region Västmanland"
        in read_pdf(out.read_bytes()).text
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--kind=report"], "--kind report needs --audit."),
        (["--kind=followup"], "--kind followup needs --region."),
        (["--kind=comparison"], "--kind comparison needs --question-set or --audit."),
        (["--kind=report", "--audit=999999"], "No audit 999999 that this user may see."),
        (["--kind=followup", "--region=gotland"], "No region 'gotland' that this user may see."),
    ],
)
def test_missing_or_unknown_subjects_are_refused_and_nothing_is_written(
    demo, db, tmp_path, arguments, message
):
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match=message):
        call_command("export_pdf", *arguments, f"--out={out}")
    assert not out.exists()


def test_the_pdf_benchmark_prints_its_table_and_leaves_nothing_behind(db, capsys):
    from regions.models import Region

    before = Region.objects.count()
    call_command("bench_pdf", "--runs=1", "--recommendations=20")
    out = capsys.readouterr().out
    assert "| document | pages | KB | median s | max s | goal |" in out
    for document in ("Audit report", "Cover letter", "Response summary", "Comparison memo"):
        assert f"| {document} (" in out or f"| {document} " in out, document
    assert "| Follow-up report (20 recommendations) |" in out
    assert Region.objects.count() == before
