#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    from django.core.management import execute_from_command_line

    from tracker.history.context import history_context

    # Changes made by a command (a shell session, an import, the demo loader) are
    # recorded under the command's name; requests and tasks set their own context.
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    with history_context(command=command[:60]):
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
