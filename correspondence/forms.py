"""Forms of the letters: the public verification form and the admin's annex upload."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from common.validators import validate_single_line

from .models import Enclosure, Letter
from .pdf import UnreadableAnnex, check_annex
from .rendering import BODY_MAX_CHARS, body_problems

PDF_MAGIC = b"%PDF-"
RESERVED_SLUGS = {"verify"}


NOT_A_PDF = _("This file is not a PDF.")


def check_pdf_upload(uploaded, *, max_bytes, readable=False, not_pdf=NOT_A_PDF):
    """Refuse a file larger than `max_bytes` or that is not a PDF; return the file, rewound.

    With `readable`, also refuse a PDF whose pages cannot be appended to a letter's PDF as
    annexes are (`correspondence.pdf.check_annex`: damaged, encrypted, without a page, a page
    tree that loops or nests too deep). The public verification form does not ask for it:
    parsing strangers' files costs time, and a damaged file matches nothing.
    """
    if uploaded.size > max_bytes:
        raise forms.ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.") % {
                "size": filesizeformat(uploaded.size), "limit": filesizeformat(max_bytes)},
            code="too_large")
    uploaded.seek(0)
    head = uploaded.read(1024)
    uploaded.seek(0)
    if PDF_MAGIC not in head:
        raise forms.ValidationError(not_pdf, code="not_pdf")
    if not readable:
        return uploaded
    try:
        check_annex(uploaded.read())
    except UnreadableAnnex as exc:
        raise forms.ValidationError(str(exc), code=exc.code) from None
    finally:
        uploaded.seek(0)
    return uploaded


class VerifyCodeForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=20, help_text=_(
        "As printed at the foot of each page, e.g. ABCD-2345."),
        validators=[validate_single_line])


class VerifyFileForm(forms.Form):
    pdf = forms.FileField(label=_("PDF file"), help_text=_(
        "The PDF exactly as you received it."))

    def clean_pdf(self):
        return check_pdf_upload(
            self.cleaned_data["pdf"], max_bytes=settings.IGN_VERIFY_MAX_BYTES,
            not_pdf=_("This file is not a PDF: only the letters' PDF files can be checked."))


class LetterAdminForm(forms.ModelForm):
    class Meta:
        model = Letter
        fields = [
            "session", "letterhead", "slug", "subject", "date", "place", "reference",
            "addressee", "audience", "recipients", "salutation", "body", "complimentary_close",
            "language", "clusters", "meetings", "documents",
        ]
        help_texts = {"body": format_lazy(_(
            "Markdown: blank lines between paragraphs; *emphasis*, **bold**, lists (- or 1.), "
            "quotes (>), links, tables (rows of | cells |, the first over a | --- | line); at most "
            "{} characters."),
            f"{BODY_MAX_CHARS:,}")}

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This address is reserved; choose another slug."))
        return slug

    def clean_body(self):
        body = self.cleaned_data["body"]
        if problems := body_problems(body):
            raise forms.ValidationError(problems)
        return body


class EnclosureAdminForm(forms.ModelForm):
    class Meta:
        model = Enclosure
        fields = ["position", "enclosed_letter", "annex", "title"]

    def clean_annex(self):
        annex = self.cleaned_data.get("annex")
        if annex and hasattr(annex, "content_type"):  # a new upload, not the stored file
            check_pdf_upload(annex, max_bytes=settings.IGN_ANNEX_MAX_BYTES, readable=True)
        return annex

    def clean(self):
        cleaned = super().clean()
        has_letter = bool(cleaned.get("enclosed_letter"))
        has_annex = bool(cleaned.get("annex"))
        if has_letter == has_annex and not self.errors:
            raise forms.ValidationError(
                _("Choose either a letter to enclose or a PDF annex to upload."))
        return cleaned
