#!/usr/bin/env python3
"""Checks custq's segmentation (RFM, ABC, lifecycle, cohorts) against DuckDB SQL, customer
by customer, on generated transaction exports that hold only orders.

    tests/duckdb/check_segments.py [CUSTQ_BINARY]

The orders are generated here (seeded, so every run is the same) with the awkward cases
the rules must get right: ties across quintile edges, one-order customers, zero spend,
orders with no customer, a transaction export whose columns are not custq's names
(InvoiceDate as a timestamp, CustomerID, Total), a tiny export with fewer than five
customers, and an as-of date before some orders. custq derives the customers from the
orders; DuckDB computes every figure from the same file with SQL written from DESIGN.md
section 5 and METRICS.md. Prints 'N passed, M failed'.
"""
import datetime
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_queries import compare, ensure_duckdb  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def generate(path, customers, seed):
    """A transaction export: InvoiceNo, InvoiceDate (timestamp), CustomerID, Total, Country."""
    rng = random.Random(seed)
    ids = rng.sample(range(1, 100_000), customers)
    start = datetime.date(2021, 1, 1)
    span = (datetime.date(2025, 6, 30) - start).days
    rows = []
    for customer in ids:
        kind = rng.random()
        count = 1 if kind < 0.35 else min(40, int(rng.expovariate(1 / 5)) + 2)
        # A third of customers buy in a burst around one date: many equal recencies.
        anchor = rng.randrange(span + 1)
        for _ in range(count):
            day = anchor + rng.randrange(-20, 21) if kind > 0.66 else rng.randrange(span + 1)
            day = max(0, min(span, day))
            roll = rng.random()
            amount = 0.0 if roll < 0.05 else (rng.choice([9.99, 19.99, 49.5]) if roll < 0.3 else round(rng.uniform(1, 900), 2))
            rows.append((start + datetime.timedelta(days=day), customer, amount))
    # Orders with no customer: they count for no one.
    for _ in range(7):
        rows.append((start + datetime.timedelta(days=rng.randrange(span + 1)), None, 12.0))
    rng.shuffle(rows)
    with open(path, "w") as out:
        out.write("InvoiceNo,InvoiceDate,CustomerID,Total,Country\n")
        for number, (day, customer, amount) in enumerate(rows, start=500_000):
            hour = rng.randrange(8, 20)
            out.write(f"{number},{day.isoformat()} {hour:02d}:{rng.randrange(60):02d}:00,"
                      f"{'' if customer is None else customer},{amount:.2f},{rng.choice(['UK', 'DE', 'FR'])}\n")


def setup_sql(con, path, as_of):
    """Views over the export: o = counted orders (up to the as-of date), cust = every customer."""
    con.execute("drop table if exists tx")
    con.execute(f"create table tx as select * from read_csv('{path}')")
    cutoff = f"date '{as_of}'" if as_of else "(select max(InvoiceDate::date) from tx)"
    con.execute(f"create or replace table as_of_date as select {cutoff} as d")
    con.execute("create or replace view o as select CustomerID as customer_id, InvoiceDate::date as order_date, "
                "Total as amount from tx where CustomerID is not null and InvoiceDate::date <= (select d from as_of_date)")
    con.execute("create or replace view cust as select distinct CustomerID as customer_id from tx where CustomerID is not null")
    con.execute("create or replace view base as select c.customer_id, (select d from as_of_date) - max(o.order_date) as rec, "
                "count(o.order_date) as freq, sum(o.amount) as mon, (select d from as_of_date) - min(o.order_date) as since "
                "from cust c left join o using (customer_id) group by c.customer_id")
    con.execute("create or replace view scores as select b.*, r.r, f.f, m.m from base b "
                "left join (select customer_id, ntile(5) over (order by rec desc, customer_id) as r from base where rec is not null) r using (customer_id) "
                "left join (select customer_id, ntile(5) over (order by freq, customer_id) as f from base where freq > 0) f using (customer_id) "
                "left join (select customer_id, ntile(5) over (order by mon, customer_id) as m from base where mon is not null) m using (customer_id)")


