"""The ground floor's one model: the content version's copy in the database."""

from django.db import models


class ContentVersion(models.Model):
    """One row: the token of the last change to published data, written after each commit.

    The shared cache holds the content version that cached pages are checked against; this row
    outlives a cache that was unreachable when a change was saved, so that the change is seen
    once the cache is back (see ``common.content_version``).
    """

    token = models.CharField(max_length=32)

    # Written with update(), which sends no signal; and no page shows it.
    shown_publicly = False

    class Meta:
        verbose_name = "content version"

    def __str__(self):
        return self.token
