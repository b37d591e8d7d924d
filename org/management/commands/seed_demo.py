"""Build the demo group: organisation, then each app's demo data. Running it twice changes nothing."""

from __future__ import annotations

import importlib

from django.core.management.base import BaseCommand

from org.demo import APP_SEEDERS, DEMO_PASSWORD, seed_organisation


class Command(BaseCommand):
    help = "Create the demo dealer group, its two stations, one login per position, and demo data."

    def handle(self, *args, **options):
        ctx = seed_organisation()
        for module_name in APP_SEEDERS:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                continue
            module.seed(ctx)
            self.stdout.write(f"  {module_name}: ok")
        logins = ", ".join(sorted(login for login in ctx.staff if "." not in login))
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Logins: {logins}"))
        self.stdout.write(self.style.SUCCESS(f"Password for every demo login: {DEMO_PASSWORD}"))
