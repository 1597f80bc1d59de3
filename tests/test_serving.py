"""Slow clients against the real servers: nginx in front of gunicorn as `make serve` runs them
(tests.processes.ProxiedServer), and gunicorn alone for what Django answers itself.

Seen: with `make serve`'s three sync workers and no proxy, three clients sending part of a
header kept `GET /` waiting 32 s; a POST whose body was shorter than its Content-Length held
a worker 30 s, then answered 500.
"""

import http.client
import re
import socket
import time

import pytest

from ign_portal.serving import CLIENT_TIMEOUT
from tests.processes import AppServer, ProxiedServer, manage, project_env

pytestmark = pytest.mark.timeout(240)

# Seconds a body may stop arriving before gunicorn's request is answered 400 (a setting,
# shortened here; 5 s by default).
BODY_TIMEOUT = 2


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    directory = tmp_path_factory.mktemp("serving")
    # A cache every gunicorn process shares: one rendering of / serves them all.
    env = project_env(DATABASE_URL=f"sqlite:///{directory / 'db.sqlite3'}",
                      CACHE_URL=f"filecache://{directory / 'cache'}",
                      IGN_REQUEST_BODY_TIMEOUT=BODY_TIMEOUT)
    manage("migrate", "--noinput", env=env)
    return env


@pytest.fixture(scope="module")
def proxied(env):
    server = ProxiedServer(env, "--access-logfile", "-")
    # / rendered, and each gunicorn process past its first request (a few hundred ms).
    for _ in range(30):
        server.get("/")
    yield server
    server.stop()


def timed_get(server, path="/"):
    started = time.monotonic()
    status, _, _ = server.get(path, timeout=30)
    return status, time.monotonic() - started


def partial_headers(port, count):
    """``count`` connections that sent the start of a request and nothing more."""
    connections = []
    for number in range(count):
        connection = socket.create_connection(("127.0.0.1", port), timeout=30)
        connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow-" +
                           str(number).encode() + b": ")
        connections.append(connection)
    return connections


def received(connection, timeout):
    """Everything the server sent until it closed the connection (or ``timeout``)."""
    connection.settimeout(timeout)
    data = b""
    try:
        while chunk := connection.recv(65536):
            data += chunk
    except TimeoutError:
        return data, False
    except ConnectionResetError:
        pass
    return data, True


def short_post(port, cookie):
    """A form POST announcing 100 bytes and sending 3, kept open; its time it was sent."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=30)
    connection.sendall(
        b"POST /letters/verify/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n"
        b"Cookie: " + cookie.encode() + b"\r\n\r\nabc")
    return connection, time.monotonic()


def csrf_cookie(server):
    """A CSRF cookie, so that Django reads the body of a POST (without one it refuses the
    POST before reading it)."""
    _, headers, _ = server.get("/letters/verify/")
    return re.search(r"csrftoken=[^;]+", headers["Set-Cookie"]).group(0)


@pytest.mark.parametrize("clients", [3, 20])
def test_clients_sending_part_of_a_header_do_not_delay_the_site(proxied, clients):
    """20 is more than make serve's 3 x 4 gunicorn threads: nginx holds them, not gunicorn."""
    assert timed_get(proxied)[0] == 200
    slow = partial_headers(proxied.port, clients)
    try:
        time.sleep(0.5)
        for _ in range(3):
            status, seconds = timed_get(proxied)
            assert status == 200
            assert seconds < 1, f"GET / took {seconds:.2f} s beside {clients} slow clients"
        # Still waiting: nginx has not given up on them yet, nor answered them.
        assert all(received(connection, 0.05) == (b"", False) for connection in slow)
    finally:
        for connection in slow:
            connection.close()


def test_a_header_trickling_in_is_cut_off(proxied):
    """A byte a second never completes the header: nginx closes the connection once
    CLIENT_TIMEOUT has passed since it opened, however much it trickled."""
    connection = partial_headers(proxied.port, 1)[0]
    started = time.monotonic()
    try:
        with pytest.raises((BrokenPipeError, ConnectionResetError)):  # noqa: PT012
            while time.monotonic() - started < CLIENT_TIMEOUT + 10:
                connection.sendall(b"x")
                time.sleep(1)
        assert time.monotonic() - started < CLIENT_TIMEOUT + 5
    finally:
        connection.close()
    assert timed_get(proxied)[0] == 200


def test_a_short_body_never_reaches_gunicorn_and_is_cut_off(proxied):
    """nginx reads whole bodies before passing a request on: a body that stops arriving
    holds no gunicorn thread, and nginx closes the connection after CLIENT_TIMEOUT (it
    logs 408 and sends nothing: no answer can be given to a request not yet whole)."""
    cookie = csrf_cookie(proxied)
    passed_on = proxied.log().count("POST /letters/verify/")
    slow = [short_post(proxied.port, cookie) for _ in range(20)]
    try:
        status, seconds = timed_get(proxied)
        assert status == 200 and seconds < 1
        for connection, sent in slow:
            data, closed = received(connection, CLIENT_TIMEOUT + 5)
            assert closed and data == b""
            assert time.monotonic() - sent < CLIENT_TIMEOUT + 5
    finally:
        for connection, _ in slow:
            connection.close()
    assert '"POST /letters/verify/ HTTP/1.1" 408' in proxied.access_log()
    assert proxied.log().count("POST /letters/verify/") == passed_on
    assert timed_get(proxied)[0] == 200


