#!/usr/bin/env python3
"""Checks custq's reading of Excel workbooks against the values the workbooks were written with.

    tests/xlsx/check_workbooks.py [CUSTQ_BINARY]

Workbooks are written here: with openpyxl (PyPI) for what Excel itself writes (shared
strings, number formats for dates and times, booleans, several sheets), and by hand with
zipfile for what other tools write (inline strings, formula text, ISO date cells, the 1904
date system, namespace prefixes, rich text with phonetic guides, skipped rows and
columns) and for damaged workbooks. Each check compares custq's .schema types and its rows
(--format json) with the values expected, exactly. Prints 'N passed, M failed'.
"""
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

from openpyxl import Workbook

HERE = os.path.dirname(os.path.abspath(__file__))
BINARY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", ".build", "debug", "custq")


def custq(*arguments):
    done = subprocess.run([BINARY, *arguments], capture_output=True, text=True)
    return done.returncode, done.stdout, done.stderr


def schema_and_rows(path, table, extra=()):
    status, out, err = custq(path, *extra, "--format", "json", "-c", f".schema {table}", "-c", f"from {table} show *")
    if status != 0:
        raise AssertionError(f"custq failed: {err}")
    schema_end = out.index("]") + 1
    schema = json.loads(out[:schema_end])
    rows = json.loads(out[schema_end:])
    return [(c["column"], c["type"]) for c in schema], [list(r.values()) for r in rows], err


def excel_workbook(directory):
    """What Excel writes: shared strings, dates by number format, booleans, blanks, two sheets."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Customers"
    sheet.append(["CustomerID", "Name", "Signup", "Last order", "Spend", "Member", "Call at", "Note"])
    rows = [
        (17850, 'Acme, "Intl"\nBranch', datetime.date(2024, 1, 5), datetime.datetime(2024, 1, 5, 21, 20, 58), 1234.5, True,
         datetime.time(9, 30), "ok"),
        (13047, "北京科技有限公司", datetime.date(1900, 3, 1), datetime.datetime(2010, 12, 1, 8, 26), -5, False,
         datetime.time(17, 0, 15), None),
        (12583, "  padded ", datetime.date(2023, 12, 31), datetime.datetime(2023, 12, 31, 23, 59, 59), 0.1, None,
         None, "="),
    ]
    for row in rows:
        sheet.append(row)
    for cell in sheet["C"][1:]:
        cell.number_format = "yyyy-mm-dd"
    for cell in sheet["D"][1:]:
        cell.number_format = "m/d/yyyy h:mm:ss"
    for cell in sheet["G"][1:]:
        cell.number_format = "h:mm:ss"
    orders = book.create_sheet("Orders")
    orders.append(["order_id", "customer_id", "amount", "ordered"])
    orders.append([1, 17850, 1200.5, datetime.date(2024, 2, 29)])
    orders.append([2, 13047, 5, datetime.date(2024, 3, 1)])
    for cell in orders["D"][1:]:
        cell.number_format = "d-mmm-yy"
    path = os.path.join(directory, "excel.xlsx")
    book.save(path)
    return path


WORKBOOK_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<x:workbookPr date1904="1"/><x:sheets><x:sheet name="Data" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>"""

