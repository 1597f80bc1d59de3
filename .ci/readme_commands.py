#!/usr/bin/env python3
"""Run every command of README.md exactly as printed, as a user would on a fresh clone.

Every line of a ```sh block is a command, run in order through bash from the checkout's root
with a clean environment (a new terminal: no DJANGO_*, DATABASE_URL, EMAIL_URL, PORT or
IGN_ENV_FILE), and must exit 0, except:

- servers, which keep running beside the commands after them, as in another terminal:
  `make run` (one at a time: a new one stops the previous, as Ctrl-C would), `make serve`
  (likewise), and `python -m aiosmtpd`. Each is waited for (a page answers, or the SMTP port
  accepts), then checked: the first `make run` writes .env and says so, later ones do not;
  the server's API links and a second-terminal `manage.py` command agree on SITE_URL with
  the port served; each `make run` / `make serve` has its task worker running.
- `make admin`, which is interactive: it is answered through a terminal, and the superuser
  it creates is looked up afterwards.
- commands that are a line of .ci/run (`make test`, `make lint`): .ci/run runs them itself.
- a command whose comment says "(exits N)" must exit with status N (a refusal shown on
  purpose); one whose comment says "(keeps running)" is started in the background, must still
  run after 5 s, and is stopped with the servers.

After the last command, the servers are stopped as Ctrl-C stops them and must leave no process
behind (a worker outliving its server fails the run); the databases `createdb` made are
dropped. Finally every command the README shows elsewhere (inline code, other blocks) must be
one of those, or a benchmark (minutes each, shown in ```text blocks): a command shown and not
run fails the check.

Usage: python3 .ci/readme_commands.py [--check-only]. Needs a checkout without .env (a fresh
clone), free ports for the servers the README starts, and PostgreSQL on 127.0.0.1:5432.
"""

import argparse
import contextlib
import json
import os
import re
import select
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
CI_RUN = ROOT / ".ci" / "run"
# Commands shown but not run here, each with the reason.
NOT_RUN = {".venv/bin/python bench/": "a benchmark: minutes each, it prints figures"}
COMMAND = re.compile(
    r"^(?:[A-Z][A-Z0-9_]*=\S*\s+)*(?:make|\.venv/bin/\S+|python[0-9.]*|createdb|dropdb|psql"
    r"|pg_dump|pg_restore|pip[0-9.]*|gunicorn)\s+\S"
)
FENCE = re.compile(r"^(\s*)(```+|~~~+)\s*(\S*)")
CLEAN_ENV = ("DJANGO_", "DATABASE_URL", "EMAIL_URL", "CACHE_URL", "SITE_URL", "IGN_", "PORT")
SUPERUSER = ("readme-admin", "readme-admin@example.org", "Readme-Admin-" + os.urandom(6).hex())


class Failed(Exception):
    pass


def strip_comment(line):
    """The command without its trailing `# comment` (bash's rule: an unquoted # at a word's
    start)."""
    quote = None
    for index, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return line[:index].strip()
    return line.strip()


def normal(command):
    return " ".join(strip_comment(command).split())


def parse(text):
    """(blocks, inline): blocks as (info, [(line number, line)]); inline code spans outside."""
    blocks, inline, block = [], [], None
    for number, line in enumerate(text.splitlines(), 1):
        fence = FENCE.match(line)
        if block is None and fence:
            block = (fence.group(3), fence.group(2), [])
            continue
        if block is not None:
            if fence and fence.group(2).startswith(block[1]) and not fence.group(3):
                blocks.append((block[0], block[2]))
                block = None
            else:
                block[2].append((number, line.strip()))
            continue
        inline += [(number, span) for span in re.findall(r"`([^`]+)`", line)]
    if block is not None:
        raise Failed(f"README.md: a code block opened is never closed ({block[0] or 'no info'}).")
    return blocks, inline


def commands_of(blocks):
    """[(line number, command)] of the ```sh blocks: what this script runs."""
    return [(n, line) for info, lines in blocks if info == "sh" for n, line in lines
            if line and not line.startswith("#")]


def ci_run_lines():
    return {normal(line) for line in CI_RUN.read_text().splitlines() if line.strip()}


def coverage(text):
    """The commands README.md shows but that are neither run here, nor by .ci/run, nor a
    benchmark: [(line number, command)]."""
    blocks, inline = parse(text)
    run = {normal(c) for _n, c in commands_of(blocks)} | ci_run_lines()
    shown = [(n, line) for info, lines in blocks if info != "sh" for n, line in lines]
    shown += inline
    return [(n, c) for n, c in shown
            if COMMAND.match(c.strip()) and not any(matches(c, r) for r in run)
            and not any(normal(c).startswith(prefix) for prefix in NOT_RUN)]


