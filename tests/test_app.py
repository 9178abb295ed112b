"""The dashboard page, run by Streamlit's AppTest."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kpi import config, db, migrate

APP = str(config.PROJECT_DIR / "app.py")


@pytest.fixture(autouse=True)
def fresh_cache():
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def run_app(url: str, monkeypatch) -> AppTest:
    monkeypatch.setenv("KPI_DATABASE_URL", url)
    return AppTest.from_file(APP, default_timeout=60).run()


def test_headline_figures_of_the_latest_year(demo_url, monkeypatch):
    at = run_app(demo_url, monkeypatch)
    assert not at.exception
    assert at.sidebar.selectbox(key="year").value == 2024
    at.sidebar.selectbox(key="year").select(2023).run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tỷ lệ số hóa hồ sơ khi tiếp nhận"] == "64,39 %"
    assert metrics["Tỷ lệ số hóa kết quả giải quyết"] == "28,42 %"
    assert metrics["Tỷ lệ hài lòng"] == "98,78 %"
    assert metrics["Giải cuộc thi KHKT cấp huyện"] == "28"
    assert "Số liệu minh họa" in at.warning[0].value
    assert "Huyện Bình Sơn — 2023" in at.subheader[0].value


def test_english_switch(demo_url, monkeypatch):
    at = run_app(demo_url, monkeypatch)
    at.sidebar.selectbox(key="year").select(2023).run()
    at.sidebar.toggle(key="english").set_value(True).run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Dossiers digitised at intake"] == "64.39 %"
    assert "Illustrative data" in at.warning[0].value


def test_a_store_that_is_not_set_up(fresh_url, monkeypatch):
    at = run_app(fresh_url, monkeypatch)
    assert not at.exception
    assert "python -m kpi init" in at.info[0].value
    assert not at.metric


def test_a_store_without_data(fresh_url, monkeypatch):
    from kpi import builtin

    builtin.initialise(db.get_engine(fresh_url), district="525", with_demo=False)
    assert migrate.latest_version() > 0
    at = run_app(fresh_url, monkeypatch)
    assert not at.exception
    assert "Chưa có số liệu" in at.info[0].value
