"""Build the demo group through the services. Running it twice changes nothing."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.data import DEMO_PASSWORD
from demo.seed import seed


class Command(BaseCommand):
    help = "Create the demo dealer group, its two stations, one login per position, and half a year of demo data."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true",
                            help="Seed even with DEBUG off (the demo's logins share one known password).")

    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: this looks like a real installation. The demo creates logins with a "
                               "known password; run with --force if you really mean it.")
        ctx = seed(report=lambda step: self.stdout.write(f"  {step}: ok"))
        logins = ", ".join(sorted(login for login in ctx.staff if "." not in login))
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Logins: {logins}"))
        self.stdout.write(self.style.SUCCESS(f"Password for every demo login: {DEMO_PASSWORD}"))
