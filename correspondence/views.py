"""The letters archive: issued letters in HTML and as distributed in PDF, and verification."""

from django.conf import settings
from django.db.models import Prefetch
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseNotModified
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.http import parse_etags
from django.utils.text import get_text_list
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView, ListView

from common.cache import NUMBER, PAGE, public_cache

from .artwork import CONTENT_TYPES, artwork_file, content_security_policy
from .forms import VerifyCodeForm, VerifyFileForm
from .models import Letter, Letterhead, Signatory
from .search import LetterSearchMixin
from .services import glyph_problem, letter_for_code, letter_for_pdf


def visible_letters(request):
    """Drafts exist only for staff; everyone else gets a 404, never a hint."""
    if request.user.is_active and request.user.is_staff:
        return Letter.objects.all()
    return Letter.objects.public()


# Free text is rendered on every search, never stored: it has no end of spellings.
@method_decorator(public_cache(query={"session": NUMBER, "year": NUMBER, "page": PAGE},
                               uncached_query=["q"]), name="dispatch")
class LetterListView(LetterSearchMixin, ListView):
    template_name = "correspondence/letter_list.html"
    context_object_name = "letters"
    paginate_by = 50

    def get_queryset(self):
        """One line per letter (its original), whichever of its versions the search found;
        each line knows its public versions (`public_versions`), to show the languages and
        the version in the page's language."""
        found = self.search(Letter.objects.public()).annotate(
            family=Coalesce("version_of_id", "pk")).values("family")
        return (Letter.objects.public().originals().filter(pk__in=found)
                .select_related("session", "letterhead").with_enclosure_notices()
                .prefetch_related(Prefetch(
                    "translations",
                    queryset=Letter.objects.public().with_enclosure_notices().order_by("pk"),
                    to_attr="public_versions")))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        language = get_language()
        for letter in context["letters"]:
            rows = [letter, *letter.public_versions]
            letter.languages = sorted_languages(rows)
            letter.shown = next((row for row in rows if row.language == language), letter)
        return context


def sorted_languages(rows):
    """[(code, name in the current language)] of the rows' languages, in LANGUAGES order."""
    have = {row.language for row in rows}
    return [(code, name) for code, name in settings.LANGUAGES if code in have]


@method_decorator(public_cache, name="dispatch")
class LetterDetailView(DetailView):
    template_name = "correspondence/letter_detail.html"
    context_object_name = "letter"

    def get_queryset(self):
        return visible_letters(self.request).select_related(
            "session", "letterhead", "corrects", "version_of").prefetch_related("signatories")

    def get_object(self, queryset=None):
        """The version in the page's language; where the letter has none (that the reader
        may see), its original, which the page marks with its own language."""
        rows = list(self.get_queryset().filter(slug=self.kwargs["slug"]))
        language = get_language()
        found = (next((row for row in rows if row.language == language), None)
                 or next((row for row in rows if row.is_original), None))
        if found is None:
            raise Http404
        return found

    def get_context_data(self, **kwargs):
        enclosures = list(self.object.enclosures.select_related(
            "enclosed_letter__letterhead").prefetch_related("enclosed_letter__signatories"))
        superseded = {n.letter.pk: n for n in self.object.superseded_enclosures}
        for enclosure in enclosures:
            enclosure.superseded = superseded.get(enclosure.enclosed_letter_id)
            enclosed = enclosure.enclosed_letter
            # An enclosure in another language, whose version in the letter's language was
            # issued after: the page links it (the PDF as issued stays as it was).
            now = (enclosed.original.version_in(self.object.language)
                   if enclosed is not None and enclosed.language != self.object.language
                   else None)
            enclosure.version_now = now if now is not None and (
                self.object.issued_at is None or now.issued_at > self.object.issued_at) \
                else None
        if self.object.is_draft:  # the preview names what the PDF could not print
            kwargs["glyph_problem"] = glyph_problem(self.object)
        language = get_language()
        return super().get_context_data(
            enclosures=enclosures, watermarked=self.object.is_draft,
            # The page's language has no version of the letter: the original is shown.
            not_in_page_language=self.object.language != language,
            page_language=language, other_versions=self.object.other_versions,
            correction_scope=correction_scope(self.object), **kwargs)


