"""Every figure says what it is: reported, derived, a lower bound, examples, planned, or
illustrative (from the demo set); every proportion carries its 95 % Wilson interval."""

from __future__ import annotations

import codecs
import json
import re

import numpy as np
import pandas as pd
import pytest

from kpi import catalog, computation, fmt
from kpi.cli import main
from kpi.periods import Range
from kpi.store import db

REAL_2023 = {
    "intake_digitization_rate",
    "result_digitization_rate",
    "satisfaction_rate",
    "very_satisfied_rate",
}


def test_the_command_line_says_which_figures_are_illustrative(demo_url, use_store, capsys):
    use_store(demo_url)
    assert main(["indicators", "--year", "2023", "--format", "json"]) == 0
    rows = {r["indicator"]: r for r in json.loads(capsys.readouterr().out)}
    for name in REAL_2023:
        assert rows[name]["illustrative"] is False, name
    assert rows["online_dossier_rate"]["illustrative"] is True
    assert rows["intake_digitization_rate"]["target_illustrative"] is True  # the demo's targets
    assert rows["intake_digitization_rate"]["previous_illustrative"] is True  # 2022 is the demo's
    assert rows["intake_digitization_rate"]["denominator_kind"] == "derived"
    proportions = [r for r in rows.values() if catalog.indicators()[r["indicator"]].is_rate]
    assert proportions and all(r["ci_low"] < r["value"] < r["ci_high"] for r in proportions)
    assert all(r["ci_low"] is None for r in rows.values() if r not in proportions)
    assert main(["indicators", "--year", "2023"]) == 0
    table = capsys.readouterr().out
    assert "≈ 33.821" in table and "minh họa" in table and "63,88–64,90\u00a0%" in table


def test_wilson_interval_without_continuity_correction():
    low, high = computation.wilson(np.array([50.0, 73.0, 0.0, 5.0]), np.array([100.0, 73.0, 0.0, 3.0]))
    assert (low[0], high[0]) == (40.38, 59.62)  # the textbook case: 50 of 100
    assert (low[1], high[1]) == (95.0, 100.0)  # 73 of 73 is not certainty
    assert np.isnan(low[2:]).all() and np.isnan(high[2:]).all()  # no trials; not a proportion


def test_a_proportion_of_a_small_sample_is_marked(demo_url):
    by_unit = computation.compute(
        computation.Query(("satisfaction_rate",), "524", Range.year(2023), by="unit"), db.get_engine(demo_url)
    )
    small = by_unit[by_unit.denominator < catalog.vocabulary().small_sample]
    assert (
        not small.empty
        and small.small_sample.all()
        and not by_unit[~by_unit.index.isin(small.index)].small_sample.any()
    )
    assert "(mẫu nhỏ)" in fmt.interval(95.0, 100.0, True)


@pytest.mark.parametrize(
    ("kind", "shown"),
    [("derived", "≈ 33.821"), ("lower_bound", "hơn 33.821"), ("reported", "33.821"), (None, "33.821")],
)
def test_qualified_counts_read_the_vietnamese_way(kind, shown):
    assert fmt.count(33821.0, kind) == shown


def test_the_engine_ranks_kinds_as_the_vocabulary_orders_them():
    sql = db.sql_source("queries/fill_indicator_cells")  # the cells the engine reads carry the ranks
    ranks = [int(n) for n in re.findall(r"when '\w+' then (\d)", sql)[:4]]
    named = re.findall(r"when '(\w+)' then \d", sql)[:4]
    assert ["reported", *named] == list(catalog.vocabulary().value_kinds) and ranks == [1, 2, 3, 4]


def test_a_csv_for_a_vietnamese_excel_beside_the_machine_one():
    from kpi.dashboard import export

    frame = pd.DataFrame({"Đơn vị": ["Xã Bình Trị", "=1+1"], "Giá trị": [64.39, 28.42]})
    excel = export.to_excel_csv(frame, "vi")
    assert excel.startswith(codecs.BOM_UTF8)
    assert excel.decode("utf-8-sig").splitlines() == ["Đơn vị;Giá trị", "Xã Bình Trị;64,39", "'=1+1;28,42"]
    assert export.to_excel_csv(frame, "en") == export.to_csv(frame)
