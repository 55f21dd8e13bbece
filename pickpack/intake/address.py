"""Splitting a Taobao receiver address into province, city, district, street and postcode.

Exports write ``广东省 深圳市 南山区 学院路462号20栋668室(775797)``: parts separated by spaces,
the postcode in brackets at the end (ASCII or full-width). Municipalities repeat themselves
(``上海 上海市 浦东新区 …``). The district may be missing (``广东省 东莞市 东城街道…``) and so may the
postcode. An address without spaces is split by the usual suffixes (省/自治区, 市/州/盟, 区/县/旗).
The split never fails: what cannot be placed stays in ``street``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_DISTRICT_ENDS = ("区", "县", "旗", "市")
_MUNICIPALITIES = ("北京", "上海", "天津", "重庆")
_PROVINCE = re.compile(r"^(.{1,8}?(?:省|自治区|特别行政区))")
_CITY = re.compile(r"^(.{1,10}?(?:自治州|地区|盟|市))")
_DISTRICT = re.compile(r"^(.{1,7}?(?:区|县|旗|市))")
_TRANS = str.maketrans({"（": "(", "）": ")", "\u3000": " ", "\u00a0": " "})


class Address(NamedTuple):
    province: str
    city: str
    district: str
    street: str
    postcode: str


def split_address(text: str) -> Address:
    """Split one address; tolerant of a missing district or postcode, never raises."""
    s = text.strip()
    if "（" in s or "）" in s or "\u3000" in s or "\u00a0" in s:
        s = s.translate(_TRANS).strip()
    postcode = ""
    if s.endswith(")"):
        i = s.rfind("(")
        code = s[i + 1:-1].strip()
        if i >= 0 and len(code) == 6 and code.isascii() and code.isdigit():
            postcode, s = code, s[:i].rstrip()
    parts = s.split(None, 2)
    if len(parts) == 3:
        province, city, rest = parts
        first, _, after = rest.partition(" ")
        if after and first.endswith(_DISTRICT_ENDS) and len(first) <= 12:
            return Address(province, city, first, after.strip(), postcode)
        return Address(province, city, "", rest, postcode)
    return _split_dense("".join(parts), postcode)


def _split_dense(s: str, postcode: str) -> Address:
    province = city = district = ""
    for name in _MUNICIPALITIES:
        if s.startswith(name):
            province, city = name, name + "市"
            s = s[len(name):]
            s = s[1:] if s.startswith("市") else s
            break
    else:
        m = _PROVINCE.match(s)
        if m:
            province, s = m.group(1), s[m.end():]
        m = _CITY.match(s)
        if m:
            city, s = m.group(1), s[m.end():]
    m = _DISTRICT.match(s)
    if m and len(s) > m.end():
        district, s = m.group(1), s[m.end():]
    return Address(province, city, district, s.strip(), postcode)
