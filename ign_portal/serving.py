"""The nginx in front of gunicorn that `make serve` runs: its configuration, written into a
runtime directory of its own, for nginx started as this user.

Why a proxy at all (docs/operations.md, "Serving"): gunicorn reads a request's header on the
thread or process that will run the view, and a header that arrives a byte at a time (a
slowloris) holds that thread for as long as the client likes. gunicorn's threaded worker only
waits in its event loop for a connection's *first* bytes; once part of a header has arrived
the thread blocks on the socket with no timeout. nginx reads headers and whole bodies in its
event loop, where a slow client costs a connection slot and a few kilobytes, gives up on one
that stalls (``client_header_timeout``, ``client_body_timeout``), and passes gunicorn only
complete requests, over a Unix socket that nothing but this nginx can reach. It also buffers
responses, so a client that reads slowly does not hold a thread either.

``python -m ign_portal.serving DIRECTORY --port PORT`` writes ``DIRECTORY/nginx.conf``
(gunicorn is to bind ``unix:DIRECTORY/gunicorn.sock``); run it with
``nginx -e stderr -p DIRECTORY -c DIRECTORY/nginx.conf``.
"""

import argparse
import os
import pwd
import resource
from pathlib import Path

# Seconds a client may leave a header, or a body, without sending its next bytes: nginx then
# closes the connection (and logs 408).
CLIENT_TIMEOUT = 10
# Above the largest body a view checks itself (the verify page's 50 MB PDF, annexes), so that
# the portal, not nginx, answers an upload too large.
MAX_BODY = "100m"
# Seconds a client is told to wait when gunicorn cannot be reached (restarting, stopped).
RETRY_AFTER = 5
# The headers of nginx's own answers (Django adds its own to everything it answers).
REFUSAL_HEADERS = "\n".join(f"            add_header {name} {value} always;" for name, value in (
    ("Content-Security-Policy", "\"default-src 'none'; frame-ancestors 'none'\""),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Permissions-Policy", "\"camera=(), microphone=(), geolocation=(), payment=()\""),
    ("Cache-Control", "no-store"),
))

TEMPLATE = """\
# Written by ign_portal.serving for `make serve`; regenerated at every start.
{user}worker_processes 1;
worker_rlimit_nofile {files};
daemon off;
pid {directory}/nginx.pid;
error_log stderr warn;

events {{
    worker_connections {connections};
}}

http {{
    access_log {access_log};
    server_tokens off;
    default_type application/octet-stream;
    client_body_temp_path {directory}/client_body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;

    # Slow clients cost nginx a connection, never a gunicorn thread.
    client_header_timeout {timeout}s;
    client_body_timeout {timeout}s;
    send_timeout 30s;
    keepalive_timeout 15s;
    reset_timedout_connection on;
    client_max_body_size {max_body};

    upstream portal {{
        server unix:{directory}/gunicorn.sock;
    }}

    server {{
        listen {host}:{port};

        location / {{
            proxy_pass http://portal;
            # Whole bodies first, then the request (the default, stated: it is the point).
            proxy_request_buffering on;
            proxy_buffering on;
            # The name the client asked for (checked by Django's ALLOWED_HOSTS) and the port
            # this nginx listens on: a client cannot make up the port part of Host.
            proxy_set_header Host $host:$server_port;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $remote_addr;
            # Replaces whatever the client sent: only this proxy says how it was reached.
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_redirect off;
            proxy_connect_timeout 5s;
            proxy_read_timeout 60s;
            proxy_send_timeout 60s;
            error_page 502 504 =503 @unavailable;
        }}

        # What nginx refuses itself (a malformed request, a header or a body too large) gets
        # the headers Django gives every response of its own.
        error_page 400 @bad_request;
        error_page 413 @too_large;
        error_page 414 494 @header_too_large;

        location @bad_request {{
            default_type text/plain;
{refusal_headers}
            return 400 "Bad request.\\n";
        }}

        location @too_large {{
            default_type text/plain;
{refusal_headers}
            return 413 "The request is too large.\\n";
        }}

        location @header_too_large {{
            default_type text/plain;
{refusal_headers}
            return 400 "The request's header is too large.\\n";
        }}

        location @unavailable {{
            default_type text/plain;
            add_header Retry-After {retry_after} always;
{refusal_headers}
            return 503 "The portal is unavailable for a moment: try again in a few seconds.\\n";
        }}
    }}
}}
"""


def nginx_config(directory, port, *, host="127.0.0.1", access_log="/dev/stdout"):
    """The text of nginx.conf for a runtime directory. When started as root, nginx's workers
    would run as another user, who cannot reach the directory: they stay this user. They may
    open as many files as this user's hard limit allows (64 Ki at most), and take half as many
    connections (a request passed on holds two)."""
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    files = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
    user = ""
    if os.geteuid() == 0:
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n"
    return TEMPLATE.format(user=user, files=files, connections=files // 2,
                           directory=Path(directory).resolve(), port=port, host=host,
                           access_log=access_log, timeout=CLIENT_TIMEOUT, max_body=MAX_BODY,
                           retry_after=RETRY_AFTER, refusal_headers=REFUSAL_HEADERS)


def write_config(directory, port, **options):
    """Write ``directory/nginx.conf`` (the directory made private to this user); its path."""
    directory = Path(directory)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = directory / "nginx.conf"
    path.write_text(nginx_config(directory, port, **options))
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", help="the runtime directory (config, socket, temp files)")
    parser.add_argument("--port", type=int, required=True, help="the port nginx listens on")
    parser.add_argument("--host", default="127.0.0.1", help="the address it listens on")
    arguments = parser.parse_args(argv)
    print(write_config(arguments.directory, arguments.port, host=arguments.host))


if __name__ == "__main__":
    main()
