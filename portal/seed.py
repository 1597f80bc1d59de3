"""The seed of every app, in the order the floors depend on each other."""

from django.db import transaction

from correspondence.seed import load_letters_71
from sessions.seed import load_session_71


@transaction.atomic
def load_ign71():
    """The 71st session (reference data, people, meetings) and its two letters, once.

    Idempotent: what exists is kept as the Secretariat left it. Returns the session.
    """
    session = load_session_71()
    load_letters_71(session)
    return session
