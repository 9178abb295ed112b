"""The definitions of data elements and indicators, read from kpi/definitions/*.toml.

These files are the one definition that the store, the engine, the command line and the
pages read; `sync` copies them into the store so that SQL can join on them and every stored
figure can be traced to its definition.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from kpi import config

#: Districts were abolished and communes merged on 1 July 2025 (kpi.store.units holds both maps).
MAP_CHANGE = date(2025, 7, 1)

LANGUAGES = ("vi", "en")
UNITS = ("percent", "count", "vnd")
FREQUENCIES = ("month", "quarter", "year")
#: flow: a count over its period, summed over periods and units (dossiers received);
#: stock: a count at the end of its period, summed over units but never over periods (members);
#: level: a figure of the unit itself (a share, a price), never summed at all, only listed.
MEASURES = ("flow", "stock", "level")


class DefinitionError(ValueError):
    """A definition file refers to something that does not exist."""


@dataclass(frozen=True)
class Element:
    """A raw count that units report, with the rules every value of it obeys."""

    id: str
    name_vi: str
    name_en: str
    unit_vi: str
    unit_en: str
    group: str
    reported_by: tuple[str, ...]
    frequency: str = "month"
    part_of: str | None = None
    whole: bool = True
    aliases: tuple[str, ...] = ()
    measure: str = "flow"
    # Who reports it on the map since 1/7/2025, when that differs (the district's one-stop desk
    # closed with the district; the survey is now the communes' own).
    reported_by_since_2025: tuple[str, ...] | None = None

    def name(self, lang: str = "vi") -> str:
        return self.name_en if lang == "en" else self.name_vi

    def unit(self, lang: str = "vi") -> str:
        return self.unit_en if lang == "en" else self.unit_vi

    def reporters(self) -> tuple[tuple[str, date | None, date | None], ...]:
        """(level, from, until): which unit levels are expected to report it, and when."""
        later = self.reported_by_since_2025
        if later is None or set(later) == set(self.reported_by):
            return tuple((level, None, None) for level in self.reported_by)
        return tuple((level, None, MAP_CHANGE) for level in self.reported_by) + tuple(
            (level, MAP_CHANGE, None) for level in later
        )

    def levels_on(self, day: date) -> tuple[str, ...]:
        """The unit levels expected to report it on a day."""
        return tuple(
            level
            for level, start, end in self.reporters()
            if (start is None or start <= day) and (end is None or day < end)
        )


@dataclass(frozen=True)
class Indicator:
    """A figure computed from elements: the sum of the numerator, over the sum of the denominator."""

    id: str
    name_vi: str
    name_en: str
    description_vi: str
    description_en: str
    numerator: tuple[str, ...]
    unit: str
    higher_is_better: bool
    denominator: tuple[str, ...] = ()
    headline: bool = False
    basis: tuple[str, ...] = ()  # legal_bases.toml

    @property
    def is_rate(self) -> bool:
        return bool(self.denominator)

    @property
    def element_ids(self) -> tuple[str, ...]:
        return self.numerator + self.denominator

    @property
    def is_stock(self) -> bool:
        """A stock's value over a time bucket is its last one, not a sum (the catalogue checks
        that an indicator's elements share one measure)."""
        return elements()[self.numerator[0]].measure == "stock"

    def name(self, lang: str = "vi") -> str:
        return self.name_en if lang == "en" else self.name_vi

    def description(self, lang: str = "vi") -> str:
        return self.description_en if lang == "en" else self.description_vi

    @property
    def frequency(self) -> str:
        """How often units report this indicator's elements: the longest of their periods."""
        return max((elements()[e].frequency for e in self.element_ids), key=lambda f: FREQUENCIES.index(f))

    def reporters(self) -> tuple[tuple[str, date | None, date | None], ...]:
        """(level, from, until): the unit levels expected to report its elements, and when."""
        return tuple(sorted({r for e in self.element_ids for r in elements()[e].reporters()}, key=str))

    def formula(self, lang: str = "vi") -> str:
        """The formula in words, e.g. 'Σ Hồ sơ số hóa ÷ Σ Hồ sơ tiếp nhận × 100'."""
        names = elements()

        def side(ids: tuple[str, ...]) -> str:
            return " + ".join(f"Σ {names[i].name(lang)}" for i in ids)

        top = side(self.numerator)
        if not self.is_rate:
            return top
        return f"({top}) ÷ ({side(self.denominator)}) × 100"


