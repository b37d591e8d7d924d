from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from core.i18n_tools import LOCALE, catalogue_apps, catalogue_roots, chdir


class Command(BaseCommand):
    help = "Extract translatable strings into the zh_Hans catalogues (root and per app). Needs GNU gettext."

    def add_arguments(self, parser):
        parser.add_argument("--app", help="only this app's catalogue ('root' for the project's own)")

    def handle(self, *args, app=None, **options):
        own = set(catalogue_apps())
        for root, ignore in catalogue_roots():
            name = root.name if root.name in own else "root"
            if app and app != name:
                continue
            (root / "locale").mkdir(exist_ok=True)
            with chdir(root):
                call_command("makemessages", locale=[LOCALE], ignore_patterns=ignore, no_obsolete=True, verbosity=0)
            self.stdout.write(f"{name}: {root / 'locale' / LOCALE / 'LC_MESSAGES' / 'django.po'}")
