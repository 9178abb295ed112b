"""Cached reads of the store, keyed by the store (its URL and version) and the user's choices.

Cached values are shared by every user: they are never mutated, and nothing per user is
cached (Streamlit's advice for st.cache_data). The store's version changes with every write
the dashboard shows, from any process (an import on the upload page, the command line,
another server on the same PostgreSQL): each page run reads it, so figures are read again
right after a write and never before.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from kpi import computation
from kpi import scorecard as index_766
from kpi.access import approvals as access_approvals
from kpi.computation import Query
from kpi.dashboard import figures, frames, tables
from kpi.periods import Range
from kpi.store import db, reads, units

TTL = 1800  # seconds: the version keys freshness; this only lets unused entries go


@dataclass(frozen=True)
class Store:
    """A store as the caches know it: its URL and its version when the page run began."""

    url: str
    version: str

    @property
    def engine(self) -> Engine:
        return db.get_engine(self.url)


def current(url: str) -> Store:
    """The store at url as it is now (one small read per page run)."""
    return Store(url, reads.data_version(db.get_engine(url)))


def frame_key(frame: pd.DataFrame) -> bytes:
    """What a cache taking a DataFrame keys it by: a digest of its index, column names, types
    and values (numbers as their bytes, anything else as its repr, which is exact). Streamlit's
    own hash of a frame costs about 0.4 ms a column whatever the rows (10 ms for three rows of
    the indicator frame, more than formatting them); this costs well under a millisecond. A
    pickle would be as fast but is not the same for equal frames (Arrow text sliced or not)."""
    digest = hashlib.blake2b(repr((list(frame.columns), list(map(str, frame.dtypes)))).encode())
    for values in (frame.index.to_numpy(), *(frame[c].to_numpy() for c in frame.columns)):
        digest.update(values.tobytes() if values.dtype.kind in "biufcmM" else repr(values.tolist()).encode())
    return digest.digest()


BY_CONTENT = {pd.DataFrame: frame_key}


@dataclass(frozen=True)
class StoreState:
    """The store as the dashboard finds it: not set up, of an older version, or ready."""

    status: Literal["absent", "outdated", "ready"]
    roots: dict[str, dict] = field(default_factory=dict)  # map id -> the unit looked at on it
    range: Range | None = None  # the months with data; None for a store without data
    children: dict[str, pd.DataFrame] = field(default_factory=dict)  # map id -> units under its root
    demo: bool = False

    @property
    def district(self) -> dict:
        return self.roots[units.LEGACY]

    def unit_names(self, map_id: str = units.LEGACY) -> dict[str, str]:
        """Key -> name of the units directly under a map's root (to compare, or to map a name to)."""
        found = self.children.get(map_id)
        return {} if found is None else dict(zip(found.code, found.name, strict=True))


@st.cache_data(ttl=TTL, show_spinner=False)
def store_state(store: Store) -> StoreState:
    """The district and the area standing for it since 1/7/2025, the months with data, the units
    under each and the demo state."""
    engine = store.engine
    if not reads.is_ready(engine):
        return StoreState("absent")
    if not reads.is_current(engine):
        return StoreState("outdated")
    codes = {m: reads.default_root(m, engine) for m in units.MAPS}
    roots = {m: reads.unit(code, engine) for m, code in codes.items() if code}
    if units.LEGACY not in roots or None in roots.values():
        return StoreState("absent")
    # The current map's root (the area, or the province) holds the district's ground and more:
    # one read of its months gives the range of both maps.
    widest = roots.get(units.CURRENT, roots[units.LEGACY])
    return StoreState(
        "ready",
        roots=roots,
        range=frames.data_range(widest["code"], engine),
        children={m: frames.children(r["code"], m, engine) for m, r in roots.items()},
        demo=reads.setting(f"demo:{codes[units.LEGACY]}", engine) == "loaded",
    )


