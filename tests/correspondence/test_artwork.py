"""Letterhead artwork and signature images: checked uploads, placed as on the originals,
served so that an SVG can run nothing, and kept as issued."""

import base64
import hashlib
import io

import pdfplumber
import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from PIL import Image

from correspondence.models import Letter, Letterhead, Signatory, StoredFile
from correspondence.pdf import INTERNAL_ORIGIN, RefusedURL, local_file, render_letter_pdf
from correspondence.services import letter_correct, letter_issue
from tests.factories import make_letter, make_letterhead

from .pdftools import pdf_text

pytestmark = pytest.mark.django_db

# A hand-written emblem: a gradient disc and a square, referring only to its own fragments.
EMBLEM_SVG = b"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
     viewBox="0 0 100 100" width="100" height="100" inkscape:version="1.3">
  <title>Emblem</title>
  <!-- drawn by hand -->
  <metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>
  <defs>
    <linearGradient id="g"><stop offset="0" stop-color="#1d5d90"/>
      <stop offset="1" stop-color="#5b92e5"/></linearGradient>
    <rect id="square" width="30" height="30"/>
  </defs>
  <circle cx="50" cy="50" r="45" fill="url(#g)" style="stroke: #000; stroke-width: 2"/>
  <use xlink:href="#square" x="35" y="35" fill="#ff0000"/>
</svg>"""


def png_bytes(width=120, height=80, color=(0, 102, 51)):
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format="PNG")
    return out.getvalue()


def upload(content, name):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def letterhead_form(letterhead=None, **overrides):
    # The English columns of the translated name and heading (correspondence/translation.py).
    data = {"name_en": letterhead.name if letterhead else "Permanent Mission of Tunisia",
            "heading_en": letterhead.heading if letterhead else "PERMANENT MISSION OF TUNISIA",
            "place": "New York", "paper_size": "letter", "artwork_placement": "emblem"}
    data.update(overrides)
    return data


def post_letterhead(client, letterhead=None, **data):
    url = (reverse("admin:correspondence_letterhead_change", args=[letterhead.pk]) if letterhead
           else reverse("admin:correspondence_letterhead_add"))
    return client.post(url, letterhead_form(letterhead, **data))


def images_of(pdf, page=0):
    """The images drawn on the page (pdfplumber), each with its box."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return document.pages[page].images


