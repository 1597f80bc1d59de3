"""Write the draft watermark of each language to static/img/ (the image the PDF draws).

    manage.py draw_watermarks

Run after the fonts or the translation of "Draft: not issued" change; a test compares the
files with what `correspondence.watermark.watermark_svg` draws.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from correspondence.watermark import static_name, watermark_svg


class Command(BaseCommand):
    help = "Write the draft watermark of each language to static/img/."

    def handle(self, *args, **options):
        root = Path(settings.BASE_DIR) / "static"
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                svg = watermark_svg(_("Draft: not issued"), language)
            path = root / static_name(language)
            path.write_text(svg + "\n", encoding="utf-8")
            self.stdout.write(f"{path.relative_to(root)}: {len(svg):,} bytes")
