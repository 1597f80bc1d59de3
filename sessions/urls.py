from django.urls import path

from . import calendar, feeds, views

app_name = "sessions"
urlpatterns = [
    path("meetings/", views.MeetingListView.as_view(), name="meetings"),
    path("meetings/calendar.ics", calendar.all_meetings, name="calendar"),
    path("meetings/changes/", views.ChangeListView.as_view(), name="changes"),
    path("meetings/changes/feed/", feeds.MeetingChangesFeed(), name="changes-feed"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting"),
    path("meetings/<int:pk>/calendar.ics", calendar.one_meeting, name="meeting-calendar"),
    # A cluster's meetings: the calendar belongs to the meetings, the address to the cluster.
    path("clusters/<slug:slug>/calendar.ics", calendar.cluster_meetings,
         name="cluster-calendar"),
    path("sessions/<int:number>/", views.SessionDetailView.as_view(), name="session"),
]
