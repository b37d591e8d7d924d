"""The README's backup and restore (issue 14, item 8), tried for real: ``pg_dump --format=custom`` of a database
holding a settled order, ``pg_restore`` into a new, empty database, and the order and its printed statement number
(the number on the customer's invoice, which must never be lost) are there."""

from __future__ import annotations

import subprocess
import uuid

import psycopg2
import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from reception.models import WorkOrder
from settlement.models import Statement

pytestmark = pytest.mark.postgres


def _conn_args(dbname: str) -> dict:
    db = settings.DATABASES["default"]
    return {"dbname": dbname, "user": db.get("USER") or "postgres", "password": db.get("PASSWORD") or None,
            "host": db.get("HOST") or "127.0.0.1", "port": db.get("PORT") or 5432}


def _cli_args(dbname: str) -> list[str]:
    args = _conn_args(dbname)
    return ["--host", str(args["host"]), "--port", str(args["port"]), "--username", args["user"],
            "--dbname", dbname]


def test_pg_dump_and_pg_restore_bring_back_a_work_order_and_its_statement_number(
        transactional_db, ready_order, client_as, cashier, tmp_path):
    response = client_as(cashier).post(reverse("settlement:settle", kwargs={"pk": ready_order.pk}))
    assert response.status_code == 302
    statement = Statement.objects.get(order=ready_order, kind=Statement.Kind.STATEMENT)
    assert statement.number

    env = {"PGPASSWORD": settings.DATABASES["default"].get("PASSWORD") or ""}
    source = connection.settings_dict["NAME"]
    dump = tmp_path / "aftersales.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", *_cli_args(source)], check=True, env=env,
                   capture_output=True, timeout=300)
    assert dump.stat().st_size > 0

    target = f"{source}_restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(**_conn_args("postgres"))
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{target}"')
        result = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", *_cli_args(target), str(dump)],
                                env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        with psycopg2.connect(**_conn_args(target)) as restored, restored.cursor() as cursor:
            cursor.execute(
                f"SELECT o.number, s.number, s.gross FROM {WorkOrder._meta.db_table} o "
                f"JOIN {Statement._meta.db_table} s ON s.order_id = o.id WHERE o.id = %s AND s.kind = 'statement'",
                [ready_order.pk])
            rows = cursor.fetchall()
        restored.close()
        assert rows == [(ready_order.number, statement.number, statement.gross)]
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        admin.close()
