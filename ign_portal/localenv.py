"""The local settings files `make run` and `make serve` write and keep: .env and .env.serve.

`python -m ign_portal.localenv FILE POSTURE [--port PORT]` (run by the Makefile; the standard
library only, since it runs before the settings can load):

- writes FILE the first time, for POSTURE (`development`: DEBUG on, SQLite, console e-mail, a
  development secret key; `serve`: DEBUG off over plain HTTP on loopback, a new secret key),
  and says so on standard error;
- refuses (exit status 1, one line) a FILE whose DJANGO_DEBUG says another posture, rather than
  serve in a posture nobody chose;
- records in FILE, and says so, a PORT given (with SITE_URL built from it, unless SITE_URL was
  set by hand) and a DATABASE_URL or EMAIL_URL given in the environment, so that every process
  reading FILE (the server, its task worker, a `manage.py` command in another terminal) sees
  the same values;
- prints one line naming the posture, and the port to serve on (standard output).

The settings read FILE (IGN_ENV_FILE names it; `.env` by default), below the environment.
"""

import argparse
import os
import re
import secrets
import sys
from pathlib import Path

DEFAULT_PORT = 8000
# Settings given to `make run` / `make serve` in the environment that the file records.
RECORDED = ("DATABASE_URL", "EMAIL_URL")
LINE = re.compile(r"\A\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*\Z")
TRUE = {"1", "true", "yes", "on", "y"}

POSTURES = {
    "development": {
        "debug": True,
        "intro": [
            "# Local development settings, written by `make run` (and kept: edit at will).",
            "# Every process reads this file: runserver, the task worker, and every",
            "# `.venv/bin/python manage.py ...` command run from this folder. The",
            "# environment wins over it. `make serve` uses .env.serve instead.",
        ],
        "lines": [
            "DJANGO_DEBUG=1",
            "# A development key: never use it for a deployment.",
            "DJANGO_SECRET_KEY=dev-{key}",
            "# SQLite, db.sqlite3 beside manage.py (DATABASE_URL=postgres://... for PostgreSQL).",
            "DATABASE_URL=sqlite:///db.sqlite3",
            "# No EMAIL_URL: e-mail is printed to the console, and distribution is refused.",
            "# EMAIL_URL=smtp://127.0.0.1:1025",
        ],
    },
    "serve": {
        "debug": False,
        "intro": [
            "# Production-like settings on loopback, written by `make serve` (and kept).",
            "# Read only by processes started with IGN_ENV_FILE=.env.serve (make serve sets it);",
            "# a plain `manage.py` command reads .env, the development settings.",
        ],
        "lines": [
            "DJANGO_DEBUG=0",
            "DJANGO_SECRET_KEY={key}",
            "# Plain HTTP on loopback: no HTTPS redirect, no secure-only cookies, no HSTS.",
            "DJANGO_SECURE_SSL_REDIRECT=0",
            "DJANGO_SECURE_COOKIES=0",
            "DJANGO_HSTS_SECONDS=0",
            "# Its own database, seeded alike: its worker never takes make run's tasks.",
            "DATABASE_URL=sqlite:///db.serve.sqlite3",
            "# EMAIL_URL=smtp://127.0.0.1:1025",
        ],
    },
}


class Refused(Exception):
    """The file says another posture than the one asked for."""


def parse(lines):
    """{name: value} of the assignments in `lines` (the last one wins, as the settings read)."""
    values = {}
    for line in lines:
        if line.lstrip().startswith("#"):
            continue
        match = LINE.match(line)
        if match:
            value = match.group(2)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            values[match.group(1)] = value
    return values


def site_url(port):
    return f"http://127.0.0.1:{port}"


def assign(lines, name, value):
    """Set `name=value` in `lines` in place: the last assignment is replaced, or one appended."""
    for index in range(len(lines) - 1, -1, -1):
        match = LINE.match(lines[index])
        if match and not lines[index].lstrip().startswith("#") and match.group(1) == name:
            lines[index] = f"{name}={value}"
            return
    lines.append(f"{name}={value}")


