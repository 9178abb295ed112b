"""Interface texts in Vietnamese (first) and English, from kpi/definitions/labels.toml."""

from __future__ import annotations

import tomllib
from functools import lru_cache

from kpi import config

DEFAULT_LANG = "vi"


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, str]]:
    with open(config.DEFINITIONS_DIR / "labels.toml", "rb") as fh:
        return tomllib.load(fh)


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The text of key in lang, with its placeholders filled."""
    text = labels()[key]["en" if lang == "en" else "vi"]
    return text.format(**values) if values else text
