"""Check every document kept as issued: its stored bytes still hash to the SHA-256 on its row. Exits non-zero
(naming each document) when one does not, or is missing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from settlement.models import IssuedDocument
from settlement.services.issued import documents_verify


class Command(BaseCommand):
    help = "Verify the SHA-256 of every stored issued document (exit status 1 on any mismatch)."

    def handle(self, *args, **options):
        bad = documents_verify()
        for doc, reason in bad:
            self.stderr.write(f"{doc.get_kind_display()} {doc.filename} (#{doc.pk}, {doc.file.name}): {reason}")
        total = IssuedDocument.objects.count()
        if bad:
            raise CommandError(f"{len(bad)} of {total} issued documents do not match their SHA-256.")
        self.stdout.write(f"{total} issued documents verified.")
