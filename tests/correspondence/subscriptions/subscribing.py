"""Helpers of the subscriptions' tests: the subscribe form's data, the links of a message."""

import re
from urllib.parse import urlsplit


def path_of(url):
    """The path (and query) of an absolute link of a message, for the test client."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def link_in(text, name):
    """The first absolute link to /<lang>/subscriptions/<name>/ in a message's text."""
    found = re.search(rf"https?://\S+/subscriptions/{name}/\S+/", text)
    assert found, f"no {name} link in:\n{text}"
    return found.group(0)


def form(**overrides):
    data = {"email": "reader@example.org", "what": "both", "language": "en", "session": "",
            "cluster": "", "source": "/meetings/"}
    data.update(overrides)
    return data
