"""The client's address behind the proxy that `make serve` runs.

gunicorn behind nginx binds a Unix socket (ign_portal.serving): a request on it has an empty
``REMOTE_ADDR``, and every client would look alike to whatever keys on the address (sign-in
rate limits, logs). A Unix socket in a directory private to the serving user can only be
reached by that user's nginx, which sets ``X-Real-IP`` to the address it was reached from,
replacing any the client sent; so an empty ``REMOTE_ADDR`` takes ``X-Real-IP``. A request over
TCP keeps its ``REMOTE_ADDR``: there a client could send the header itself.
"""


class UnixSocketClientAddress:
    """WSGI middleware: ``REMOTE_ADDR`` from the proxy's ``X-Real-IP`` on a Unix socket."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if not environ.get("REMOTE_ADDR") and environ.get("HTTP_X_REAL_IP"):
            environ["REMOTE_ADDR"] = environ["HTTP_X_REAL_IP"]
        return self.application(environ, start_response)
