"""The `kefu` console script: Django's management commands, with one clear line instead of a
traceback when the configuration or the database is unusable."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "kefu"
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError, InterfaceError

    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:
        print(f"kefu: the configuration is not usable: {exc}", file=sys.stderr)
        return 1
    except (DatabaseError, InterfaceError) as exc:
        from django.conf import settings

        url = settings.DATABASE_URL
        shown = url.split("@")[-1] if "@" in url else url
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"kefu: cannot use the database at {shown}: {first_line}", file=sys.stderr)
        print("kefu: check KEFU_DATABASE_URL and that the server is running.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
