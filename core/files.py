"""Private files: stored under random names, served only through one checked view.

Every uploaded file (photos, signatures, scans) is stored as ``<folder>/<YYYY>/<MM>/<uuid4 hex>.<ext>``, the
extension decided from the content by ``core.uploads`` — never the browser's name or the order number. Nothing under
``MEDIA_URL`` is served by Django or by nginx (``deploy/nginx/private-media.conf``); a file is reached only at
``/files/<kind>/<pk>/``, where ``kind`` names a file field an app registered with
``registry.private_file_add(...)`` in its ``ready()``. The view answers 404 (logged) to anonymous users and to users
who do not see the owning record's station, 403 (logged) to positions without the registered action, and otherwise
streams the file from the storage with its content type, ``nosniff``, ``attachment`` for anything that is not an
image, and ``private, no-store``.

Files are read and written only through the storage API (``storage.open``/``save``, ``FieldFile.open``), never
through a local path, so the same code works on local disk (``MEDIA_ROOT``) and in a private S3-compatible bucket
(``S3_BUCKET``, config/settings.py) shared by several nodes; ``core/tests/test_storage_api.py`` keeps it that way.
Only with files on local disk and ``PRIVATE_MEDIA_ACCEL_PREFIX`` set does the view hand the file to nginx's
``internal`` location with ``X-Accel-Redirect`` instead; with S3 storage X-Accel is not used (nginx cannot read the
bucket, and the bucket hands nothing out to browsers).

Who may do what is org's business: core asks for it through the registry (``org.has_action``,
``org.visible_station_ids``), since core imports no app.
"""

from __future__ import annotations

import base64
import posixpath
import re
import uuid
from pathlib import PurePosixPath
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from core.access import deny, not_found
from core.registry import PrivateFile, registry

CONTENT_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf", ".ofd": "application/ofd",
                 ".mp4": "video/mp4", ".mov": "video/quicktime", ".webm": "video/webm"}
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "video/mp4", "video/quicktime", "video/webm"})
FALLBACK_TYPE = "application/octet-stream"


def random_name(folder: str, filename: str) -> str:
    """``folder/YYYY/MM/<uuid hex><ext>``; only a known extension is kept (anything else gets none)."""
    ext = PurePosixPath(filename or "").suffix.lower()
    ext = ".jpg" if ext == ".jpeg" else ext
    if ext not in CONTENT_TYPES:
        ext = ""
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


@deconstructible
class PrivateUploadTo:
    """``upload_to`` of every private file field: a random name in a dated folder."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        return random_name(self.folder, filename)

    def __eq__(self, other) -> bool:
        return isinstance(other, PrivateUploadTo) and other.folder == self.folder


def content_type(name: str) -> str:
    return CONTENT_TYPES.get(PurePosixPath(name).suffix.lower(), FALLBACK_TYPE)


def private_file_url(obj, field: str) -> str:
    """The checked address of ``obj.<field>``, or "" when it holds no file."""
    if not getattr(obj, field, None):
        return ""
    entry = registry.private_file_for(obj._meta.label, field)
    if entry is None:
        raise LookupError(f"{obj._meta.label}.{field} is not registered with registry.private_file_add()")
    return reverse("private_file", kwargs={"kind": entry.kind, "pk": obj.pk})


def data_uri(fieldfile) -> str:
    """The file as a ``data:`` URI for a PDF, read through the storage API (works with any storage backend)."""
    if not fieldfile:
        return ""
    try:
        with fieldfile.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError, ValueError):
        return ""
    return f"data:{content_type(fieldfile.name)};base64,{base64.b64encode(data).decode('ascii')}"


def _model(entry: PrivateFile):
    return apps.get_model(entry.model)


def serve(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The one way to a private file. Public at the middleware (anonymous users get a logged 404, not a login page
    that would confirm the address means something); every check is here."""
    entry = registry.private_files.get(kind)
    if entry is None:
        raise Http404
    if not request.user.is_authenticated or not request.user.is_active:
        not_found(request, what=f"file:{kind}")
    if not registry.call("org.has_action", request.user, entry.action):
        deny(request, action=entry.action, reason="position")
    station_ids = registry.call("org.visible_station_ids", request.user)
    try:
        row = _model(entry).objects.filter(**{f"{entry.station_path}__in": station_ids}).get(pk=pk)
    except ObjectDoesNotExist:
        not_found(request, what=f"file:{kind}")
    fieldfile = getattr(row, entry.field)
    if not fieldfile:
        not_found(request, what=f"file:{kind}")
    return file_response(fieldfile)


def file_response(fieldfile) -> HttpResponse:
    name = fieldfile.name
    ctype = content_type(name)
    suffix = PurePosixPath(name).suffix.lower()
    download = f"{kind_label(name)}{suffix if suffix in CONTENT_TYPES else '.bin'}"  # never .html, .svg…
    disposition = "inline" if ctype in INLINE_TYPES else "attachment"
    prefix = settings.PRIVATE_MEDIA_ACCEL_PREFIX
    if prefix and isinstance(fieldfile.storage, FileSystemStorage):  # nginx reads MEDIA_ROOT; it cannot read a bucket
        response = HttpResponse(content_type=ctype)
        response["X-Accel-Redirect"] = quote(posixpath.join(prefix, name.lstrip("/")))  # old names may be Chinese
    else:
        try:
            handle = fieldfile.storage.open(name, "rb")  # local disk or the bucket: the storage API either way
        except (FileNotFoundError, OSError):
            raise Http404 from None
        response = FileResponse(handle, content_type=ctype)  # streamed in blocks, closed when sent
    response["Content-Disposition"] = f'{disposition}; filename="{download}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def kind_label(name: str) -> str:
    """A neutral download name: the folder's name and the random stem's first characters."""
    path = PurePosixPath(name)
    folder = re.sub(r"[^A-Za-z0-9_-]", "", path.parts[0]) if len(path.parts) > 1 else ""
    stem = re.sub(r"[^A-Za-z0-9_-]", "", path.stem)[:8]  # old names may hold anything: only safe characters
    return f"{folder or 'file'}-{stem or 'file'}"
