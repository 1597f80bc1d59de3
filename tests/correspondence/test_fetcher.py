"""The renderer reads only our static and media files and data: URLs: nothing else."""

import http.server
import threading

import pytest
from django.conf import settings

from correspondence.pdf import INTERNAL_ORIGIN, RefusedURL, html_to_pdf, local_file, url_fetcher
from correspondence.services import letter_issue
from tests.factories import make_letter

from .pdftools import embedded_files, pdf_text, reader


@pytest.fixture
def loopback_server():
    """A live HTTP server on loopback that records every request it receives."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def test_the_loopback_server_does_answer(loopback_server):
    import urllib.request

    base, requests = loopback_server
    urllib.request.urlopen(f"{base}/control", timeout=5).read()  # noqa: S310
    assert requests == ["/control"]


@pytest.mark.django_db
def test_a_letter_body_naming_a_loopback_url_sends_it_no_request(loopback_server):
    base, requests = loopback_server
    letter = make_letter(body=f'Text <img src="{base}/pixel.png"> and [link]({base}/page).')

    letter_issue(letter=letter, by=None)

    assert requests == []


def test_rendered_html_naming_loopback_urls_sends_no_request(loopback_server):
    base, requests = loopback_server
    html = f"""<html><head>
      <link rel="stylesheet" href="{base}/style.css">
      <style>@import url("{base}/import.css"); p {{ background: url("{base}/bg.png") }}
      @font-face {{ font-family: X; src: url("{base}/font.ttf") }}</style>
      <link rel="attachment" href="{base}/attached.txt">
    </head><body><p>Hello</p><img src="{base}/img.png"><object data="{base}/o.svg"></object>
    <iframe src="{base}/frame"></iframe></body></html>"""

    pdf = html_to_pdf(html)

    assert requests == []
    assert "Hello" in pdf_text(pdf)


@pytest.mark.parametrize("href", [
    "file:///etc/passwd", "/etc/passwd", "../../../../../../etc/passwd",
    "/static/../../../../../../etc/passwd", "/static/css/letter.css",
])
def test_link_rel_attachment_attaches_nothing(href):
    html = f'<html><head><link rel="attachment" href="{href}"></head><body><p>Hi</p></body></html>'

    pdf = html_to_pdf(html)

    assert embedded_files(pdf) is None
    assert b"root:" not in pdf


def test_attachments_would_be_embedded_without_our_guard():
    # The control: with attachments allowed, a static file does get embedded.
    html = '<html><head><link rel="attachment" href="/static/css/letter.css"></head><body>Hi'

    pdf = html_to_pdf(html, attachments_allowed=True)

    assert embedded_files(pdf) is not None


@pytest.mark.parametrize("src", [
    "file:///etc/passwd", "/etc/passwd", "../../../../etc/passwd",
    "/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/ign_portal/settings.py",
    "/media/../ign_portal/settings.py",
])
def test_images_outside_our_files_are_not_read(src):
    html = f'<html><body><p>Hi</p><img src="{src}" alt="x"></body></html>'

    assert image_count(html_to_pdf(html)) == 0


def test_data_url_images_are_read():
    # The control: an image the fetcher may serve does reach the PDF.
    html = f'<html><body><p>Hi</p><img src="{PNG}" alt="dot"></body></html>'

    assert image_count(html_to_pdf(html)) == 1


PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
       "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def image_count(pdf):
    resources = reader(pdf).pages[0]["/Resources"].get_object()
    xobjects = resources.get("/XObject")
    return len(xobjects.get_object()) if xobjects else 0


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "http://127.0.0.1:1/x", "https://example.org/static/css/letter.css",
    f"{INTERNAL_ORIGIN}/etc/passwd", f"{INTERNAL_ORIGIN}/static/../ign_portal/settings.py",
    f"{INTERNAL_ORIGIN}/static/%2e%2e/ign_portal/settings.py",
    f"{INTERNAL_ORIGIN}/media/../ign_portal/settings.py", f"{INTERNAL_ORIGIN}/static/css/",
    f"{INTERNAL_ORIGIN}/static/css/letter.css?x=1", "ftp://127.0.0.1/x",
])
def test_fetcher_refuses_everything_but_our_files(url):
    with pytest.raises((RefusedURL, ValueError)):
        url_fetcher().fetch(url)


def test_fetcher_serves_our_static_files_and_data_urls():
    css = url_fetcher().fetch(f"{INTERNAL_ORIGIN}{settings.STATIC_URL}css/letter.css")
    data = url_fetcher().fetch("data:text/plain;base64,SGVsbG8=")

    assert b"@font-face" in css.read() and css.content_type == "text/css"
    assert data.read() == b"Hello"
    name, font = local_file(f"{INTERNAL_ORIGIN}/static/fonts/LiberationSerif-Regular.ttf")
    assert name == "LiberationSerif-Regular.ttf" and font.startswith(b"\x00\x01\x00\x00")
