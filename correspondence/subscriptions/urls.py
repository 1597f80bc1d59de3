from django.urls import path

from . import views

app_name = "subscriptions"
urlpatterns = [
    path("new/", views.subscribe, name="new"),
    path("sent/", views.sent, name="sent"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/erase/", views.erase, name="erase"),
]