def matches(shown, command):
    """Whether the command `shown` (`make serve`, `make manage ARGS="..."`) is `command` run:
    the same words, maybe after VAR=value settings and before more arguments, `...` and `<x>`
    standing for anything."""
    body = re.escape(normal(shown))
    body = body.replace(re.escape("..."), ".*")
    body = re.sub(re.escape("<") + r"[^>]*" + re.escape(">"), r"\\S+", body)
    return re.fullmatch(r"(?:[A-Z][A-Z0-9_]*=\S*\s+)*" + body + r"(?:\s.*)?", command) is not None


# --- Running ----------------------------------------------------------------------------

def environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith(CLEAN_ENV)}
    env["CI"] = env.get("CI", "true")
    env["PYTHONUNBUFFERED"] = "1"  # output as a terminal shows it, line by line
    return env


def port_of(command, default=8000):
    match = re.search(r"(?:^|\s)PORT=([0-9]+)\s", command)
    return int(match.group(1)) if match else default


def port_open(port):
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def get(port, path, timeout=30):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as response:
        return response.status, response.read()


def tail(path, lines=40):
    text = Path(path).read_text(errors="replace").splitlines()
    return "\n".join("    | " + line for line in text[-lines:])


def group(pgid):
    """{pid: command line} of the live processes (not zombies) in process group `pgid`."""
    found = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            if os.getpgid(int(proc.name)) == pgid and state != "Z":
                found[int(proc.name)] = (proc / "cmdline").read_bytes().replace(b"\0", b" ")
        except (OSError, ProcessLookupError, IndexError):
            continue
    return found


