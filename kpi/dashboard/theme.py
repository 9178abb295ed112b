"""One look for every chart: colour-blind-safe colours, one colour per meaning, and a
large-type, high-contrast variant for projecting in a meeting.

Colours are the Okabe–Ito palette, which stays distinguishable for the common kinds of
colour blindness; sequential scales use cividis for the same reason.
"""

from __future__ import annotations

from functools import lru_cache

import plotly.graph_objects as go
from babel.numbers import get_decimal_symbol, get_group_symbol

from kpi.i18n import LOCALES

#: One colour per meaning, everywhere.
COLOURS = {
    "value": "#0072B2",  # the unit's figure
    "district": "#000000",  # the whole district, when drawn beside communes
    "target": "#D55E00",  # targets: always this colour, dashed
    "ahead": "#0072B2",
    "behind": "#E69F00",
    "very_satisfied": "#0072B2",
    "satisfied": "#56B4E9",
    "neutral": "#BBBBBB",
    "dissatisfied": "#D55E00",
    "first": "#E69F00",
    "second": "#56B4E9",
    "third": "#009E73",
    "consolation": "#CC79A7",
    "on_time": "#009E73",
    "late": "#E69F00",
    "partial": "#F0E442",
    "not_reported": "#D55E00",
    "not_expected": "#FFFFFF",
}
#: Further lines (communes compared in a trend), after the district's black line.
SERIES = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
SEQUENTIAL = "cividis"
FONT = "Source Sans Pro, Arial, sans-serif"


def separators(lang: str) -> str:
    """Plotly's decimal and thousands marks, from the language's locale: 64,39 and 21.777 in
    Vietnamese."""
    locale = LOCALES[lang]
    return get_decimal_symbol(locale) + get_group_symbol(locale)


@lru_cache(maxsize=8)
def template(lang: str = "vi", present: bool = False) -> go.layout.Template:
    """The plotly template: number separators of the language, larger type when projecting
    (made once: building it is most of the cost of a small chart). Plotly copies it into
    every figure, so the cached one is never changed."""
    size = 22 if present else 14
    return go.layout.Template(
        layout={
            "font": {"family": FONT, "size": size, "color": "#000000" if present else "#262730"},
            "separators": separators(lang),
            "colorway": SERIES,
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "xaxis": {"showgrid": False, "linecolor": "#444444", "ticks": "outside", "automargin": True},
            "yaxis": {"gridcolor": "#e5e5e5", "zeroline": False, "automargin": True},
            "title": {"x": 0, "xanchor": "left", "y": 0.99, "yanchor": "top", "font": {"size": size + 4}},
            "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "traceorder": "normal"},
            "margin": {"l": 10, "r": 10, "t": 110 if present else 90, "b": 10},
            "hoverlabel": {"font": {"size": size}},
        }
    )
