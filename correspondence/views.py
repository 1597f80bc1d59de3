"""The letters archive: issued letters in HTML and as distributed in PDF."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .models import Letter
from .search import LetterSearchMixin


def visible_letters(request):
    """Drafts exist only for staff; everyone else gets a 404, never a hint."""
    if request.user.is_active and request.user.is_staff:
        return Letter.objects.all()
    return Letter.objects.public()


class LetterListView(LetterSearchMixin, ListView):
    template_name = "correspondence/letter_list.html"
    context_object_name = "letters"
    paginate_by = 50

    def get_queryset(self):
        return self.search(Letter.objects.public().select_related("session", "letterhead"))


class LetterDetailView(DetailView):
    template_name = "correspondence/letter_detail.html"
    context_object_name = "letter"

    def get_queryset(self):
        return visible_letters(self.request).select_related("session", "letterhead")


def letter_pdf(request, slug):
    letter = get_object_or_404(visible_letters(request), slug=slug)
    if letter.pdf is None:
        raise Http404
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{letter.slug}.pdf"'
    return response