def correction_scope(letter):
    """For a correction not in every language: which language versions it applies to, as
    the United Nations prints it ("French only", "English and French only"); else ""."""
    if not letter.corrects_id:
        return ""
    codes = letter.correction_languages
    if len(codes) == len(settings.LANGUAGES):
        return ""
    names = dict(settings.LANGUAGES)
    # Translators: the languages a correction applies to, as in "English and French only".
    return _("%(languages)s only") % {
        "languages": get_text_list([str(names[code]) for code in codes], _("and"))}


def stored_bytes_response(request, *, sha256, content, content_type, filename):
    """Bytes that never change (a stored file), with their SHA-256 as the ETag: a 304 when
    the client already holds them. The caller adds its Cache-Control."""
    etag = f'"{sha256}"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        response["Content-Length"] = str(len(content))
    response["ETag"] = etag
    return response


@require_http_methods(["GET", "HEAD"])
@public_cache(immutable=True)
def letter_pdf(request, slug):
    """The stored bytes of a public letter as issued, never re-rendered.

    A plain response, so that the page cache keeps it like any public page. Only issued and
    superseded letters answer 200, and the database refuses any change to their PDF, so the
    cache serves a stored download without checking the content version. The ETag is the
    bytes' SHA-256.
    """
    # The PDF of the version in the URL's language; none in it is a 404 (the letter's page
    # in that language links the original's PDF): a URL names one version's bytes, for ever.
    stored = Letter.objects.public().filter(
        slug=slug, language=get_language(), pdf__isnull=False).values_list(
        "pdf_id", "pdf__content").first()
    if stored is None:
        raise Http404
    sha256, pdf = stored
    language = get_language()
    filename = f"{slug}.pdf" if language == settings.LANGUAGE_CODE else f"{slug}.{language}.pdf"
    response = stored_bytes_response(request, sha256=sha256, content=bytes(pdf),
                                     content_type="application/pdf", filename=filename)
    response["Cache-Control"] = "public, max-age=3600"
    return response


def artwork_audience(sha256, request):
    """"public" for the artwork of a letterhead or of a public letter and a signature on a
    public letter; "staff" for a signature on a draft, shown to staff only; else None."""
    public_letters = Letter.objects.public()
    if (Letterhead.objects.filter(artwork=sha256).exists()
            or public_letters.filter(sender_artwork=sha256).exists()
            or Signatory.objects.filter(signature=sha256, letter__in=public_letters).exists()):
        return "public"
    if (request.user.is_active and request.user.is_staff
            and Signatory.objects.filter(signature=sha256).exists()):
        return "staff"
    return None


@require_http_methods(["GET", "HEAD"])
def artwork(request, sha256):
    """A letterhead's artwork or a signature image, by its SHA-256: it never changes.

    Served with a policy that lets an SVG run nothing and load nothing (its own styles
    allowed by their hashes), and with no content sniffing, so a stored SVG opened on its
    own is a picture and no more.
    """
    audience = artwork_audience(sha256, request) if len(sha256) == 64 else None
    found = artwork_file(sha256) if audience else None
    if found is None:
        raise Http404
    name, content = found
    response = stored_bytes_response(
        request, sha256=sha256, content=content,
        content_type=CONTENT_TYPES[name.rpartition(".")[2]], filename=name)
    response["Cache-Control"] = ("public, max-age=31536000, immutable" if audience == "public"
                                 else "private, no-cache")
    response["Content-Security-Policy"] = content_security_policy(name, content)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
def verify(request):
    """Is this code, or this PDF file, an issued letter? Which one, and is it superseded?"""
    code_form, file_form, letter, searched = VerifyCodeForm(), VerifyFileForm(), None, False
    status = 200
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0:
            return HttpResponseBadRequest(_("Malformed Content-Length header."))
        if length > settings.IGN_VERIFY_MAX_BYTES + 65536:
            file_form = VerifyFileForm()
            file_form.errors["pdf"] = file_form.error_class([_("The file is too large.")])
            status = 413
        else:
            file_form = VerifyFileForm(request.POST, request.FILES)
            if file_form.is_valid():
                letter, searched = letter_for_pdf(file_form.cleaned_data["pdf"]), True
            else:
                status = 400
    elif "code" in request.GET:
        code_form = VerifyCodeForm(request.GET)
        if code_form.is_valid():
            letter, searched = letter_for_code(code_form.cleaned_data["code"]), True
    return render(request, "correspondence/verify.html", {
        "code_form": code_form, "file_form": file_form, "letter": letter, "searched": searched,
        "correction": letter.current_correction if letter and not letter.is_draft else None,
    }, status=status)
