"""A database error in any view or layer is answered 503 with Retry-After, logged once."""

import logging

import pytest
from django.test import Client

from common import logs


@pytest.fixture
def client():
    logs.forget()
    return Client(raise_request_exception=False)


@pytest.mark.urls("tests.common.failing_urls")
@pytest.mark.parametrize("path", ["/lost/", "/closed/", "/while-rendering/"])
def test_a_database_error_is_a_503_with_retry_after(client, path, settings):
    settings.DATABASE_RETRY_AFTER = 17
    response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "17"
    assert response["Cache-Control"] == "no-store"
    assert b"briefly unavailable" in response.content


@pytest.mark.urls("tests.common.failing_urls")
def test_other_errors_stay_500(client):
    response = client.get("/bug/")
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.urls("tests.common.failing_urls")
def test_logged_once_not_once_per_request(client, caplog):
    with caplog.at_level(logging.WARNING):
        for _ in range(5):
            assert client.get("/lost/").status_code == 503
    lines = [r for r in caplog.records if r.name in ("common.unavailable", "django.request")]
    assert [r.name for r in lines] == ["common.unavailable"]
    assert lines[0].exc_info is not None
