"""The plotly figures of the dashboard, built from the DataFrames of kpi.dashboard.frames.

Pure functions of their inputs, so that the tests can check their traces. Every label,
axis title and hover text is in the chosen language; numbers use its separators.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from kpi import catalog
from kpi.dashboard.theme import COLOURS, SEQUENTIAL, separators, template
from kpi.i18n import t
from kpi.periods import Period


def _layout(fig: go.Figure, lang: str, present: bool, title: str | None = None, **more) -> go.Figure:
    # separators are set on the figure too: the decimal comma must not depend on a template.
    fig.update_layout(template=template(lang, present), separators=separators(lang), title=title, **more)
    return fig


def _value(ind: catalog.Indicator, axis: str = "y") -> str:
    """The hover text of a value: two decimals and % for rates, whole numbers otherwise."""
    return f"%{{{axis}:,.2f}} %" if ind.unit == "percent" else f"%{{{axis}:,.0f}}"


def _title(ind: catalog.Indicator, frame: pd.DataFrame, lang: str) -> str:
    """The indicator's name, marked when any value drawn is illustrative (the chart marks which)."""
    shown = frame.illustrative[frame.value.notna()] if "illustrative" in frame else pd.Series(dtype=bool)
    if shown.empty or not shown.any():
        return ind.name(lang)
    return t("mark_illustrative" if shown.all() else "mark_partly_illustrative", lang, value=ind.name(lang))


def _marks(rows: pd.DataFrame, lang: str) -> list[str]:
    """Per point: the words that say it is illustrative, for the hover text (empty when real)."""
    flags = rows.illustrative if "illustrative" in rows else pd.Series(False, index=rows.index)
    return [f" ({t('figures_illustrative', lang)})" if f else "" for f in flags]


def ranking(frame: pd.DataFrame, ind: catalog.Indicator, lang: str, present: bool = False) -> go.Figure:
    """Units ranked by value, coloured ahead of or behind the target, with the target line."""
    rows = frame[frame.value.notna()].sort_values("value", ascending=ind.higher_is_better)
    target = rows.target.dropna()
    behind = rows.gap < 0 if target.size else pd.Series(False, index=rows.index)
    colours = [COLOURS["behind"] if b else COLOURS["ahead"] for b in behind]
    fig = go.Figure(
        go.Bar(
            x=rows.value,
            y=rows.unit_name,
            orientation="h",
            marker={"color": colours, "pattern": {"shape": ["/" if m else "" for m in _marks(rows, lang)]}},
            customdata=np.column_stack([rows.numerator, rows.denominator, _marks(rows, lang)]),
            hovertemplate=(
                f"%{{y}}%{{customdata[2]}}<br>{t('value', lang)}: {_value(ind, 'x')}"
                f"<br>{t('numerator', lang)}: %{{customdata[0]:,.0f}}"
                + (f"<br>{t('denominator', lang)}: %{{customdata[1]:,.0f}}" if ind.is_rate else "")
                + "<extra></extra>"
            ),
            name=ind.name(lang),
        )
    )
    line = {"color": COLOURS["target"], "dash": "dash", "width": 3 if present else 2}
    marked = _vline(float(target.iloc[0]), line, t("target", lang), COLOURS["target"]) if target.size else {}
    height = max(300, 26 * len(rows) + 80) * (1.4 if present else 1)
    return _layout(
        fig, lang, present, _title(ind, rows, lang), height=height, xaxis_title=_axis(ind, lang), **marked
    )


