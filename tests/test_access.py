"""Who may see, import, undo and approve: the rules are kpi's (kpi.access), so they hold for the
command line and for any page; every write is in the audit trail with its account."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from kpi import config
from kpi.access import accounts, approvals, audit
from kpi.access.roles import AccessDenied, Actor, operator
from kpi.cli import main
from kpi.imports import checking, storing, unit_names
from kpi.periods import Period
from kpi.store import db, setup
from tests.helpers import assert_same, run_page, signed_in, snapshot

TODAY = date(2026, 11, 29)
HEADER = "Mã xã,Tên đơn vị,Kỳ,Số hồ sơ tiếp nhận,Số hồ sơ số hóa\n"
BINH_TRI, BINH_CHAU = "21061", "21112"
#: Bình Trị's own rows, then two of Bình Châu's: an analyst of Bình Trị may send only the first.
MIXED = HEADER + "21061,,2025-03,40,20\n21061,,2025-04,41,21\n21112,,2025-03,50,25\n21112,,2025-04,51,26\n"
OWN = HEADER + "21061,,2025-03,40,20\n"


@pytest.fixture
def store(demo_copy_url) -> str:
    return with_accounts(demo_copy_url)


def with_accounts(url: str) -> str:
    """ana: analyst of Bình Trị; bao: approver of the district; vy: viewer."""
    signed_in(url, "analyst", (BINH_TRI,), name="ana")
    signed_in(url, "approver", ("524",), name="bao")
    signed_in(url, "viewer", name="vy")
    return url


def actor(url: str, name: str) -> Actor:
    return accounts.actor(db.get_engine(url), name)


def check(url: str, text: str, who: str | None = None) -> checking.Report:
    engine = db.get_engine(url)
    return checking.check(text.encode(), "x.csv", engine, today=TODAY, actor=actor(url, who) if who else None)


def access_rules(url: str) -> None:
    """The rules of issue 10, on any store with with_accounts' accounts (PostgreSQL too)."""
    engine = db.get_engine(url)
    before = snapshot(url)
    report = check(url, MIXED, "ana")  # rows of a unit outside the account: refused row by row
    refused = [(p.row, p.column, p.value) for p in report.errors]
    assert refused == [(4, "Mã xã", BINH_CHAU), (5, "Mã xã", BINH_CHAU)]
    assert "ana" in report.errors[0].message() and "Bình Châu" in report.errors[0].message()
    with pytest.raises(storing.ImportRefused):
        storing.apply(report, engine, actor(url, "ana"))
    unchecked = check(url, MIXED)  # a report checked by someone else is asked again when stored
    with pytest.raises(AccessDenied):
        storing.apply(unchecked, engine, actor(url, "ana"), accept_warnings=True)
    with pytest.raises(AccessDenied):  # a viewer imports nothing, even the right units
        storing.apply(check(url, OWN), engine, actor(url, "vy"), accept_warnings=True)
    assert_same(before, snapshot(url))

    own = storing.apply(check(url, OWN, "ana"), engine, actor(url, "ana"), accept_warnings=True)
    assert storing.log(engine).user_name.iloc[0] == "ana"
    everyone = storing.apply(check(url, MIXED), engine, operator(), accept_warnings=True)
    with pytest.raises(AccessDenied):  # the import holds Bình Châu's values too
        storing.undo(everyone.import_id, engine, actor(url, "ana"))
    storing.undo(everyone.import_id, engine, actor(url, "bao"))
    assert storing.log(engine).set_index("id").undone_by[everyone.import_id] == "bao"

    # The district's approval of March 2025 covers Bình Trị's month: no import, no undo.
    approvals.approve(engine, actor(url, "bao"), "524", Period.parse("2025-03"))
    locked = check(url, HEADER + "21061,,2025-03,44,22\n", "ana")
    assert {p.key for p in locked.errors} == {"err_period_approved"} and "bao" in locked.errors[0].message()
    with pytest.raises(storing.UndoRefused) as undo_refused:
        storing.undo(own.import_id, engine, actor(url, "ana"))
    assert "2025-03" in undo_refused.value.text() and "bao" in undo_refused.value.text()
    with pytest.raises(AccessDenied):  # an analyst approves nothing
        approvals.unapprove(engine, actor(url, "ana"), "524", Period.parse("2025-03"))
    approvals.unapprove(engine, actor(url, "bao"), "524", Period.parse("2025-03"))
    assert storing.undo(own.import_id, engine, actor(url, "ana")) == 2

    with pytest.raises(AccessDenied):  # names map only to the account's own units
        unit_names.save_alias("Bình Châu cũ", BINH_CHAU, engine, actor(url, "ana"))
    unit_names.save_alias("UBND Bình Trị", BINH_TRI, engine, actor(url, "ana"))
    assert unit_names.aliases(engine).created_by.tolist() == ["ana"]