class Runner:
    def __init__(self, logs):
        self.logs = Path(logs)
        self.servers = {}  # kind -> (command, Popen, port, log)
        self.databases = []
        self.count = 0
        self.make_runs = 0
        self.dotenv = None  # .env as the last make run left it

    def read_dotenv(self):
        return (ROOT / ".env").read_bytes() if (ROOT / ".env").exists() else None

    def log(self, name):
        self.count += 1
        return self.logs / f"{self.count:02d}-{re.sub(r'[^A-Za-z0-9]+', '-', name)[:50]}.log"

    def shell(self, command, *, timeout=300, check=True, status=0):
        """Run `command` in the foreground, as printed; return its output. It must exit with
        `status`."""
        log = self.log(command)
        with open(log, "w") as out:
            started = time.monotonic()
            result = subprocess.run(["bash", "-c", command], cwd=ROOT, env=environment(),
                                    stdin=subprocess.DEVNULL, stdout=out,
                                    stderr=subprocess.STDOUT, timeout=timeout, check=False)
        print(f"    exit {result.returncode} in {time.monotonic() - started:.0f} s")
        if check and result.returncode != status:
            raise Failed(f"`{command}` exited {result.returncode}, not {status}:\n{tail(log)}")
        return Path(log).read_text(errors="replace")

    def manage_py(self, code):
        """A second-terminal `manage.py shell -c` with the settings of .env: its output."""
        return self.shell(f".venv/bin/python manage.py shell -c {shlex.quote(code)}").strip()

    def start(self, kind, command, port):
        if kind in self.servers:
            print(f"    stopping the previous {kind} first, as Ctrl-C would")
            self.stop(kind)
        if port_open(port):
            raise Failed(f"port {port} is in use before `{command}`: the README needs it free.")
        log = self.log(command)
        out = open(log, "w")  # noqa: SIM115 - open while the server runs
        process = subprocess.Popen(["bash", "-c", command], cwd=ROOT, env=environment(),
                                   stdin=subprocess.DEVNULL, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self.servers[kind] = (command, process, port, log)
        started = time.monotonic()
        # The first `make run` builds .venv: minutes of pip on a fresh clone.
        deadline = time.monotonic() + (1500 if kind != "smtp" else 60)
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise Failed(f"`{command}` stopped (exit {process.returncode}):\n{tail(log)}")
            if port_open(port) and (kind == "smtp" or self.answers(port)):
                break
            time.sleep(1)
        else:
            raise Failed(f"`{command}` did not answer on port {port}:\n{tail(log)}")
        print(f"    serving on 127.0.0.1:{port} after {time.monotonic() - started:.0f} s "
              f"(process group {process.pid})")

    def start_background(self, command):
        """Another long-running command (its comment says "(keeps running)"): it must still
        run after 5 s; it is stopped with the others."""
        log = self.log(command)
        out = open(log, "w")  # noqa: SIM115 - open while it runs
        process = subprocess.Popen(["bash", "-c", command], cwd=ROOT, env=environment(),
                                   stdin=subprocess.DEVNULL, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self.servers[command] = (command, process, None, log)
        time.sleep(5)
        if process.poll() is not None:
            raise Failed(f"`{command}` stopped (exit {process.returncode}):\n{tail(log)}")
        print(f"    running in the background (process group {process.pid})")

    def answers(self, port):
        try:
            return get(port, "/", timeout=5)[0] == 200
        except OSError:
            return False

    def worker_of(self, kind):
        """The task worker processes in the server's process group."""
        return [pid for pid, argv in group(self.servers[kind][1].pid).items()
                if b"python" in argv.split()[0] and b"manage.py task_worker" in argv]

    def check_web(self, kind, command):
        _command, _process, port, log = self.servers[kind]
        status, body = get(port, "/")
        if status != 200 or b"IGN" not in body:
            raise Failed(f"`{command}`: the home page answered {status} without the portal.")
        meetings = json.loads(get(port, "/api/meetings.json")[1])
        urls = [m["url"] for m in meetings.get("results", meetings.get("meetings", []))]
        expected = f"http://127.0.0.1:{port}/"
        if not urls or not all(url.startswith(expected) for url in urls):
            raise Failed(f"`{command}`: the API links to {urls[:1]}, not {expected}...")
        if not self.worker_of(kind):
            raise Failed(f"`{command}` serves without a task worker.")
        output = Path(log).read_text(errors="replace")
        second = self.manage_py(
            "from django.conf import settings as s; d = s.DATABASES['default']; "
            "m = s.MAILERS['default']; print(s.SITE_URL, s.DEBUG, d['NAME'].rsplit('/', 1)[-1], "
            "m['OPTIONS'].get('host', ''), m['OPTIONS'].get('port', ''))").splitlines()[-1]
        # make serve leaves .env alone: another terminal stays in development.
        if kind == "serve" and (second.split()[1] != "True" or self.read_dotenv() != self.dotenv):
            raise Failed(f"after `{command}`, a command in another terminal sees {second!r}; "
                         ".env should be untouched, in development.")
        if kind == "run":
            # What was given to make run is what another terminal sees.
            given = dict(re.findall(r"(?:^|\s)([A-Z_]+)=(\S+)(?=\s)", command))
            site, debug, database, host, mail_port = (second.split() + ["", ""])[:5]
            wanted_db = given.get("DATABASE_URL", "").rsplit("/", 1)[-1]
            wanted_mail = re.sub(r"^smtp://(?:[^@]*@)?", "", given.get("EMAIL_URL", ""))
            if ((site, debug) != (f"http://127.0.0.1:{port}", "True")
                    or (wanted_db and database != wanted_db)
                    or (wanted_mail and f"{host}:{mail_port}" != wanted_mail.split("/")[0])):
                raise Failed(f"a second-terminal manage.py sees {second!r}, not what "
                             f"`{command}` serves with.")
            self.dotenv = self.read_dotenv()
            self.make_runs += 1
            wrote = "Writing .env" in output
            if wrote != (self.make_runs == 1):
                raise Failed(f"`{command}`: .env should be written by the first make run only "
                             f"(and say so); this one {'wrote' if wrote else 'did not write'} it.")
        print(f"    checked: home page, API links to {expected}, a task worker runs, "
              f"manage.py in another terminal sees {second}")

    def stop(self, kind):
        command, process, _port, log = self.servers.pop(kind)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        for _ in range(20):
            left = group(process.pid)
            if not left:
                return Path(log).read_text(errors="replace")
            time.sleep(0.5)
        os.killpg(process.pid, signal.SIGKILL)
        raise Failed(f"`{command}` left processes running after Ctrl-C ({left}):\n{tail(log)}")

    def admin(self, command):
        """`make admin` through a terminal, answering its questions."""
        import fcntl
        import termios

        primary, secondary = os.openpty()

        def controlling_terminal():
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        process = subprocess.Popen(["bash", "-c", command], cwd=ROOT, env=environment(),
                                   stdin=secondary, stdout=secondary, stderr=secondary,
                                   start_new_session=True, preexec_fn=controlling_terminal)
        os.close(secondary)
        answers = [("Username", SUPERUSER[0]), ("Email address", SUPERUSER[1]),
                   ("Password (again)", SUPERUSER[2]), ("Password", SUPERUSER[2])]
        seen, given = "", set()
        deadline = time.monotonic() + 300
        while process.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([primary], [], [], 1)
            if not ready:
                continue
            try:
                seen += os.read(primary, 4096).decode(errors="replace")
            except OSError:
                break
            last = seen.rsplit("\n", 1)[-1]
            for prompt, answer in answers:
                if prompt in last and (prompt, len(seen)) not in given:
                    given.add((prompt, len(seen)))
                    os.write(primary, (answer + "\n").encode())
                    break
        process.wait(timeout=60)
        os.close(primary)
        if process.returncode != 0 or "Superuser created successfully" not in seen:
            raise Failed(f"`{command}` exited {process.returncode}:\n{seen[-2000:]}")
        found = self.manage_py("from django.contrib.auth import get_user_model; "
                               f"print(get_user_model().objects.filter(username={SUPERUSER[0]!r}, "
                               "is_superuser=True).count())")
        if found.splitlines()[-1] != "1":
            raise Failed(f"`{command}` said it created the superuser, and there is none.")
        print(f"    superuser {SUPERUSER[0]} created through the prompts")

    def distribution_sent(self, command):
        """After a distribution: the ledger's sent count is what the SMTP server received."""
        if "smtp" not in self.servers:
            return
        code = ("import time; from correspondence.models import Delivery; "
                "q = Delivery.objects.filter(state__in=['queued', 'sending']); "
                "[time.sleep(1) for _ in range(120) if q.exists()]; "
                "print(Delivery.objects.filter(state='sent').count(), q.count())")
        sent, waiting = map(int, self.manage_py(code).splitlines()[-1].split())
        for _ in range(30):
            received = Path(self.servers["smtp"][3]).read_text(errors="replace").count(
                "MESSAGE FOLLOWS")
            if received >= sent:
                break
            time.sleep(1)
        if waiting or not sent or sent != received:
            raise Failed(f"after `{command}`: the ledger says {sent} sent ({waiting} waiting), "
                         f"the SMTP server received {received}.")
        print(f"    checked: {sent} sent in the ledger, {received} received by the SMTP server")

    def run(self, number, command):
        text = normal(command)
        print(f"\n$ {command}    (README.md line {number})", flush=True)
        if text in ci_run_lines():
            print("    run by .ci/run itself")
        elif re.search(r"(^|\s)make run(\s|$)", text):
            self.start("run", command, port_of(text))
            self.check_web("run", command)
        elif re.search(r"(^|\s)make serve(\s|$)", text):
            self.start("serve", command, port_of(text))
            self.check_web("serve", command)
        elif " -m aiosmtpd" in text:
            port = int(re.search(r"-l\s+\S*:([0-9]+)", text).group(1))
            self.start("smtp", command, port)
        elif re.search(r"(^|\s)make admin(\s|$)", text):
            self.admin(command)
        elif "(keeps running)" in command[len(strip_comment(command)):]:
            self.start_background(command)
        else:
            expected = re.search(r"\(exits ([0-9]+)\)", command[len(strip_comment(command)):])
            self.shell(command, status=int(expected.group(1)) if expected else 0)
            created = re.match(r"createdb\s.*\s(\S+)$", text)
            if created:
                self.databases.append((text, created.group(1)))
            if "distribute_letter" in text or " task_worker " in text:
                self.distribution_sent(command)

    def finish(self):
        problems = []
        for kind in list(self.servers):
            try:
                self.stop(kind)
                print(f"stopped {kind}: nothing left running")
            except Failed as exc:
                problems.append(str(exc))
        for createdb, name in self.databases:
            dropdb = createdb.replace("createdb", "dropdb --if-exists", 1)
            subprocess.run(["bash", "-c", dropdb], cwd=ROOT, env=environment(), check=False)
            print(f"dropped the database {name}")
        if problems:
            raise Failed("\n".join(problems))


def main():
    parser = argparse.ArgumentParser(description="Run README.md's commands as printed.")
    parser.add_argument("--check-only", action="store_true",
                        help="only check that every command shown is run")
    options = parser.parse_args()
    text = README.read_text()
    try:
        missing = coverage(text)
        if missing:
            raise Failed("README.md shows commands that nothing runs (put them in a ```sh "
                         "block):\n" + "\n".join(f"  line {n}: {c}" for n, c in missing))
        commands = commands_of(parse(text)[0])
        print(f"README.md: {len(commands)} commands in sh blocks, every command shown is run.")
        if options.check_only:
            return 0
        if (ROOT / ".env").exists() or (ROOT / ".env.serve").exists():
            raise Failed(".env or .env.serve exists: run this on a fresh clone.")
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="readme-") as logs:
            runner = Runner(logs)
            try:
                for number, command in commands:
                    runner.run(number, command)
            finally:
                runner.finish()
        print(f"\nEvery README command ran as printed, in {time.monotonic() - started:.0f} s.")
        return 0
    except (Failed, subprocess.TimeoutExpired) as exc:
        print(f"\nFAILED: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
