"""Rendering without the network, the page rules' strings, and the charts."""

from __future__ import annotations

import base64
import socket

import pytest
from django.template import Context, Template
from weasyprint.urls import fetch

from audits.exports.rendering import BASE_URL, RefusedURL, StaticOnlyFetcher, html_to_pdf
from tracker.charts import Bar, bar_chart, data_uri

from .pdf import read_pdf


@pytest.fixture
def listener():
    """A TCP port on loopback that records whether anybody connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


def _connected(server: socket.socket) -> bool:
    try:
        connection, _ = server.accept()
    except BlockingIOError:
        return False
    connection.close()
    return True


def test_the_fetcher_serves_our_static_files_and_data_urls_only():
    fetcher = StaticOnlyFetcher()
    with fetch(fetcher, BASE_URL + "static/pdf/document.css") as css:
        assert css.content_type == "text/css"
        assert b"@page" in css.read()
    with fetch(fetcher, "data:text/plain;base64," + base64.b64encode(b"hej").decode()) as data:
        assert data.read() == b"hej"
    for url in (
        "http://127.0.0.1:9/x.png",
        "https://example.org/font.woff2",
        "file:///etc/passwd",
        BASE_URL + "static/../../tracker/settings.py",
        BASE_URL + "media/responses/x.pdf",
        BASE_URL + "static/pdf/missing.css",
    ):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
        assert fetcher.refused[-1] == url


def test_rendering_asks_nothing_of_the_network(listener, caplog):
    port = listener.getsockname()[1]
    html = f"""<!DOCTYPE html><html lang="sv"><head><title>Prov</title>
    <link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">
    <style>@import url("http://127.0.0.1:{port}/more.css");
    @font-face {{ font-family: X; src: url("http://127.0.0.1:{port}/x.woff2"); }}</style>
    </head><body><p>Text</p><img src="http://127.0.0.1:{port}/logo.png" alt="Logo"></body></html>"""
    data = html_to_pdf(html)
    assert read_pdf(data).text.startswith("Text")
    assert not _connected(listener)
    assert f"127.0.0.1:{port}/logo.png" in caplog.text


def test_html_to_pdf_reports_its_stages():
    heard: list[tuple[int, str]] = []
    html_to_pdf(
        '<!DOCTYPE html><html lang="sv"><title>T</title><p>Hej</p></html>',
        progress=lambda percent, stage: heard.append((percent, stage)),
    )
    assert heard == [(40, "layout"), (80, "writing"), (100, "done")]


def test_css_strings_cannot_break_out_of_the_page_rule():
    template = Template("{% load tracker %}{{ value|css_string }}")
    text = template.render(Context({"value": 'Dnr "1"; } </style><script>x</script>\\'}))
    assert text == '"Dnr \\22 1\\22 ; } \\3c /style\\3e \\3c script\\3e x\\3c /script\\3e \\5c "'
    rendered = html_to_pdf(
        f'<!DOCTYPE html><html lang="sv"><title>T</title><style>@page {{ @top-left '
        f"{{ content: {text}; }} }}</style><p>Hej</p></html>"
    )
    assert 'Dnr "1"; } </style><script>x</script>\\' in read_pdf(rendered).text


def test_bar_chart_scales_escapes_and_labels_every_bar():
    svg = bar_chart(
        [Bar("Genomförd", 3, "3"), Bar("<Ej> & annat", 6, "6")],
        title="Status & antal",
        width=400,
        label_width=150,
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<title>Status &amp; antal</title>" in svg
    assert "&lt;Ej&gt; &amp; annat" in svg
    assert "<Ej>" not in svg
    # Plot width 400 - 150 - 70 = 180: the longest bar fills it, the other is half.
    assert 'width="180.0"' in svg and 'width="90.0"' in svg
    assert ">3</text>" in svg and ">6</text>" in svg
    assert base64.b64decode(data_uri(svg).split(",", 1)[1]).decode() == svg


def test_bar_chart_of_nothing_and_of_zeros_draws_no_bars():
    assert "<rect" not in bar_chart([], title="Tomt")
    zeros = bar_chart([Bar("A", 0, "0 %")], title="Noll", maximum=100)
    assert 'width="0.0"' in zeros
