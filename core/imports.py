"""Imports of CSV and Excel files, out of the request: one framework for every department.

A department describes what it imports as an :class:`Importer` (its columns with their Chinese and English header
spellings, how one row becomes validated values, and an all-or-nothing ``apply`` built on bulk operations) and
registers it with ``registry.importer_add(...)`` in its ``ready()``. The flow, the same for every kind:

1. upload (``job_create``): the file is stored through the storage API (``default_storage``; never a local path) and
   an :class:`~core.models.ImportJob` row is written; the request ends there;
2. validate (``job_validate``, Celery task ``core.tasks.import_validate`` on the ``reports`` queue): the whole file is
   read and checked; the first rows as parsed and every error (row, column, message) are kept on the job;
3. apply (``job_apply``, task ``core.tasks.import_apply``): the file is checked again and applied in ONE transaction:
   one bad row (or a rule refusing during the write) and nothing is imported. ``processed_rows`` is written every
   batch on a connection of its own, so the progress page sees it while the transaction is still open.

Reading: ``.xlsx`` (openpyxl, read-only) or CSV text in UTF-8, UTF-8 with a BOM, UTF-16 with a BOM, or GBK/GB18030
(what Excel writes for "CSV" on a Chinese Windows), detected in that order: BOM, strict UTF-8, GB18030.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from psycopg2.extras import execute_values

from core.errors import DomainError
from core.exports import csv_bytes, xlsx_bytes
from core.models import ImportJob
from core.numbers import NumberError, parse_decimal
from core.registry import registry

logger = logging.getLogger("core.imports")

PREVIEW_ROWS = 20
MAX_ERRORS_KEPT = 1000  # a file that is wrong everywhere: the first thousand errors are enough to fix it
PROGRESS_EVERY = 500  # rows between two writes of processed_rows
FORMATS = ("csv", "xlsx")
XLSX_MAGIC = b"PK\x03\x04"


# --- what a department declares -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """One column of an import file. ``key`` is the English header (and the key in the row's values), ``zh`` the
    Chinese header of the template; ``aliases`` are other spellings found in files from old systems."""

    key: str
    label: Any  # translated label, shown in the preview
    zh: str = ""
    aliases: tuple[str, ...] = ()
    required: bool = False

    def headers(self) -> set[str]:
        return {normalise_header(h) for h in (self.key, self.zh, *self.aliases) if h}


@dataclass(frozen=True)
class Importer:
    """What one kind of import is (``parts``, ``labour``, ``customers``…).

    ``clean(row, context) -> dict | None``: the row's validated values (errors go to ``row.error``);
    ``prepare(station) -> context``: what validation needs from the database, loaded once (existing keys…);
    ``finish(rows, context, report)``: checks across rows once every row is read (``report(row, column, message)``);
    ``apply(*, station, by, rows, context, progress) -> dict``: writes every row inside the caller's transaction with
    bulk operations, calls ``progress.add(n)`` as it goes, raises :class:`RowError` or ``DomainError`` to refuse,
    and returns the counts ``{"created": n, "updated": m, "details": [[label, n], …]}``.
    """

    kind: str
    label: Any
    app: str
    action: str  # the permission action (org.permissions) needed to import this kind
    columns: tuple[Column, ...]
    clean: Callable[[Row, dict], dict | None]
    apply: Callable[..., dict]
    prepare: Callable[[Any], dict] = lambda station: {}
    finish: Callable[[list[tuple[int, dict]], dict, Callable], None] | None = None
    upload_url: str = ""  # the department's upload page (URL name)
    back_url: str = ""  # where the result page leads back to (URL name)
    description: Any = ""

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)


def importer_for(kind: str) -> Importer:
    importer = registry.importers.get(kind)
    if importer is None:
        raise LookupError(f"no importer registered for {kind!r}")
    return importer


class ImportFileError(Exception):
    """The file as a whole cannot be read (not CSV/xlsx, unknown encoding, no header). Translated message."""


class RowError(DomainError):
    """A rule refused a row while applying (the whole import is rolled back); ``row``/``column`` say where."""

    def __init__(self, message: str, *, row: int = 0, column: str = ""):
        super().__init__(message, field=column)
        self.row, self.column = row, column


# --- reading ----------------------------------------------------------------------------------------------------------
def normalise_header(text: str) -> str:
    return re.sub(r"[\s_\-()（）:：*]", "", str(text or "").replace("\ufeff", "")).lower()


def decode_text(data: bytes) -> tuple[str, str]:
    """The bytes of a CSV file as text, and the encoding found: BOM first, then strict UTF-8, then GB18030 (a superset
    of GBK and GB2312, what Excel writes on a Chinese Windows)."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise ImportFileError(_("The file's characters cannot be read: save it as CSV UTF-8 or as Excel (.xlsx).")) from None


def cell_text(value) -> str:
    """An xlsx cell as the text a CSV would hold: 68.0 → "68", dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _csv_rows(text: str) -> Iterator[list[str]]:
    first = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, InvalidFileException, KeyError…: not an xlsx we can read
        raise ImportFileError(_("The Excel file cannot be opened: %(problem)s") % {"problem": type(exc).__name__}) from None
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [cell_text(v) for v in row]
    finally:
        book.close()


def file_format(name: str, data: bytes) -> str:
    """``xlsx`` or ``csv``, from the content first (an .xlsx is a zip file), then the name."""
    if data.startswith(XLSX_MAGIC) or name.lower().endswith(".xlsx"):
        return "xlsx"
    return "csv"


def read_rows(data: bytes, fmt: str) -> tuple[Iterator[list[str]], str]:
    """The file's rows as lists of text (header first) and the encoding found ("xlsx" for Excel)."""
    if fmt == "xlsx":
        return _xlsx_rows(data), "xlsx"
    text, encoding = decode_text(data)
    if "\x00" in text:
        raise ImportFileError(_("The file is not a CSV text file."))
    return _csv_rows(text), encoding


# --- checking -----------------------------------------------------------------------------------------------------
TRUE_WORDS = {"1", "y", "yes", "true", "t", "是", "原厂", "有", "√", "✓"}
FALSE_WORDS = {"0", "n", "no", "false", "f", "否", "非原厂", "无", "副厂", "×"}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M")


class Row:
    """One data row of the file while it is checked: the cells by column key, and the errors found in it."""

    def __init__(self, number: int, cells: dict[str, str], headers: dict[str, str], errors: list[dict]):
        self.number = number
        self.cells = cells
        self._headers = headers  # column key -> the header as written in the file
        self._errors = errors
        self._count = len(errors)

    def __getitem__(self, key: str) -> str:
        return self.cells.get(key, "")

    def has(self, key: str) -> bool:
        return key in self._headers

    @property
    def ok(self) -> bool:
        return len(self._errors) == self._count

    def error(self, column: str, message: str) -> None:
        self._errors.append({"row": self.number, "column": self._headers.get(column, column), "message": str(message)})

    def text(self, key: str, *, max_length: int, required: bool = False, upper: bool = False, default: str = "") -> str:
        value = self[key] or default
        if upper:
            value = value.upper()
        if required and not value:
            self.error(key, _("This cell is empty."))
        elif len(value) > max_length:
            self.error(key, _("Too long: at most %(n)d characters.") % {"n": max_length})
            value = value[:max_length]
        return value

    def decimal(self, key: str, *, limit: Decimal, default: Decimal | None = Decimal("0"), negative: bool = False,
                required: bool = False, places: int | None = None) -> Decimal | None:
        raw = self[key].replace("¥", "").replace("￥", "").strip()
        if not raw:
            if required:
                self.error(key, _("This cell is empty."))
            return default
        try:
            value = parse_decimal(raw, max_value=limit, min_value=None if negative else Decimal("0"), places=places)
        except NumberError as exc:
            self.error(key, str(exc))
            return None
        return value

    def integer(self, key: str, *, low: int, high: int, default: int | None = None) -> int | None:
        raw = self[key].replace(",", "").strip()
        if not raw:
            return default
        try:
            number = Decimal(raw)
            if not number.is_finite() or number != number.to_integral_value():
                raise ValueError
            value = int(number)
        except (ArithmeticError, ValueError):
            self.error(key, _("“%(value)s” is not a whole number.") % {"value": raw[:40]})
            return None
        if not low <= value <= high:
            self.error(key, _("Must be between %(low)s and %(high)s.") % {"low": low, "high": high})
            return None
        return value

    def boolean(self, key: str, *, default: bool) -> bool:
        raw = self[key].strip().lower()
        if not raw:
            return default
        if raw in TRUE_WORDS:
            return True
        if raw in FALSE_WORDS:
            return False
        self.error(key, _("Write yes or no (是 / 否)."))
        return default

    def date(self, key: str) -> date | None:
        raw = self[key].strip()
        if not raw:
            return None
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(raw, fmt).date()
            except ValueError:
                continue
        self.error(key, _("“%(value)s” is not a date (write 2024-05-31).") % {"value": raw[:40]})
        return None


@dataclass
class Checked:
    """The whole file checked: valid rows (row number, values), every error, the first rows for the preview."""

    rows: list[tuple[int, dict]] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)
    total: int = 0
    encoding: str = ""
    context: dict = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)


