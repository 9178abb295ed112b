"""Illustrative (demo) data: monthly figures per commune and agency, from 2021 to the last full
month before today.

The district's report gives whole-year totals only. To show what the dashboard does with
the monthly figures communes will send, this module invents them, deterministically (one
seed per district), so that for Bình Sơn in 2023 they add up exactly to the report: 21,777
dossiers digitised at intake of 33,821 received, 9,149 of 32,192 results digitised, 658 survey
answers (629 very satisfied, 21 satisfied) and 28 + 2 contest prizes. Until June 2025 the
district's old communes and agencies send them; from July 2025 the new communes they were
merged into do (each as large as its predecessors together), the survey included, since the
district's one-stop desk closed with the district. Every value made here is stored under a
source marked is_demo, and `python -m kpi demo remove` deletes it.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from kpi import catalog
from kpi.catalog import MAP_CHANGE
from kpi.periods import Period
from kpi.store.units import successors

FULL_YEARS = (2021, 2022, 2023, 2024)  # on the old map, every month; contests are yearly
SOURCE_NAME = "demo"
#: Changed whenever the demo set is made differently (2: the district's ten agencies, not six):
#: `init` then replaces the illustrative values of an older store with the current ones.
VERSION = "2"
SOURCE_NOTE = "Số liệu minh họa, không phải số liệu thật / illustrative data, not real figures"

# Whole-district totals of a 22-commune district per year; other districts are scaled by size.
# A year only partly generated (2025 on each map, the current year) gets its months' share.
RECEIVED = {2021: 29_480, 2022: 31_730, 2023: 33_821, 2024: 35_160, 2025: 36_400, 2026: 37_300}
RESULTS = {2021: 28_050, 2022: 30_120, 2023: 32_192, 2024: 33_600, 2025: 34_900, 2026: 35_800}
# Shares of a whole, per year: (part element, whole element) -> rate.
RATES: dict[tuple[str, str], dict[int, float]] = {
    ("dossiers_received_online", "dossiers_received"): {
        2021: 0.08,
        2022: 0.15,
        2023: 0.22,
        2024: 0.34,
        2025: 0.45,
        2026: 0.55,
    },
    ("dossiers_digitized_at_intake", "dossiers_received"): {
        2021: 0.18,
        2022: 0.41,
        2023: 21_777 / 33_821,
        2024: 0.76,
        2025: 0.84,
        2026: 0.9,
    },
    ("dossiers_fee_payable", "dossiers_received"): {
        2021: 0.41,
        2022: 0.40,
        2023: 0.40,
        2024: 0.39,
        2025: 0.39,
        2026: 0.38,
    },
    ("results_digitized", "results_issued"): {
        2021: 0.04,
        2022: 0.13,
        2023: 9_149 / 32_192,
        2024: 0.47,
        2025: 0.6,
        2026: 0.7,
    },
}
# share of fee-payable dossiers
PAID_ONLINE = {2021: 0.09, 2022: 0.17, 2023: 0.26, 2024: 0.41, 2025: 0.5, 2026: 0.58}
# share of resolved dossiers
ON_TIME = {2021: 0.93, 2022: 0.95, 2023: 0.965, 2024: 0.975, 2025: 0.97, 2026: 0.98}
# Survey at the district one-stop desk: answers, very satisfied, satisfied, neutral, dissatisfied.
SURVEY = {
    2021: (412, 355, 41, 12, 4),
    2022: (540, 489, 38, 10, 3),
    2023: (658, 629, 21, 6, 2),
    2024: (702, 671, 24, 5, 2),
    2025: (760, 722, 28, 7, 3),
    2026: (800, 764, 27, 6, 3),
}
# Contest prizes by rank (in the order of vocabulary.toml's prize_ranks) at each contest level.
CONTEST_DISTRICT = {2021: (3, 5, 8, 6), 2022: (3, 6, 9, 8), 2023: (4, 7, 10, 7), 2024: (4, 8, 10, 8)}
CONTEST_PROVINCE = {2021: (0, 1, 0, 1), 2022: (0, 0, 1, 2), 2023: (0, 0, 1, 1), 2024: (1, 0, 1, 1)}
# Busier months before Tết and at year end, quiet in the Tết month.
SEASON = np.array([0.9, 0.6, 1.0, 1.0, 1.05, 1.0, 1.0, 1.05, 1.0, 1.05, 1.1, 1.25])
# Illustrative yearly targets (the province's real targets are not in the report).
TARGETS = {
    "intake_digitization_rate": {2021: 30, 2022: 50, 2023: 80, 2024: 80, 2025: 90, 2026: 100},
    "result_digitization_rate": {2021: 10, 2022: 30, 2023: 50, 2024: 60, 2025: 70, 2026: 80},
    "online_dossier_rate": {2021: 20, 2022: 30, 2023: 50, 2024: 50, 2025: 60, 2026: 80},
    "online_payment_rate": {2021: 15, 2022: 20, 2023: 30, 2024: 40, 2025: 50, 2026: 60},
    "on_time_rate": {2021: 95, 2022: 95, 2023: 95, 2024: 95, 2025: 95, 2026: 98},
    "satisfaction_rate": {2021: 90, 2022: 90, 2023: 90, 2024: 90, 2025: 90, 2026: 95},
}


def allocate(total: int, weights: np.ndarray, caps: np.ndarray | None = None) -> np.ndarray:
    """Split a whole number into whole parts proportional to weights, none above its cap.

    The parts add up to total exactly (largest remainders get the units left by rounding
    down), which is what lets the demo reproduce the report's totals to the unit.
    """
    w = np.asarray(weights, dtype=float).ravel()
    cap = np.full(w.size, np.inf) if caps is None else np.asarray(caps, dtype=float).ravel()
    if total > cap.sum():
        raise ValueError(f"cannot place {total} within caps that add up to {cap.sum()}")
    w = np.where(cap > 0, w + 1e-9, 0.0)
    share = np.zeros(w.size)
    free = cap > 0
    remaining = float(total)
    while remaining > 1e-9 and free.any():
        step = remaining * np.where(free, w, 0.0) / w[free].sum()
        full = free & (share + step >= cap)
        if not full.any():
            share += step
            break
        remaining -= float((cap[full] - share[full]).sum())
        share[full] = cap[full]
        free &= ~full
    parts = np.floor(share + 1e-9).astype(np.int64)
    left = int(total - parts.sum())
    room = parts < cap
    order = np.lexsort((np.arange(w.size), -(share - parts)))
    chosen = [i for i in order if room[i]][:left]
    parts[chosen] += 1
    return parts.reshape(np.shape(weights))


class _Generator:
    """Builds the demo values of one district's desks; one seeded random stream for all."""

    def __init__(self, units: pd.DataFrame, district: str) -> None:
        self.rng = np.random.default_rng(int("".join(ch for ch in district if ch.isdigit()) or 0))
        local = units[(units.parent_code == district) & units.level.isin(["commune", "agency"])]
        self.communes = local[local.level == "commune"].code.tolist()
        self.agencies = local[local.level == "agency"].code.tolist()
        self.surveyed = self.agencies  # who runs the satisfaction survey: the district's desk
        self.desk = self.communes + self.agencies
        self.scale = max(len(self.communes), 1) / 22
        n = len(self.desk)
        is_agency = np.array([c in self.agencies for c in self.desk])
        # Agencies handle the district-level procedures: fewer desks, more dossiers each.
        self.size = self.rng.lognormal(0.0, 0.45, n) * np.where(is_agency, 2.2, 1.0)
        # Some desks digitise far less than others, year after year: the laggards.
        self.pace = np.clip(self.rng.normal(1.0, 0.3, n), 0.35, 1.6)
        self.rows: list[pd.DataFrame] = []
        self.delays: dict[tuple, np.ndarray] = {}

    def merge(self, merged_into: dict[str, str]) -> None:
        """From now on the desks are the new communes (old commune -> new commune): each as large
        as its predecessors together, with the district's agencies' work shared among them, and
        each running its own survey."""
        old = dict(zip(self.desk, zip(self.size, self.pace, strict=True), strict=True))
        new = sorted(set(merged_into.values()))
        size = np.array([sum(old[c][0] for c in old if merged_into.get(c) == n) for n in new])
        agencies = sum(old[a][0] for a in self.agencies)
        size = size + agencies * size / max(size.sum(), 1e-9)
        pace = np.array(
            [np.average([old[c][1] for c in old if merged_into.get(c) == n] or [1.0]) for n in new]
        )
        self.communes, self.agencies, self.surveyed, self.desk = new, [], new, new
        self.size, self.pace = size, pace

    def _reported(self, year: int, months: np.ndarray) -> np.ndarray:
        """Which desk reported which of the months generated: a few communes miss some."""
        mask = np.ones((len(self.desk), 12), dtype=bool) & months[None, :]
        if year == 2021 and len(self.communes) > 3:
            mask[3, 2:5] = False
        if year == 2024 and len(self.communes) > 10:
            mask[[2, 7, 10], 10:12] = False
        return mask

    def _emit(self, codes: list[str], year: int, element: str, values: np.ndarray, mask: np.ndarray) -> None:
        months = [Period(date(year, m, 1), "month") for m in range(1, 13)]
        unit_idx, month_idx = np.nonzero(mask)
        delay = self._delays(codes, year)
        self.rows.append(
            pd.DataFrame(
                {
                    "unit_code": np.array(codes)[unit_idx],
                    "element_id": element,
                    "period_type": "month",
                    "period_start": [months[m].start for m in month_idx],
                    "period_end": [months[m].end for m in month_idx],
                    "value": values[unit_idx, month_idx].astype(float),
                    "reported_at": [
                        months[m].end + timedelta(days=int(delay[u, m]))
                        for u, m in zip(unit_idx, month_idx, strict=True)
                    ],
                }
            )
        )

    def _delays(self, codes: list[str], year: int) -> np.ndarray:
        """Days after the month's end each desk sent its figures: the laggards are often late."""
        key = (tuple(codes), year)
        if key not in self.delays:
            slow = np.array([self.pace[self.desk.index(c)] < 0.8 for c in codes])[:, None]
            days = self.rng.gamma(2.0, 2.5, (len(codes), 12)) + np.where(
                slow, self.rng.gamma(2.0, 4.0, (1, 12)), 0
            )
            self.delays[key] = np.round(days)
        return self.delays[key]

    def _noise(self, shape: tuple[int, ...], spread: float) -> np.ndarray:
        return np.clip(self.rng.normal(1.0, spread, shape), 0.2, None)

    def dossiers(self, year: int, months: np.ndarray) -> None:
        mask = self._reported(year, months)
        shape = mask.shape
        share = _share(months)
        year_of = min(year, max(RECEIVED))  # after the last year of figures, that year's again
        weights = self.size[:, None] * SEASON[None, :] * self._noise(shape, 0.15) * mask
        received = allocate(round(RECEIVED[year_of] * self.scale * share), weights)
        results = allocate(
            round(RESULTS[year_of] * self.scale * share), received * self._noise(shape, 0.05), received
        )
        values = {"dossiers_received": received, "results_issued": results, "dossiers_resolved": results}
        for (part, whole), rate in RATES.items():
            total = round(rate[year_of] * values[whole].sum())
            pace = self.pace[:, None] if "digitiz" in part or "online" in part else 1.0
            values[part] = allocate(total, values[whole] * pace * self._noise(shape, 0.2), values[whole])
        fee = values["dossiers_fee_payable"]
        values["dossiers_paid_online"] = allocate(
            round(PAID_ONLINE[year_of] * fee.sum()), fee * self.pace[:, None] * self._noise(shape, 0.2), fee
        )
        resolved = values["dossiers_resolved"]
        values["dossiers_resolved_on_time"] = allocate(
            round(ON_TIME[year_of] * resolved.sum()), resolved * self._noise(shape, 0.02), resolved
        )
        for element, v in values.items():
            self._emit(self.desk, year, element, v, mask)

    def survey(self, year: int, months: np.ndarray) -> None:
        n = len(self.surveyed)
        if not n:
            return
        mask = np.ones((n, 12), dtype=bool) & months[None, :]
        figures = SURVEY[min(year, max(SURVEY))]
        answers = round(figures[0] * self.scale * _share(months))
        levels = allocate(answers, np.array(figures[1:], dtype=float))  # the levels add up to it
        sizes = self.size[[self.desk.index(c) for c in self.surveyed]]
        total = allocate(answers, sizes[:, None] * SEASON[None, :] * self._noise((n, 12), 0.3) * mask)
        self._emit(self.surveyed, year, "survey_responses", total, mask)
        room = total.copy()
        names = ("survey_very_satisfied", "survey_satisfied", "survey_neutral", "survey_dissatisfied")
        for name, count in zip(names, levels, strict=True):
            part = allocate(count, room * self._noise((n, 12), 0.3), room)
            room = room - part
            self._emit(self.surveyed, year, name, part, mask)

    def contests(self, year: int) -> None:
        n = len(self.communes)
        if not n:
            return
        talent = self.rng.lognormal(0.0, 0.6, n)
        period = Period(date(year, 1, 1), "year")
        vocabulary = catalog.vocabulary()
        for level, table in zip(vocabulary.contest_levels, (CONTEST_DISTRICT, CONTEST_PROVINCE), strict=True):
            for rank, count in zip(vocabulary.prize_ranks, table[year], strict=True):
                prizes = allocate(round(count * self.scale), talent)
                self.rows.append(
                    pd.DataFrame(
                        {
                            "unit_code": self.communes,
                            "element_id": f"contest_{level}_{rank}",
                            "period_type": "year",
                            "period_start": period.start,
                            "period_end": period.end,
                            "value": prizes.astype(float),
                        }
                    )
                )


