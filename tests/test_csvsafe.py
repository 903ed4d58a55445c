"""The one CSV helper every export writes through: formulas neutralised, numbers kept."""

import csv
import io
from decimal import Decimal

import pytest

from learning.csvsafe import SafeWriter, neutralise


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_starting_with_a_formula_trigger_gets_a_leading_quote(start):
    assert neutralise(f'{start}HYPERLINK("http://evil")') == f'\'{start}HYPERLINK("http://evil")'


@pytest.mark.parametrize("value", ["-1+1", "+32 2 123 45 67", "-cmd|' /C calc'!A0", "@SUM(A1)"])
def test_text_that_only_starts_like_a_number_is_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", [-3.5, -5, 0, 12.25, Decimal("-0.5"), None, True])
def test_numbers_and_other_values_stay_as_they_are(value):
    assert neutralise(value) is value


@pytest.mark.parametrize("value", ["-3.5", "+2", "-.5", "-1e3", "Amina", "Zoë = top", ""])
def test_plain_numbers_as_text_and_ordinary_text_stay_as_they_are(value):
    assert neutralise(value) == value


def test_the_writer_neutralises_every_cell_of_every_row():
    buffer = io.StringIO()
    writer = SafeWriter(buffer, delimiter=";")

    writer.writerow(["=1+1", -2.5, "ok"])
    writer.writerows([["@me", "-7"], ["\tx", 3]])

    rows = list(csv.reader(io.StringIO(buffer.getvalue(), newline=""), delimiter=";"))
    assert rows == [["'=1+1", "-2.5", "ok"], ["'@me", "-7"], ["'\tx", "3"]]
