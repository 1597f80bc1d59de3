"""The portal's URLs plus the subscriptions' two link names, for the message of a subscriber
(the subscriptions' own pages are not needed to build it)."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import include, path

from ign_portal.urls import urlpatterns as portal

links = ([path("unsubscribe/<str:token>/", lambda r, token: HttpResponse(), name="unsubscribe"),
          path("manage/<str:token>/", lambda r, token: HttpResponse(), name="manage")],
         "subscriptions")
urlpatterns = [*i18n_patterns(path("subscriptions/", include(links)),
                              prefix_default_language=False), *portal]