def test_access_rules(store):
    access_rules(store)


def test_every_write_is_in_the_audit_trail_with_its_account(store):
    engine = db.get_engine(store)
    ana, bao = actor(store, "ana"), actor(store, "bao")
    done = storing.apply(check(store, OWN, "ana"), engine, ana, accept_warnings=True)
    storing.undo(done.import_id, engine, ana)
    unit_names.save_alias("UBND Bình Trị", BINH_TRI, engine, ana)
    unit_names.remove_alias("ubnd binh tri", engine, ana)
    approvals.approve(engine, bao, BINH_TRI, Period.parse("2025"))
    approvals.unapprove(engine, bao, BINH_TRI, Period.parse("2025"))
    setup.remove_demo(engine)
    setup.load_demo(engine)
    with engine.begin() as conn:  # as if the demo set were of an older version: init replaces it
        conn.exec_driver_sql("update settings set value = '1' where key like 'demo_version:%'")
    setup.initialise(engine, refill_cells=True)
    accounts.remove(engine, operator(), "vy")
    trail = audit.trail(engine, operator())
    who = dict(zip(trail.action[::-1], trail.account[::-1], strict=True))  # the latest of each
    assert set(who) == set(audit.ACTIONS)
    assert who["import"] == who["undo"] == who["mapping_add"] == who["mapping_remove"] == "ana"
    assert who["approve"] == who["unapprove"] == "bao"
    assert who["demo_remove"].startswith("operator:") and who["account_add"].startswith("operator:")
    assert who["cells_refill"].startswith("operator:")
    with pytest.raises(AccessDenied):
        audit.trail(engine, Actor("vy", "viewer"))
    with pytest.raises(AccessDenied):  # demo data and accounts are the admin's
        setup.remove_demo(engine, ana)


def test_sign_in_is_slowed_after_failures_and_the_last_admin_stays(store):
    engine = db.get_engine(store)
    now = datetime(2026, 11, 29, 9, 0, 0)
    with pytest.raises(accounts.SignInRefused) as wrong:
        accounts.sign_in(engine, "ana", "guess", now=now)
    assert wrong.value.key == "err_sign_in"
    with pytest.raises(accounts.SignInRefused) as wait:  # even the right password waits its turn
        accounts.sign_in(engine, "ana", "pw-ana", now=now)
    assert wait.value.key == "err_sign_in_wait"
    for n in range(1, 4):  # each failure doubles the wait
        later = now + timedelta(seconds=2**n)
        with pytest.raises(accounts.SignInRefused):
            accounts.sign_in(engine, "ana", "guess", now=later)
    assert accounts.sign_in(engine, "ana", "pw-ana", now=now + timedelta(minutes=10)).role == "analyst"
    with pytest.raises(accounts.SignInRefused):  # an unknown name says nothing more
        accounts.sign_in(engine, "nobody", "x")
    assert accounts.first_admin(engine) is None  # accounts exist already
    signed_in(store, "admin", name="root")
    for name in ("ana", "bao", "vy"):
        accounts.remove(engine, operator(), name)
    with pytest.raises(accounts.AccountError) as last:
        accounts.remove(engine, operator(), "root")
    assert last.value.key == "err_account_last_admin"


def test_the_first_run_creates_one_admin_and_prints_its_password_once(fresh_url, use_store, capsys):
    use_store(fresh_url)
    assert main(["init"]) == 0
    first = capsys.readouterr().out
    password = first.split("mật khẩu ")[1].split(" ")[0]
    assert accounts.sign_in(db.get_engine(fresh_url), "admin", password).role == "admin"
    assert main(["init"]) == 0 and password not in capsys.readouterr().out


