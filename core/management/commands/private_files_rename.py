"""Give every stored upload a random name, and check its content on the way (issue 13).

Files uploaded before private files were introduced kept the browser's name or the order number
(``signatures/2026/11/SH2026110001-v1.png``). For every file field registered with ``registry.private_file_add``
this command moves each file whose name is not yet random to ``<folder>/YYYY/MM/<uuid4 hex>.<ext>``: a picture is
re-encoded like a new upload (upright, EXIF gone, at most UPLOAD_MAX_SIDE px — which also keeps old huge photos from
slowing the PDFs), a PDF is kept as it is, and anything else keeps its bytes under a name without an extension, so
it is only ever served as ``application/octet-stream`` attachment. The row is updated, the old file deleted.
Running it again changes nothing.
"""

from __future__ import annotations

import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction

from core.files import random_name
from core.registry import registry
from core.uploads import PDF_MAGIC, photo_clean, signature_clean

RANDOM = re.compile(r"^[\w-]+/\d{4}/\d{2}/[0-9a-f]{32}(\.(jpg|png|pdf))?$")


def renamed_content(data: bytes, *, signature: bool) -> ContentFile:
    if data.startswith(PDF_MAGIC):
        return ContentFile(data, name="file.pdf")
    try:
        return signature_clean(data) if signature else photo_clean(data)
    except ValidationError:
        return ContentFile(data, name="file")  # not a picture we accept: kept, but only ever downloaded


class Command(BaseCommand):
    help = "Rename stored uploads to random names (and re-encode old pictures); safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only count what would be renamed")

    def handle(self, *args, dry_run: bool = False, **options):
        total = 0
        for entry in registry.private_files.values():
            model = apps.get_model(entry.model)
            field = model._meta.get_field(entry.field)
            folder = field.upload_to.folder
            rows = model.objects.exclude(**{entry.field: ""}).exclude(**{f"{entry.field}__isnull": True})
            for pk, name in rows.values_list("pk", entry.field).iterator():
                if RANDOM.match(name):
                    continue
                total += 1
                if dry_run:
                    continue
                storage = field.storage
                try:
                    with storage.open(name, "rb") as handle:
                        data = handle.read()
                except (FileNotFoundError, OSError):
                    self.stderr.write(f"{entry.kind} #{pk}: {name} is missing; left as it is")
                    continue
                content = renamed_content(data, signature="signature" in entry.kind)
                new_name = storage.save(random_name(folder, content.name), content)
                with transaction.atomic():
                    model.objects.filter(pk=pk).update(**{entry.field: new_name})
                storage.delete(name)
        self.stdout.write(f"{'would rename' if dry_run else 'renamed'} {total} file(s)")