def _display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def check(importer: Importer, data: bytes, fmt: str, *, station, on_row: Callable[[int], None] | None = None) -> Checked:
    """Read and check every row. File-level problems (no header, a required column missing) are errors of row 1."""
    result = Checked()
    rows, result.encoding = read_rows(data, fmt)
    header: list[str] | None = None
    number = 0  # rows as a spreadsheet numbers them: the header is row 1 unless blank rows come before it
    for raw in rows:
        number += 1
        if any(c.strip() for c in raw):
            header = raw
            break
    if header is None:
        result.errors.append({"row": 1, "column": "", "message": _("The file is empty.")})
        return result
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    for index, title in enumerate(header):
        key = normalise_header(title)
        column = next((c for c in importer.columns if key and key in c.headers()), None)
        if column is None:
            if title.strip():
                result.ignored_columns.append(title.strip())
        elif column.key not in positions:
            positions[column.key] = index
            written[column.key] = title.strip().lstrip("\ufeff")
    missing = [c for c in importer.columns if c.required and c.key not in positions]
    if missing:
        names = ", ".join(f"{c.key} / {c.zh}" if c.zh else c.key for c in missing)
        result.errors.append({"row": 1, "column": "", "message": _("Missing columns: %(columns)s") % {"columns": names}})
        return result
    result.context = importer.prepare(station)
    errors = result.errors
    for raw in rows:
        number += 1
        if not any(c.strip() for c in raw):
            continue  # blank lines (Excel leaves them at the end)
        result.total += 1
        cells = {key: (raw[i].strip() if i < len(raw) else "") for key, i in positions.items()}
        row = Row(number, cells, written, errors)
        values = importer.clean(row, result.context)
        if row.ok and values is not None:
            result.rows.append((number, values))
        if len(result.preview) < PREVIEW_ROWS:
            shown = values or {}
            result.preview.append({"row": number, "cells": [
                _display(shown[c.key]) if shown.get(c.key) is not None else cells.get(c.key, "") for c in importer.columns
            ]})
        if on_row and result.total % PROGRESS_EVERY == 0:
            on_row(result.total)
    if importer.finish is not None:

        def report(row: int, column: str, message: str) -> None:
            errors.append({"row": row, "column": written.get(column, column), "message": str(message)})

        importer.finish(result.rows, result.context, report)
    if not result.total and not errors:
        errors.append({"row": 1, "column": "", "message": _("The file has no rows.")})
    errors.sort(key=lambda e: e["row"])
    return result


