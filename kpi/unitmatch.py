"""Which of the district's units a row of a file means: by code, then by name (composed or
not, with or without its kind, with or without tone marks), then by a mapping saved by hand.
A name that fits two units is an error listing both; a name that fits none gets the closest."""

from __future__ import annotations

from rapidfuzz import fuzz, process
from sqlalchemy.engine import Engine

from kpi import db
from kpi.problems import Problem, problem
from kpi.textnorm import fold, lower_nfc
from kpi.units import official_names

PREFIXES = ("thi tran ", "tt ", "xa ", "phuong ")


class UnitMatcher:
    """Finds the district's unit a row means: by code, then by name, then by a saved mapping."""

    def __init__(self, district: str, engine: Engine) -> None:
        units = db.read_frame("queries/district_units", engine, root=district)
        self.codes = dict(zip(units.code, units.name, strict=True))
        everywhere = db.read_frame("queries/unit_codes", engine)
        self.elsewhere = {
            **official_names(),
            **dict(zip(everywhere.code, everywhere.name, strict=True)),
        }
        self.exact: dict[str, list[str]] = {}
        self.folded: dict[str, list[str]] = {}
        for code, name in self.codes.items():
            for key in {name, bare(name)}:
                self.exact.setdefault(lower_nfc(key), []).append(code)
                self.folded.setdefault(fold(key), []).append(code)
        aliases = db.read_frame("queries/unit_aliases", engine)
        self.aliases = {
            a: c for a, c in zip(aliases.alias, aliases.unit_code, strict=True) if c in self.codes
        }
        self.choices = {fold(bare(name)): name for name in self.codes.values()}

    def match(self, code: str, name: str) -> tuple[str | None, Problem | None]:
        """The unit code, or a problem saying why there is none (without row and column)."""
        if code:
            return self._by_code(code)
        if not name:
            return None, problem("Thiếu mã hoặc tên đơn vị.", "The unit's code or name is missing.")
        exact = set(self.exact.get(lower_nfc(name), ())) or set(self.exact.get(lower_nfc(bare(name)), ()))
        if len(exact) == 1:
            return exact.pop(), None
        key = fold(bare(name))
        if key in self.aliases:
            return self.aliases[key], None
        folded = sorted(set(self.folded.get(key, ())))
        if len(folded) == 1:
            return folded[0], None
        if len(folded) > 1:
            names = tuple(f"{self.codes[c]} ({c})" for c in folded)
            return None, problem(
                f"Tên '{name}' khớp với nhiều đơn vị: {', '.join(names)}. Ghi mã xã hoặc tên có đủ dấu.",
                f"The name '{name}' fits several units: {', '.join(names)}. "
                "Give the code or the name with its "
                "tone marks.",
                names,
            )
        close = process.extract(key, list(self.choices), scorer=fuzz.ratio, limit=3, score_cutoff=70)
        names = tuple(self.choices[c] for c, _score, _ in close)
        hint_vi = f" Gần nhất: {', '.join(names)}." if names else ""
        hint_en = f" Closest: {', '.join(names)}." if names else ""
        return None, problem(
            f"Không có đơn vị tên '{name}' trong huyện.{hint_vi}",
            f"There is no unit named '{name}' in the district.{hint_en}",
            names,
        )

    def _by_code(self, code: str) -> tuple[str | None, Problem | None]:
        code = code.strip()
        if code.isdigit() and len(code) < 5:
            code = code.zfill(5)  # Excel drops leading zeros
        if code in self.codes:
            return code, None
        if code in self.elsewhere:
            return None, problem(
                f"Đơn vị {code} ({self.elsewhere[code]}) không thuộc huyện này.",
                f"Unit {code} ({self.elsewhere[code]}) is not in this district.",
            )
        return None, problem(f"Không có đơn vị mã {code}.", f"There is no unit with code {code}.")


def bare(name: str) -> str:
    """A unit name without its kind: 'Xã Bình Trị' -> 'Bình Trị', 'TT. Châu Ổ' -> 'Châu Ổ'."""
    lowered = fold(name) + " "
    for prefix in PREFIXES:
        if lowered.startswith(prefix):
            return " ".join(name.replace(".", " ").split()[len(prefix.split()) :])
    return name


def save_alias(name: str, unit_code: str, engine: Engine | None = None) -> None:
    """Remember that a name in the communes' files means this unit."""
    with (engine or db.get_engine()).begin() as conn:
        db.execute(conn, "queries/save_unit_alias", alias=fold(bare(name)), unit_code=unit_code)
