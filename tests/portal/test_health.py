"""/healthz (the process is up) and /readyz (the database and the cache answer, with timings)."""

import json
import time

import pytest

from tests.processes import AppServer, PostgresCluster, RedisServer, project_env


def test_healthz_answers_without_database_or_cache(client, db, django_assert_num_queries,
                                                   settings):
    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}  # nobody listens
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "up"}
    assert "no-store" in response["Cache-Control"]


def test_readyz_reports_each_dependency_with_its_time(client, db):
    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "cache"}
    for check in body["checks"].values():
        assert check["ok"] is True
        assert isinstance(check["ms"], float) and check["ms"] >= 0
    assert "no-store" in response["Cache-Control"]
    assert not response.has_header("Retry-After")


def test_health_endpoints_refuse_writes_and_are_never_stored_by_the_page_cache(client, db):
    assert client.post("/readyz").status_code == 405
    client.get("/readyz")
    assert not client.get("/readyz").has_header("X-Cache")


def test_probes_on_plain_http_are_not_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/robots.txt").status_code == 301
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


def _ready(server):
    status, headers, body = server.get("/readyz")
    return status, headers, json.loads(body)


@pytest.fixture
def dependencies():
    redis, postgres = RedisServer(), PostgresCluster()
    yield redis, postgres
    redis.stop()
    postgres.remove()


def test_readyz_under_gunicorn_follows_the_database_and_the_cache_down_and_back(dependencies):
    redis, postgres = dependencies
    server = AppServer(project_env(DATABASE_URL=postgres.url(), CACHE_URL=redis.url,
                                   DATABASE_CONNECT_TIMEOUT=2), "--workers", "1")
    try:
        status, _headers, body = _ready(server)
        assert status == 200, body
        assert body["checks"]["database"]["ok"] and body["checks"]["cache"]["ok"]

        redis.stop()
        status, headers, body = _ready(server)
        assert status == 503
        assert headers["Retry-After"] == "10"
        assert body["checks"]["cache"]["ok"] is False
        assert body["checks"]["database"]["ok"] is True
        assert server.get("/healthz")[0] == 200
        redis.start()
        assert _ready(server)[0] == 200  # no restart

        postgres.stop()
        started = time.monotonic()
        status, headers, body = _ready(server)
        assert time.monotonic() - started < 5
        assert status == 503 and headers["Retry-After"] == "10"
        assert body["checks"]["database"]["ok"] is False
        assert body["checks"]["cache"]["ok"] is True
        assert server.get("/healthz")[0] == 200
        postgres.start()
        assert _ready(server)[0] == 200
        log = server.log()
        assert "Readiness: the cache is not reachable" in log
        assert "Readiness: the database is not reachable" in log
    finally:
        server.stop()
