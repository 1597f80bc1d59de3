"""Fixtures for distribution: an issued letter, the 195 missions, a real SMTP server, workers."""

import asyncio
import datetime as dt
import email
import email.policy
import logging
import mailbox
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from django.db import connection
from django.utils import timezone

logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def tiny_pdf():
    """A real PDF, rendered once per test session."""
    import weasyprint

    return weasyprint.HTML(string=(
        "<h1>Letter dated 12 January 2017</h1>"
        "<p>Excellency, I have the honour to transmit herewith a letter.</p>"
    )).write_pdf()


@pytest.fixture
def letter_to(db, tiny_pdf):
    """Make the letter: to all Permanent Representatives (None) or to the named missions.

    Made as a draft, addressed, then issued with its PDF: an issued letter's recipients
    are part of the record and cannot change afterwards.
    """
    from correspondence.models import Letter, Letterhead
    from tests.factories import make_issued_letter, make_letter, make_session

    def make(missions, *, status=Letter.Status.ISSUED):
        letterhead = Letterhead.objects.create(
            name="The President of the General Assembly",
            heading="THE PRESIDENT OF THE GENERAL ASSEMBLY")
        fields = dict(
            session=make_session(), letterhead=letterhead, slug="pga-2017-01-12",
            date=dt.date(2017, 1, 12), subject="Letter dated 12 January 2017 on the IGN",
            addressee="To All Permanent Representatives to the United Nations\nNew York",
            audience=Letter.Audience.MEMBERS if missions is None else Letter.Audience.NAMED,
        )
        if status == Letter.Status.DRAFT:
            letter = make_letter(**fields)
            if missions is not None:
                letter.recipients.set(missions)
            return letter
        letter = make_issued_letter(recipients=missions, issued_at=timezone.now(),
                                    pdf=tiny_pdf, **fields)
        if status == Letter.Status.SUPERSEDED:  # only an issued correction supersedes
            from unittest import mock

            from correspondence.services import letter_correct, letter_issue

            with mock.patch("correspondence.services.render_letter_pdf", lambda _: tiny_pdf):
                letter_issue(letter=letter_correct(letter=letter, by=None), by=None)
            letter.refresh_from_db()
        return letter

    return make


@pytest.fixture
def issued_letter(letter_to):
    """An issued letter to all Permanent Representatives, with its as-distributed PDF."""
    return letter_to(None)


@pytest.fixture
def missions(db):
    """The 193 Member States and two Observer States with their missions (one address each)."""
    from sessions.seed import load_reference

    load_reference()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingMailbox(Mailbox):
    """A Maildir that can refuse addresses, answer slowly, or go down after n messages.

    `refuse`: addresses answered 550 at RCPT; `answers`: {address: the RCPT answer}.
    """

    def __init__(self, mail_dir, *, refuse=(), delay=0.0):
        super().__init__(mail_dir)
        self.refuse = {address.lower() for address in refuse}
        self.answers = {}
        self.delay = delay
        self.down_after = None
        self.accepted = 0
        self.on_down = None

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.down_after is not None and self.accepted >= self.down_after:
            if self.on_down:
                self.on_down()
            return "421 4.3.2 Service shutting down"
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        if address.lower() in self.answers:
            return self.answers[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        answer = await super().handle_DATA(server, session, envelope)
        self.accepted += 1
        return answer


class SmtpServer:
    """aiosmtpd on 127.0.0.1, writing every accepted message to a Maildir."""

    def __init__(self, mail_dir):
        self.mail_dir = mail_dir
        self.handler = RecordingMailbox(mail_dir)
        self.port = free_port()
        self.controller = None
        self.stopping = None

    def start(self):
        if self.stopping is not None:
            self.stopping.join()
            self.stopping = None
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def stop_soon(self):
        """Stop from the server's own thread: the stop happens in another."""
        if self.stopping is None:
            self.stopping = threading.Thread(target=self.stop)
            self.stopping.start()

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    def messages(self):
        box = mailbox.Maildir(self.mail_dir, create=False)
        return [email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
                for key in box.iterkeys()]


@pytest.fixture
def smtp_server(tmp_path, settings):
    """A running SMTP server; the default mailer points at it and e-mail counts as configured."""
    server = SmtpServer(tmp_path / "Maildir")
    server.start()
    settings.MAILERS = {"default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 10},
    }}
    settings.EMAIL_CONFIGURED = True
    yield server
    if server.stopping is not None:
        server.stopping.join()
    server.stop()


def database_url():
    """The test database, as a DATABASE_URL a subprocess can use."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}")


def subprocess_env(smtp_url=None, **extra):
    env = {k: v for k, v in os.environ.items() if k not in ("EMAIL_URL", "DATABASE_URL")}
    env.update(DATABASE_URL=database_url(), PYTHONUNBUFFERED="1", **extra)
    if smtp_url:
        env["EMAIL_URL"] = smtp_url
    return env


WORKER = [sys.executable, "manage.py", "db_worker", "--queue-name", "distribution",
          "--no-startup-delay", "--no-reload", "--interval", "0.1"]


def run_worker(smtp_url, *, timeout=120):
    """A real worker that drains the distribution queue and exits."""
    return subprocess.run([*WORKER, "--batch"], cwd=ROOT, env=subprocess_env(smtp_url),
                          capture_output=True, text=True, timeout=timeout, check=True)


def start_worker(smtp_url, *, batch=True):
    args = [*WORKER, "--batch"] if batch else WORKER
    return subprocess.Popen(args, cwd=ROOT, env=subprocess_env(smtp_url),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def manage(*args, smtp_url=None, timeout=60):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT,
                          env=subprocess_env(smtp_url), capture_output=True, text=True,
                          timeout=timeout)


def mission_code(message):
    """The mission a message went to, from its fixed Message-ID <slug.code@domain>."""
    return message["Message-ID"].strip("<>").split("@")[0].rsplit(".", 1)[1].upper()


def pdf_attachment(message):
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    return part.get_filename(), part.get_content()
