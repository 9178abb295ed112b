"""Which of the district's units a row of a file means: by code, then by name (composed or
not, with or without its kind, with or without tone marks), then by a mapping saved by hand.
A name that fits two units is an error listing both; a name that fits none gets the closest."""

from __future__ import annotations

from rapidfuzz import fuzz, process
from sqlalchemy.engine import Engine

from kpi.imports.problems import Problem, problem
from kpi.imports.textnorm import fold, lower_nfc
from kpi.store import db
from kpi.store.units import official_names

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
            return None, problem("err_unit_missing")
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
            return None, problem("err_unit_ambiguous", names, name=name, units=", ".join(names))
        close = process.extract(key, list(self.choices), scorer=fuzz.ratio, limit=3, score_cutoff=70)
        names = tuple(self.choices[c] for c, _score, _ in close)
        if names:
            return None, problem("err_unit_unknown_name_close", names, name=name, closest=", ".join(names))
        return None, problem("err_unit_unknown_name", name=name)

    def _by_code(self, code: str) -> tuple[str | None, Problem | None]:
        code = code.strip()
        if code.isdigit() and len(code) < 5:
            code = code.zfill(5)  # Excel drops leading zeros
        if code in self.codes:
            return code, None
        if code in self.elsewhere:
            return None, problem("err_unit_elsewhere", code=code, name=self.elsewhere[code])
        return None, problem("err_unit_unknown_code", code=code)


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
