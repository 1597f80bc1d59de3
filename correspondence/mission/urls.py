"""/mission/: a focal point's pages, and the invitation's link."""

from django.urls import path

from . import views

app_name = "mission"

urlpatterns = [
    path("", views.home, name="home"),
    path("change/", views.change, name="change"),
    path("deliveries/<int:pk>/", views.delivery_detail, name="delivery"),
    path("deliveries/<int:pk>/resend/", views.delivery_resend, name="resend"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation"),
]
