"""Serve issued letters' PDFs as early as static files are served, for the downloads' rush."""

import re

from django.urls import reverse

from .services import stored_pdf
from .views import pdf_response

MARKER = "0slug0"


class LetterPDFMiddleware:
    """Answer GET/HEAD of /letters/<slug>.pdf for public letters before the other middleware.

    Placed right after WhiteNoise: a download needs no session, user, CSRF or language,
    only the stored bytes. Anything else (a draft, an unknown slug) goes on to the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.pattern = None

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            if self.pattern is None:
                url = reverse("correspondence:pdf", kwargs={"slug": MARKER})
                self.pattern = re.compile(
                    "^" + re.escape(url).replace(MARKER, r"(?P<slug>[-a-zA-Z0-9_]+)") + "$")
            match = self.pattern.match(request.path_info)
            if match and (stored := stored_pdf(match["slug"])) is not None:
                response = pdf_response(request, match["slug"], *stored)
                if request.method == "HEAD":
                    response.content = b""
                    response["Content-Length"] = str(len(stored[1]))  # as a GET would say
                return response
        return self.get_response(request)