SEGMENT = ("case when r is null or f is null then null when r <= 2 and f <= 2 then 'Hibernating' when r <= 2 and f <= 4 then 'At Risk' "
           "when r <= 2 then 'Can''t Lose Them' when r = 3 and f <= 2 then 'About To Sleep' when r = 3 and f = 3 then 'Need Attention' "
           "when f >= 4 and r <= 4 then 'Loyal Customers' when r = 4 and f = 1 then 'Promising' when r = 5 and f = 1 then 'New Customers' "
           "when f <= 3 then 'Potential Loyalists' else 'Champions' end")
LIFECYCLE = ("case when freq = 0 then 'potential' when since <= 90 then 'new' when rec <= 90 then 'active' "
             "when rec <= 365 then 'silent' else 'churned' end")
ORDER = ("case s when 'Champions' then 1 when 'Loyal Customers' then 2 when 'Potential Loyalists' then 3 "
         "when 'New Customers' then 4 when 'Promising' then 5 when 'Need Attention' then 6 when 'About To Sleep' then 7 "
         "when 'At Risk' then 8 when 'Can''t Lose Them' then 9 else 10 end")


def abc_sql(a, b):
    return ("select customer_id, mon, case when share <= %s then 'A' when share <= %s then 'B' else 'C' end as class from "
            "(select customer_id, mon, sum(mon) over (order by mon desc, customer_id rows unbounded preceding) / "
            "sum(mon) over () as share from base where mon is not null)" % (a / 100, b / 100))


def per_customer_sql(a=80, b=95):
    return ("select s.customer_id, rec, freq, s.mon, r, f, m, " + SEGMENT + ", k.class, " + LIFECYCLE +
            " from scores s left join (" + abc_sql(a, b) + ") k using (customer_id) order by s.customer_id")


RFM_TABLE = ("with t as (select *, " + SEGMENT + " as s from scores where r is not null and f is not null) "
             "select s, count(*), 100.0 * count(*) / (select count(*) from t), sum(freq), sum(mon), "
             "100.0 * sum(mon) / (select sum(mon) from t), avg(rec), avg(freq), avg(mon) from t group by s order by min(" + ORDER + ")")

CUTPOINTS = ("with q as (select quantile_cont(-rec, [0.2, 0.4, 0.6, 0.8]) as rc from base where rec is not null), "
             "qf as (select quantile_cont(freq, [0.2, 0.4, 0.6, 0.8]) as fc from base where freq > 0), "
             "qm as (select quantile_cont(mon, [0.2, 0.4, 0.6, 0.8]) as mc from base where mon is not null) "
             "select customer_id, "
             "case when rec is null then null else 1 + (-rec > rc[1])::int + (-rec > rc[2])::int + (-rec > rc[3])::int + (-rec > rc[4])::int end, "
             "case when freq = 0 then null else 1 + (freq > fc[1])::int + (freq > fc[2])::int + (freq > fc[3])::int + (freq > fc[4])::int end, "
             "case when mon is null then null else 1 + (mon > mc[1])::int + (mon > mc[2])::int + (mon > mc[3])::int + (mon > mc[4])::int end "
             "from base, q, qf, qm order by customer_id")


def abc_table_sql(a, b):
    return ("with k as (" + abc_sql(a, b) + ") select class, count(*), 100.0 * count(*) / (select count(*) from k), sum(mon), "
            "100.0 * sum(mon) / (select sum(mon) from k), min(mon), max(mon) from k group by class order by class")


def cohort_rows(con, period):
    """The cohort grid as custq lays it out: label, size, then % per period since (None: not yet)."""
    index = {"month": "year(d) * 12 + month(d) - 1", "quarter": "year(d) * 4 + quarter(d) - 1", "year": "year(d)"}[period]
    rows = con.execute(
        f"with p as (select customer_id, {index.replace('d)', 'order_date)')} as p from o), "
        "f as (select customer_id, min(p) as first from p group by customer_id), "
        "a as (select distinct p.customer_id, f.first, p.p - f.first as k from p join f using (customer_id)), "
        "s as (select first, count(*) as size from f group by first) "
        "select first, size, k, count(*) from a join s using (first) group by first, size, k order by first, k").fetchall()
    last = con.execute(f"select {index} from (select (select d from as_of_date) as d)").fetchone()[0]
    grid = {}
    for first, size, k, n in rows:
        grid.setdefault((first, size), {})[k] = 100.0 * n / size
    if not grid:
        return []
    span = last - min(first for first, _ in grid) + 1
    out = []
    for (first, size), cells in sorted(grid.items()):
        if period == "month":
            label = f"{first // 12}-{first % 12 + 1:02d}"
        elif period == "quarter":
            label = f"{first // 4}-Q{first % 4 + 1}"
        else:
            label = str(first)
        out.append([label, size] + [cells.get(k, 0.0) if first + k <= last else None for k in range(span)])
    return out


