"""Text as users type it: composed or decomposed Vietnamese, with or without tone marks."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[\s_\-–—./,:;()]+")


def nfc(text: str) -> str:
    """Composed form (Windows-1258 and macOS give decomposed text); every cell goes through it."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower case without diacritics or punctuation: 'Số hồ sơ tiếp nhận' -> 'so ho so tiep nhan'."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare.lower()).strip()


def lower_nfc(text: str) -> str:
    """Lower case, composed, single spaces: keeps tone marks (Bình Thanh ≠ Bình Thạnh)."""
    return " ".join(nfc(text).lower().split())
