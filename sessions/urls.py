from django.urls import path

from . import calendar, feeds, views

app_name = "sessions"
urlpatterns = [
    path("", views.home, name="home"),
    path("meetings/", views.MeetingListView.as_view(), name="meetings"),
    path("meetings/calendar.ics", calendar.all_meetings, name="calendar"),
    path("meetings/changes/", views.ChangeListView.as_view(), name="changes"),
    path("meetings/changes/feed/", feeds.MeetingChangesFeed(), name="changes-feed"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting"),
    path("meetings/<int:pk>/calendar.ics", calendar.one_meeting, name="meeting-calendar"),
    path("sessions/<int:number>/", views.SessionDetailView.as_view(), name="session"),
]