# --- progress -----------------------------------------------------------------------------------------------------------
class Progress:
    """``processed_rows`` of a job, written on a connection of its own (autocommit): the apply runs in one
    transaction, and a write through the task's own connection would stay invisible to the progress page until the
    end. Written at most every ``every`` rows."""

    def __init__(self, job_id: int, *, every: int = PROGRESS_EVERY):
        self.job_id, self.every = job_id, every
        self.done = self._written = 0
        self._connection = None

    def add(self, n: int) -> None:
        self.done += n
        if self.done - self._written >= self.every:
            self.write()

    def write(self) -> None:
        try:
            if self._connection is None:
                self._connection = connections.create_connection(DEFAULT_DB_ALIAS)
            with self._connection.cursor() as cursor:
                cursor.execute(f'UPDATE "{ImportJob._meta.db_table}" SET processed_rows = %s WHERE id = %s',
                               [self.done, self.job_id])
            self._written = self.done
        except Exception:  # progress is a courtesy: never fail an import because the bar could not move
            logger.warning("import %s: progress not written", self.job_id, exc_info=True)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class _NoProgress(Progress):
    def __init__(self):
        super().__init__(0)

    def write(self) -> None:
        self._written = self.done


def bulk_update(objs: list, fields: list[str], *, batch_size: int = 1000) -> int:
    """Write ``fields`` of the saved model instances ``objs`` with ``UPDATE … FROM (VALUES …)``.

    Django's ``bulk_update`` builds one ``CASE WHEN id = … THEN …`` per field, which PostgreSQL evaluates row by row:
    quadratic in the batch size (20,000 parts took 157 s to update that way, against seconds here). Other databases
    fall back to Django's. Returns the number of rows written.
    """
    if not objs:
        return 0
    model = type(objs[0])
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return model.objects.bulk_update(objs, fields, batch_size=batch_size)
    meta, quote = model._meta, connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    names = ", ".join(quote(c.column) for c in columns)
    assignments = ", ".join(f"{quote(c.column)} = v.{quote(c.column)}::{c.cast_db_type(connection)}" for c in columns)
    sql = (f"UPDATE {quote(meta.db_table)} AS t SET {assignments} FROM (VALUES %s) AS v(_pk, {names}) "
           f"WHERE t.{quote(meta.pk.column)} = v._pk")
    values = [[obj.pk, *(c.get_db_prep_save(getattr(obj, c.attname), connection) for c in columns)] for obj in objs]
    with connection.cursor() as cursor:
        for batch in batched(values, batch_size):
            execute_values(cursor.cursor, sql, batch, page_size=batch_size)
    return len(objs)


