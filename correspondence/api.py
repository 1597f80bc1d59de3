"""Read-only JSON of the issued letters (fields: docs/api.md).

In the language of the URL (`/fr/api/letters.json`) or of `?lang=` (which wins): each letter
once, in its version in that language where it has one, else in its original language.
"""

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from common.api import (
    API_QUERY,
    API_UNCACHED_QUERY,
    ApiQueryForm,
    api_error,
    api_list,
    in_requested_language,
)
from common.cache import public_cache

from .models import Letter


def versions_in(letters, language):
    """`letters` (public rows, one per language version), each letter once: its version in
    `language` where it has one, else its original."""
    if not any(field.name == "version_of" for field in Letter._meta.get_fields()):
        return letters  # every letter is one version
    translated = Letter.objects.public().filter(version_of=OuterRef("pk"), language=language)
    return letters.filter(Q(language=language)
                          | Q(version_of__isnull=True) & ~Exists(translated))


def letter_json(letter):
    return {
        "slug": letter.slug,
        "language": letter.language,
        "subject": letter.subject,
        "date": letter.date.isoformat() if letter.date else None,
        "reference": letter.reference,
        "session": letter.session.number,
        "sender": letter.sender.name,
        "status": letter.status,
        "issued_at": letter.issued_at.astimezone(dt.UTC).isoformat(),
        "pdf_sha256": letter.pdf_sha256,
        "clusters": [c.slug for c in letter.clusters.all()],
        "meetings": [m.pk for m in letter.meetings.all()],
        "url": settings.SITE_URL + letter.get_absolute_url(),
        "pdf_url": settings.SITE_URL + letter.get_pdf_url(),
    }


# Unknown parameters are the form's 400, as documented.
@public_cache(query=API_QUERY, uncached_query=API_UNCACHED_QUERY, unknown_query="uncached",
              language_query="lang")
@in_requested_language
def letters_json(request):
    form = ApiQueryForm(request.GET)
    if not form.is_valid():
        return api_error(form)
    letters = (
        Letter.objects.public().select_related("session", "letterhead")
        .prefetch_related("clusters", "meetings").order_by("-date", "-pk")
    )
    if form.cleaned_data["session"]:
        letters = letters.filter(session__number=form.cleaned_data["session"])
    if form.cleaned_data["start"]:
        letters = letters.filter(date__gte=form.cleaned_data["start"])
    if form.cleaned_data["end"]:
        letters = letters.filter(date__lte=form.cleaned_data["end"])
    letters = versions_in(letters, form.language)
    offset, limit = form.window()
    return api_list([letter_json(x) for x in letters[offset:offset + limit]], form)
