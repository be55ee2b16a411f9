"""The ``bascule`` command: django-admin with Bascule's settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bascule.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A configuration mistake is the operator's to fix: one clear line, no traceback.
        sys.stderr.write(f"Bascule is not configured correctly: {error}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
