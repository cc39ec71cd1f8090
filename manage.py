#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wnh.settings")
    if sys.argv[1:2] == ["rundemo"]:
        # The laptop demo asks for debug mode itself, like `make demo`; every other start
        # is a production one unless DJANGO_DEBUG=true (wnh/settings.py).
        os.environ.setdefault("DJANGO_DEBUG", "true")
    from django.core.management import execute_from_command_line

    from wnh.audit import command_context

    with command_context(sys.argv):  # the audit history names the command
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
