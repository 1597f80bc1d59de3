#!/usr/bin/env python
"""Django's command-line utility for the IGN Portal."""

import os
import sys

if sys.version_info < (3, 12):  # noqa: UP036 - the point is to say so clearly
    sys.exit(
        f"IGN Portal needs Python 3.12 or newer; this is {sys.version.split()[0]}. "
        "Run it from the project's virtual environment (make run)."
    )


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ign_portal.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