@dataclass(frozen=True)
class Vocabulary:
    """The fixed lists pages, charts, tables and the demo data share (vocabulary.toml)."""

    survey_levels: tuple[str, ...]
    contest_levels: tuple[str, ...]
    prize_ranks: tuple[str, ...]
    statuses_to_call: tuple[str, ...]
    report_statuses: dict[str, str]  # status -> the sign drawn in its cell
    page_indicators: dict[str, tuple[str, ...]]
    value_kinds: tuple[str, ...]  # most exact first: the engine's rank of a kind
    small_sample: int  # a proportion over fewer cases is marked
    science_sections: dict[str, tuple[str, ...]]  # section -> the elements it lists

    def prize_elements(self) -> tuple[str, ...]:
        """The element of every contest level and prize rank."""
        return tuple(f"contest_{level}_{rank}" for level in self.contest_levels for rank in self.prize_ranks)


def _read(name: str) -> dict[str, Any]:
    with open(config.DEFINITIONS_DIR / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=1)
def elements() -> dict[str, Element]:
    """Every data element by id, in the order of the definition file."""
    found = {}
    for key, raw in _read("elements").items():
        lists = {"reported_by": tuple(raw["reported_by"]), "aliases": tuple(raw.get("aliases", ()))}
        if "reported_by_since_2025" in raw:
            lists["reported_by_since_2025"] = tuple(raw["reported_by_since_2025"])
        found[key] = Element(id=key, **{**raw, **lists})
    return found


@lru_cache(maxsize=1)
def indicators() -> dict[str, Indicator]:
    """Every indicator by id, in the order of the definition file, checked against the elements."""
    found = {}
    for key, raw in _read("indicators").items():
        raw = dict(raw)
        raw["numerator"] = tuple(raw["numerator"])
        raw["denominator"] = tuple(raw.get("denominator", ()))
        raw["basis"] = tuple(raw.get("basis", ()))
        found[key] = Indicator(id=key, **raw)
    _check(found)
    return found


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The shared lists, checked against the elements and indicators they name."""
    raw = _read("vocabulary")
    found = Vocabulary(
        survey_levels=tuple(raw["survey_levels"]),
        contest_levels=tuple(raw["contest_levels"]),
        prize_ranks=tuple(raw["prize_ranks"]),
        statuses_to_call=tuple(raw["statuses_to_call"]),
        report_statuses=dict(raw["report_statuses"]),
        page_indicators={page: tuple(ids) for page, ids in raw["page_indicators"].items()},
        value_kinds=tuple(raw["value_kinds"]),
        small_sample=int(raw["small_sample"]),
        science_sections={name: tuple(ids) for name, ids in raw["science_sections"].items()},
    )
    named = [*found.survey_levels, *found.prize_elements()]
    named += [e for ids in found.science_sections.values() for e in ids]
    missing = [e for e in named if e not in elements()]
    missing += [i for ids in found.page_indicators.values() for i in ids if i not in indicators()]
    missing += [s for s in found.statuses_to_call if s not in found.report_statuses]
    if missing:
        raise DefinitionError(f"vocabulary.toml names what is not defined: {missing}")
    return found


@dataclass(frozen=True)
class LegalBasis:
    """A legal text cited in full, and what it sets that the product uses."""

    id: str
    citation_vi: str
    citation_en: str
    sets_vi: str
    sets_en: str

    def citation(self, lang: str = "vi") -> str:
        return self.citation_en if lang == "en" else self.citation_vi

    def sets(self, lang: str = "vi") -> str:
        return self.sets_en if lang == "en" else self.sets_vi


@lru_cache(maxsize=1)
def legal_bases() -> dict[str, LegalBasis]:
    """The legal texts indicators rest on, by id."""
    return {key: LegalBasis(id=key, **raw) for key, raw in _read("legal_bases").items()}


@lru_cache(maxsize=1)
def agencies() -> dict[str, str]:
    """District agencies: code suffix -> name."""
    return {key: raw["name"] for key, raw in _read("agencies").items()}


@dataclass(frozen=True)
class Area:
    """A named group of communes of the map since 1/7/2025 (areas.toml), with its history."""

    id: str
    name_vi: str
    name_en: str
    communes: tuple[str, ...]
    former_district: str | None = None

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_vi


@lru_cache(maxsize=1)
def areas() -> dict[str, Area]:
    """Areas by id, in the order of the definition file."""
    return {
        key: Area(id=key, **{**raw, "communes": tuple(raw["communes"])})
        for key, raw in _read("areas").items()
    }


@lru_cache(maxsize=1)
def columns() -> dict[str, tuple[str, ...]]:
    """Header names the importer recognises, by role (unit_code, unit_name, period, …)."""
    return {role: tuple(names) for role, names in _read("columns").items()}


@lru_cache(maxsize=1)
def report_2023() -> dict[str, Any]:
    """The figures of Bình Sơn's 2023 report, with the words they come from."""
    return _read("report_2023")


