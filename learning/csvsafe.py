"""CSV that a spreadsheet opens as data, never as formulas (CSV injection, OWASP).

Every CSV the platform serves holds text that someone else typed (display names, class
names, course titles written by authors) and is opened by teachers and the public in
Excel or LibreOffice, which run a cell starting with `=`, `+`, `-` or `@` (or a tab or
carriage return before one) as a formula. Every CSV export writes through `SafeWriter` here,
so no export can forget.
"""

import csv
import re
from collections.abc import Iterable
from decimal import Decimal

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Text that is a plain number reads as that number, which is harmless; "-3.5" stays -3.5.
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def neutralise(value):
    """The value as a spreadsheet should show it: text that would run as a formula gets a
    leading single quote; numbers, and text that is only a number, stay as they are."""
    if isinstance(value, (int, float, Decimal)) or not isinstance(value, str):
        return value
    if value.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer whose every cell goes through neutralise."""

    def __init__(self, buffer, **options):
        self._writer = csv.writer(buffer, **options)

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)
