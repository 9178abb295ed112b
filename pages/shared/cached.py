"""Cached reads of the store, keyed by the store's URL and the user's choices.

Cached values are shared by every user: they are never mutated, and nothing per user is
cached (Streamlit's advice for st.cache_data).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd
import streamlit as st

from kpi import computation
from kpi.computation import Query
from kpi.dashboard import frames, tables
from kpi.periods import Range
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

    def unit_names(self) -> dict[str, str]:
        """Code -> name of the units directly under the district (to compare, or to map a name to)."""
        if self.children is None:
            return {}
        return dict(zip(self.children.code, self.children.name, strict=True))


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
def computed(url: str, queries: tuple[Query, ...]) -> list[pd.DataFrame]:
    """What a page shows of the indicators, all its queries in one pass over the store."""
    return computation.compute_many(list(queries), db.get_engine(url))


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


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=64)
def indicator_table(frame: pd.DataFrame, lang: str, keys: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The indicator table as text in the user's language (cached: formatting a table of a
    year by month, number by number, costs more than reading it from the store)."""
    return tables.indicator_table(frame, lang, keys=keys)
