from django.urls import path

from . import views

app_name = "sessions"
urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/", views.MeetingListView.as_view(), name="meetings"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting"),
    path("sessions/<int:number>/", views.SessionDetailView.as_view(), name="session"),
]