def drawn_colours(pdf):
    """The fill colours of the vector shapes drawn on the first page."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        colours = [shape.get("non_stroking_color") for shape in page.rects + page.curves]
        return {tuple(round(c, 2) for c in colour) for colour in colours
                if isinstance(colour, tuple | list) and all(isinstance(c, float | int)
                                                            for c in colour)}


def with_artwork(content, placement="emblem", **fields):
    letterhead = make_letterhead(**fields)
    letterhead.artwork = StoredFile.objects.store(content)
    letterhead.artwork_placement = placement
    letterhead.save()
    return letterhead


# Uploads

def test_a_png_emblem_uploaded_in_the_admin_prints_above_the_heading(admin_client):
    content = png_bytes()

    response = post_letterhead(admin_client, artwork_upload=upload(content, "arms.png"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    letterhead = Letterhead.objects.get(name="Permanent Mission of Tunisia")
    assert bytes(letterhead.artwork.content) == content
    pdf = render_letter_pdf(make_letter(letterhead=letterhead))
    [image] = images_of(pdf)
    heading = next(w for w in pdfplumber.open(io.BytesIO(pdf)).pages[0].extract_words()
                   if w["text"] == "PERMANENT")
    assert image["srcsize"] == (120, 80)
    assert image["bottom"] <= heading["top"]  # the emblem stands above the heading
    page_centre = pdfplumber.open(io.BytesIO(pdf)).pages[0].width / 2
    assert abs((image["x0"] + image["x1"]) / 2 - page_centre) < 2


def test_an_svg_emblem_is_stored_as_checked_and_drawn_in_the_pdf(admin_client):
    response = post_letterhead(admin_client, artwork_upload=upload(EMBLEM_SVG, "emblem.svg"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    stored = bytes(Letterhead.objects.get(name="Permanent Mission of Tunisia").artwork.content)
    assert stored.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')
    assert b"inkscape" not in stored and b"metadata" not in stored and b"<!--" not in stored
    assert b'href="#square"' in stored and b"url(#g)" in stored
    letterhead = Letterhead.objects.get(name="Permanent Mission of Tunisia")
    pdf = render_letter_pdf(make_letter(letterhead=letterhead))
    assert (1.0, 0.0, 0.0) in drawn_colours(pdf)  # the red square, as vector drawing


@pytest.mark.parametrize("svg, reason", [
    (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><script>alert(1)</script>'
     b"</svg>", "<script>"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1" onload="alert(1)"/>',
     "event handler"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1" '
     b'onclick="alert(1)"/></svg>', "event handler"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><foreignObject>'
     b'<div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>',
     "<foreignObject>"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
     b'viewBox="0 0 1 1"><image xlink:href="http://127.0.0.1/x.png" width="1" height="1"/>'
     b"</svg>", "not a PNG or JPEG inside the file"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><use href="other.svg#a"/>'
     b"</svg>", "outside the file"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1" '
     b'fill="url(https://example.org/p.svg#g)"/></svg>', "outside the file"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><style>'
     b'@import url("https://example.org/x.css");</style></svg>', "loads or runs"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1" '
     b"style=\"background: url('//example.org/t.png')\"/></svg>", "outside the file"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1" '
     b'style="background: url(https://example.org/unclosed.png"/></svg>', "outside the file"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><a href="javascript:alert(1)">'
     b'<rect width="1" height="1"/></a></svg>', "<a>"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><set attributeName="onclick" '
     b'to="alert(1)"/></svg>', "<set>"),
    (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
     b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&b;</text></svg>', "DTD"),
    (b'<?xml version="1.0"?><!DOCTYPE svg SYSTEM "http://example.org/svg.dtd">'
     b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>', "DTD"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><?xml-stylesheet '
     b'href="https://example.org/x.css"?></svg>', "processing instruction"),
    (b'<html><body>not svg</body></html>', "root element"),
    # Text would be drawn in a font of the server's, outside the glyph check: outlines only.
    (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><text font-family="Letter '
     b'Serif">\xe8\x81\x94\xe5\x90\x88 ABC</text></svg>', "outlines"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><g><tspan>ABC</tspan></g>'
     b'</svg>', "outlines"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><defs><rect id="g0" '
     b'width="1" height="1"/>' + b"".join(
         b'<g id="g%d">' % i + b'<use href="#g%d"/>' % (i - 1) * 10 + b"</g>"
         for i in range(1, 8)) + b"</defs></svg>", "draws more than"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><g id="a"><use href="#a"/>'
     b"</g></svg>", "refer to themselves"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">' + b"".join(
        b'<g id="g%d"><use href="#g%d"/></g>' % (i, i + 1) for i in range(1, 3000))
     + b'<rect id="g3000"/></svg>', "more than 200 deep"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><rect', "not well-formed"),
])
def test_an_svg_that_could_run_or_reach_outside_is_refused_with_a_message(
        admin_client, svg, reason):
    before = StoredFile.objects.count()

    response = post_letterhead(admin_client, artwork_upload=upload(svg, "emblem.svg"))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["artwork_upload"]
    assert any(reason in e for e in errors), errors
    assert StoredFile.objects.count() == before
    assert not Letterhead.objects.filter(name="Permanent Mission of Tunisia").exists()


@pytest.mark.parametrize("content, reason", [
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "cannot be read"),
    (png_bytes(6001, 2), "the limit is 6000 pixels"),
    (png_bytes(5000, 5000), "the limit is 6000 pixels"),
    (b"GIF89a\x01\x00\x01\x00", "neither a PNG nor an SVG"),
    (b"%PDF-1.7\n", "neither a PNG nor an SVG"),
])
def test_a_png_that_is_not_one_or_too_big_is_refused(admin_client, content, reason):
    response = post_letterhead(admin_client, artwork_upload=upload(content, "arms.png"))

    errors = response.context["adminform"].form.errors["artwork_upload"]
    assert any(reason in e for e in errors), errors


def test_a_file_over_the_byte_limit_is_refused(admin_client):
    response = post_letterhead(admin_client, artwork_upload=upload(
        b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * 1024 * 1024), "huge.png"))

    errors = response.context["adminform"].form.errors["artwork_upload"]
    assert any("too large" in e for e in errors), errors


def test_the_artwork_can_be_removed(admin_client):
    letterhead = with_artwork(png_bytes())

    response = post_letterhead(admin_client, letterhead, artwork_remove="on")

    assert response.status_code == 302
    letterhead.refresh_from_db()
    assert letterhead.artwork is None


# Placement

def test_a_full_width_letterhead_image_replaces_the_text():
    letterhead = with_artwork(png_bytes(1200, 200), placement="full",
                              heading="PERMANENT MISSION\nOF TUNISIA")
    letter = make_letter(letterhead=letterhead)

    pdf = render_letter_pdf(letter)

    [image] = images_of(pdf)
    assert image["x1"] - image["x0"] > 400  # the width of the text block
    assert "PERMANENT MISSION" not in pdf_text(pdf)
    assert 'alt="PERMANENT MISSION OF TUNISIA"' in self_page(letter)


def self_page(letter):
    """The letter's page as staff see it (a draft's too)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from tests.factories import make_user

    user = get_user_model().objects.filter(username="staff-reader").first() or make_user(
        "staff-reader", is_staff=True)
    client = Client()
    client.force_login(user)
    return client.get(letter.get_absolute_url()).text


