"""Every command README.md shows is run by `.ci/readme_commands.py` (or by .ci/run itself)."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("readme_commands",
                                              ROOT / ".ci" / "readme_commands.py")
readme_commands = importlib.util.module_from_spec(spec)
spec.loader.exec_module(readme_commands)
README = (ROOT / "README.md").read_text()


def test_every_command_the_readme_shows_is_run():
    assert readme_commands.coverage(README) == []
    commands = [c for _n, c in readme_commands.commands_of(readme_commands.parse(README)[0])]
    # The recipes of seen item 2, in the form that runs: never a bare `python manage.py`.
    assert "PORT=18300 make run" in [readme_commands.normal(c) for c in commands]
    assert any("manage.py distribute_letter" in c for c in commands)
    assert not [c for c in commands if c.startswith("python")]


def test_a_command_shown_and_not_run_fails_the_check():
    shown = README + "\nThen `python manage.py distribute_letter <slug>`.\n"
    assert [c for _n, c in readme_commands.coverage(shown)] == [
        "python manage.py distribute_letter <slug>"]
    in_a_text_block = README + "\n```text\n.venv/bin/python manage.py flush\n```\n"
    assert [c for _n, c in readme_commands.coverage(in_a_text_block)] == [
        ".venv/bin/python manage.py flush"]
    # A bare target named in prose is covered by the block that runs it with settings.
    assert readme_commands.matches("make serve", "PORT=18400 make serve")
    assert not readme_commands.matches('make test ARGS="-k meeting"', "make test")


def test_comments_are_cut_as_bash_cuts_them():
    commented = 'make test ARGS="-k #1"   # a comment'
    assert readme_commands.normal(commented) == 'make test ARGS="-k #1"'
    assert readme_commands.normal("make run#not-a-comment") == "make run#not-a-comment"


def test_expected_exits_and_background_commands(tmp_path):
    runner = readme_commands.Runner(tmp_path)
    runner.run(1, "exit 3   # a refusal shown on purpose (exits 3)")
    try:
        runner.run(2, "exit 3")
    except readme_commands.Failed as exc:
        assert "exited 3, not 0" in str(exc)
    else:
        raise AssertionError("a command exiting 3 passed")
    runner.run(3, "sleep 60   # (keeps running)")
    (pid,) = [server[1].pid for server in runner.servers.values()]
    runner.finish()
    assert not runner.servers
    assert not readme_commands.group(pid)