RELS_XML = """<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/data.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""

STRINGS_XML = """<?xml version="1.0"?><x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">
<x:si><x:t>id</x:t></x:si><x:si><x:t>label</x:t></x:si>
<x:si><x:r><x:rPr><x:b/></x:rPr><x:t>東京</x:t></x:r><x:r><x:t xml:space="preserve"> &amp; Osaka</x:t></x:r><x:rPh sb="0" eb="2"><x:t>トウキョウ</x:t></x:rPh></x:si>
</x:sst>"""

STYLES_XML = """<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="[$-409]yyyy/mm/dd;@"/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="10"/></cellXfs></styleSheet>"""


def sheet_xml(rows):
    return ('<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<x:dimension ref="A1:E6"/><x:sheetData>' + "".join(rows) + "</x:sheetData></x:worksheet>")


HAND_ROWS = [
    '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c>'
    '<x:c r="C1" t="inlineStr"><x:is><x:t>when</x:t></x:is></x:c><x:c r="D1" t="inlineStr"><x:is><x:t>share</x:t></x:is></x:c>'
    '<x:c r="E1" t="inlineStr"><x:is><x:t>stamp</x:t></x:is></x:c></x:row>',
    '<x:row r="2"><x:c r="A2"><x:v>1</x:v></x:c><x:c r="B2" t="s"><x:v>2</x:v></x:c><x:c r="C2" s="1"><x:v>0</x:v></x:c>'
    '<x:c r="D2" s="2"><x:v>0.25</x:v></x:c><x:c r="E2" t="d"><x:v>2024-01-05T10:15:02</x:v></x:c></x:row>',
    # Row 3 skipped by the sheet; row 4 skips column B and has a formula's text result.
    '<x:row r="4"><x:c r="A4"><x:f>A2+1</x:f><x:v>2</x:v></x:c><x:c r="C4" s="1"><x:v>366</x:v></x:c>'
    '<x:c r="D4" s="2"><x:v>1</x:v></x:c><x:c r="E4" t="str"><x:f>TEXT(1,"0")</x:f><x:v>not a date</x:v></x:c></x:row>',
    '<x:row r="5"><x:c r="A5"><x:v>3</x:v></x:c><x:c r="B5" t="inlineStr"><x:is><x:t>a &lt;b&gt; _x000D_</x:t></x:is></x:c>'
    '<x:c r="C5" s="1"/><x:c r="D5" t="e"><x:v>#DIV/0!</x:v></x:c></x:row>',
]


def hand_workbook(directory, name, rows=HAND_ROWS, strings=STRINGS_XML, workbook=WORKBOOK_XML):
    path = os.path.join(directory, name)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS_XML)
        archive.writestr("xl/strings.xml", strings)
        archive.writestr("xl/styles.xml", STYLES_XML)
        archive.writestr("xl/worksheets/data.xml", sheet_xml(rows))
    return path


def main():
    directory = tempfile.mkdtemp(prefix="custq-xlsx-")
    checks = []

    def check(name, function):
        checks.append((name, function))

    excel = excel_workbook(directory)
    hand = hand_workbook(directory, "hand.xlsx")

    def excel_first_sheet():
        schema, rows, err = schema_and_rows(excel, "excel")
        assert schema == [("CustomerID", "integer"), ("Name", "string"), ("Signup", "date"), ("Last order", "timestamp"),
                          ("Spend", "decimal"), ("Member", "boolean"), ("Call at", "string"), ("Note", "string")], schema
        assert rows == [
            [17850, 'Acme, "Intl"\nBranch', "2024-01-05", "2024-01-05 21:20:58", 1234.5, True, "09:30:00", "ok"],
            [13047, "北京科技有限公司", "1900-03-01", "2010-12-01 08:26:00", -5.0, False, "17:00:15", None],
            [12583, "  padded ", "2023-12-31", "2023-12-31 23:59:59", 0.1, None, None, "="],
        ], rows
        assert "loaded excel: 3 rows, 8 columns from " in err and "\n  sheet 'Customers' of 2\n" in err, err

    def excel_named_sheet():
        # A sheet named on purpose names the table.
        for extra, path in (((), excel + ":Orders"), (("--sheet", "orders"), excel)):
            schema, rows, _ = schema_and_rows(path, "Orders", extra)
            assert schema == [("order_id", "integer"), ("customer_id", "integer"), ("amount", "decimal"), ("ordered", "date")], schema
            assert rows == [[1, 17850, 1200.5, "2024-02-29"], [2, 13047, 5.0, "2024-03-01"]], rows

    def hand_written():
        schema, rows, err = schema_and_rows(hand, "hand")
        assert schema == [("id", "integer"), ("label", "string"), ("when", "date"), ("share", "decimal"), ("stamp", "string")], schema
        # 1904 system: serial 0 is 1904-01-01, 366 is 1905-01-01; rich text runs joined, the phonetic guide left out.
        assert rows == [
            [1, "東京 & Osaka", "1904-01-01", 0.25, "2024-01-05 10:15:02"],
            [2, None, "1905-01-01", 1.0, "not a date"],
            [3, "a <b> \r", None, None, None],
        ], rows
        assert "dates in Excel's 1904 system" in err, err
        assert "1 cell holds an Excel error (#DIV/0! in D5), loaded as null" in err, err

    def errors():
        not_zip = os.path.join(directory, "text.xlsx")
        with open(not_zip, "w") as handle:
            handle.write("id,name\n1,a\n")
        status, _, err = custq(not_zip, "-c", ".tables")
        assert status == 1 and err.startswith(f"error: '{not_zip}' is not a zip archive, so not an .xlsx workbook"), err
        empty_zip = os.path.join(directory, "other.xlsx")
        with zipfile.ZipFile(empty_zip, "w") as archive:
            archive.writestr("readme.txt", "hello")
        status, _, err = custq(empty_zip, "-c", ".tables")
        assert status == 1 and err.startswith(f"error: '{empty_zip}' holds no xl/workbook.xml: it is a zip archive, but not an Excel workbook"), err
        missing = hand_workbook(directory, "missing.xlsx", rows=HAND_ROWS[:1] + ['<x:row r="2"><x:c r="A2" t="s"><x:v>7</x:v></x:c></x:row>'])
        status, _, err = custq(missing, "-c", ".tables")
        assert status == 1 and err.startswith(f"error: '{missing}' cell A2 of sheet 'Data' refers to shared string 7, but the workbook has 3"), err
        wide = hand_workbook(directory, "wide.xlsx", rows=HAND_ROWS[:1] + ['<x:row r="2"><x:c r="G2"><x:v>7</x:v></x:c></x:row>'])
        status, _, err = custq(wide, "-c", ".tables")
        assert status == 1 and err.startswith(f"error: '{wide}' cell G2 of sheet 'Data' holds a value right of the header's last column (E)"), err
        status, _, err = custq(excel + ":Nope", "-c", ".tables")
        assert status == 1 and err == (f"error: '{excel}' has no sheet 'Nope'\n"
                                       f"  help: its sheets: 'Customers', 'Orders' (e.g. '{excel}:Customers' or --sheet 'Customers')\n"), err
        cut = os.path.join(directory, "cut.xlsx")
        with open(excel, "rb") as source, open(cut, "wb") as target:
            target.write(source.read()[:-200])
        status, _, err = custq(cut, "-c", ".tables")
        assert status == 1 and err.startswith(f"error: '{cut}' is not a zip archive"), err

    check("a workbook as Excel writes it: shared strings, dates and times by format, booleans", excel_first_sheet)
    check("a sheet named by book.xlsx:Orders and by --sheet", excel_named_sheet)
    check("inline strings, formula text, ISO cells, the 1904 system, prefixes, rich text, gaps, errors", hand_written)
    check("damaged and mistaken workbooks get a message", errors)

    passed, failed = 0, 0
    for name, function in checks:
        try:
            function()
            passed += 1
            print("ok  ", name)
        except AssertionError as problem:
            failed += 1
            print("FAIL", name, "\n     ", problem)
    shutil.rmtree(directory)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
