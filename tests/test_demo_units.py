"""Units from the official package, and the illustrative data built on them."""

from __future__ import annotations

import numpy as np
import pytest

from kpi import catalog
from kpi.store import demo, setup, units

BINH_SON = {
    "21040": "Thị trấn Châu Ổ", "21043": "Xã Bình Thuận", "21046": "Xã Bình Thạnh", "21049": "Xã Bình Đông",
    "21052": "Xã Bình Chánh", "21055": "Xã Bình Nguyên", "21058": "Xã Bình Khương", "21061": "Xã Bình Trị",
    "21064": "Xã Bình An", "21067": "Xã Bình Hải", "21070": "Xã Bình Dương", "21073": "Xã Bình Phước",
    "21079": "Xã Bình Hòa", "21082": "Xã Bình Trung", "21085": "Xã Bình Minh", "21088": "Xã Bình Long",
    "21091": "Xã Bình Thanh", "21100": "Xã Bình Chương", "21103": "Xã Bình Hiệp", "21106": "Xã Bình Mỹ",
    "21109": "Xã Bình Tân Phú", "21112": "Xã Bình Châu",
}  # fmt: skip


def test_binh_son_has_its_22_units_with_official_codes():
    frame = units.divisions("524")
    communes = frame[(frame.level == "commune") & (frame.parent_code == "524")]
    assert dict(zip(communes.code, communes.name, strict=True)) == BINH_SON
    assert communes.set_index("code").loc["21040", "kind"] == "thi_tran"
    assert frame.set_index("code").loc["524", "parent_code"] == "51"
    assert frame.set_index("code").loc["51", "name"] == "Tỉnh Quảng Ngãi"
    assert (frame[frame.level == "agency"].parent_code == "524").all()
    assert str(communes.valid_to.iloc[0]) == "2025-07-01"


def test_unknown_district():
    with pytest.raises(units.UnknownDistrict, match="999"):
        units.divisions("999")


def test_the_whole_country():
    frame = units.divisions()
    assert frame.code.is_unique
    assert (frame.level == "province").sum() == 63
    assert (frame.level == "commune").sum() > 10_000


@pytest.mark.parametrize("total", [0, 1, 7, 1000])
def test_allocate_adds_up_and_respects_caps(total):
    rng = np.random.default_rng(1)
    weights = rng.random((4, 12))
    caps = rng.integers(0, 200, (4, 12))
    parts = demo.allocate(total, weights, caps)
    assert parts.shape == (4, 12) and parts.sum() == total
    assert (parts <= caps).all() and (parts >= 0).all()


def test_allocate_refuses_what_cannot_fit():
    with pytest.raises(ValueError):
        demo.allocate(10, np.ones(2), np.array([3, 3]))


@pytest.fixture(scope="module")
def binh_son_demo():
    return demo.observations(units.divisions("524"), "524")


def test_demo_2023_adds_up_to_the_report(binh_son_demo):
    year = binh_son_demo[[d.year == 2023 for d in binh_son_demo.period_start]]
    totals = year.groupby("element_id").value.sum()
    for figure in catalog.report_figures():
        if figure.element in totals and figure.year == 2023:
            assert totals[figure.element] == figure.value, figure.id
    assert totals["dossiers_digitized_at_intake"] == 21_777
    assert totals["survey_very_satisfied"] + totals["survey_satisfied"] == 650


def test_demo_parts_never_exceed_their_wholes(binh_son_demo):
    cells = binh_son_demo.pivot_table(
        index=["unit_code", "period_start"], columns="element_id", values="value", aggfunc="sum"
    )
    for element in catalog.elements().values():
        if element.part_of and element.id in cells:
            both = cells[[element.id, element.part_of]].dropna()
            assert (both[element.id] <= both[element.part_of]).all(), element.id


def test_demo_is_deterministic_and_has_gaps(binh_son_demo):
    again = demo.observations(units.divisions("524"), "524")
    assert binh_son_demo.equals(again)
    received = binh_son_demo[binh_son_demo.element_id == "dossiers_received"]
    per_month = received.groupby("period_start").unit_code.nunique()
    assert per_month.max() == 32 and per_month.min() < 32  # 22 communes, 10 agencies; some missed months


def test_report_observations_are_the_district_year_figures():
    frame = setup.report_observations()
    assert set(frame.unit_code) == {"524"} and set(frame.period_type) == {"year"}
    assert frame.set_index("element_id").loc["dossiers_digitized_at_intake", "value"] == 21_777
    assert "derived" in frame.set_index("element_id").loc["dossiers_received", "note"]
