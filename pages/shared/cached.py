"""Cached reads of the store, keyed by the store's URL and the user's choices.

Cached values are shared by every user: they are never mutated, and nothing per user is
cached (Streamlit's advice for st.cache_data).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd
import streamlit as st

from kpi.computation import By
from kpi.dashboard import export, frames, tables
from kpi.periods import Grain, Range
from kpi.store import db, reads

TTL = 300  # seconds: another process (the CLI, an import elsewhere) may change the figures


@dataclass(frozen=True)
class StoreState:
    """The store as the dashboard finds it: not set up, of an older version, or ready."""

    status: Literal["absent", "outdated", "ready"]
    root: dict | None = None
    range: Range | None = None  # the months with data; None for a store without data
    children: pd.DataFrame | None = None
    demo: bool = False


@st.cache_data(ttl=60, show_spinner=False)
def store_state(url: str) -> StoreState:
    """The district, the months with data, its units and the demo state."""
    engine = db.get_engine(url)
    if not reads.is_ready(engine):
        return StoreState("absent")
    if not reads.is_current(engine):
        return StoreState("outdated")
    code = reads.setting("district", engine)
    root = reads.unit(code, engine) if code else None
    if root is None:
        return StoreState("absent")
    return StoreState(
        "ready",
        root=root,
        range=frames.data_range(code, engine),
        children=frames.children(code, engine),
        demo=reads.setting(f"demo:{code}", engine) == "loaded",
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def indicator_values(
    url: str,
    ids: tuple[str, ...],
    root: str,
    span: Range,
    grain: Grain = "total",
    by: By = "total",
    units: tuple[str, ...] = (),
) -> pd.DataFrame:
    return frames.indicator_values(ids, root, span, db.get_engine(url), grain=grain, by=by, units=units)


@st.cache_data(ttl=TTL, show_spinner=False)
def headline(url: str, root: str, span: Range) -> pd.DataFrame:
    return frames.headline(root, span, db.get_engine(url))


@st.cache_data(ttl=TTL, show_spinner=False)
def survey_levels(url: str, root: str, span: Range, units: tuple[str, ...]) -> pd.DataFrame:
    return frames.survey_levels(root, span, db.get_engine(url), units)


@st.cache_data(ttl=TTL, show_spinner=False)
def prizes(url: str, root: str, span: Range, units: tuple[str, ...]) -> pd.DataFrame:
    return frames.prizes(root, span, db.get_engine(url), units)


@st.cache_data(ttl=TTL, show_spinner=False)
def reporting_grid(url: str, root: str, span: Range, units: tuple[str, ...]) -> pd.DataFrame:
    return frames.reporting_grid(root, span, db.get_engine(url), units=units)


@st.cache_data(ttl=TTL, show_spinner=False)
def catalogue(url: str) -> pd.DataFrame:
    return frames.catalogue(db.get_engine(url))


@st.cache_data(ttl=60, show_spinner=False)
def unit_names(url: str, root: str) -> dict[str, str]:
    """Code -> name of the units under root (for mapping a name by hand)."""
    units = frames.children(root, db.get_engine(url))
    return dict(zip(units.code, units.name, strict=True))


@st.cache_data(ttl=TTL, show_spinner=False)
def table_files(frame: pd.DataFrame, lang: str, sheet: str) -> tuple[pd.DataFrame, bytes, bytes]:
    """A computed frame as shown, as CSV and as XLSX (cached: writing the workbook costs more
    than the query)."""
    raw = tables.indicator_table(frame, lang, formatted=False)
    return tables.indicator_table(frame, lang), export.to_csv(raw), export.to_xlsx(raw, sheet)
