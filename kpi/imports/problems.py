"""A problem found in an imported file, at the row and column the user sees, told by a label
key (kpi/definitions/labels.toml) and its values, so it is shown in the user's language."""

from __future__ import annotations

from dataclasses import dataclass, field

from kpi.i18n import t


@dataclass
class Problem:
    """Something wrong (error) or unusual (warning: must be confirmed; note: for information)."""

    severity: str
    row: int | None
    column: str | None
    value: str | None
    key: str
    values: dict[str, object] = field(default_factory=dict)
    candidates: tuple[str, ...] = ()

    def message(self, lang: str = "vi") -> str:
        return t(self.key, lang, **self.values)

    def as_dict(self, lang: str = "vi") -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message(lang),
            "code": self.key,
            "candidates": list(self.candidates),
        }


def problem(key: str, candidates: tuple[str, ...] = (), **values: object) -> Problem:
    """An error not yet placed in the file (the caller adds row and column)."""
    return Problem("error", None, None, None, key, values, candidates)
