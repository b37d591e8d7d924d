"""Issue 14, item 3: uploaded files are reached through Django's storage API only, so they can live in an S3 bucket.

A scan of the project's source (every module outside tests/ and migrations/, and every template) fails on a local
path of a stored file (``photo.image.path``, ``storage.path(...)``), on ``MEDIA_ROOT`` anywhere but the settings, and
on a template that prints a stored file's ``.url``/``.path`` instead of ``{% file_url %}``. And the settings choose
django-storages' S3 backend from the S3_* variables (checked in a fresh process against a real S3-protocol server).
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from config.storage import s3_storage
from tests.s3 import (
    anonymous_get,
    create_bucket,
    object_keys,
    s3_client,
    s3_environment,
    start_moto_server,
    stop_moto_server,
)

ROOT = Path(settings.BASE_DIR)
SKIPPED_DIRS = {"tests", "migrations", "__pycache__", "node_modules", "static", "staticfiles", "media",
                "bench"}  # benchmarks set up their own process (a temporary MEDIA_ROOT), they serve no file
FILE_VARIABLE_NAMES = {"fieldfile", "field_file"}


def file_field_names() -> set[str]:
    return {field.name for model in apps.get_models() for field in model._meta.get_fields()
            if isinstance(field, models.FileField)}


def _terminal_name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def local_path_uses(source: str, filename: str, *, field_names: set[str], settings_module: bool = False) -> list[str]:
    """Every place in ``source`` that reaches a stored file by a local path instead of through the storage API."""
    found = []
    file_names = field_names | FILE_VARIABLE_NAMES
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Attribute) and node.attr == "path":
            owner = _terminal_name(node.value)
            if owner in file_names:  # photo.image.path, fieldfile.path
                found.append(f"{filename}:{node.lineno}: .path of a stored file ({owner}.path)")
            elif owner.endswith("storage"):  # default_storage.path(name), field.storage.path(...)
                found.append(f"{filename}:{node.lineno}: {owner}.path() names a local file")
        if not settings_module and _terminal_name(node) == "MEDIA_ROOT" and isinstance(node, ast.Name | ast.Attribute):
            found.append(f"{filename}:{node.lineno}: MEDIA_ROOT outside the settings")
        if not settings_module and isinstance(node, ast.Constant) and node.value == "MEDIA_ROOT":
            found.append(f"{filename}:{node.lineno}: MEDIA_ROOT outside the settings")  # getattr(settings, "…")
    return found


def template_file_urls(text: str, filename: str, *, field_names: set[str]) -> list[str]:
    alternatives = "|".join(sorted(field_names))
    pattern = re.compile(rf"\.({alternatives})\.(url|path)\b")
    return [f"{filename}:{text[:match.start()].count(chr(10)) + 1}: {match.group(0)} (use {{% file_url %}})"
            for match in pattern.finditer(text)]


def project_files(suffix: str) -> list[Path]:
    return [path for path in sorted(ROOT.rglob(f"*{suffix}"))
            if not (set(path.relative_to(ROOT).parts[:-1]) & SKIPPED_DIRS)
            and not path.relative_to(ROOT).parts[0].startswith(".") and path.name != "conftest.py"]


def test_the_scan_finds_each_kind_of_local_path_use():
    """The checks below can fail: a sample of every forbidden use is found (and the allowed ones are not)."""
    names = {"image", "signature", "scan"}
    bad = (
        "from django.conf import settings\n"
        "open(version.signature.path, 'rb')\n"
        "Image.open(photo.image.path)\n"
        "weasy(url=fieldfile.path)\n"
        "default_storage.path(name)\n"
        "field.storage.path(name)\n"
        "os.path.join(settings.MEDIA_ROOT, name)\n"
        "getattr(settings, 'MEDIA_ROOT')\n"
    )
    assert len(local_path_uses(bad, "bad.py", field_names=names)) == 7
    fine = "os.path.join(a, b)\nrequest.path\nconfig.path\nsys.path\nwith photo.image.open('rb') as f: pass\n"
    assert local_path_uses(fine, "fine.py", field_names=names) == []
    assert local_path_uses("MEDIA_ROOT = Path('m')\n", "config/settings.py", field_names=names,
                           settings_module=True) == []
    assert len(template_file_urls('<img src="{{ p.image.url }}">{{ v.signature.path }}', "t.html",
                                  field_names=names)) == 2
    assert template_file_urls('<img src="{% file_url p "image" %}">{{ item.url }}', "t.html", field_names=names) == []


def test_the_project_reaches_stored_files_only_through_the_storage_api():
    names = file_field_names()
    assert {"image", "signature", "scan"} <= names  # the scan knows the project's file fields
    modules = project_files(".py")
    assert ROOT / "core" / "files.py" in modules and ROOT / "settlement" / "pdf.py" in modules
    found = []
    for path in modules:
        rel = str(path.relative_to(ROOT))
        found += local_path_uses(path.read_text(encoding="utf-8"), rel, field_names=names,
                                 settings_module=rel == "config/settings.py")
    assert found == []


def test_no_template_prints_a_stored_files_own_address():
    names = file_field_names()
    templates = project_files(".html")
    assert any(path.name == "_signatures.html" for path in templates)
    found = []
    for path in templates:
        found += template_file_urls(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)), field_names=names)
    assert found == []


# --- the settings ---------------------------------------------------------------------------------------------

PROBE = """
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage as storage
storage._setup()
s = storage._wrapped
out = {"backend": settings.STORAGES["default"]["BACKEND"], "class": type(s).__module__ + "." + type(s).__name__}
if out["backend"].startswith("storages."):
    cfg = s.client_config
    out.update(bucket=s.bucket_name, endpoint=s.endpoint_url, region=s.region_name, acl=s.default_acl,
               overwrite=s.file_overwrite, querystring_auth=s.querystring_auth,
               signature=cfg.signature_version, addressing=cfg.s3["addressing_style"])
    first = storage.save("probe/hello.txt", ContentFile(b"first"))
    second = storage.save("probe/hello.txt", ContentFile(b"second"))
    with storage.open(first, "rb") as handle:
        out.update(first=first, second=second, read=handle.read().decode())
