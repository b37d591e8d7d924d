"""Checks of Chinese mobile numbers, licence plates and VINs (ISO 3779 check digit)."""

from __future__ import annotations

import re

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_L = "A-HJ-NP-Z"  # letters used on plates: no I, no O
# Ordinary plates: 沪A·12345 (blue/yellow), with the suffixes of trailer, coach-school, police, HK and Macau plates.
ORDINARY_PLATE_RE = re.compile(rf"^[{PROVINCES}][{_L}][{_L}0-9]{{4}}[{_L}0-9挂学警港澳]$")
# New-energy plates (green, 8 characters): small cars 沪A·D12345 / 沪A·DF1234, large vehicles 沪A·12345D.
NEW_ENERGY_PLATE_RE = re.compile(rf"^[{PROVINCES}][{_L}](?:[A-HJK][{_L}0-9]\d{{4}}|\d{{5}}[A-HJK])$")
EMBASSY_PLATE_RE = re.compile(r"^(?:使\d{6}|\d{6}使|[沪粤川云桂鄂陕蒙藏黑辽渝]A\d{4}领)$")

VIN_RE = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
_VIN_VALUES = {
    **{str(d): d for d in range(10)},
    "A": 1, "B": 2, "C": 3, "D": 4, "E": 5, "F": 6, "G": 7, "H": 8,
    "J": 1, "K": 2, "L": 3, "M": 4, "N": 5, "P": 7, "R": 9,
    "S": 2, "T": 3, "U": 4, "V": 5, "W": 6, "X": 7, "Y": 8, "Z": 9,
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def normalise_mobile(value: str) -> str:
    digits = re.sub(r"[\s\-()]", "", value or "")
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix):]
    return digits


def is_valid_mobile(value: str) -> bool:
    return bool(MOBILE_RE.match(value or ""))


def normalise_plate(value: str) -> str:
    return re.sub(r"[\s·.\-]", "", value or "").upper()


def is_valid_plate(value: str) -> bool:
    return bool(
        ORDINARY_PLATE_RE.match(value) or NEW_ENERGY_PLATE_RE.match(value) or EMBASSY_PLATE_RE.match(value)
    )


def is_new_energy_plate(value: str) -> bool:
    return bool(NEW_ENERGY_PLATE_RE.match(value or ""))


def mask_plate(value: str) -> str:
    """A plate for a public screen: province and issuing letter kept, the middle masked, the last character kept —
    沪AD1235 → 沪A·D1**5, 沪AD12345 → 沪A·D1***5. Anything else keeps its first two and last characters."""
    plate = normalise_plate(value)
    if not plate:
        return ""
    if len(plate) >= 5 and not plate[0].isascii():
        head, rest = plate[:2], plate[2:]
        return f"{head}·{rest[:2]}{'*' * (len(rest) - 3)}{rest[-1]}"
    if len(plate) <= 3:
        return "*" * len(plate)
    return f"{plate[:2]}{'*' * (len(plate) - 3)}{plate[-1]}"


def normalise_vin(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def vin_check_digit(vin: str) -> str:
    """The ISO 3779 / GB 16735 check character (9th position) for a 17-character VIN."""
    total = sum(_VIN_VALUES[ch] * weight for ch, weight in zip(vin, _VIN_WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def vin_problem(vin: str) -> str | None:
    """None when valid, else which rule it breaks: "length", "characters" or "check_digit"."""
    if len(vin) != 17:
        return "length"
    if not VIN_RE.match(vin):
        return "characters"
    if vin[8] != vin_check_digit(vin):
        return "check_digit"
    return None


def with_check_digit(vin16_or_17: str) -> str:
    """Put the right check digit into a VIN (demo data and tests)."""
    vin = (vin16_or_17[:8] + "0" + vin16_or_17[9:17]) if len(vin16_or_17) == 17 else vin16_or_17[:8] + "0" + vin16_or_17[8:]
    return vin[:8] + vin_check_digit(vin) + vin[9:]
