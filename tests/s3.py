"""A real S3-protocol server for tests: moto in server mode (``moto[server]``), started as a subprocess on a free port.

``start_moto_server(log_path)`` needs no Django (the two-node deploy test starts it the same way for its gunicorn
nodes, and gives them ``s3_environment(endpoint, bucket)``); ``s3_client``/``create_bucket``/``anonymous_get`` talk
to it with boto3 and plain HTTP, never through Django; ``storage_settings`` is the STORAGES value that points
Django's default storage at a bucket there, built by config/storage.py from the S3_* variables like the settings.

moto keeps everything in memory and accepts any key pair, but it speaks the S3 protocol over HTTP, signs nothing for
us and enforces object ACLs for anonymous requests (a private object answers 403 to a GET without credentials).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import boto3
from botocore.config import Config

from config.storage import s3_storage

ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"
REGION = "us-east-1"


class MotoDidNotStart(RuntimeError):
    pass


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _moto_command(host: str, port: int) -> list[str]:
    script = Path(sys.executable).parent / "moto_server"
    if script.exists():
        return [str(script), "-H", host, "-p", str(port)]
    return [sys.executable, "-m", "moto.server", "-H", host, "-p", str(port)]


def _answers(endpoint_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{endpoint_url}/moto-api/", timeout=1):
            return True
    except urllib.error.HTTPError:
        return True  # an HTTP answer of any kind: the server is up
    except OSError:
        return False


def start_moto_server(log_path: Path | str, *, host: str = "127.0.0.1",
                      timeout: float = 30) -> tuple[subprocess.Popen, str]:
    """Start ``moto_server`` on a free port; return the process and its endpoint URL once it answers HTTP.

    Raises MotoDidNotStart (with the log's tail) if it exits or does not answer within ``timeout`` seconds: a test
    that needs the server fails then, it is not skipped. Stop it with ``stop_moto_server(process)``."""
    last_error = ""
    for _attempt in range(3):  # another process may take the free port between our probe and moto's bind
        port = free_port(host)
        endpoint_url = f"http://{host}:{port}"
        with open(log_path, "ab") as log:
            process = subprocess.Popen(_moto_command(host, port), stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            if _answers(endpoint_url):
                return process, endpoint_url
            time.sleep(0.1)
        stop_moto_server(process)
        last_error = Path(log_path).read_text(errors="replace")[-2000:]
    raise MotoDidNotStart(f"moto_server did not answer (log {log_path}):\n{last_error}")


def stop_moto_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def s3_client(endpoint_url: str):
    """A boto3 client with the test credentials (not Django's storage): to check what is really in the bucket."""
    return boto3.client("s3", endpoint_url=endpoint_url, aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=SECRET_KEY, region_name=REGION,
                        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))


def create_bucket(endpoint_url: str, name: str = "") -> str:
    """A new private bucket (a fresh random name unless given); its name."""
    name = name or f"aftersales-test-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint_url).create_bucket(Bucket=name, ACL="private")
    return name


def object_keys(endpoint_url: str, bucket: str, prefix: str = "") -> list[str]:
    response = s3_client(endpoint_url).list_objects_v2(Bucket=bucket, Prefix=prefix)
    return sorted(item["Key"] for item in response.get("Contents", []))


def anonymous_get(endpoint_url: str, bucket: str, key: str) -> int:
    """HTTP status of a plain GET of the object without any credentials (what a stranger's browser would get)."""
    try:
        with urllib.request.urlopen(f"{endpoint_url}/{bucket}/{key}", timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def s3_environment(endpoint_url: str, bucket: str) -> dict[str, str]:
    """The S3_* environment variables (README) that point a process's settings at this bucket."""
    return {"S3_BUCKET": bucket, "S3_ENDPOINT_URL": endpoint_url, "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY, "S3_REGION": REGION, "S3_ADDRESSING_STYLE": "path"}


def storage_settings(current: dict, endpoint_url: str, bucket: str) -> dict:
    """``current`` STORAGES with the default storage in this bucket, built by the same code as the settings
    (config/storage.py) from the S3_* variables."""
    return {**current, "default": s3_storage(s3_environment(endpoint_url, bucket))}
