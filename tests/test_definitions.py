"""Conventions guarded by tests: one definition, both languages, every SQL file used."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kpi import catalog, config, i18n

PROJECT = config.PROJECT_DIR


def test_every_indicator_is_defined_in_both_languages():
    for indicator in catalog.indicators().values():
        for lang in catalog.LANGUAGES:
            assert indicator.name(lang).strip(), indicator.id
            assert len(indicator.description(lang)) > 20, indicator.id
            assert indicator.formula(lang)


def test_an_indicator_never_adds_up_a_level_or_mixes_a_stock_with_a_flow():
    def indicator(*elements: str) -> catalog.Indicator:
        return catalog.Indicator("x", "x", "x", "x", "x", elements, "count", True)

    for wrong in (("lotus_model_price_vnd_per_kg",), ("startup_club_members", "farmer_classes")):
        with pytest.raises(catalog.DefinitionError, match="all flows or all stocks"):
            catalog._check({"x": indicator(*wrong)})
    catalog._check({"x": indicator("startup_club_members")})


def test_every_report_element_is_listed_once_on_the_science_page():
    listed = [e for ids in catalog.vocabulary().science_sections.values() for e in ids]
    report = [e.id for e in catalog.elements().values() if e.group == "report"]
    assert sorted(listed) == sorted(report)


def test_every_legal_basis_is_cited_in_full_in_both_languages():
    for basis in catalog.legal_bases().values():
        for lang in catalog.LANGUAGES:
            assert re.search(r"số \d+/\d{4}/|No\. \d+/\d{4}/|766/QĐ-TTg", basis.citation(lang)), basis.id
            assert basis.sets(lang)


def test_every_element_is_named_in_both_languages_and_its_rules_refer_to_elements():
    elements = catalog.elements()
    for element in elements.values():
        assert element.name_vi and element.name_en and element.unit_vi and element.unit_en
        assert set(element.reported_by) <= {"commune", "agency", "district"}
        if element.part_of:
            assert elements[element.part_of].unit_en == element.unit_en


#: Parts of a date that one language writes and the other does not (Tháng 3 / Mar, Quý I / Q1).
DATE_PARTS = {"{month}", "{month_name}", "{roman}", "{quarter}"}


def test_every_label_has_both_languages():
    for key, texts in i18n.labels().items():
        assert set(texts) == {"vi", "en"}, key
        vi, en = (set(re.findall(r"{\w+}", texts[lang])) - DATE_PARTS for lang in ("vi", "en"))
        assert vi == en, key


def test_one_way_to_speak_two_languages():
    # Texts come from labels.toml (or a definition's name_vi/name_en): no branch on the language.
    for path in [*PROJECT.glob("kpi/**/*.py"), *PROJECT.glob("pages/**/*.py"), PROJECT / "app.py"]:
        if path.name not in ("i18n.py", "catalog.py", "config.py"):
            assert not re.search(r"\blang\s*[!=]=", path.read_text(encoding="utf-8")), path


def test_required_ids_exist():
    assert {
        "dossiers_received",
        "dossiers_digitized_at_intake",
        "results_issued",
        "results_digitized",
    } <= set(catalog.elements())
    assert {
        "intake_digitization_rate",
        "result_digitization_rate",
        "online_dossier_rate",
        "online_payment_rate",
        "on_time_rate",
        "satisfaction_rate",
        "very_satisfied_rate",
        "contest_prizes",
        "province_contest_prizes",
    } <= set(catalog.indicators())


def test_indicators_of_the_766_index_say_so():
    from kpi import scorecard

    for indicator in catalog.indicators().values():
        if scorecard.item_of(indicator.id):
            assert "766" in indicator.description_vi and "766" in indicator.description_en


REPORT = config.DEFINITIONS_DIR / "source" / "bao-cao-khcn-2023-binh-son.txt"


def test_report_figures_refer_to_elements_and_quote_the_report():
    source = " ".join(REPORT.read_text(encoding="utf-8").replace("*", "").split())
    for figure in catalog.report_figures():
        assert figure.element in catalog.elements()
        # Every piece of the quote between '...' is the report's own words, typos included.
        for piece in figure.quote.split("..."):
            assert piece.strip() in source, (figure.id, piece)


def test_the_report_kept_here_is_the_districts():
    shared = PROJECT.parent / "shared" / "source" / REPORT.name
    if not shared.exists():
        pytest.skip("no shared/ beside the project to compare with")
    assert REPORT.read_bytes() == shared.read_bytes()


def test_every_sql_file_is_used():
    code = "\n".join(
        p.read_text(encoding="utf-8") for p in [*PROJECT.glob("kpi/**/*.py"), PROJECT / "app.py"]
    )
    for path in (PROJECT / "sql" / "queries").glob("*.sql"):
        assert f'"queries/{path.stem}"' in code, f"{path.name} is not used"


def test_sql_comments_hold_no_bind_parameters():
    # SQLAlchemy would read ':word' inside a comment as a parameter.
    for path in Path(config.SQL_DIR).rglob("*.sql"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "--" in line:
                assert not re.search(r":[a-z_]", line.split("--", 1)[1]), f"{path.name}: {line}"
