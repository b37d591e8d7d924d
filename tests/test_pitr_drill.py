"""Point-in-time recovery (README "Backup and restore"), tried for real by ``deploy/pitr-drill.sh``: WAL archiving
on a throwaway cluster, a base backup, two invoices, recovery to the moment between them holds only the first."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.postgres


def test_recovery_to_a_point_in_time_keeps_what_was_there_and_nothing_after():
    if not list(Path("/usr/lib/postgresql").glob("*/bin/pg_basebackup")):
        pytest.skip("PostgreSQL's server binaries are not installed")
    work = tempfile.mkdtemp(prefix="aftersales-pitr-")
    command = [str(ROOT / "deploy" / "pitr-drill.sh"), work]
    if os.geteuid() == 0:  # initdb refuses root: run it as postgres, as the README says
        if not shutil.which("runuser"):
            pytest.skip("runuser is missing")
        shutil.chown(work, "postgres")
        command = ["runuser", "-u", "postgres", "--", *command]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    assert result.returncode == 0, result.stdout + result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("recovered to ") and last.endswith(": JS2026120600001"), result.stdout