def together(*reads: Awaitable) -> list:
    """The results of several reads below (those named *_soon), read at once: a page's reads
    are independent, and the database answers them side by side (the satisfaction page's three
    reads on the national store: 151 ms together, 199 one after the other). Streamlit's caches
    stay on the script's thread, as st.cache_data keeps them for async functions; only kpi,
    which never calls Streamlit, runs in other threads (asyncio.to_thread)."""

    async def gathered() -> list:
        return list(await asyncio.gather(*reads))

    return asyncio.run(gathered())


@st.cache_data(ttl=TTL, show_spinner=False)
async def computed_soon(store: Store, queries: tuple[Query, ...]) -> list[pd.DataFrame]:
    """What a page shows of the indicators, all its queries in one pass over the store."""
    return await asyncio.to_thread(computation.compute_many, list(queries), store.engine)


def computed(store: Store, queries: tuple[Query, ...]) -> list[pd.DataFrame]:
    return together(computed_soon(store, queries))[0]


@st.cache_data(ttl=TTL, show_spinner=False)
async def survey_levels_soon(
    store: Store, root: str, span: Range, chosen: tuple[str, ...], map_id: str
) -> pd.DataFrame:
    return await asyncio.to_thread(frames.survey_levels, root, span, store.engine, chosen, map_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def prizes(store: Store, root: str, span: Range, chosen: tuple[str, ...], map_id: str) -> pd.DataFrame:
    return frames.prizes(root, span, store.engine, chosen, map_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def listed_figures(
    store: Store, root: str, span: Range, chosen: tuple[str, ...], map_id: str
) -> pd.DataFrame:
    return figures.listed(root, span, store.engine, map_id, chosen)


@st.cache_data(ttl=TTL, show_spinner=False)
async def own_figures_soon(
    store: Store, root: str, span: Range, elements: tuple[str, ...], map_id: str
) -> pd.DataFrame:
    return await asyncio.to_thread(
        figures.listed, root, span, store.engine, map_id, sections={"own": elements}, own=True
    )


def own_figures(store: Store, root: str, span: Range, elements: tuple[str, ...], map_id: str) -> pd.DataFrame:
    return together(own_figures_soon(store, root, span, elements, map_id))[0]


@st.cache_data(ttl=TTL, show_spinner=False)
def latest_figures_year(store: Store, root: str, map_id: str) -> int | None:
    return figures.latest_year(root, store.engine, map_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def reporting_grid(
    store: Store, root: str, span: Range, chosen: tuple[str, ...], map_id: str
) -> pd.DataFrame:
    return frames.reporting_grid(root, span, store.engine, units=chosen, map_id=map_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def scorecards(
    store: Store, root: str, span: Range, map_id: str
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The unit's scorecard, the units' under it, and the totals of each."""
    return index_766.scorecards(root, span, store.engine, map_id)


@st.cache_data(ttl=TTL, show_spinner=False)
def approvals(store: Store, root: str, span: Range) -> pd.DataFrame:
    return access_approvals.approvals(store.engine, root, span)


@st.cache_data(ttl=TTL, show_spinner=False)
def successions(store: Store) -> pd.DataFrame:
    return frames.successions(store.engine)


@st.cache_data(ttl=TTL, show_spinner=False)
def catalogue(store: Store) -> pd.DataFrame:
    return frames.catalogue(store.engine)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=64, hash_funcs=BY_CONTENT)
def indicator_table(frame: pd.DataFrame, lang: str, keys: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The indicator table as text in the user's language (cached: formatting a table of a
    year by month, number by number, costs more than reading it from the store)."""
    return tables.indicator_table(frame, lang, keys=keys)


@st.cache_data(ttl=TTL, show_spinner=False, max_entries=64, hash_funcs=BY_CONTENT)
def scorecard_table(card: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A scorecard as text (cached: its sentences cost more than the scores)."""
    return tables.scorecard_table(card, lang)
