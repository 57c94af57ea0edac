"""Install the history triggers on PostgreSQL (nothing to do elsewhere).

The trigger functions are generated from tracker/history/tracked.py; when that list
changes, a new migration runs `install` again (it replaces what is there).
"""

from django.db import migrations

from tracker.history import postgres


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0001_initial"),
        ("audits", "0008_export"),
        ("recommendations", "0004_reminder"),
    ]

    operations = [migrations.RunPython(postgres.install, postgres.uninstall, elidable=False)]