def test_a_whole_post_goes_through(proxied):
    """A form with its whole body reaches the view (here: refused, for its file is no PDF)."""
    cookie = csrf_cookie(proxied)
    token = cookie.split("=", 1)[1]
    boundary = "ignboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\""
            f"\r\n\r\n{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"pdf\";"
            f" filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\nnot a pdf\r\n"
            f"--{boundary}--\r\n").encode()
    connection = http.client.HTTPConnection("127.0.0.1", proxied.port, timeout=30)
    connection.request("POST", "/letters/verify/", body, {
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": cookie})
    response = connection.getresponse()
    page = response.read().decode()
    assert response.status == 400
    assert 'name="pdf"' in page and "errorlist" in page


@pytest.mark.parametrize("worker", ["sync", "gthread"])
def test_gunicorn_alone_answers_a_short_body_400_within_seconds(env, worker):
    """Reached without the proxy, gunicorn's request is answered by Django: 400 once the body
    has stopped arriving for IGN_REQUEST_BODY_TIMEOUT, and the worker serves on."""
    server = AppServer(env, "--worker-class", worker, "--workers", "1", "--threads", "2")
    try:
        connection, sent = short_post(server.port, csrf_cookie(server))
        with connection:
            data, _ = received(connection, BODY_TIMEOUT + 5)
        seconds = time.monotonic() - sent
        assert data.startswith(b"HTTP/1.1 400 "), data[:200]
        assert BODY_TIMEOUT - 0.5 < seconds < BODY_TIMEOUT + 3
        assert timed_get(server)[0] == 200
        # One warning line, no traceback, no 500.
        assert (f"The request body stopped arriving for {BODY_TIMEOUT} s: /letters/verify/\n"
                in server.log())
        assert "Traceback" not in server.log() and " 500 " not in server.log()
    finally:
        server.stop()


def test_gunicorn_alone_answers_a_body_cut_short_400_at_once(env):
    """The client closed its side before the whole body: 400 without waiting."""
    server = AppServer(env, "--worker-class", "gthread", "--workers", "1")
    try:
        connection, sent = short_post(server.port, csrf_cookie(server))
        with connection:
            connection.shutdown(socket.SHUT_WR)
            data, _ = received(connection, 10)
        assert data.startswith(b"HTTP/1.1 400 "), data[:200]
        assert time.monotonic() - sent < BODY_TIMEOUT
        assert timed_get(server)[0] == 200
        assert "The request body ended before its Content-Length: /letters/verify/" in (
            server.log())
        assert "Traceback" not in server.log()
    finally:
        server.stop()


def test_the_client_address_behind_the_proxy_is_the_one_nginx_saw():
    """On a Unix socket (REMOTE_ADDR empty: only the serving user's nginx can connect) the
    address is nginx's X-Real-IP; over TCP a client's own X-Real-IP changes nothing."""
    from common.forwarded import UnixSocketClientAddress

    seen = []
    application = UnixSocketClientAddress(lambda environ, start_response: seen.append(
        environ["REMOTE_ADDR"]))
    application({"REMOTE_ADDR": "", "HTTP_X_REAL_IP": "192.0.2.7"}, None)
    application({"REMOTE_ADDR": "198.51.100.1", "HTTP_X_REAL_IP": "192.0.2.7"}, None)
    application({"REMOTE_ADDR": ""}, None)
    assert seen == ["192.0.2.7", "198.51.100.1", ""]


def test_nginx_own_refusals_carry_the_security_headers(proxied):
    """A header too large is refused by nginx itself, which Django never sees."""
    connection = http.client.HTTPConnection("127.0.0.1", proxied.port, timeout=30)
    connection.request("GET", "/", headers={"X-Large": "a" * 20000})
    response = connection.getresponse()
    response.read()
    assert response.status == 400
    assert "frame-ancestors 'none'" in response.getheader("Content-Security-Policy", "")
    assert response.getheader("X-Frame-Options") == "DENY"
    assert "camera=()" in response.getheader("Permissions-Policy", "")


def test_a_made_up_port_in_host_is_replaced_by_the_port_served(proxied):
    """Django's ALLOWED_HOSTS ignores ports; nginx passes on the port it listens on, so a
    made-up one makes no page-cache entry of its own (the page is the one already stored)."""
    proxied.get("/")  # stored now, whatever other tests of the module changed before
    for port in (1, 2):
        connection = http.client.HTTPConnection("127.0.0.1", proxied.port, timeout=30)
        connection.request("GET", "/", headers={"Host": f"127.0.0.1:{port}"})
        response = connection.getresponse()
        response.read()
        assert (response.status, response.getheader("X-Cache")) == (200, "hit")
