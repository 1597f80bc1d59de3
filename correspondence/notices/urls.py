from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.NoticeListView.as_view(), name="list"),
    path("<int:number>/", views.NoticeDetailView.as_view(), name="detail"),
    path("<int:number>/notice.ics", views.notice_calendar, name="calendar"),
]
