"""Administrative units of both maps, from the official divisions package, never a hand-typed list.

`vietnam-provinces` 2026.x ships the map in force since 1 July 2025 (provinces > communes, no
districts), the map before it (`vietnam_provinces.legacy`: province > district > commune) and
the official conversion table between them. New communes reuse old codes (21040 is Thị trấn
Châu Ổ until 30/6/2025 and Xã Bình Sơn since), so a code alone no longer names a unit: a unit's
key in the store is its code for the map before 2025 and `code@2025` for the map since; its
official code and its validity period are columns of their own.

A map is a tree: on the map before 2025 the old units under their districts; on the current map
the new communes under their provinces, each old unit under the commune it was merged into (its
values are that commune's history), and an area (areas.toml) over the communes it groups.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import pandas as pd
import vietnam_provinces
from vietnam_provinces import Province, Ward, legacy

from kpi import catalog
from kpi.i18n import Failure
from kpi.periods import Range, add_months

COUNTRY_CODE = "VN"
MAP_CHANGE = catalog.MAP_CHANGE
LEGACY = "legacy"  # the map in force until 30 June 2025
CURRENT = "2025"  # the map in force since 1 July 2025
MAPS = (LEGACY, CURRENT)
ORIGIN = f"vietnam-provinces {vietnam_provinces.__version__}"

_KINDS = [  # name prefix -> kind, longest prefixes first
    ("Thành phố", "thanh_pho"),
    ("Thị trấn", "thi_tran"),
    ("Thị xã", "thi_xa"),
    ("Đặc khu", "dac_khu"),
    ("Phường", "phuong"),
    ("Huyện", "huyen"),
    ("Quận", "quan"),
    ("Tỉnh", "tinh"),
    ("Xã", "xa"),
]
COLUMNS = [
    "code",
    "official_code",
    "name",
    "level",
    "kind",
    "parent_code",
    "valid_from",
    "valid_to",
    "origin",
]
SUCCESSOR_COLUMNS = ["unit_code", "successor_code", "partial"]
ANCESTOR_COLUMNS = ["map", "unit_code", "ancestor_code", "depth", "partial", "stands_for"]


class UnknownDistrict(Failure, LookupError):
    """The code is not a district of the official map before 2025."""


def map_on(day: date) -> str:
    """The map in force on a day."""
    return CURRENT if day >= MAP_CHANGE else LEGACY


def map_for(span: Range) -> str:
    """The map a range is shown on by default: the one in force at its end."""
    return map_on(add_months(span.end, -1))


def key(code: int | str, map_id: str) -> str:
    """A commune's key in the store: its code on the map before 2025, code@2025 on the current one."""
    code = f"{int(code):05d}" if str(code).isdigit() else str(code)
    return code if map_id == LEGACY else f"{code}@{CURRENT}"


def _prefix(name: str) -> tuple[str, str] | None:
    """(prefix, kind) of an official name; the package writes both "Thành phố" and "Thành Phố"."""
    for prefix, kind in _KINDS:
        if name.lower().startswith(prefix.lower() + " "):
            return prefix, kind
    return None


def kind_of(name: str) -> str:
    """The legal kind of a unit, from the prefix of its official name."""
    found = _prefix(name)
    if found is None:
        raise ValueError(f"unknown kind of unit: {name}")
    return found[1]


def _without_kind(name: str) -> str:
    """'Huyện Trà Bồng' -> 'Trà Bồng', 'Thành phố Quảng Ngãi' -> 'Quảng Ngãi'."""
    found = _prefix(name)
    return name[len(found[0]) + 1 :] if found else name


def district_code(code: int) -> str:
    return f"{code:03d}"


_FIXED_KINDS = {"country": "quoc_gia", "agency": "co_quan", "area": "khu_vuc"}