def describe(values, path):
    """One line naming the posture the settings will take from `values`."""
    debug = values.get("DJANGO_DEBUG", "0").strip().lower() in TRUE
    database = values.get("DATABASE_URL", "sqlite:///db.sqlite3")
    if database.startswith("sqlite"):
        database = "SQLite " + (database.split(":///", 1)[-1] or "db.sqlite3")
    else:
        database = "PostgreSQL " + database.rsplit("/", 1)[-1]
    email = values.get("EMAIL_URL", "")
    email = "SMTP " + email.split("@")[-1].split("://")[-1] if email.startswith("smtp") else (
        "console e-mail (distribution refused)" if not email else email.split(":")[0])
    posture = "development (DEBUG on)" if debug else "production posture (DEBUG off)"
    url = values.get("SITE_URL", site_url(DEFAULT_PORT))
    return f"Settings from {path}: {posture}, {database}, {email}, SITE_URL {url}"


def ensure(path, posture, *, port=None, environ=None, say=None):
    """Write or update the settings file `path` for `posture`; return the port to serve on.

    Side effects: creates `path` (mode 0600) when missing; records in it `port` (and SITE_URL)
    and the RECORDED settings present in `environ` when they differ; reports each on `say`.
    Raises Refused when the file's DJANGO_DEBUG says the other posture.
    """
    environ = os.environ if environ is None else environ
    say = say or (lambda line: print(line, file=sys.stderr))
    spec = POSTURES[posture]
    path = Path(path)
    name = path.name
    if path.exists():
        lines = path.read_text(encoding="utf-8").splitlines()
        before = parse(lines)
        debug = before.get("DJANGO_DEBUG", "0").strip().lower() in TRUE
        if debug != spec["debug"]:
            raise Refused(
                f"{name} sets DJANGO_DEBUG={before.get('DJANGO_DEBUG', '(unset: off)')}, not the "
                f"{'development' if spec['debug'] else 'production-like'} settings this target "
                f"serves; it is left as it is. Move it away (a new one is written) or set "
                f"DJANGO_DEBUG={'1' if spec['debug'] else '0'} in it."
            )
        written = False
    else:
        key = secrets.token_urlsafe(50)
        lines = [*spec["intro"], *(line.format(key=key) for line in spec["lines"])]
        before = {}
        written = True

    old_port = parse(lines).get("PORT")
    new_port = str(port or old_port or DEFAULT_PORT)
    if not re.fullmatch(r"[0-9]{1,5}", new_port) or not 0 < int(new_port) < 65536:
        raise Refused(f"PORT must be a port number (1 to 65535), not {new_port!r}.")
    changes = []
    if new_port != old_port:
        assign(lines, "PORT", new_port)
        old_url = parse(lines).get("SITE_URL")
        if old_url is None or re.fullmatch(r"http://127\.0\.0\.1:[0-9]+/?", old_url):
            assign(lines, "SITE_URL", site_url(new_port))
        else:
            say(f"{name}: SITE_URL={old_url} was set by hand and is left as it is.")
        if old_port is not None:
            changes.append(f"PORT={new_port} (was {old_port}), SITE_URL={parse(lines)['SITE_URL']}")
    for setting in RECORDED:
        value = environ.get(setting)
        if value is not None and value != parse(lines).get(setting):
            assign(lines, setting, value)
            changes.append(f"{setting}={re.sub(r'(://[^:/@]*:)[^@]*@', r'\1***@', value)}")
    if written or changes:
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        path.chmod(0o600)
    values = parse(lines)
    if written:
        say(f"Writing {name}: {describe(values, name).split(': ', 1)[1]}, a new secret key. "
            f"Every process reads it; edit it at will.")
    elif changes:
        say(f"{name} now records {', '.join(changes)}: every process reads it.")
    shown = ("DJANGO_DEBUG", "DATABASE_URL", "EMAIL_URL", "SITE_URL")  # the environment wins
    say(describe({**values, **{k: environ[k] for k in shown if k in environ}}, name))
    return int(new_port)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    parser.add_argument("posture", choices=sorted(POSTURES))
    parser.add_argument("--port", default="", help="the port to serve on (kept when empty)")
    options = parser.parse_args(argv)
    try:
        port = ensure(options.file, options.posture, port=options.port or None)
    except Refused as exc:
        print(exc, file=sys.stderr)
        return 1
    print(port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
