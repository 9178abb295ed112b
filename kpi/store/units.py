"""Administrative units from the official divisions package, never from a hand-typed list.

`vietnam-provinces` 0.6.0 holds the General Statistics Office codes of the three-level map
(province > district > commune) that was in force until 30 June 2025. Its division_type field
says 'xã' for every commune, so the legal kind is read from the name instead.
"""

from __future__ import annotations

import json
from datetime import date
from functools import lru_cache

import pandas as pd
import vietnam_provinces

from kpi import catalog
from kpi.i18n import Failure

COUNTRY_CODE = "VN"
#: Districts were abolished and communes merged on 1 July 2025: the 0.6.0 map ends the day before.
THREE_LEVEL_MAP_ENDS = date(2025, 7, 1)
ORIGIN = f"vietnam-provinces {vietnam_provinces.__version__}"

_KINDS = [  # name prefix -> kind, longest prefixes first
    ("Thành phố", "thanh_pho"),
    ("Thị trấn", "thi_tran"),
    ("Thị xã", "thi_xa"),
    ("Phường", "phuong"),
    ("Huyện", "huyen"),
    ("Quận", "quan"),
    ("Tỉnh", "tinh"),
    ("Xã", "xa"),
]
COLUMNS = ["code", "name", "level", "kind", "parent_code", "valid_from", "valid_to", "origin"]


class UnknownDistrict(Failure, LookupError):
    """The code is not a district of the official map."""


def kind_of(name: str) -> str:
    """The legal kind of a unit, from the prefix of its official name."""
    for prefix, kind in _KINDS:
        if name.lower().startswith(
            prefix.lower() + " "
        ):  # the package writes both "Thành phố" and "Thành Phố"
            return kind
    raise ValueError(f"unknown kind of unit: {name}")


def district_code(code: int) -> str:
    return f"{code:03d}"


@lru_cache(maxsize=1)
def _nested() -> list[dict]:
    return json.loads(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))


def _row(code: str, name: str, level: str, parent: str | None, kind: str | None = None) -> dict:
    valid_to = None if level in ("country", "province") else THREE_LEVEL_MAP_ENDS
    return {
        "code": code,
        "name": name,
        "level": level,
        "kind": kind or kind_of(name),
        "parent_code": parent,
        "valid_from": None,
        "valid_to": valid_to,
        "origin": ORIGIN,
    }


@lru_cache(maxsize=1)
def official_names() -> dict[str, str]:
    """Every commune and district code of the official map, with its full name (for messages)."""
    names = {}
    for province in _nested():
        for dist in province["districts"]:
            names[district_code(dist["code"])] = f"{dist['name']}, {province['name']}"
            for ward in dist["wards"]:
                names[f"{ward['code']:05d}"] = f"{ward['name']}, {dist['name']}, {province['name']}"
    return names


def divisions(district: str | None = None) -> pd.DataFrame:
    """Units of one district (with its province and its agencies) or, with None, of the country."""
    rows = [_row(COUNTRY_CODE, "Việt Nam", "country", None, "quoc_gia")]
    for province in _nested():
        pcode = f"{province['code']:02d}"
        districts = [
            d for d in province["districts"] if district is None or district_code(d["code"]) == district
        ]
        if not districts:
            continue
        rows.append(_row(pcode, province["name"], "province", COUNTRY_CODE))
        for dist in districts:
            dcode = district_code(dist["code"])
            rows.append(_row(dcode, dist["name"], "district", pcode))
            rows += [_row(f"{w['code']:05d}", w["name"], "commune", dcode) for w in dist["wards"]]
            rows += [
                {
                    **_row(f"{dcode}-{suffix}", name, "agency", dcode, "co_quan"),
                    "origin": "kpi/definitions/agencies.toml",
                }
                for suffix, name in catalog.agencies().items()
            ]
    if district is not None and len(rows) == 1:
        raise UnknownDistrict("err_unknown_district", code=district)
    return pd.DataFrame(rows, columns=COLUMNS)