def test_letterhead_text_prints_exactly_as_entered():
    letter = make_letter(letterhead=make_letterhead(
        heading="Co-Chairs of the intergovernmental negotiations\n72nd session"))

    text = pdf_text(render_letter_pdf(letter), layout=False)

    assert "72nd session" in text and "72ND" not in text
    assert "Co-Chairs of the intergovernmental negotiations" in text


# Signatures

def test_a_signature_image_prints_above_its_block_and_a_correction_keeps_it():
    letter = make_letter()
    signatory = letter.signatories.get()
    signatory.signature = StoredFile.objects.store(png_bytes(300, 100, (0, 0, 0)))
    signatory.save()
    first_line = signatory.block.splitlines()[0].split()[0]

    issued = letter_issue(letter=letter, by=None)
    pdf = bytes(issued.pdf.content)

    [image] = images_of(pdf)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        word = next(w for w in document.pages[0].extract_words() if w["text"] == first_line
                    and w["top"] > image["top"])
    assert image["srcsize"] == (300, 100) and image["bottom"] <= word["top"]
    correction = letter_correct(letter=issued, by=None)
    assert correction.signatories.get().signature_id == signatory.signature_id


def test_the_signature_admin_inline_takes_an_upload(admin_client):
    letter = make_letter(signatories=0)
    person = make_letter().signatories.get().person
    data = {
        "session": letter.session_id, "letterhead": letter.letterhead_id, "slug": letter.slug,
        "subject": letter.subject, "date": "2017-03-01", "place": "", "reference": "",
        "addressee": letter.addressee, "audience": letter.audience,
        "salutation": letter.salutation, "body": letter.body,
        "complimentary_close": letter.complimentary_close, "language": "en",
        "signatories-TOTAL_FORMS": "1", "signatories-INITIAL_FORMS": "0",
        "signatories-0-position": "1", "signatories-0-person": person.pk,
        "signatories-0-block": "Peter Thomson",
        "signatories-0-signature_upload": upload(png_bytes(200, 60), "signature.png"),
        "enclosures-TOTAL_FORMS": "0", "enclosures-INITIAL_FORMS": "0",
    }

    response = admin_client.post(
        reverse("admin:correspondence_letter_change", args=[letter.pk]), data)

    assert response.status_code == 302
    assert bytes(Signatory.objects.get(letter=letter).signature.content) == png_bytes(200, 60)
    data["signatories-0-signature_upload"] = upload(
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>', "s.svg")
    data.update({"signatories-INITIAL_FORMS": "1",
                 "signatories-0-id": Signatory.objects.get(letter=letter).pk,
                 "signatories-0-letter": letter.pk})
    refused = admin_client.post(
        reverse("admin:correspondence_letter_change", args=[letter.pk]), data)
    assert refused.status_code == 200 and "event handler" in refused.text


# Snapshot

def test_an_issued_letter_keeps_the_artwork_it_was_issued_with():
    first, second = png_bytes(color=(255, 0, 0)), png_bytes(color=(0, 0, 255))
    letterhead = with_artwork(first)
    issued = letter_issue(letter=make_letter(letterhead=letterhead), by=None)
    page_before = self_page(issued)

    letterhead.artwork = StoredFile.objects.store(second)
    letterhead.artwork_placement = "full"
    letterhead.save()
    issued = Letter.objects.get(pk=issued.pk)

    first_sha = StoredFile.objects.store(first).sha256
    assert issued.sender.artwork == first_sha and issued.sender.artwork_placement == "emblem"
    assert f"/letters/artwork/{first_sha}" in self_page(issued) == page_before
    draft = make_letter(letterhead=letterhead)
    assert draft.sender.artwork == StoredFile.objects.store(second).sha256
    assert draft.sender.artwork_placement == "full"


@pytest.mark.parametrize("column, value", [
    ("sender_artwork_sha256", None), ("sender_artwork_placement", "full"),
])
def test_the_artwork_as_issued_cannot_be_changed_by_sql(column, value):
    letterhead = with_artwork(png_bytes())
    issued = letter_issue(letter=make_letter(letterhead=letterhead), by=None)

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE correspondence_letter SET {column} = %s WHERE id = %s",
                       [value, issued.pk])


