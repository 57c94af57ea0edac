"""How a page answers: an htmx fragment for inline edits, a whole page otherwise.

Every inline form also works as a plain page (without JavaScript, or opened in a new
tab): GET shows the form on its own page, POST redirects back to where it came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from .htmx import after_swap, is_htmx


def focus_first_field(form: forms.BaseForm) -> None:
    for field in form.visible_fields():
        field.field.widget.attrs["autofocus"] = True
        return


INLINE_FORM = "includes/_inline_form.html"


def render_form(
    request: HttpRequest,
    *,
    context: dict[str, Any],
    template: str = INLINE_FORM,
    title: str,
    back_url: str,
    back_label: str,
) -> HttpResponse:
    """The form fragment for htmx, or the same form on a page of its own."""
    inline = is_htmx(request)
    form = context.get("form")
    if inline and form is not None and request.method == "GET":
        focus_first_field(form)
    context = {**context, "inline": inline}
    if inline:
        return render(request, template, context)
    return render(
        request,
        "form_page.html",
        {
            **context,
            "form_template": template,
            "page_title": title,
            "back_url": back_url,
            "back_label": back_label,
        },
    )


def saved(
    request: HttpRequest,
    *,
    redirect_to: str,
    template: str,
    context: dict[str, Any],
    target: str | None = None,
    focus: str | None = None,
    announce: str | None = None,
    changed: str | None = None,
) -> HttpResponse:
    """After a save: the updated block for htmx, a redirect for a plain form post.

    Inline forms swap themselves (so errors land in place); a successful save replaces
    `target` instead, the block that shows the result.
    """
    if not is_htmx(request):
        return HttpResponseRedirect(redirect_to)
    response = render(request, template, {**context, "inline": True})
    if target:
        response["HX-Retarget"] = target
        response["HX-Reswap"] = "outerHTML"
    return after_swap(response, focus=focus, announce=announce, changed=changed)


def posted(request: HttpRequest) -> Any:
    """The submitted data on POST (even when empty, so the form reports what is missing)."""
    return request.POST if request.method == "POST" else None


def posted_files(request: HttpRequest) -> Any:
    return request.FILES if request.method == "POST" else None


@dataclass
class FormUI:
    """How an inline form presents itself; the view knows the ids and addresses."""

    form_id: str
    action: str
    heading: str
    cancel_url: str = ""
    # Cancel inline: fetch cancel_hx and put it in place of cancel_target.
    cancel_hx: str = ""
    cancel_target: str = ""
    submit_label: str = ""
    multipart: bool = False
