from django.urls import path

from . import views

app_name = "correspondence"
urlpatterns = [
    path("", views.LetterListView.as_view(), name="list"),
    path("verify/", views.verify, name="verify"),
    path("artwork/<str:sha256>", views.artwork, name="artwork"),
    path("<slug:slug>.pdf", views.letter_pdf, name="pdf"),
    path("<slug:slug>/", views.LetterDetailView.as_view(), name="detail"),
]
