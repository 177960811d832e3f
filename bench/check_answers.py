#!/usr/bin/env python3
"""Checks that custq and DuckDB give the same answers to the benchmark's queries.

    bench/check_answers.py DATA_DIR [CUSTQ_BINARY]

Pairs each query of bench/queries.cq with the SQL on the same line of bench/queries.sql,
runs the query in custq (--format json, on DATA_DIR's customers.csv and orders.csv) and the
SQL in DuckDB (PyPI's duckdb, in tests/duckdb/.venv), and compares the rows in order,
numbers to 1e-9 relative. Prints one line per query and 'N passed, M failed'.
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "duckdb"))
from check_queries import compare, ensure_duckdb  # noqa: E402


def statements(path):
    return [line.strip() for line in open(path) if line.strip() and not line.startswith(".")]


def main():
    ensure_duckdb()
    import duckdb

    data = sys.argv[1]
    binary = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", ".build", "release", "custq")
    queries, sqls = statements(os.path.join(HERE, "queries.cq")), statements(os.path.join(HERE, "queries.sql"))
    assert len(queries) == len(sqls), "bench/queries.cq and bench/queries.sql must pair line by line"
    con = duckdb.connect()
    for table in ("customers", "orders"):
        con.execute(f"create table {table} as select * from read_csv('{os.path.join(data, table + '.csv')}')")
    failed = 0
    for query, sql in zip(queries, sqls):
        done = subprocess.run([binary, os.path.join(data, "customers.csv"), os.path.join(data, "orders.csv"),
                               "--format", "json", "-c", query], capture_output=True, text=True)
        if done.returncode != 0:
            problem = f"{query}: {done.stderr.strip()}"
        else:
            ours = [list(row.values()) for row in json.loads(done.stdout)]
            problem = compare(query, ours, con.execute(sql).fetchall())
        failed += problem is not None
        print(f"FAIL {problem}" if problem else f"ok   {query}", flush=True)
    print(f"{len(queries) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
