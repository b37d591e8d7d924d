"""The default file storage, from the environment: a private S3-compatible bucket when ``S3_BUCKET`` is set.

Kept apart from settings.py so the tests build the very same configuration against their own S3 server
(tests/s3.py). README "Object storage" lists the variables and the notes for MinIO, Aliyun OSS and Tencent COS.
"""

from __future__ import annotations

from collections.abc import Mapping

LOCAL_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}  # under MEDIA_ROOT


def s3_storage(environ: Mapping[str, str]) -> dict | None:
    """The STORAGES["default"] entry for the bucket the S3_* variables name, or None without S3_BUCKET.

    Objects are written with the "private" ACL and never overwritten (names are random anyway); no bucket URL is
    handed out (``querystring_auth`` off: even a stray ``.url`` names an address the private bucket refuses) —
    files reach users only through the checked view /files/<kind>/<pk>/. Requests are signed with Signature V4."""
    bucket = environ.get("S3_BUCKET", "")
    if not bucket:
        return None
    from botocore.config import Config  # noqa: PLC0415 - only installed and needed for S3 storage

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": environ.get("S3_ENDPOINT_URL") or None,  # None: AWS itself
            "access_key": environ.get("S3_ACCESS_KEY_ID") or None,  # None: boto3's own chain (instance role…)
            "secret_key": environ.get("S3_SECRET_ACCESS_KEY") or None,
            "region_name": environ.get("S3_REGION") or "us-east-1",
            "default_acl": "private",
            "querystring_auth": False,
            "file_overwrite": False,
            "max_memory_size": 2 * 1024 * 1024,  # a larger file read from the bucket spools to a temporary file
            "client_config": Config(
                signature_version="s3v4",
                s3={"addressing_style": environ.get("S3_ADDRESSING_STYLE") or "path"},
                connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"},
                # checksums only where S3 requires them: OSS, COS and older MinIO refuse botocore's newer defaults
                request_checksum_calculation="when_required", response_checksum_validation="when_required",
            ),
        },
    }
