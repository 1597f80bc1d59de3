"""A request body that stops arriving is a bad request, answered within seconds.

Django reads a request's body through the server's ``wsgi.input``, which blocks until the
bytes its ``Content-Length`` announced have come: a client announcing more than it sends
would hold the thread for as long as it keeps the connection open (under gunicorn's sync
workers, until the worker was killed and the request answered 500). ``BoundedBody`` wraps
``wsgi.input`` so that

- a read that waits longer than ``timeout`` seconds for the next bytes (gunicorn: the
  connection's socket is given that timeout while the body is read, and only then, so a
  large response to a slow reader is not cut short), and
- a body that ends before its ``Content-Length`` (the client closed its side), and
- any other failure to read it (the connection reset)

raise ``UnreadableBody`` (a ``BadRequest``), which Django answers with its 400 page wherever
the body is read (the CSRF middleware, a form, a view), never a 500; ``OneLine`` keeps its log
to one warning line.

``make serve`` puts nginx in front, which reads every body before it passes the request on
(see docs/operations.md, "Serving"): there this is a second line, for an app server reached
directly or behind a proxy that streams bodies.
"""

import logging

from django.core.exceptions import BadRequest


class BoundedBody:
    """WSGI middleware: the request body must keep arriving, and arrive whole."""

    def __init__(self, application, timeout):
        self.application = application
        self.timeout = timeout

    def __call__(self, environ, start_response):
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body then.
        if length > 0:
            environ["wsgi.input"] = _BoundedInput(
                environ["wsgi.input"], length, environ.get("gunicorn.socket"), self.timeout)
        return self.application(environ, start_response)


class UnreadableBody(BadRequest):
    """The request body stopped arriving, ended early or could not be read."""


class OneLine(logging.Filter):
    """For the ``django.request`` logger: an unreadable body is the client's doing, logged
    as one warning line, not a traceback per request (a client could fill the log)."""

    def filter(self, record):
        if record.exc_info and isinstance(record.exc_info[1], UnreadableBody):
            record.exc_info = record.exc_text = None
        return True


class _BoundedInput:
    def __init__(self, stream, length, sock, timeout):
        self.stream = stream
        self.left = length
        self.sock = sock
        self.timeout = timeout

    def read(self, size=-1, /):
        # gunicorn's body, like Django's LimitedStream above it, returns fewer bytes than
        # asked only at the end of the body.
        wanted = self.left if size is None or size < 0 else min(size, self.left)
        data = self._bounded(self.stream.read, size)
        if len(data) < wanted:
            raise UnreadableBody("The request body ended before its Content-Length")
        return data

    def readline(self, size=-1, /):
        data = self._bounded(self.stream.readline, size)
        if not data and size != 0 and self.left > 0:
            raise UnreadableBody("The request body ended before its Content-Length")
        return data

    def _bounded(self, read, size):
        prior = None
        if self.sock is not None:
            prior = self.sock.gettimeout()
            self.sock.settimeout(self.timeout)
        try:
            data = read(size)
        except TimeoutError:
            raise UnreadableBody(
                f"The request body stopped arriving for {self.timeout:g} s") from None
        except OSError as error:
            raise UnreadableBody(f"The request body could not be read: {error!r}") from None
        finally:
            if self.sock is not None:
                self.sock.settimeout(prior)
        self.left -= len(data)
        return data