def scores(totals: pd.DataFrame, lang: str, present: bool = False) -> go.Figure:
    """Units ranked by their 766 score over the points measured, with that maximum drawn."""
    rows = totals[(totals.group == "total") & totals.points.notna()].sort_values("points")
    most = float(rows.measured_points.max()) if not rows.empty else 0.0
    fig = go.Figure(
        go.Bar(
            x=rows.points,
            y=rows.unit_name,
            orientation="h",
            marker={"color": COLOURS["ahead"]},
            hovertemplate=f"%{{y}}<br>{t('score_col_points', lang)}: %{{x:,.2f}} / {most:,.0f}"
            + "<extra></extra>",
        )
    )
    height = max(300, 26 * len(rows) + 80) * (1.4 if present else 1)
    return _layout(
        fig,
        lang,
        present,
        t("score_ranking", lang),
        height=height,
        xaxis_title=t("score_col_points", lang),
        **_vline(most, {"color": COLOURS["target"], "dash": "dash"}, t("score_measured", lang)),
    )


def _vline(x: float, line: dict, text: str, text_colour: str | None = None) -> dict:
    """A line across the plot at x, labelled right of it, just above the plot (inside it, the
    label hid the top unit's bar where that bar crossed the line): the shape and annotation
    that plotly's add_vline makes with annotation_yanchor "bottom", given to the layout at once
    (add_vline copies the figure's layout to place them, about 9 ms a chart)."""
    font = {"font": {"color": text_colour}} if text_colour else {}
    return {
        "shapes": [
            {"type": "line", "xref": "x", "yref": "y domain", "x0": x, "x1": x, "y0": 0, "y1": 1,
             "line": line}
        ],
        "annotations": [
            {"x": x, "xref": "x", "y": 1, "yref": "y domain", "text": text, "showarrow": False,
             "xanchor": "left", "yanchor": "bottom", **font}
        ],
    }  # fmt: skip


def _axis(ind: catalog.Indicator, lang: str) -> str:
    return {"percent": "%", "vnd": t("axis_vnd", lang)}.get(ind.unit, t("value", lang))


def trend(
    frame: pd.DataFrame,
    ind: catalog.Indicator,
    lang: str,
    grain: str,
    present: bool = False,
    lead: str | None = None,
) -> go.Figure:
    """The indicator over time, one line per unit (the district or area, or the lead unit, in
    black: a new commune over the units it was made from), the target dashed."""
    fig = go.Figure()
    for code, rows in frame.groupby("unit_code", sort=False):
        is_root = code == lead or rows.unit_level.iloc[0] in ("area", "district", "province", "country")
        fig.add_trace(
            go.Scatter(
                x=[Period(s, grain).short_label(lang) for s in rows.period_start],
                y=rows.value,
                mode="lines+markers",
                name=rows.unit_name.iloc[0],
                marker={"symbol": ["circle-open" if m else "circle" for m in _marks(rows, lang)], "size": 9},
                customdata=_marks(rows, lang),
                line={
                    "width": (4 if present else 3) if is_root else 2,
                    **({"color": COLOURS["district"]} if is_root else {}),
                },
                hovertemplate=f"%{{x}}%{{customdata}}<br>{_value(ind)}<extra>{rows.unit_name.iloc[0]}</extra>",
                connectgaps=False,
                meta=code,
            )
        )
    targets = frame.drop_duplicates("period_start")
    if targets.target.notna().any():
        fig.add_trace(
            go.Scatter(
                x=[Period(s, grain).short_label(lang) for s in targets.period_start],
                y=targets.target,
                mode="lines",
                name=t("target", lang),
                line={"color": COLOURS["target"], "dash": "dash", "shape": "hv"},
                hovertemplate=f"%{{x}}<br>{t('target', lang)}: {_value(ind)}<extra></extra>",
            )
        )
    return _layout(
        fig,
        lang,
        present,
        _title(ind, frame, lang),
        height=460 if present else 380,
        yaxis_title=_axis(ind, lang),
    )


