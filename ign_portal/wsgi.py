"""WSGI entry point (gunicorn ign_portal.wsgi)."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from common.bodies import BoundedBody
from common.forwarded import UnixSocketClientAddress

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ign_portal.settings")
# A body that stops arriving, or ends early, is answered 400 within seconds (common.bodies);
# behind make serve's nginx, the client's address is the one nginx saw (common.forwarded).
application = UnixSocketClientAddress(
    BoundedBody(get_wsgi_application(), settings.IGN_REQUEST_BODY_TIMEOUT))