def _share(months: np.ndarray) -> float:
    """The part of a year's total that falls in the months generated (by the season)."""
    return float(SEASON[months].sum() / SEASON.sum())


def last_full_month(today: date) -> Period:
    return Period.containing(today, "month").shift(-1)


def observations(units: pd.DataFrame, district: str, today: date | None = None) -> pd.DataFrame:
    """The demo values of one district, as rows ready for store.add_observations: every month
    from 2021 to the last full month before today, on the map in force each month."""
    last = last_full_month(today or date.today())
    gen = _Generator(units, district)
    every = np.ones(12, dtype=bool)
    for year in FULL_YEARS:
        gen.dossiers(year, every)
        gen.survey(year, every)
        gen.contests(year)
    merged_into = _merged_into(units, gen.communes)
    merged = False
    for year in range(FULL_YEARS[-1] + 1, last.start.year + 1):
        for months, after in _eras(year, last):
            if after and not merged:
                if not merged_into:
                    break  # a store without the current map: the demo ends with the old one
                gen.merge(merged_into)
                merged = True
            if months.any():
                gen.dossiers(year, months)
                gen.survey(year, months)
    frame = pd.concat(gen.rows, ignore_index=True)
    unknown = set(frame.element_id) - set(catalog.elements())
    if unknown:
        raise ValueError(f"demo data uses undefined elements {sorted(unknown)}")
    frame["note"] = None
    return frame


def _eras(year: int, last: Period) -> list[tuple[np.ndarray, bool]]:
    """The months of a year to generate on the map before 1/7/2025, then on the current one."""
    month = np.arange(1, 13)
    made = month <= (last.start.month if year == last.start.year else 12)
    change = MAP_CHANGE.month if year == MAP_CHANGE.year else (13 if year < MAP_CHANGE.year else 1)
    return [(made & (month < change), False), (made & (month >= change), True)]


def _merged_into(units: pd.DataFrame, communes: list[str]) -> dict[str, str]:
    """Old commune -> the new commune it was merged into whole (those of the units frame)."""
    found = successors(units)
    whole = found[~found.partial & found.unit_code.isin(communes)]
    return dict(zip(whole.unit_code, whole.successor_code, strict=True))


def targets() -> pd.DataFrame:
    """The illustrative yearly targets."""
    rows = [(i, y, t) for i, by_year in TARGETS.items() for y, t in by_year.items()]
    return pd.DataFrame(rows, columns=["indicator_id", "year", "target"])
