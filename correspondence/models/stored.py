"""Stored files: bytes kept in the database by their SHA-256, readable from every app server.

An issued letter's PDF is a row here (the letter points at it), and so is every uploaded
annex (through `DatabaseStorage`, the storage of `Enclosure.annex`). A row is
content-addressed: the same bytes are the same row, and the database refuses to change one.
"""

import hashlib
import posixpath
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from common.validators import validate_single_line


class StoredFileQuerySet(models.QuerySet):
    def store(self, content):
        """The row holding these bytes, inserted if new (the same bytes are the same row)."""
        content = bytes(content)
        row = self.model(
            sha256=hashlib.sha256(content).hexdigest(), content=content, size=len(content))
        # One statement, no read back: a row with this hash already holds these bytes.
        self.bulk_create([row], ignore_conflicts=True)
        return row


class StoredFile(models.Model):
    """Bytes by their SHA-256. Never updated: a change would be other bytes, another row."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, primary_key=True,
                              validators=[validate_single_line])
    content = models.BinaryField(_("content"))
    size = models.PositiveBigIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("stored"), auto_now_add=True)

    objects = StoredFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")
        constraints = [
            models.CheckConstraint(condition=Q(size=Length("content")),
                                   name="storedfile_size_is_length"),
        ]

    def __str__(self):
        return self.sha256

    def __bytes__(self):
        return bytes(self.content)


def _sha256_of(name):
    """The hash a storage name starts with (`<sha256>/<file name>`), or None."""
    head = name.partition("/")[0]
    if len(head) == 64 and all(c in "0123456789abcdef" for c in head):
        return head
    return None


@deconstructible(path="correspondence.models.stored.DatabaseStorage")
class DatabaseStorage(Storage):
    """A Django storage over `StoredFile`: a file's name is `<sha256>/<its file name>`.

    What is saved is readable at once from every app server (nothing is written to a local
    disk). Saving bytes already stored reuses their row; `delete()` keeps the row, which
    another enclosure (a correction copies its original's) or a letter may share.
    """

    max_name_length = 100  # FileField's default max_length

    def _save(self, name, content):
        content.seek(0)
        row = StoredFile.objects.store(b"".join(content.chunks()))
        basename = posixpath.basename(name)
        room = self.max_name_length - len(row.sha256) - 1
        if len(basename) > room:
            stem, ext = posixpath.splitext(basename)
            ext = ext if len(ext) < 10 else ""
            basename = stem[:room - len(ext)] + ext
        return f"{row.sha256}/{basename}"

    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("stored files are read-only")
        content = StoredFile.objects.filter(sha256=_sha256_of(name)).values_list(
            "content", flat=True).first()
        if content is None:
            raise FileNotFoundError(name)
        return ContentFile(bytes(content), name=name)

    def exists(self, name):
        sha256 = _sha256_of(name)
        return sha256 is not None and StoredFile.objects.filter(sha256=sha256).exists()

    def size(self, name):
        size = StoredFile.objects.filter(sha256=_sha256_of(name)).values_list(
            "size", flat=True).first()
        if size is None:
            raise FileNotFoundError(name)
        return size

    def delete(self, name):
        pass

    def url(self, name):
        return f"{settings.MEDIA_URL}{quote(name)}"

    def get_available_name(self, name, max_length=None):
        # The stored name is chosen by _save() from the bytes: nothing to make unique here.
        return name


def annex_storage():
    """Where uploaded annexes go: `STORAGES["annexes"]` (the database, as shipped)."""
    return storages["annexes"]
