"""CSV that spreadsheets open safely: one writer and one cell escaper for every export.

A cell that starts with "=", "+", "-", "@", a tab or a carriage return would be run as a
formula by a spreadsheet (CSV injection); it is written with a leading apostrophe, which
spreadsheets show as text and `csv_uncell` removes again on import. Rows end with CRLF
(RFC 4180), so a cell holding a carriage return or a line feed is always quoted.
"""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """The text of one cell, never read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_uncell(text):
    """The inverse of `csv_cell`: an exported cell imports as it was."""
    return text[1:] if text[:1] == "'" and text[1:].startswith(FORMULA_STARTS) else text


def csv_write(stream, header, rows):
    """Write the header and the rows (iterables of values) to `stream`, every cell escaped."""
    writer = csv.writer(stream)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