def run_custq(binary, path, commands):
    args = [binary, path, "--format", "json"]
    for command in commands:
        args += ["-c", command]
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip())
    return [list(row.values()) for row in json.loads(done.stdout)], done.stderr


def main():
    ensure_duckdb()
    import duckdb

    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", ".build", "debug", "custq")
    con = duckdb.connect()
    failures, passed = [], 0

    def check(label, ours, theirs):
        nonlocal passed
        problem = compare(label, ours, theirs)
        if problem:
            failures.append(problem)
            print("FAIL", problem)
        else:
            passed += 1
            print("ok  ", label)

    per_customer = ("show customer_id, recency_days, frequency, monetary, r_score, f_score, m_score, rfm_segment, "
                    "abc_class, lifecycle order by customer_id")
    scores = "show customer_id, r_score, f_score, m_score order by customer_id"
    with tempfile.TemporaryDirectory() as folder:
        for name, customers, seed in (("export", 2500, 7), ("tiny", 3, 11)):
            path = os.path.join(folder, name + ".csv")
            generate(path, customers, seed)
            for as_of in (None, "2024-06-30"):
                setup_sql(con, path, as_of)
                asof = [f".asof {as_of}"] if as_of else []
                tag = f"{name}, as of {as_of or 'the latest order'}"
                cases = [
                    (per_customer, [], per_customer_sql()),
                    ("rfm", [], RFM_TABLE),
                    (scores, [".scoring cutpoints"], CUTPOINTS),
                    ("show customer_id, abc_class order by customer_id",
                     ["define abc_a_share = 70", "define abc_b_share = 90"],
                     "select customer_id, k.class from cust left join (" + abc_sql(70, 90) + ") k using (customer_id) order by customer_id"),
                    ("abc by monetary", ["define abc_a_share = 70", "define abc_b_share = 90"], abc_table_sql(70, 90)),
                    ("abc by monetary", [], abc_table_sql(80, 95)),
                    ("count by lifecycle", [], "select " + LIFECYCLE + " as l, count(*) from base group by l "
                     "order by list_position(['potential', 'new', 'active', 'silent', 'churned'], l)"),
                    ("top 10 by monetary", [], "select customer_id, mon from base where mon is not null order by mon desc, customer_id limit 10"),
                ]
                for query, before, sql in cases:
                    label = f"{query} [{'; '.join(before) or 'defaults'}] ({tag})"
                    try:
                        ours, _ = run_custq(binary, path, asof + before + [query])
                        check(label, ours, con.execute(sql).fetchall())
                    except Exception as error:  # a crash or an error message is a failure too
                        failures.append(f"{label}: {error}")
                        print("FAIL", label, error)
                for period in ("month", "quarter", "year"):
                    label = f"cohort by {period} ({tag})"
                    try:
                        ours, _ = run_custq(binary, path, asof + [f"cohort by {period}"])
                        check(label, ours, cohort_rows(con, period))
                    except Exception as error:
                        failures.append(f"{label}: {error}")
                        print("FAIL", label, error)
                # Results that depend on the as-of date say which date, and how many orders it leaves out.
                late = con.execute("select count(*) from tx where CustomerID is not null and "
                                   "InvoiceDate::date > (select d from as_of_date)").fetchone()[0]
                day = con.execute("select d from as_of_date").fetchone()[0].isoformat()
                expected = f"note: as of {day} ({'set with .asof' if as_of else 'the latest order date'})"
                if late:
                    expected += f"; {late:,} {'order' if late == 1 else 'orders'} dated after it {'is' if late == 1 else 'are'} left out"
                try:
                    _, messages = run_custq(binary, path, asof + ["rfm"])
                    notes = [line for line in messages.splitlines() if line.startswith("note: as of")]
                    check(f"rfm names its as-of date ({tag})", [notes], [[expected]])
                except Exception as error:
                    failures.append(f"as-of note ({tag}): {error}")
    print(f"{passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