@dataclass(frozen=True)
class ReportFigure:
    """One countable statement of the 2023 report, as the value of an element for a year."""

    id: str
    element: str
    year: int
    value: float
    quote: str
    kind: str = "reported"
    derived: str | None = None


@lru_cache(maxsize=1)
def report_figures() -> tuple[ReportFigure, ...]:
    """The report's figures, in the order of the file."""
    report = report_2023()
    return tuple(
        ReportFigure(
            id=key,
            element=raw.get("element", key),
            year=int(raw.get("period", report["year"])),
            value=float(raw["value"]),
            quote=raw["quote"],
            kind=raw.get("kind", "derived" if "derived" in raw else "reported"),
            derived=raw.get("derived"),
        )
        for key, raw in report["figures"].items()
    )


def reported_indicators() -> tuple[list[Indicator], list[Indicator]]:
    """The indicators the 2023 report gives every element of for the district (real, from the
    report) and the other indicators the pages show (their 2023 figures are illustrative)."""
    figures = {f.element for f in report_figures() if f.year == report_2023()["year"]}
    shown = dict.fromkeys(i for ids in vocabulary().page_indicators.values() for i in ids)
    real = [i for i in indicators().values() if set(i.element_ids) <= figures]
    return real, [indicators()[i] for i in shown if indicators()[i] not in real]


def _check(found: dict[str, Indicator]) -> None:
    known = elements()
    for element in known.values():
        if element.frequency not in FREQUENCIES:
            raise DefinitionError(
                f"element {element.id}: frequency {element.frequency} is not one of {FREQUENCIES}"
            )
        if element.measure not in MEASURES:
            raise DefinitionError(f"element {element.id}: measure {element.measure} is not one of {MEASURES}")
        if element.part_of and element.part_of not in known:
            raise DefinitionError(f"element {element.id}: part_of {element.part_of} is not an element")
    for indicator in found.values():
        missing = [e for e in indicator.element_ids if e not in known]
        if missing:
            raise DefinitionError(f"indicator {indicator.id}: unknown elements {missing}")
        unknown = [b for b in indicator.basis if b not in legal_bases()]
        if unknown:
            raise DefinitionError(f"indicator {indicator.id}: unknown legal basis {unknown}")
        measures = {known[e].measure for e in indicator.element_ids}
        if len(measures) > 1 or "level" in measures:
            raise DefinitionError(
                f"indicator {indicator.id}: its elements must be all flows or all stocks, "
                f"not {sorted(measures)}"
            )
        if indicator.unit not in UNITS:
            raise DefinitionError(f"indicator {indicator.id}: unit {indicator.unit} is not one of {UNITS}")