def _row(code: str, official: str, name: str, level: str, parent: str | None, lifetime: str) -> dict:
    """One unit; lifetime LEGACY ends on 30/6/2025, CURRENT starts on 1/7/2025, 'both' spans."""
    return {
        "code": code,
        "official_code": official,
        "name": name,
        "level": level,
        "kind": _FIXED_KINDS.get(level) or kind_of(name),
        "parent_code": parent,
        "valid_from": MAP_CHANGE if lifetime == CURRENT else None,
        "valid_to": MAP_CHANGE if lifetime == "legacy" else None,
        "origin": ORIGIN,
    }


@lru_cache(maxsize=1)
def _old_to_new() -> dict[int, tuple[tuple[int, ...], bool]]:
    """Old commune code -> (new commune codes, merged only in part), from the official table.

    The package's public calls give the new communes of an old one but not the "merged in
    part" flag, which only its conversion table (a module it generates from the official
    spreadsheet) holds; tests/test_units.py pins what is read here.
    """
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW

    return {
        code: (tuple(w.code for w in entry.new_wards), entry.old_ward.is_partly_merged)
        for code, entry in OLD_TO_NEW.items()
    }


@lru_cache(maxsize=1)
def official_names() -> dict[str, str]:
    """Every commune and district code of the map before 2025, with its full name (for messages)."""
    names = {}
    for dist in legacy.District.iter_all():
        province = legacy.Province.from_code(dist.province_code).name
        names[district_code(dist.code.value)] = f"{dist.name}, {province}"
    for ward in legacy.Ward.iter_all():
        dist = legacy.District.from_code(ward.district_code)
        province = legacy.Province.from_code(dist.province_code).name
        names[f"{ward.code.value:05d}"] = f"{ward.name}, {dist.name}, {province}"
    return names


def divisions(district: str | None = None) -> pd.DataFrame:
    """Units of one district of the map before 2025 (with its province and its agencies), the
    communes of the current map it was merged into, and every other old commune those were made
    from (with its district, so that both maps hold each commune's whole history); with None,
    every unit of both maps."""
    old_wards = _old_wards(district)
    if district is not None and not old_wards:
        raise UnknownDistrict("err_unknown_district", code=district)
    new_codes = sorted({n for w in old_wards for n in _old_to_new().get(w.code.value, ((), False))[0]})
    new_wards = [Ward.from_code(c) for c in new_codes] if district else list(Ward.iter_all())
    if district is not None:  # the other old communes of those new communes come with them
        known = {w.code.value for w in old_wards}
        old_wards += [w for n in new_wards for w in n.get_legacy_sources() if w.code.value not in known]
        old_wards = list({w.code.value: w for w in old_wards}.values())
    districts = sorted({w.district_code.value for w in old_wards})
    rows = [_row(COUNTRY_CODE, COUNTRY_CODE, "Việt Nam", "country", None, "both")]
    rows += _provinces({legacy.District.from_code(d).province_code.value for d in districts}, new_wards)
    for code in districts:
        dist = legacy.District.from_code(code)
        dcode = district_code(code)
        rows.append(_row(dcode, dcode, dist.name, "district", f"{dist.province_code.value:02d}", LEGACY))
        if district is None or dcode == district:
            rows += _agencies(dcode)
    rows += [_commune(w, district_code(w.district_code.value), LEGACY) for w in old_wards]
    rows += [_commune(w, f"{w.province_code.value:02d}", CURRENT) for w in new_wards]
    return pd.DataFrame(rows, columns=COLUMNS)


def _commune(ward: legacy.Ward | Ward, parent: str, map_id: str) -> dict:
    return _row(key(ward.code.value, map_id), f"{ward.code.value:05d}", ward.name, "commune", parent, map_id)


def _old_wards(district: str | None) -> list[legacy.Ward]:
    if district is None:
        return list(legacy.Ward.iter_all())
    if not district.isdigit() or int(district) not in {d.code.value for d in legacy.District.iter_all()}:
        return []
    return list(legacy.Ward.iter_by_district(legacy.District.from_code(int(district)).code))


