"""Every list's download: the rows of its current filter as CSV or XLSX.

A list describes its columns once (a header and how to get the value from a row); this
module writes them the way Swedish spreadsheet users expect:

- CSV: UTF-8 with a byte order mark (Excel otherwise reads å, ä and ö wrongly),
  semicolons between the fields (Swedish Excel's list separator), ISO dates.
- XLSX: a bold, frozen header row, sensible column widths, dates as real date cells
  shown as yyyy-mm-dd.

Neither can carry a formula: a CSV cell that starts like one (= + - @) gets an
apostrophe in front, and an XLSX cell with text is always written as text.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# A download holds every row of the filter, up to this many (a whole region's history
# is a few thousand); past it the user is asked to narrow the filter.
MAX_ROWS = 50_000

CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# What a spreadsheet program may take for the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "yyyy-mm-dd"


@dataclass(frozen=True)
class Column:
    """One column: its (translated) header, the value of a row, its width in characters."""

    header: Any
    value: Callable[[Any], Any]
    width: int = 14


def label(model: type[Model], field: str) -> Any:
    """A model field's own translated name as a column header ("Diarienummer")."""
    return capfirst(model._meta.get_field(field).verbose_name)


def link_to(request: HttpRequest, url_name: str) -> Callable[[int], str]:
    """The full address of an object's page, for the link column."""
    site = request.build_absolute_uri("/")[:-1]
    return lambda pk: site + reverse(url_name, args=[pk])


def yes_no(value: object) -> str:
    return _("Yes") if value else _("No")


def _plain(value: Any) -> Any:
    """Dates stay dates, numbers numbers; everything else becomes its text."""
    if value is None or isinstance(value, bool):
        return "" if value is None else yes_no(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date | int | float):
        return value
    return str(value)


def csv_cell(value: Any) -> str:
    value = _plain(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)


def write_csv(columns: Sequence[Column], rows: Iterable[Any]) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(column.header) for column in columns])
    for row in rows:
        writer.writerow([csv_cell(column.value(row)) for column in columns])
    return out.getvalue().encode("utf-8")


def _xlsx_cell(sheet: Any, value: Any) -> WriteOnlyCell | Any:
    value = _plain(value)
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # never a formula, whatever it starts with
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        is_moment = isinstance(value, datetime.datetime)
        cell.number_format = f"{DATE_FORMAT} hh:mm" if is_moment else DATE_FORMAT
        return cell
    return value


def write_xlsx(columns: Sequence[Column], rows: Iterable[Any], *, title: str) -> bytes:
    book = Workbook(write_only=True)
    # A sheet name has at most 31 characters and none of []:*?/\.
    sheet = book.create_sheet(title="".join(c for c in title if c not in "[]:*?/\\")[:31])
    sheet.freeze_panes = "A2"
    for number, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, column.value(row)) for column in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(title: str, extension: str) -> str:
    """`rekommendationer-2026-11-29.csv`: the list's name and today's date in Sweden."""
    today = timezone.localdate(timezone=timezone.get_default_timezone())
    return f"{slugify(title)}-{today.isoformat()}.{extension}"


def download(
    request: HttpRequest,
    *,
    format: str,
    rows: Any,
    columns: Sequence[Column],
    title: str,
    list_url: str,
) -> HttpResponse:
    """The rows (a queryset, already filtered and scoped) as a file to save.

    More than MAX_ROWS rows: back to the list with a message rather than a file cut
    short without saying so.
    """
    if format not in FORMATS:
        raise Http404
    fetched = list(rows[: MAX_ROWS + 1])
    if len(fetched) > MAX_ROWS:
        messages.error(
            request,
            _(
                "The list has more than %(limit)s rows, too many to download at once. "
                "Narrow the filters and download again."
            )
            % {"limit": number_format(MAX_ROWS, force_grouping=True)},
        )
        query = request.GET.urlencode()
        return redirect(f"{list_url}?{query}" if query else list_url)
    if format == CSV:
        data = write_csv(columns, fetched)
    else:
        data = write_xlsx(columns, fetched, title=title)
    response = HttpResponse(data, content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="{filename(title, format)}"'
    response["Cache-Control"] = "private, no-store"
    return response


# The headers every list shares.
ID = gettext_lazy("ID")
LINK = gettext_lazy("Link")
