#!/usr/bin/env python3
"""Checks custq's conversion and text functions against DuckDB SQL on the same values.

    tests/duckdb/check_functions.py [CUSTQ_BINARY]

Writes a small CSV in the shape of real exports (US and European dates, money in several
notations, whole numbers written as text, padded and Chinese text), loads it in custq and
in DuckDB (every column read as text there, then cast as each check says), and compares
`show id, EXPR` with `select id, SQL` row by row. Prints 'N passed, M failed'.
"""
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from check_queries import close, ensure_duckdb, run_checks  # noqa: E402

# id, us (month first), eu (day first), stamp (12-hour), money, whole (text), amount (decimal),
# day (ISO), s (text)
ROWS = [
    ("1", "12/1/2010", "31/01/2024", "11/20/2024 09:12 AM", "$1,234.50", "3.5", "2.5", "2024-01-31", "Acme Ltd"),
    ("2", "1/31/2024", "05/02/2024", "11/20/2024 12:00 PM", "(300.00)", "-2.5", "-2.5", "2024-02-29", "  padded  "),
    ("3", "soon", "2024-13-01", "13/20/2024 01:00 PM", "¥88", "42", "3.7", "2023-12-05", "北京市朝阳区"),
    ("4", "", "", "", "12.5%", " 7 ", "1234.5", "", "banana"),
    ("5", "2/29/2024", "29/02/2023", "1/1/2025 12:30 AM", "-$5.00", "x", "0.1", "2025-06-30", "a_b%c"),
    ("6", "N/A", "1/1/2024", "2/3/2024 7:05 PM", "abc", "9223372036854775807", "-0.5", "2024-07-04", ""),
]
HEADER = ["id", "us", "eu", "stamp", "money", "whole", "amount", "day", "s"]

MONEY = ("(case when money like '(%' or money like '-%' then -1 else 1 end) * "
         "(case when money like '%\\%' escape '\\' then 0.01 else 1 end) * "
         "try_cast(nullif(regexp_replace(money, '[^0-9.]', '', 'g'), '') as double)")

# (custq expression, DuckDB SQL over the text columns)
CHECKS = [
    ("date(us)", "try_strptime(us, '%m/%d/%Y')::date"),
    ("date(eu, '%d/%m/%Y')", "try_strptime(eu, '%d/%m/%Y')::date"),
    ("timestamp(stamp, '%m/%d/%Y %I:%M %p')", "try_strptime(stamp, '%m/%d/%Y %I:%M %p')"),
    ("date(timestamp(stamp, '%m/%d/%Y %I:%M %p'))", "try_strptime(stamp, '%m/%d/%Y %I:%M %p')::date"),
    ("number(money)", MONEY),
    ("integer(whole)", "try_cast(whole as bigint)"),
    ("integer(amount)", "cast(amount::double as bigint)"),
    ("number(amount)", "amount::double"),
    ("text(amount)", "cast(amount::double as varchar)"),
    ("text(day)", "cast(day::date as varchar)"),
    ("text(id)", "id"),
    ("month_of(day)", "date_trunc('month', day::date)::date"),
    ("s like 'A%'", "s like 'A%'"),
    ("s like '%a_a%'", "s like '%a_a%'"),
    ("s ilike 'acme%'", "s ilike 'acme%'"),
    ("s not like '%an%'", "s not like '%an%'"),
    ("contains(s, 'an')", "contains(s, 'an')"),
    ("starts_with(s, '北京')", "starts_with(s, '北京')"),
    ("ends_with(s, 'Ltd')", "ends_with(s, 'Ltd')"),
    ("substr(s, 2, 3)", "substring(s, 2, 3)"),
    ("substr(s, -3)", "substring(s, -3)"),
    ("substr(s, 0, 2)", "substring(s, 0, 2)"),
    ("substr(s, 3, -2)", "substring(s, 3, -2)"),
    ("replace(s, 'a', 'XY')", "replace(s, 'a', 'XY')"),
    ("trim(s)", "trim(s)"),
    ("length(trim(s))", "length(trim(s))"),
    ("concat(s, '-', id)", "concat(s, '-', id)"),
    ("s || '!' || whole", "s || '!' || whole"),
    ("upper(substr(s, 1, 1)) || lower(substr(s, 2))", "upper(substring(s, 1, 1)) || lower(substring(s, 2))"),
]


def normal(value):
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and len(value) == 19 and value[10] == "T":
        return value.replace("T", " ")
    return value


def main():
    ensure_duckdb()
    import duckdb

    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", ".build", "debug", "custq")
    directory = tempfile.mkdtemp(prefix="custq-functions-")
    path = os.path.join(directory, "values.csv")
    with open(path, "w", encoding="utf-8") as out:
        out.write(",".join(HEADER) + "\n")
        for row in ROWS:
            out.write(",".join('"' + field + '"' if field else "" for field in row) + "\n")
    con = duckdb.connect()
    con.execute(f"create table t as select * from read_csv('{path}', all_varchar = true, header = true)")
    # Text columns stay text in custq too (the file's own inference is checked elsewhere).
    types = ["--type", "s=string", "--type", "whole=string", "--type", "money=string", "--type", "us=string",
             "--type", "eu=string", "--type", "stamp=string"]

    def check(expression, sql):
        done = subprocess.run([binary, path, *types, "--format", "json", "-c", f"show id, {expression} as v order by id"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            return f"custq failed: {done.stderr.strip()}"
        ours = [[int(row["id"]), normal(row["v"])] for row in json.loads(done.stdout)]
        theirs = [[int(i), normal(v)] for i, v in con.execute(f"select id, {sql} from t order by id::int").fetchall()]
        if len(ours) != len(theirs):
            return f"custq gave {len(ours)} rows, DuckDB {len(theirs)}"
        for a, b in zip(ours, theirs):
            if not close(a[1], b[1]):
                return f"row {a[0]}: custq {a[1]!r}, DuckDB {b[1]!r}"
        return None

    status = run_checks([(expression, lambda e=expression, q=sql: check(e, q)) for expression, sql in CHECKS])
    shutil.rmtree(directory)
    return status

if __name__ == "__main__":
    sys.exit(main())