def _provinces(old: set[int], new_wards: list[Ward]) -> list[dict]:
    """Provinces of both maps: one whose code goes on (Quảng Ngãi, 51, which took in Kon Tum) is
    one unit spanning both maps; one that was merged away ends on 30/6/2025."""
    current = {w.province_code.value for w in new_wards}
    rows = []
    for code in sorted(old | current):
        name = (Province if code in current else legacy.Province).from_code(code).name
        rows.append(
            _row(
                f"{code:02d}",
                f"{code:02d}",
                name,
                "province",
                COUNTRY_CODE,
                "both" if code in current else LEGACY,
            )
        )
    return rows


def _agencies(district: str) -> list[dict]:
    """The district's agencies (agencies.toml): they end with the district."""
    return [
        {
            **_row(f"{district}-{suffix}", f"{district}-{suffix}", name, "agency", district, LEGACY),
            "origin": "kpi/definitions/agencies.toml",
        }
        for suffix, name in catalog.agencies().items()
    ]


def area_id_for(district: str) -> str:
    """The id of the area standing where a district stood: one of areas.toml, else khu-vuc-CODE."""
    for area in catalog.areas().values():
        if area.former_district == district:
            return area.id
    return f"khu-vuc-{district}"


def areas(units: pd.DataFrame, succession: pd.DataFrame) -> list[catalog.Area]:
    """The areas of the units stored: those of areas.toml whose communes are all stored, and for
    every other district set up in the store (one with agencies), an area of the communes its
    old communes went into, named after it, so that any district can be followed after 7/2025."""
    known = set(units.code)
    found = [a for a in catalog.areas().values() if all(key(c, CURRENT) in known for c in a.communes)]
    named = {a.former_district for a in catalog.areas().values()}
    parent_of = dict(zip(units.code, units.parent_code, strict=True))
    for district in sorted(set(units.loc[units.level == "agency", "parent_code"]) - named):
        went = succession[succession.unit_code.map(parent_of) == district].successor_code
        name = _without_kind(units.loc[units.code == district, "name"].iloc[0])
        found.append(
            catalog.Area(
                id=area_id_for(district),
                name_vi=f"Khu vực {name}",
                name_en=f"{name} area",
                communes=tuple(sorted(c.removesuffix(f"@{CURRENT}") for c in set(went))),
                former_district=district,
            )
        )
    return found