def test_a_drafts_artwork_columns_stay_open_to_sql():
    letter = make_letter()

    with connection.cursor() as cursor:
        cursor.execute("UPDATE correspondence_letter SET sender_artwork_placement = 'full' "
                       "WHERE id = %s", [letter.pk])

    assert Letter.objects.get(pk=letter.pk).sender_artwork_placement == "full"


# Serving

def test_the_artwork_view_serves_an_svg_that_can_run_nothing(client):
    letterhead = with_artwork(EMBLEM_SVG)
    from correspondence.artwork import sanitised_svg

    letterhead.artwork = StoredFile.objects.store(sanitised_svg(EMBLEM_SVG))
    letterhead.save()

    response = client.get(reverse("correspondence:artwork", args=[letterhead.artwork_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    # The emblem's one style attribute is allowed by its hash; nothing else is.
    style = base64.b64encode(hashlib.sha256(b"stroke: #000; stroke-width: 2").digest()).decode()
    assert response["Content-Security-Policy"] == (
        f"default-src 'none'; img-src data:; style-src 'unsafe-hashes' 'sha256-{style}'; "
        "frame-ancestors 'none'")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in response["Cache-Control"]
    assert response.content == bytes(letterhead.artwork.content)
    again = client.get(reverse("correspondence:artwork", args=[letterhead.artwork_id]),
                       headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


def test_the_artwork_view_serves_only_artwork_in_use(admin_client):
    from django.test import Client

    client = Client()
    png = png_bytes()
    letterhead_png = with_artwork(png).artwork_id
    issued = letter_issue(letter=make_letter(), by=None)
    draft = make_letter()
    signature = draft.signatories.get()
    signature.signature = StoredFile.objects.store(png_bytes(50, 20))
    signature.save()
    loose = StoredFile.objects.store(png_bytes(7, 7)).sha256

    def status(c, sha256):
        return c.get(reverse("correspondence:artwork", args=[sha256])).status_code

    assert status(client, letterhead_png) == 200
    assert client.get(reverse("correspondence:artwork", args=[letterhead_png]))[
        "Content-Type"] == "image/png"
    assert status(client, issued.pdf_id) == 404  # a letter's PDF is no artwork
    assert status(client, loose) == 404  # stored, but used by nothing
    assert status(client, signature.signature_id) == 404  # a draft's signature: staff only
    assert status(admin_client, signature.signature_id) == 200
    assert "private" in admin_client.get(reverse(
        "correspondence:artwork", args=[signature.signature_id]))["Cache-Control"]
    assert status(client, "0" * 64) == 404 and status(client, "nothex") == 404


def test_the_renderer_reads_artwork_only_from_stored_files():
    sha256 = StoredFile.objects.store(png_bytes()).sha256
    url = f"{INTERNAL_ORIGIN}{reverse('correspondence:artwork', args=[sha256])}"

    name, content = local_file(url)

    assert name == f"{sha256}.png" and content == png_bytes()
    for refused in (f"{INTERNAL_ORIGIN}{reverse('correspondence:artwork', args=['0' * 64])}",
                    f"{INTERNAL_ORIGIN}/letters/artwork/..%2F..%2Fetc%2Fpasswd",
                    f"{INTERNAL_ORIGIN}/letters/"):
        with pytest.raises(RefusedURL):
            local_file(refused)


def test_the_pdf_with_artwork_is_still_tagged_and_reproducible():
    letter = make_letter(letterhead=with_artwork(sanitised(EMBLEM_SVG)))

    first, second = render_letter_pdf(letter), render_letter_pdf(letter)

    assert first == second
    with pikepdf.open(io.BytesIO(first)) as pdf:
        assert "/StructTreeRoot" in pdf.Root


def sanitised(svg):
    from correspondence.artwork import sanitised_svg

    return sanitised_svg(svg)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_stored_svg_opened_in_a_browser_runs_nothing(context, portal):
    # Stored past the upload check, as if the check had a hole: the response still stops it.
    hostile = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
               b'<script>document.title = "ran"</script>'
               b'<rect width="10" height="10" fill="red"/></svg>')
    letterhead = Letterhead.objects.get(name="The President of the General Assembly")
    letterhead.artwork = StoredFile.objects.store(hostile)
    letterhead.save()
    page = context.new_page()

    response = page.goto(f"{portal.url}/letters/artwork/{letterhead.artwork_id}")

    assert response.status == 200 and page.locator("rect").count() == 1
    assert page.evaluate("document.title") != "ran"


def test_the_admin_shows_the_current_artwork_and_signature(admin_client):
    letterhead = with_artwork(png_bytes())
    letter = make_letter(letterhead=letterhead)
    signatory = letter.signatories.get()
    signatory.signature = StoredFile.objects.store(png_bytes(40, 20))
    signatory.save()

    letterhead_page = admin_client.get(
        reverse("admin:correspondence_letterhead_change", args=[letterhead.pk]))
    letter_page = admin_client.get(
        reverse("admin:correspondence_letter_change", args=[letter.pk]))

    assert f"/letters/artwork/{letterhead.artwork_id}" in letterhead_page.text
    assert f"/letters/artwork/{signatory.signature_id}" in letter_page.text
    assert 'name="signatories-0-signature_upload"' in letter_page.text


def test_the_seed_letterheads_print_in_capitals_as_on_the_originals(pga_letter):
    text = pdf_text(bytes(pga_letter.pdf.content), layout=False)

    assert "THE PRESIDENT\nOF THE\nGENERAL ASSEMBLY" in text
    assert "PERMANENT MISSION OF TUNISIA TO THE UNITED NATIONS" in text
