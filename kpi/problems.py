"""A problem found in an imported file, in both languages, at the row and column the user sees."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Problem:
    """Something wrong (error) or unusual (warning: must be confirmed; note: for information)."""

    severity: str
    row: int | None
    column: str | None
    value: str | None
    vi: str
    en: str
    candidates: tuple[str, ...] = ()

    def message(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi

    def as_dict(self, lang: str = "vi") -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message(lang),
            "candidates": list(self.candidates),
        }


def problem(vi: str, en: str, candidates: tuple[str, ...] = ()) -> Problem:
    """An error not yet placed in the file (the caller adds row and column)."""
    return Problem("error", None, None, None, vi, en, candidates)