def batched(items: list, size: int = 1000) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- jobs ---------------------------------------------------------------------------------------------------------------
def job_create(*, importer: Importer, station, by, upload, language: str = "") -> ImportJob:
    """Store the uploaded file (storage API) and record the job; the caller then queues the validation."""
    data = upload.read()
    fmt = file_format(upload.name or "", data)
    name = f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{fmt}"
    stored = default_storage.save(name, ContentFile(data))
    return ImportJob.objects.create(
        kind=importer.kind, station=station, created_by=by, file=stored, original_name=(upload.name or "")[:200],
        file_format=fmt, language=(language or settings.LANGUAGE_CODE)[:10],
    )


def _read(job: ImportJob) -> bytes:
    with default_storage.open(job.file, "rb") as handle:
        return handle.read()


def _fail(job: ImportJob, errors: list[dict], *, status: str = ImportJob.Status.FAILED) -> None:
    job.status = status
    job.errors = errors[:MAX_ERRORS_KEPT]
    job.error_count = len(errors)
    job.finished_at = timezone.now() if status == ImportJob.Status.FAILED else None
    job.save()


def job_validate(job_id: int) -> str:
    """Check the whole file and keep the preview and every error on the job (status ``previewed``)."""
    job = ImportJob.objects.select_related("station").get(pk=job_id)
    if job.status != ImportJob.Status.UPLOADED:
        return job.status
    importer = importer_for(job.kind)
    progress = Progress(job.pk)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            checked = check(importer, _read(job), job.file_format, station=job.station,
                            on_row=lambda n: (setattr(progress, "done", n), progress.write()))
        except ImportFileError as exc:
            job.total_rows = 0
            _fail(job, [{"row": 1, "column": "", "message": str(exc)}], status=ImportJob.Status.PREVIEWED)
            return job.status
        finally:
            progress.close()
    job.status = ImportJob.Status.PREVIEWED
    job.total_rows, job.processed_rows = checked.total, 0
    job.encoding = checked.encoding
    job.preview = checked.preview
    job.ignored_columns = checked.ignored_columns[:50]
    job.error_count = len(checked.errors)
    job.errors = checked.errors[:MAX_ERRORS_KEPT]
    job.save()
    return job.status