def heatmap(
    frame: pd.DataFrame, ind: catalog.Indicator, lang: str, grain: str, present: bool = False
) -> go.Figure:
    """Units × periods, the colour the value (cividis), missing cells left blank."""
    frame = frame.assign(label=[Period(s, grain).short_label(lang) for s in frame.period_start])
    grid = frame.pivot_table(
        index="unit_name", columns="period_start", values="value", aggfunc="first", dropna=False
    )
    labels = [Period(s, grain).short_label(lang) for s in grid.columns]
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=labels,
            y=list(grid.index),
            colorscale=SEQUENTIAL,
            hovertemplate=f"%{{y}}<br>%{{x}}: {_value(ind, 'z')}<extra></extra>",
            colorbar={"title": {"text": _axis(ind, lang)}},
            hoverongaps=False,
        )
    )
    height = max(320, 24 * len(grid) + 120) * (1.3 if present else 1)
    return _layout(fig, lang, present, ind.name(lang), height=height, yaxis={"autorange": "reversed"})


def survey_stacked(frame: pd.DataFrame, lang: str, present: bool = False) -> go.Figure:
    """Answers by satisfaction level per unit, stacked from very satisfied to dissatisfied."""
    elements = catalog.elements()
    fig = go.Figure()
    for level in catalog.vocabulary().survey_levels:
        fig.add_trace(
            go.Bar(
                y=frame.unit_name,
                x=frame[level],
                orientation="h",
                name=elements[level].name(lang),
                marker={"color": COLOURS[level.removeprefix("survey_")]},
                hovertemplate=f"%{{y}}<br>{elements[level].name(lang)}: %{{x:,.0f}}<extra></extra>",
            )
        )
    height = max(300, 40 * len(frame) + 120) * (1.3 if present else 1)
    return _layout(fig, lang, present, t("survey_by_level", lang), barmode="stack", height=height)


def prizes_by_rank(frame: pd.DataFrame, lang: str, present: bool = False) -> go.Figure:
    """Prizes per year and contest level, stacked by rank in a fixed order."""
    fig = go.Figure()
    totals = frame.groupby(["year", "level", "rank"]).value.sum().reset_index()
    for rank in catalog.vocabulary().prize_ranks:
        rows = totals[totals["rank"] == rank]
        fig.add_trace(
            go.Bar(
                x=[[str(y) for y in rows.year], [t(f"level_{lv}", lang) for lv in rows.level]],
                y=rows.value,
                name=t(f"rank_{rank}", lang),
                marker={"color": COLOURS[rank]},
                hovertemplate=f"{t(f'rank_{rank}', lang)}: %{{y:,.0f}}<extra></extra>",
            )
        )
    return _layout(
        fig, lang, present, t("prizes_by_rank", lang), barmode="stack", height=420 if present else 360
    )


def reporting(grid: pd.DataFrame, lang: str, present: bool = False) -> go.Figure:
    """Units × months of the reporting status, with a symbol in each cell (not colour alone)."""
    symbols = catalog.vocabulary().report_statuses
    order = list(symbols)
    codes = {s: i for i, s in enumerate(order)}
    wide = grid.pivot_table(
        index="unit_name", columns="month_start", values="status", aggfunc="first", sort=False
    )
    z = wide.apply(lambda col: col.map(codes)).to_numpy(dtype=float)
    text = wide.apply(lambda col: col.map(symbols)).to_numpy()
    names = wide.apply(lambda col: col.map(lambda s: t(f"status_{s}", lang))).to_numpy()
    scale = [[i / (len(order) - 1), COLOURS[s]] for i, s in enumerate(order)]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[Period(m, "month").short_label(lang) for m in wide.columns],
            y=list(wide.index),
            text=text,
            texttemplate="%{text}",
            customdata=names,
            hovertemplate="%{y}<br>%{x}: %{customdata}<extra></extra>",
            colorscale=scale,
            zmin=0,
            zmax=len(order) - 1,
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    height = max(320, 26 * len(wide) + 120) * (1.3 if present else 1)
    return _layout(
        fig, lang, present, t("reporting_grid", lang), height=height, yaxis={"autorange": "reversed"}
    )
