"""A body full of hostile HTML renders as harmless text, on the page and in the PDF."""

import pytest

from correspondence.rendering import render_body
from correspondence.services import letter_issue
from tests.factories import make_letter

from .pdftools import pdf_text

pytestmark = pytest.mark.django_db

HOSTILE = """Dear colleagues, *please* read [the decision](https://undocs.org/A/70/L.1).

<script>alert("script")</script>
<img src="https://evil.example/pixel.png" onerror="alert('img')">
<p style="color: red" onclick="alert('click')">Styled paragraph</p>
<iframe src="https://evil.example/frame"></iframe>
<form action="https://evil.example/steal"><input name="password"></form>
<a href="javascript:alert('link')">A trap</a>
<svg onload="alert('svg')"></svg><object data="x"></object><embed src="x">
<style>body { display: none }</style>
"""

FORBIDDEN = ["<script", "alert(", "<img", "onerror", "onclick", "style=", "<iframe",
             "<form", "<input", "javascript:", "<svg", "<object", "<embed", "<style",
             "evil.example"]


def test_render_body_keeps_the_allowed_markup_only():
    html = render_body(HOSTILE)

    assert all(bad not in html for bad in FORBIDDEN), html
    assert "<em>please</em>" in html
    assert '<a href="https://undocs.org/A/70/L.1" rel="noopener noreferrer">' in html
    assert "<p>Styled paragraph</p>" in html
    assert "A trap" in html


@pytest.mark.parametrize("markdown, expected", [
    ("**Bold** and *italic*", "<p><strong>Bold</strong> and <em>italic</em></p>"),
    ("1. one\n2. two", "<ol>\n<li>one</li>\n<li>two</li>\n</ol>"),
    ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
    ("[mail](mailto:ign@un.example)",
     '<p><a href="mailto:ign@un.example" rel="noopener noreferrer">mail</a></p>'),
    ("[relative](/admin/)", '<p><a rel="noopener noreferrer">relative</a></p>'),
    ("![image](data:image/png;base64,AAAA)", ""),
    ("| a | b |\n| --- | ---: |\n| 1 | 2 |",
     "<table>\n<thead>\n<tr>\n<th>a</th>\n<th align=\"right\">b</th>\n</tr>\n</thead>\n"
     "<tbody>\n<tr>\n<td>1</td>\n<td align=\"right\">2</td>\n</tr>\n</tbody>\n</table>"),
    ("The list:\n- one\n- two", "<p>The list:</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
])
def test_render_body_markdown_subset(markdown, expected):
    assert render_body(markdown) == expected


def test_raw_html_tables_keep_no_attribute_but_a_known_alignment():
    html = render_body(
        '<table border="9" style="width: 9in" onmouseover="alert(1)" class="x"><tr>'
        '<th align="center" bgcolor="red" colspan="99">A</th>'
        '<td align="javascript:alert(1)" style="color: red">B</td></tr></table>')

    assert html == ('<table><tbody><tr><th align="center">A</th><td>B</td></tr>'
                    '</tbody></table>')


def test_hostile_body_is_harmless_on_the_page_and_in_the_pdf(admin_client):
    letter = make_letter(body=HOSTILE)

    page = admin_client.get(letter.get_absolute_url()).text
    pdf = bytes(letter_issue(letter=letter, by=None).pdf)

    sheet = page[page.index('<article class="sheet'):]
    assert all(bad not in sheet for bad in FORBIDDEN)
    text = " ".join(pdf_text(pdf).split())
    assert "Styled paragraph" in text and "A trap" in text
    assert "alert" not in text and "password" not in text
