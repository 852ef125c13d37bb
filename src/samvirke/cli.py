"""The `samvirke` command: Django's management commands plus the platform's own
(`samvirke seed-demo`, `samvirke serve`…). Hyphens and underscores are both accepted.

Production settings are the default: the demo's or the tests' must be named
(DJANGO_SETTINGS_MODULE=samvirke.conf.demo; `make` does)."""

import os
import sys

from django.core.management import execute_from_command_line


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samvirke.conf.production")

    argv = list(sys.argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    argv[0] = "samvirke"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