def areas_frame(units: pd.DataFrame, succession: pd.DataFrame) -> pd.DataFrame:
    """The areas of the units stored, as units."""
    rows = [
        {**_row(a.id, a.id, a.name_vi, "area", None, "both"), "origin": "kpi/definitions/areas.toml"}
        for a in areas(units, succession)
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def successors(frame: pd.DataFrame) -> pd.DataFrame:
    """For every old commune of the frame, the new communes it went into, and whether in part."""
    known = set(frame.code)
    rows = []
    old = frame.loc[(frame.level == "commune") & frame.valid_from.isna(), "official_code"]
    for code in old[old.str.isdigit()]:
        new, partial = _old_to_new().get(int(code), ((), False))
        rows += [(code, key(n, CURRENT), partial) for n in new if key(n, CURRENT) in known]
    return pd.DataFrame(rows, columns=SUCCESSOR_COLUMNS)


def ancestry(units: pd.DataFrame, succession: pd.DataFrame) -> pd.DataFrame:
    """Every unit with each of its ancestors on each map, the depth, whether the unit was merged
    into that ancestor only in part (its values then never count there, only its absence), and
    the unit of that map that a unit's own values stand for (itself, or the commune it was merged
    into whole).

    Built here, not in SQL, because the current map is not a plain tree: an old commune merged
    in part sits under several new ones.
    """
    rows = []
    for map_id in MAPS:
        parents = _parents(units, succession, map_id)
        for unit in parents:
            stands_for = _stands_for(unit, parents)
            for ancestor, depth, partial in _climb(unit, parents):
                rows.append((map_id, unit, ancestor, depth, partial, stands_for))
    return pd.DataFrame(rows, columns=ANCESTOR_COLUMNS)


def _parents(units: pd.DataFrame, succession: pd.DataFrame, map_id: str) -> dict[str, list[tuple[str, bool]]]:
    """unit key -> [(parent key, partial)] on one map; units that map does not hold are left out.

    On the current map an old commune hangs under the commune(s) it went into; other old units
    (a district, its agencies) keep their place, a province merged away goes under the one that
    took it in, so every value stored before 1/7/2025 is someone's history.
    """
    merged_into: dict[str, list[tuple[str, bool]]] = {}
    for row in succession.itertuples(index=False):
        merged_into.setdefault(row.unit_code, []).append((row.successor_code, bool(row.partial)))
    parents: dict[str, list[tuple[str, bool]]] = {}
    for row in units.itertuples(index=False):
        up = [(row.parent_code, False)] if isinstance(row.parent_code, str) else []
        current, gone = not pd.isna(row.valid_from), not pd.isna(row.valid_to)
        if row.level == "area":
            parents[row.code] = []
        elif map_id == LEGACY and not current:
            parents[row.code] = up
        elif map_id == CURRENT and row.code in merged_into:
            parents[row.code] = merged_into[row.code]
        elif map_id == CURRENT and gone and row.level == "province":
            parents[row.code] = [(p, False) for p in _province_successors(row.code)]
        elif map_id == CURRENT:
            parents[row.code] = up
    _add_areas(parents, units, succession, map_id)
    return parents


@lru_cache(maxsize=64)
def _province_successors(code: str) -> tuple[str, ...]:
    """The province(s) of the current map that took in a province merged away."""
    return tuple(f"{p.province.code.value:02d}" for p in Province.search_from_legacy(code=int(code)))


def _add_areas(
    parents: dict[str, list[tuple[str, bool]]], units: pd.DataFrame, succession: pd.DataFrame, map_id: str
) -> None:
    """An area is a second parent of its communes and of its former district on the current
    map; on the map before 2025 its children are the former district and the old communes
    outside it that went into the area's communes (Tịnh Hòa, of the former Quảng Ngãi city)."""
    parent_of = dict(zip(units.code, units.parent_code, strict=True))
    for area in areas(units, succession):
        if area.id not in parents:
            continue
        communes = [key(c, CURRENT) for c in area.communes]
        members = [(c, False) for c in communes]
        if map_id == LEGACY:
            made_from = succession[succession.successor_code.isin(communes)]
            members = [
                (row.unit_code, bool(row.partial))
                for row in made_from.itertuples(index=False)
                if parent_of.get(row.unit_code) != area.former_district
            ]
        if area.former_district:
            members.append((area.former_district, False))
        for member, partial in dict(members).items():
            if member in parents:
                parents[member] = [*parents[member], (area.id, partial)]


def _climb(unit: str, parents: dict[str, list[tuple[str, bool]]]) -> list[tuple[str, int, bool]]:
    """(ancestor, depth, partial) for the unit itself and everything above it; the shortest way
    to an ancestor gives its depth, and an ancestor reached only through a partial merger is
    partial."""
    found: dict[str, tuple[int, bool]] = {unit: (0, False)}
    frontier = [(unit, 0, False)]
    while frontier:
        nxt = []
        for node, depth, partial in frontier:
            for parent, part in parents.get(node, []):
                if parent not in parents:
                    continue
                seen = found.get(parent)
                here = (depth + 1, partial or part)
                if seen is None or (seen[1] and not here[1]):
                    found[parent] = here if seen is None else (seen[0], False)
                    nxt.append((parent, *here))
        frontier = nxt
    return [(ancestor, depth, partial) for ancestor, (depth, partial) in found.items()]


def _stands_for(unit: str, parents: dict[str, list[tuple[str, bool]]]) -> str:
    """The unit of the map an old unit's values count for: the commune it went into whole."""
    ups = parents.get(unit, [])
    if ups and not ups[0][1] and ups[0][0].endswith(f"@{CURRENT}") and not unit.endswith(f"@{CURRENT}"):
        return ups[0][0]
    return unit