def test_passwords_are_never_stored_nor_logged_in_clear(fresh_url, use_store, monkeypatch, capsys):
    use_store(fresh_url)
    main(["init"])
    secret = "Mật-khẩu-rất-bí-mật-2026"
    monkeypatch.setattr("sys.stdin", io.StringIO(secret + "\n"))
    assert main(["users", "add", "lan", "--role", "analyst", "--unit", BINH_TRI]) == 0
    assert main(["audit", "--format", "json"]) == 0
    printed = capsys.readouterr()
    assert secret not in printed.out + printed.err
    engine = db.get_engine(fresh_url)
    assert accounts.sign_in(engine, "lan", secret).units == (BINH_TRI,)
    with engine.connect() as conn:
        tables = [r[0] for r in conn.exec_driver_sql("select table_name from information_schema.tables")]
        stored = " ".join(str(conn.exec_driver_sql(f"select * from {name}").fetchall()) for name in tables)
    assert secret not in stored and "$argon2id$" in stored


def test_the_command_line_acts_with_an_accounts_rights(store, use_store, tmp_path, capsys):
    use_store(store)
    mixed = tmp_path / "binh-tri.csv"
    mixed.write_text(MIXED, encoding="utf-8")
    before = snapshot(store)
    assert main(["import", str(mixed), "--user", "ana", "--accept-warnings"]) == 1
    out = capsys.readouterr().out
    assert "dòng 4" in out and "dòng 5" in out and "Bình Châu" in out and "dòng 2" not in out
    assert_same(before, snapshot(store))
    assert main(["import", str(mixed), "--user", "nobody"]) == 1
    assert "nobody" in capsys.readouterr().err
    assert main(["approve", "--unit", BINH_TRI, "--period", "2025-03", "--user", "bao"]) == 0
    assert main(["import", str(mixed), "--accept-warnings"]) == 1  # the operator too: approved
    assert "bao" in capsys.readouterr().out
    assert main(["unapprove", "--unit", BINH_TRI, "--period", "2025-03", "--user", "ana"]) == 1
    assert main(["unapprove", "--unit", BINH_TRI, "--period", "2025-03"]) == 0
    assert main(["import", str(mixed), "--accept-warnings"]) == 0
    capsys.readouterr()
    assert main(["undo", "1", "--user", "ana"]) == 1
    assert main(["users", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {"name": "ana", "role": "analyst", "units": [BINH_TRI]} in listed
    assert main(["users", "remove", "vy"]) == 0 and "vy" in capsys.readouterr().out
    assert main(["audit", "--format", "json"]) == 0
    trail = json.loads(capsys.readouterr().out)
    assert [r["action"] for r in trail[:3]] == ["account_remove", "import", "unapprove"]
    assert trail[1]["account"].startswith("operator:")


# ---------------------------------------------------------------- on the dashboard (AppTest)


def test_the_import_page_asks_for_an_account_that_may_import(store, monkeypatch):
    anonymous = run_page("upload", store, monkeypatch)
    assert not anonymous.exception and not anonymous.get("file_uploader")
    assert anonymous.text_input(key="sign_in_name") and "Cần đăng nhập" in anonymous.info[0].value
    viewer = run_page("upload", store, monkeypatch, account_name="vy")
    assert not viewer.get("file_uploader") and "không có quyền nhập tệp" in viewer.warning[-1].value
    anonymous.text_input(key="sign_in_name").input("ana")
    anonymous.text_input(key="sign_in_password").input("wrong")
    anonymous.button(key="sign_in_submit").click().run()
    assert "Sai tên tài khoản hoặc mật khẩu" in anonymous.error[0].value
    assert not anonymous.get("file_uploader")
    signed = run_page("upload", store, monkeypatch)
    signed.text_input(key="sign_in_name").input("bao")
    signed.text_input(key="sign_in_password").input("pw-bao")
    signed.button(key="sign_in_submit").click().run()
    assert not signed.exception and signed.get("file_uploader")


def test_the_analysts_file_is_refused_for_the_rows_of_other_units(store, monkeypatch):
    before = snapshot(store)
    at = run_page("upload", store, monkeypatch, account_name="ana")
    at.file_uploader(key="upload").upload("binh-tri.csv", MIXED.encode(), "text/csv").run()
    assert not at.exception
    problems = at.dataframe[0].value
    assert list(problems["Dòng"]) == [4, 5] and set(problems["Cột"]) == {"Mã xã"}
    assert not [b for b in at.button if b.key == "do"]
    assert_same(before, snapshot(store))


def test_viewing_pages_are_open_unless_the_setting_asks_for_an_account(store, monkeypatch):
    assert run_page("overview", store, monkeypatch).metric
    monkeypatch.setenv("KPI_REQUIRE_LOGIN", "1")
    closed = run_page("overview", store, monkeypatch)
    assert not closed.exception and not closed.metric and closed.text_input(key="sign_in_name")
    assert run_page("overview", store, monkeypatch, account_name="vy").metric


def test_approving_on_the_administration_page_shows_on_the_reporting_page(store, monkeypatch):
    analyst = run_page("administration", store, monkeypatch, account_name="ana")
    assert not analyst.exception and "không có quyền phê duyệt" in analyst.info[0].value
    at = run_page("administration", store, monkeypatch, account_name="bao")
    at.selectbox(key="approve_unit").set_value(BINH_TRI).run()
    at.radio(key="approve_kind").set_value("month").run()
    at.selectbox(key="approve_period").set_value(Period.parse("2025-03")).run()
    at.button(key="approve").click().run()
    assert not at.exception and "Đã phê duyệt" in at.success[0].value
    assert approvals.approvals(db.get_engine(store)).approved_by.tolist() == ["bao"]
    shown = run_page("reporting", store, monkeypatch, span=("2025-01", "2025-06"))
    table = shown.dataframe[-1].value
    assert table["Người phê duyệt"].tolist() == ["bao"] and "Xã Bình Trị" in table["Đơn vị"].tolist()


def test_an_admin_adds_an_account_and_sees_its_password_once(store, monkeypatch):
    at = run_page("administration", store, monkeypatch, **signed_in(store))
    at.text_input(key="new_account_name").input("lan")
    at.selectbox(key="new_account_role").set_value("analyst")
    at.multiselect(key="new_account_units").set_value([BINH_TRI])
    at.button(key="FormSubmitter:account_add-Tạo tài khoản").click().run()
    assert not at.exception
    told = " ".join(s.value for s in at.success)
    password = told.split("hãy ghi lại): ")[1].strip()
    assert accounts.sign_in(db.get_engine(store), "lan", password).units == (BINH_TRI,)
    at.run()
    assert password not in " ".join(s.value for s in at.success)


def test_single_sign_on_maps_an_e_mail_to_its_account(store, monkeypatch):
    engine = db.get_engine(store)
    accounts.add(engine, operator(), "lan", "analyst", [BINH_TRI], "x", email="Lan.Nguyen@BinhSon.gov.vn")
    assert accounts.for_email(engine, "lan.nguyen@binhson.gov.vn ") == Actor("lan", "analyst", (BINH_TRI,))
    assert accounts.for_email(engine, "someone@else.vn") is None and accounts.for_email(engine, None) is None
    monkeypatch.setenv("KPI_DATABASE_URL", store)
    at = AppTest.from_file(str(config.PROJECT_DIR / "pages" / "upload.py"), default_timeout=90)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s"}
    at.run()
    assert not at.exception and at.button(key="sso_sign_in") and at.text_input(key="sign_in_name")
    without = run_page("upload", store, monkeypatch)  # no [auth]: the password form alone
    assert not [b for b in without.button if b.key == "sso_sign_in"]


def test_nothing_in_the_product_changes_or_deletes_the_audit_trail():
    statements = [p.read_text(encoding="utf-8").lower() for p in (config.SQL_DIR / "queries").glob("*.sql")]
    code = [p.read_text(encoding="utf-8").lower() for p in config.PROJECT_DIR.glob("kpi/**/*.py")]
    for text in statements + code:
        assert not re.search(r"(update|delete\s+from|truncate|drop\s+table)\s+audit_log", text)
    assert sum("insert into audit_log" in text for text in statements) == 1