else:
    out["location"] = str(s.location)
print(json.dumps(out))
"""


def _probe(**env) -> dict:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("S3_")}
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env={**environment, "DEBUG": "1", **env},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_s3_bucket_files_stay_on_local_disk(tmp_path):
    out = _probe(MEDIA_ROOT=str(tmp_path))
    assert out["class"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert out["location"] == str(tmp_path)


@pytest.mark.s3
def test_with_s3_bucket_the_settings_use_a_private_bucket(tmp_path):
    process, endpoint = start_moto_server(tmp_path / "moto.log")
    try:
        bucket = create_bucket(endpoint)
        out = _probe(**s3_environment(endpoint, bucket), MEDIA_ROOT=str(tmp_path / "media"))
        assert out["backend"] == "storages.backends.s3.S3Storage"
        assert out["class"] == "storages.backends.s3.S3Storage"
        assert (out["bucket"], out["endpoint"], out["region"]) == (bucket, endpoint, "us-east-1")
        assert out["acl"] == "private" and out["querystring_auth"] is False and out["overwrite"] is False
        assert (out["signature"], out["addressing"]) == ("s3v4", "path")
        # Written to the real server through the settings' storage: found with boto3, never overwritten, private.
        assert out["read"] == "first" and out["first"] == "probe/hello.txt" and out["second"] != out["first"]
        assert object_keys(endpoint, bucket) == sorted([out["first"], out["second"]])
        body = s3_client(endpoint).get_object(Bucket=bucket, Key=out["second"])["Body"].read()
        assert body == b"second"
        assert anonymous_get(endpoint, bucket, out["first"]) == 403
        assert not (tmp_path / "media").exists()
    finally:
        stop_moto_server(process)


def test_s3_defaults_region_and_addressing_style():
    assert s3_storage({}) is None
    options = s3_storage({"S3_BUCKET": "b", "S3_ADDRESSING_STYLE": "virtual", "S3_REGION": "cn-hangzhou"})["OPTIONS"]
    assert options["region_name"] == "cn-hangzhou"
    assert options["client_config"].s3 == {"addressing_style": "virtual"}
    assert options["endpoint_url"] is None and options["access_key"] is None
    default = s3_storage({"S3_BUCKET": "b"})["OPTIONS"]
    assert default["region_name"] == "us-east-1" and default["client_config"].s3 == {"addressing_style": "path"}
