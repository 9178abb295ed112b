"""Interface texts in Vietnamese (first) and English, from kpi/definitions/labels.toml."""

from __future__ import annotations

import tomllib
from functools import lru_cache

from babel.numbers import format_decimal

from kpi import config

DEFAULT_LANG = "vi"
#: Babel locale of each language: its numbers, month names and separators.
LOCALES = {"vi": "vi_VN", "en": "en_US"}


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, str]]:
    with open(config.DEFINITIONS_DIR / "labels.toml", "rb") as fh:
        return tomllib.load(fh)


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The text of key in lang, with its placeholders filled.

    Values are shown in lang too: a float as the language writes numbers (1.234 or 1,234;
    ints such as row numbers and ids are left as they are), and anything with a name(lang)
    method (an element, an indicator) by its name.
    """
    text = labels()[key]["en" if lang == "en" else "vi"]
    return text.format(**{k: _shown(v, lang) for k, v in values.items()}) if values else text


def _shown(value: object, lang: str) -> object:
    if isinstance(value, float):
        return format_decimal(
            value, format="#,##0" if value.is_integer() else "#,##0.00", locale=LOCALES[lang]
        )
    name = getattr(value, "name", None)
    return name(lang) if callable(name) else value


class Failure(Exception):
    """Something the user caused, told by a label key and its values, so that it is shown in
    the user's language wherever it is caught (page, command line, JSON)."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values

    def text(self, lang: str = DEFAULT_LANG) -> str:
        return t(self.key, lang, **self.values)

    def __str__(self) -> str:  # for logs and tracebacks: the default language
        return self.text()
