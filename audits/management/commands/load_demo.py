from django.core.management.base import BaseCommand
from django.utils import timezone

from audits.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the coordinated 1177 demo audit (idempotent: a second run changes nothing)."

    def handle(self, *args, **options) -> None:
        result = load_demo(today=timezone.localdate())
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Logins (password for all: {DEMO_PASSWORD}):")
        for login in result.logins:
            self.stdout.write(f"  {login.username:<32} {login.role:<18} {login.region}")
