from __future__ import annotations

from django.core.management.base import BaseCommand

from core.i18n_tools import compile_all


class Command(BaseCommand):
    help = "Compile every zh_Hans catalogue to .mo (pure Python; no gettext needed)."

    def handle(self, *args, **options):
        for path in compile_all():
            self.stdout.write(str(path))
