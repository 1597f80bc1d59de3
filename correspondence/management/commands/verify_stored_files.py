"""Check every stored file against its SHA-256: after a restore, or now and then."""

import hashlib

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from correspondence.models import Enclosure, Letter, StoredFile
from correspondence.models.stored import _sha256_of


class Command(BaseCommand):
    help = _("Check that every issued letter's PDF and every annex is stored whole: the bytes "
             "of each stored file hash to its SHA-256, and every file a letter names exists.")

    def handle(self, *args, **options):
        problems = []
        # Bytes of one file at a time: a database holds hundreds of megabytes of PDFs.
        checked = 0
        for sha256 in StoredFile.objects.order_by("sha256").values_list("sha256", flat=True):
            content = bytes(StoredFile.objects.values_list("content", flat=True).get(
                sha256=sha256))
            checked += 1
            if hashlib.sha256(content).hexdigest() != sha256:
                problems.append(_("Stored file %(sha256)s: its bytes hash to another "
                                  "SHA-256.") % {"sha256": sha256})
        stored = set(StoredFile.objects.values_list("sha256", flat=True))
        issued = Letter.objects.exclude(status=Letter.Status.DRAFT)
        for slug, pdf in issued.order_by("slug").values_list("slug", "pdf_id"):
            if pdf not in stored:
                problems.append(_("Letter %(slug)s: its issued PDF is missing.") % {
                    "slug": slug})
        annexes = Enclosure.objects.exclude(annex="").select_related("letter")
        for enclosure in annexes.order_by("letter__slug", "pk"):
            if _sha256_of(enclosure.annex.name) not in stored:
                problems.append(_("Letter %(slug)s: its annex %(name)s is missing.") % {
                    "slug": enclosure.letter.slug, "name": enclosure.annex.name})
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(_("%(count)d problem(s) found.") % {"count": len(problems)})
        self.stdout.write(_(
            "%(files)d stored files match their SHA-256; the PDFs of %(letters)d issued "
            "letters and %(annexes)d annexes are all there.") % {
            "files": checked, "letters": issued.count(), "annexes": annexes.count()})