def job_start(job: ImportJob) -> bool:
    """Claim a previewed, error-free job for applying; False when it was not in that state (already started…)."""
    return bool(ImportJob.objects.filter(
        pk=job.pk, status=ImportJob.Status.PREVIEWED, error_count=0, total_rows__gt=0
    ).update(status=ImportJob.Status.RUNNING, processed_rows=0))


def job_not_queued(job: ImportJob, *, was_started: bool) -> None:
    """The broker could not take the job's task: a new upload is failed (it will never be checked); a started import
    goes back to previewed, so the Import button works again."""
    if was_started:
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING, started_at__isnull=True).update(
            status=ImportJob.Status.PREVIEWED)
    else:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, finished_at=timezone.now())


def job_apply(job_id: int) -> str:
    """Check the file again and apply it in one transaction. Any error: nothing is imported, the job says why."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING, started_at__isnull=True).update(
        started_at=timezone.now())
    job = ImportJob.objects.select_related("station", "created_by").get(pk=job_id)
    if not claimed:
        return job.status  # not started through job_start, or a second delivery of the same task
    importer = importer_for(job.kind)
    progress = Progress(job.pk)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            checked = check(importer, _read(job), job.file_format, station=job.station)
            if checked.errors:
                _fail(job, checked.errors)
                return job.status
            with transaction.atomic():
                counts = importer.apply(station=job.station, by=job.created_by, rows=checked.rows,
                                        context=checked.context, progress=progress)
        except RowError as exc:
            _fail(job, [{"row": exc.row, "column": exc.column, "message": exc.message}])
            return job.status
        except (DomainError, ImportFileError) as exc:
            _fail(job, [{"row": 0, "column": "", "message": str(exc)}])
            return job.status
        except Exception:
            logger.exception("import %s (%s) failed", job.pk, job.kind)
            _fail(job, [{"row": 0, "column": "", "message": _("The import stopped on an unexpected error.")}])
            raise
        finally:
            progress.close()
    job.status = ImportJob.Status.DONE
    job.processed_rows = checked.total
    job.created_count = counts.get("created", 0)
    job.updated_count = counts.get("updated", 0)
    job.details = [[str(label), int(n)] for label, n in counts.get("details", [])]
    job.finished_at = timezone.now()
    job.save()
    logger.info("import %s (%s) done: %s created, %s updated", job.pk, job.kind, job.created_count, job.updated_count)
    return job.status


def import_now(*, kind: str, station, by, data: bytes | str, fmt: str = "csv") -> tuple[dict, list[dict]]:
    """Check and apply in this process, all or nothing: ``(counts, errors)``. For seeding demo data and for the
    department services' own tests; pages never call it (they go through a job and the workers)."""
    importer = importer_for(kind)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        checked = check(importer, raw, fmt, station=station)
    except ImportFileError as exc:
        return {}, [{"row": 1, "column": "", "message": str(exc)}]
    if checked.errors:
        return {}, checked.errors
    try:
        with transaction.atomic():
            counts = importer.apply(station=station, by=by, rows=checked.rows, context=checked.context,
                                    progress=_NoProgress())
    except RowError as exc:
        return {}, [{"row": exc.row, "column": exc.column, "message": exc.message}]
    except DomainError as exc:
        return {}, [{"row": 0, "column": "", "message": exc.message}]
    return counts, []


def errors_by_row(errors: list[dict]) -> list[tuple[int, str]]:
    """Errors as (row, "column: message; …") — one entry per row, for callers that list rows."""
    rows: dict[int, list[str]] = {}
    for e in errors:
        rows.setdefault(e["row"], []).append(f"{e['column']}: {e['message']}" if e["column"] else e["message"])
    return [(row, "; ".join(messages)) for row, messages in sorted(rows.items())]


# --- templates ------------------------------------------------------------------------------------------------------------
def template_headers(importer: Importer, language: str) -> list[str]:
    chinese = language.lower().startswith("zh")
    return [(c.zh or c.key) if chinese else c.key for c in importer.columns]


def template_bytes(importer: Importer, fmt: str, language: str) -> bytes:
    headers = template_headers(importer, language)
    if fmt == "xlsx":
        return xlsx_bytes(headers, [], title=importer.kind)
    return csv_bytes(headers, [])
