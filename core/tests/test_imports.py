"""Imports out of the request (core.imports): reading (encodings, xlsx), the check with its preview and errors at the
right row and column, all or nothing, the pages (permission, station, progress) — on PostgreSQL.

Without REDIS_URL the tasks run in-process (eager), so a POST to an upload page checks the file before it answers;
the run through a real worker on the real Redis is in test_imports_worker.py."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core import imports
from core.models import ImportJob
from parts.models import Part, PartsEvent, StockBalance

pytestmark = [pytest.mark.postgres]

ZH_HEADER = "零件号,品牌,中文名称,英文名称,原厂件,单位,零售价,货位,最低库存,最高库存,替代零件号\n"
EN_HEADER = "part_number,brand,name_zh,name_en,genuine,unit,list_price,bin,min,max,superseded_by\n"
ROWS = "04152-YZZA1,TOYOTA,机油滤清器,Oil filter,是,个,68,A-01-02,5,20,\n90915-YZZE1,TOYOTA,机油滤芯（旧款）,,否,个,55.5,,,,04152-YZZA1\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def lead(make_staff):
    return make_staff("parts_lead")


def _check(data: bytes, fmt: str = "csv", *, station, kind: str = "parts"):
    return imports.check(imports.importer_for(kind), data, fmt, station=station)


# --- reading -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding,expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030"), ("utf-16", "utf-16"),
])
def test_the_encoding_is_found_and_chinese_names_come_through(station, encoding, expected):
    data = (ZH_HEADER + ROWS).encode(encoding)
    if encoding == "gbk":
        assert data.decode("gbk") and not _is_utf8(data)  # really GBK bytes, not UTF-8 that happens to decode
    checked = _check(data, station=station)
    assert checked.encoding == expected
    assert not checked.errors
    assert [values["name_zh"] for _row, values in checked.rows] == ["机油滤清器", "机油滤芯（旧款）"]
    assert checked.rows[0][1]["list_price"] == Decimal("68")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_english_headers_and_excel_semicolons_work_too(station):
    checked = _check((EN_HEADER + ROWS).replace(",", ";").encode("utf-8"), station=station)
    assert not checked.errors and len(checked.rows) == 2


def test_bytes_that_are_no_known_text_are_refused_with_a_message(station):
    with pytest.raises(imports.ImportFileError):
        imports.decode_text(b"\x81\x30\x81" + b"\xff\xfe\xfd" * 3)


def test_an_xlsx_file_is_read_with_numbers_and_dates_as_text(station):
    book = Workbook()
    sheet = book.active
    sheet.append(["零件号", "中文名称", "零售价", "最低库存", "最高库存"])
    sheet.append(["04152-YZZA1", "机油滤清器", 68.0, 5, 20])
    sheet.append([None, None, None, None, None])  # a blank row Excel leaves behind
    sheet.append(["17801-21050", "空气滤芯", 95.5, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    checked = _check(buffer.getvalue(), "xlsx", station=station)
    assert checked.encoding == "xlsx" and not checked.errors
    assert [(n, r["part_number"], r["list_price"]) for n, r in checked.rows] == [
        (2, "04152-YZZA1", Decimal("68")), (4, "17801-21050", Decimal("95.5"))]


def test_a_broken_xlsx_is_a_file_error(station):
    with pytest.raises(imports.ImportFileError):
        _check(b"PK\x03\x04 not really a zip", "xlsx", station=station)


# --- checking ------------------------------------------------------------------------------------------------------
def test_every_error_is_reported_at_its_row_and_column_as_written_in_the_file(station):
    data = (ZH_HEADER
            + "04152-YZZA1,TOYOTA,机油滤清器,,1,个,68,,,,\n"
            + ",TOYOTA,空气滤芯,,1,个,95,,,,\n"          # row 3: no part number
            + "17801-21050,TOYOTA,空气滤芯,,1,个,abc,,,,\n"  # row 4: price not a number
            + "04152-YZZA1,TOYOTA,重复,,1,个,70,,5,2,\n"      # row 5: repeats row 2, max below min
            + "04465-33471,TOYOTA,刹车片,,1,套,520,,,,NOPE\n").encode("gbk")  # row 6: unknown successor
    checked = _check(data, station=station)
    found = [(e["row"], e["column"]) for e in checked.errors]
    assert found == [(3, "零件号"), (4, "零售价"), (5, "零件号"), (5, "最高库存"), (6, "替代零件号")]
    assert "abc" in checked.errors[1]["message"]
    assert "row 2" in checked.errors[2]["message"]
    assert [r["row"] for r in checked.preview] == [2, 3, 4, 5, 6]
    assert checked.preview[0]["cells"][:3] == ["04152-YZZA1", "TOYOTA", "机油滤清器"]


def test_rows_are_numbered_as_in_the_spreadsheet_when_blank_rows_come_before_the_header(station):
    checked = _check(("\n,,\n" + ZH_HEADER + "04152-YZZA1,TOYOTA,机油滤清器,,1,个,abc,,,,\n").encode(), station=station)
    assert [(e["row"], e["column"]) for e in checked.errors] == [(4, "零售价")]
    assert checked.preview[0]["cells"][6] == "abc"  # a refused cell shows what the file holds


def test_a_missing_required_column_is_an_error_of_the_header_row(station):
    checked = _check("零件号,英文名称\nA,B\n".encode(), station=station)
    assert [e["row"] for e in checked.errors] == [1]
    assert "name_zh" in checked.errors[0]["message"] and "list_price" in checked.errors[0]["message"]


def test_the_preview_holds_the_first_twenty_rows(station):
    body = "".join(f"P-{i:05d},TOYOTA,配件{i},,1,个,{i},,,,\n" for i in range(50))
    checked = _check((ZH_HEADER + body).encode(), station=station)
    assert len(checked.preview) == imports.PREVIEW_ROWS and checked.total == 50 and len(checked.rows) == 50


# --- all or nothing ------------------------------------------------------------------------------------------------
def _job(station, by, data: bytes, kind="parts", name="p.csv") -> ImportJob:
    return imports.job_create(importer=imports.importer_for(kind), station=station, by=by,
                              upload=SimpleUploadedFile(name, data), language="en")


def test_a_clean_file_is_imported_with_bins_successors_and_audit(station, lead):
    job = _job(station, lead, (ZH_HEADER + ROWS).encode("gbk"))
    assert default_storage.exists(job.file)
    assert imports.job_validate(job.pk) == ImportJob.Status.PREVIEWED
    job.refresh_from_db()
    assert (job.total_rows, job.error_count, job.encoding) == (2, 0, "gb18030")
    assert imports.job_start(job) and not imports.job_start(job)  # claimed once
    assert imports.job_apply(job.pk) == ImportJob.Status.DONE
    assert imports.job_apply(job.pk) == ImportJob.Status.DONE  # a second delivery does nothing
    job.refresh_from_db()
    assert (job.created_count, job.updated_count, job.processed_rows) == (2, 0, 2)
    old = Part.objects.get(part_number="90915-YZZE1")
    assert old.superseded_by.part_number == "04152-YZZA1" and not old.is_genuine and old.list_price == Decimal("55.5")
    assert StockBalance.objects.get(part__part_number="04152-YZZA1").bin_location == "A-01-02"
    assert StockBalance.objects.filter(station=station).count() == 2
    assert set(PartsEvent.objects.values_list("kind", flat=True)) == {"import", "location", "supersession"}


def test_an_update_keeps_the_bin_when_the_cell_is_empty(station, lead):
    imports.import_now(kind="parts", station=station, by=lead, data=ZH_HEADER + ROWS)
    counts, errors = imports.import_now(kind="parts", station=station, by=lead,
                                        data=ZH_HEADER + "04152-YZZA1,TOYOTA,机油滤清器,,1,个,72,,,,\n")
    assert not errors and counts["updated"] == 1 and counts["created"] == 0
    balance = StockBalance.objects.get(part__part_number="04152-YZZA1")
    assert (balance.bin_location, balance.min_qty, balance.part.list_price) == ("A-01-02", 5, Decimal("72"))


def test_one_bad_row_imports_nothing(station, lead):
    data = (ZH_HEADER + ROWS + "17801-21050,TOYOTA,空气滤芯,,1,个,NaN,,,,\n").encode("utf-8-sig")
    job = _job(station, lead, data)
    imports.job_validate(job.pk)
    job.refresh_from_db()
    assert job.error_count == 1 and job.errors[0]["row"] == 4 and job.errors[0]["column"] == "零售价"
    assert not imports.job_start(job)  # a file with errors cannot be imported
    assert not Part.objects.exists()


def test_a_rule_refusing_during_the_write_rolls_everything_back(station, lead):
    """A supersession loop is only seen when the chain is built: the parts written before it are rolled back."""
    imports.import_now(kind="parts", station=station, by=lead,
                       data=ZH_HEADER + "A-1,TOYOTA,甲,,1,个,1,,,,\nB-1,TOYOTA,乙,,1,个,1,,,,A-1\n")
    job = _job(station, lead, (ZH_HEADER + "A-1,TOYOTA,甲,,1,个,1,,,,B-1\nC-1,TOYOTA,丙,,1,个,1,,,,\n").encode())
    imports.job_validate(job.pk)
    job.refresh_from_db()
    assert job.error_count == 0
    imports.job_start(job)
    assert imports.job_apply(job.pk) == ImportJob.Status.FAILED
    job.refresh_from_db()
    assert job.errors[0]["row"] == 2 and "loop" in job.errors[0]["message"]
    assert not Part.objects.filter(part_number="C-1").exists()
    assert Part.objects.get(part_number="A-1").superseded_by is None


def test_the_labour_catalogue_imports_from_xlsx_with_the_customer_rate_as_default(station, carol):
    from reception.models import LabourOperation

    book = Workbook()
    book.active.append(["工时代码", "工时名称", "类别", "标准工时", "客户工时单价", "保修工时单价"])
    book.active.append(["mt001", "更换机油机滤", "保养", 0.5, 300, 200])
    book.active.append(["BR001", "更换前刹车片", "制动", 1.2, 300, None])
    buffer = io.BytesIO()
    book.save(buffer)
    counts, errors = imports.import_now(kind="labour", station=station, by=carol, data=buffer.getvalue(), fmt="xlsx")
    assert not errors and counts["created"] == 2
    op = LabourOperation.objects.get(code="BR001")
    assert (op.standard_hours, op.rate_warranty, op.rate_internal) == (Decimal("1.2"), Decimal("300"), Decimal("300"))


# --- customers with vehicles from an old DMS -----------------------------------------------------------------------
CUSTOMER_HEADER = "客户名称,手机号,客户类型,车架号,车牌号,品牌,车型,年款,购车日期,里程\n"


def _vin(seed: str) -> str:
    from reception.services.validation import with_check_digit

    return with_check_digit(seed)


def test_customers_with_several_vehicles_are_imported_and_known_ones_updated(station, carol):
    from reception.factories import CustomerFactory, VehicleFactory
    from reception.models import Customer, MileageReading, Vehicle, VehicleOwnership

    old_owner = CustomerFactory(station=station, mobile="13900000009", name="旧车主")
    known = VehicleFactory(station=station, owner=old_owner, vin=_vin("LVGBE40K8GG00001"), mileage=1000)
    data = (CUSTOMER_HEADER
            + f"张伟,139 0000 0001,个人,{_vin('LVGBE40K8GG00002')},沪A12345,丰田,凯美瑞,2019,2019/05/01,35000\n"
            + f"张伟,13900000001,,{_vin('LVGBE40K8GG00003')},沪AD12345,丰田,RAV4,2022,,\n"
            + f"上海某物流公司,13900000002,单位,{known.vin},沪B54321,,,,,42000\n"
            + "李娜,13900000003,,,,,,,,\n").encode("gbk")
    counts, errors = imports.import_now(kind="customers", station=station, by=carol, data=data)
    assert not errors, errors
    assert Customer.objects.get(mobile="13900000001").vehicles.count() == 2
    assert Customer.objects.get(mobile="13900000002").kind == Customer.Kind.FLEET
    assert Customer.objects.filter(mobile="13900000003").exists()
    known.refresh_from_db()
    assert known.owner.mobile == "13900000002" and known.mileage == 42000 and known.plate == "沪B54321"
    assert VehicleOwnership.objects.filter(vehicle=known, until__isnull=True).get().customer == known.owner
    assert MileageReading.objects.filter(vehicle=known, km=42000).exists()
    camry = Vehicle.objects.get(plate="沪A12345")
    assert camry.ownerships.get().since.isoformat() == "2019-05-01" and camry.mileage == 35000
    assert (counts["created"], counts["updated"]) == (3 + 2, 1)


def test_customer_rows_are_checked_cell_by_cell(station, carol):
    from reception.models import Customer

    data = (CUSTOMER_HEADER
            + f"张伟,13900000001,,{_vin('LVGBE40K8GG00002')},沪A12345,,,,,\n"
            + "王芳,12345,,,,,,,,\n"                                     # row 3: mobile
            + f"张三,13900000001,,{_vin('LVGBE40K8GG00004')},,,,,,\n"     # row 4: same mobile, another name
            + f"赵六,13900000005,,{_vin('LVGBE40K8GG00002')},XX,,,1900,2099-01-01,-5\n")  # row 5
    counts, errors = imports.import_now(kind="customers", station=station, by=carol, data=data.encode())
    assert [(e["row"], e["column"]) for e in errors] == [
        (3, "手机号"), (4, "客户名称"), (5, "车架号"), (5, "车牌号"), (5, "年款"), (5, "购车日期"), (5, "里程")]
    assert not Customer.objects.exists()


# --- pages ---------------------------------------------------------------------------------------------------------
def _upload(client, url_name: str, data: bytes, name: str = "p.csv"):
    return client.post(reverse(url_name), {"file": SimpleUploadedFile(name, data)})


def test_the_pages_upload_preview_import_and_show_the_result(client_as, station, lead):
    client = client_as(lead)
    assert client.get(reverse("parts:part_import")).status_code == 200
    response = _upload(client, "parts:part_import", (ZH_HEADER + ROWS).encode("gbk"))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:job", kwargs={"pk": job.pk})
    page = client.get(response["Location"]).content.decode()
    assert 'id="import-preview"' in page and "机油滤芯（旧款）" in page and 'id="import-start"' in page
    assert not Part.objects.exists()  # nothing imported before the button
    response = client.post(reverse("imports:start", kwargs={"pk": job.pk}))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Imported: 2 new, 0 updated." in page
    assert Part.objects.filter(station=station).count() == 2


def test_a_file_with_errors_shows_them_and_offers_no_import(client_as, lead):
    client = client_as(lead)
    response = _upload(client, "parts:part_import", (EN_HEADER + "04152-YZZA1,,机油滤清器,,,,abc,,,,\n").encode())
    page = client.get(response["Location"]).content.decode()
    assert "The file has 1 error. Nothing will be imported" in page
    assert "list_price" in page and "“abc” is not a number." in page and 'id="import-start"' not in page
    job = ImportJob.objects.get()
    client.post(reverse("imports:start", kwargs={"pk": job.pk}))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED and not Part.objects.exists()


def test_a_file_that_is_not_csv_or_xlsx_is_refused_at_the_file_box(client_as, lead):
    response = _upload(client_as(lead), "parts:part_import", b"%PDF-1.4", name="p.pdf")
    assert response.status_code == 400 and response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_the_templates_have_the_headers(client_as, lead, carol):
    response = client_as(lead).get(reverse("imports:template", kwargs={"kind": "parts", "fmt": "csv"}))
    assert response.content.decode("utf-8-sig").splitlines()[0] == EN_HEADER.strip()
    response = client_as(carol).get(reverse("imports:template", kwargs={"kind": "customers", "fmt": "xlsx"}))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in next(sheet.iter_rows(max_row=1))][:2] == ["name", "mobile"]
    chinese = imports.template_bytes(imports.importer_for("customers"), "xlsx", "zh-hans")
    sheet = load_workbook(io.BytesIO(chinese)).active
    assert [c.value for c in next(sheet.iter_rows(max_row=1))][:2] == ["客户名称", "手机号"]
    # and a template reads as it is: a header row and nothing else is "no rows", not a missing column
    checked = _check(chinese, "xlsx", station=lead.station, kind="customers")
    assert [e["message"] for e in checked.errors] == ["The file has no rows."]


def test_only_positions_that_manage_the_data_may_upload(client_as, make_staff):
    clerk, advisor = make_staff("parts_clerk"), make_staff("service_advisor")
    assert _upload(client_as(clerk), "parts:part_import", (ZH_HEADER + ROWS).encode()).status_code == 403
    assert _upload(client_as(advisor), "reception:customer_import", CUSTOMER_HEADER.encode()).status_code == 403
    assert client_as(advisor).get(reverse("imports:template", kwargs={"kind": "parts", "fmt": "csv"})).status_code == 403
    assert not ImportJob.objects.exists()


def test_another_stations_job_is_not_found_and_its_rows_stay_home(client_as, station, other_station, lead,
                                                                  make_staff):
    job = _job(station, lead, (ZH_HEADER + ROWS).encode())
    imports.job_validate(job.pk)
    other_lead = make_staff("parts_lead", station=other_station)
    client = client_as(other_lead)
    for name, method in (("imports:job", "get"), ("imports:progress", "get"), ("imports:start", "post")):
        assert getattr(client, method)(reverse(name, kwargs={"pk": job.pk})).status_code == 404, name
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    # A job of a kind the user may not import: 403 even in their own station
    clerk = make_staff("parts_clerk")
    assert client_as(clerk).get(reverse("imports:job", kwargs={"pk": job.pk})).status_code == 403


def test_the_progress_endpoint_reads_one_row_and_sends_the_page_on_when_done(client_as, station, lead):
    job = _job(station, lead, (ZH_HEADER + ROWS).encode())
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, total_rows=2000, processed_rows=500)
    client = client_as(lead)
    url = reverse("imports:progress", kwargs={"pk": job.pk})
    client.get(url)  # warm the session
    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as queries:
        response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'style="width: 25%"' in page and 'hx-trigger="every 1s"' in page and "500 of 2000 rows imported." in page
    job_reads = [q["sql"] for q in queries.captured_queries if ImportJob._meta.db_table in q["sql"]]
    assert len(job_reads) == 1
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE)
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == reverse("imports:job", kwargs={"pk": job.pk})


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_to_others_while_the_import_transaction_is_open(station, make_staff):
    lead = make_staff("parts_lead")
    job = ImportJob.objects.create(kind="parts", station=station, created_by=lead, file="x.csv", total_rows=10)
    progress = imports.Progress(job.pk, every=3)
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with transaction.atomic():
            progress.add(2)  # below "every": not written yet
            with other.cursor() as cursor:
                cursor.execute(f"SELECT processed_rows FROM {ImportJob._meta.db_table} WHERE id = %s", [job.pk])
                assert cursor.fetchone()[0] == 0
            progress.add(2)
            with other.cursor() as cursor:
                cursor.execute(f"SELECT processed_rows FROM {ImportJob._meta.db_table} WHERE id = %s", [job.pk])
                assert cursor.fetchone()[0] == 4
    finally:
        progress.close()
        other.close()


def test_messages_are_written_in_the_uploaders_language(station, lead):
    job = imports.job_create(importer=imports.importer_for("parts"), station=station, by=lead, language="zh-hans",
                             upload=SimpleUploadedFile("p.csv", (ZH_HEADER + ",TOYOTA,甲,,1,个,1,,,,\n").encode()))
    imports.job_validate(job.pk)
    job.refresh_from_db()
    assert job.errors[0]["message"] == "此单元格为空。"


@pytest.fixture
def broker_down():
    """The app pointed at a Redis port nobody listens on (a real refused connection, no mock)."""
    import socket

    from config.celery import app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    keys = ("broker_url", "task_always_eager", "task_publish_retry", "broker_connection_retry",
            "broker_connection_max_retries")
    saved = {k: app.conf.get(k) for k in keys}
    app.conf.update(broker_url=f"redis://127.0.0.1:{port}/0", task_always_eager=False, task_publish_retry=False,
                    broker_connection_retry=False, broker_connection_max_retries=0)
    app.__dict__.pop("amqp", None)
    app._pool = None
    yield
    app.conf.update(saved)
    app.__dict__.pop("amqp", None)
    app._pool = None


def test_when_the_workers_cannot_be_reached_the_upload_says_so_and_nothing_hangs(client_as, lead, broker_down):
    response = _upload(client_as(lead), "parts:part_import", (ZH_HEADER + ROWS).encode())
    assert response.status_code == 400
    assert "cannot be reached" in response.context["form"].errors["file"][0]
    assert ImportJob.objects.get().status == ImportJob.Status.FAILED


def test_when_the_workers_cannot_be_reached_the_import_button_works_again(client_as, station, lead, broker_down):
    job = _job(station, lead, (ZH_HEADER + ROWS).encode("gbk"))
    assert imports.job_validate(job.pk) == ImportJob.Status.PREVIEWED
    client = client_as(lead)
    response = client.post(reverse("imports:start", kwargs={"pk": job.pk}), follow=True)
    assert "cannot be reached" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED and not Part.objects.exists()  # not stuck "importing"
