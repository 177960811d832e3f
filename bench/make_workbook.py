#!/usr/bin/env python3
"""Writes CSV_FILE's rows as an Excel workbook (one sheet) for the workbook load benchmark.

    bench/make_workbook.py CSV_FILE XLSX_FILE

Cells get the types Excel would hold: whole numbers and decimals as numbers, ISO dates as
dates (number format yyyy-mm-dd), true/false as booleans, the rest as shared strings.
openpyxl's write-only mode (PyPI) streams the rows, so memory stays small.
"""
import csv
import datetime
import sys

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import NamedStyle


def cell_value(text):
    if text == "":
        return None
    if text in ("true", "false"):
        return text == "true"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        pass
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
    return text


def main():
    source, target = sys.argv[1], sys.argv[2]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("customers")
    date_style = NamedStyle(name="iso date", number_format="yyyy-mm-dd")
    with open(source, newline="", encoding="utf-8") as handle:
        rows = csv.reader(handle)
        sheet.append(next(rows))
        for row in rows:
            cells = []
            for text in row:
                value = cell_value(text)
                if isinstance(value, datetime.date):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.style = date_style
                    cells.append(cell)
                else:
                    cells.append(value)
            sheet.append(cells)
    workbook.save(target)


if __name__ == "__main__":
    main()
