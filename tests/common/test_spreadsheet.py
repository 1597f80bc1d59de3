"""The one CSV cell escaper of every export, and its inverse."""

import csv
import io

import pytest

from common.spreadsheet import csv_cell, csv_uncell, csv_write


@pytest.mark.parametrize("text", ["=1+1", "+33 1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cell_makes_formula_starts_text_and_uncell_restores_them(text):
    assert csv_cell(text) == "'" + text
    assert csv_uncell(csv_cell(text)) == text


@pytest.mark.parametrize("text", ["Romania", "'quoted", "a=b", "", "O'Brien"])
def test_csv_cell_leaves_ordinary_text_as_it_is(text):
    assert csv_cell(text) == text
    assert csv_uncell(text) == text


def test_csv_write_quotes_line_breaks_so_rows_read_back_whole():
    out = io.StringIO()

    csv_write(out, ["a", "b"], [["one\rtwo", "three\nfour"], [None, 5]])

    assert list(csv.reader(io.StringIO(out.getvalue(), newline=""))) == [
        ["a", "b"], ["one\rtwo", "three\nfour"], ["", "5"]]
