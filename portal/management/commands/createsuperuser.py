"""Django's createsuperuser (make admin), which then says how the second factor is added."""

from django.conf import settings
from django.contrib.auth.management.commands.createsuperuser import Command as Base
from django.urls import reverse
from django.utils.translation import gettext as _


class Command(Base):
    def handle(self, *args, **options):
        superusers = self.UserModel._default_manager.db_manager(options["database"]).filter(
            is_superuser=True)
        before = superusers.count()
        super().handle(*args, **options)
        if superusers.count() == before:
            return  # skipped (no terminal) or refused: nothing to add a factor to
        self.stdout.write(_(
            "Next: sign in at %(url)s. A superuser must add a second factor before any admin "
            "page opens: you are taken to add an authenticator app (scan its QR code, or type "
            "its secret, then give a code) or a security key, and shown recovery codes: keep "
            "them somewhere safe, each signs in once if the phone or key is lost."
        ) % {"url": settings.SITE_URL + reverse("admin:index")})
