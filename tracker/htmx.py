"""The little htmx needs from the server: recognise its requests, steer focus after a swap."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse


def is_htmx(request: HttpRequest) -> bool:
    # History restores re-request the whole page; they get the full page.
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def after_swap(
    response: HttpResponse,
    *,
    focus: str | None = None,
    announce: str | None = None,
    changed: str | None = None,
) -> HttpResponse:
    """Tell the page where focus goes, what a screen reader hears and what else to refresh.

    JSON is ASCII-escaped: header values must be Latin-1, Swedish letters are not all.
    """
    settle: dict[str, str] = {}
    if focus:
        settle["tracker:focus"] = focus
    if announce:
        settle["tracker:announce"] = str(announce)
    if settle:
        response["HX-Trigger-After-Settle"] = json.dumps(settle, ensure_ascii=True)
    if changed:
        response["HX-Trigger"] = json.dumps({changed: ""}, ensure_ascii=True)
    return response
