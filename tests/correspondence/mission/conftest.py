"""Fixtures for the focal points: the distribution's SMTP server, letters and workers, a
mission with its focal point signed in."""

import pytest

from tests.correspondence.distribution.conftest import (  # noqa: F401 - fixtures shared
    letter_to,
    smtp_server,
    tiny_pdf,
)


@pytest.fixture
def mission(db):
    from tests.factories import make_mission

    return make_mission(emails=["registry@rou.example"])


@pytest.fixture
def focal_point(mission):
    from correspondence.models import FocalPoint
    from tests.factories import make_user

    user = make_user("rou-focal", email="focal@rou.example")
    return FocalPoint.objects.create(user=user, mission=mission)


@pytest.fixture
def focal_client(client, focal_point):
    """Signed in as the focal point, with the signed-in marker the sign-in page sets."""
    from django.http import HttpResponse

    from common.cache import set_signed_in_marker

    client.force_login(focal_point.user)
    marker = HttpResponse()
    set_signed_in_marker(marker)
    client.cookies.update(marker.cookies)
    return client
