"""Forms of the letters: the public verification form and the admin's annex upload."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from common.validators import validate_single_line

from .artwork import clean_image_upload
from .models import Enclosure, Letter, Letterhead, Signatory, StoredFile
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
        # One address, one letter: its language versions share it, no other letter may take
        # it in another language.
        others = Letter.objects.filter(slug=slug)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk).exclude(version_of=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_(
                "This address is taken by another letter (in one of its language versions)."))
        return slug

    def clean_language(self):
        language = self.cleaned_data["language"]
        if self.instance.pk and self.instance.translations.filter(language=language).exists():
            raise forms.ValidationError(_(
                "This letter already has a version in this language: the original's "
                "language must differ from its versions'."))
        return language

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


class ImageUploadMixin:
    """An image field of the model (a StoredFile) set from an upload, checked, or removed.

    `image_field` names the model's foreign key; the form has `<field>_upload` and
    `<field>_remove`. The image is stored when the form is saved, never before.
    """

    image_field = None

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get(f"{self.image_field}_upload")
        if upload:
            try:
                self._image_bytes = clean_image_upload(upload)
            except forms.ValidationError as error:
                self.add_error(f"{self.image_field}_upload", error)
        return cleaned

    def save(self, commit=True):
        content = getattr(self, "_image_bytes", None)
        if content is not None:
            setattr(self.instance, self.image_field, StoredFile.objects.store(content))
        elif self.cleaned_data.get(f"{self.image_field}_remove"):
            setattr(self.instance, self.image_field, None)
        return super().save(commit)


class LetterheadAdminForm(ImageUploadMixin, forms.ModelForm):
    image_field = "artwork"
    artwork_upload = forms.FileField(label=_("artwork"), required=False, help_text=_(
        "An emblem or a whole letterhead image, SVG or PNG. An SVG may hold drawings only: "
        "no script, no link to anything outside the file."))
    artwork_remove = forms.BooleanField(label=_("remove the artwork"), required=False)

    class Meta:
        model = Letterhead
        fields = ["name", "heading", "place", "paper_size", "artwork_placement"]


class SignatoryAdminForm(ImageUploadMixin, forms.ModelForm):
    image_field = "signature"
    signature_upload = forms.FileField(label=_("signature image"), required=False, help_text=_(
        "A scanned signature, SVG or PNG, printed above the block."))
    signature_remove = forms.BooleanField(label=_("remove"), required=False)

    class Meta:
        model = Signatory
        fields = ["position", "person", "block"]
