#!/usr/bin/env python3
"""Checks custq's tables by period (retention, growth) and concentration against the
same formulas in DuckDB SQL (METRICS.md C2, C3, D5, D10), on the example data and on the
hostile orders of tests/sql (nulls, returns, unknown customers, month ends).

    tests/duckdb/check_periods.py CUSTQ_BINARY

Retention per period: active = customers with a purchase (amount >= 0) in it, new = first
purchase in it, retained = active in the period before too, reactivated = the rest;
retention % = retained / active before, churn % = 100 - it, contractual % = (active - new)
/ active before. Growth: new customers, active customers, the revenue of every line with a
customer (returns net off) and its growth in %. Concentration: the share of the total held
by the first ceil(k n / 100) customers, largest first. Prints 'N passed, M failed'.
"""
import csv
import os
import subprocess
import sys
import tempfile

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "sql"))
import check_sql  # noqa: E402  (the hostile data's generator)
from check_queries import run_checks  # noqa: E402

PERIOD = {"month": ("12", "month(d) - 1", "cast(p // 12 as varchar) || '-' || lpad(cast(p % 12 + 1 as varchar), 2, '0')"),
          "quarter": ("4", "quarter(d) - 1", "cast(p // 4 as varchar) || '-Q' || cast(p % 4 + 1 as varchar)"),
          "year": ("1", "0", "cast(p as varchar)")}


def number(d, period):
    per, within, _ = PERIOD[period]
    return f"(year({d}) * {per} + {within.replace('(d)', f'({d})')})"


def base(asof, period, where=""):
    """The purchases (customer, period) and the first period and the as-of date's period."""
    return f"""
      with purchases as (
        select distinct customer_id as k, {number('order_date', period)} as p from orders
        where customer_id is not null and order_date is not null and amount >= 0 and order_date <= {asof} {where}),
      firsts as (select k, min(p) as fp from purchases group by k),
      span as (select unnest(range((select min(p) from purchases), {number(asof, period)} + 1)) as p),
      counts as (
        select span.p, count(pu.k) as active, count(case when f.fp = span.p then 1 end) as new,
               count(prev.k) as retained
        from span left join purchases pu on pu.p = span.p left join firsts f on f.k = pu.k
             left join purchases prev on prev.k = pu.k and prev.p = span.p - 1
        group by span.p)"""


def retention_sql(asof, period, where=""):
    label = PERIOD[period][2]
    return base(asof, period, where) + f"""
      select {label}, active, new, retained, active - new - retained,
             100.0 * retained / nullif(lag(active) over w, 0),
             100 - 100.0 * retained / nullif(lag(active) over w, 0),
             100.0 * (active - new) / nullif(lag(active) over w, 0)
      from counts window w as (order by p) order by p"""


def growth_sql(asof, period, where=""):
    label = PERIOD[period][2]
    return base(asof, period, where) + f""",
      revenue as (
        select {number('order_date', period)} as p, sum(amount) as r from orders
        where customer_id is not null and order_date is not null and amount is not null and order_date <= {asof} {where}
        group by 1)
      select {label}, new, active, coalesce(r, 0),
             100.0 * (coalesce(r, 0) - lag(coalesce(r, 0)) over w) / nullif(lag(coalesce(r, 0)) over w, 0)
      from counts left join revenue using (p) window w as (order by p) order by p"""


def concentration_sql(values):
    return f"""
      with v as (select x from ({values}) where x is not null),
      ranked as (select x, row_number() over (order by x desc) as rn, count(*) over () as n, sum(x) over () as total from v),
      tops as (select k from (values (1), (5), (10), (20), (50)) t(k))
      select label, customers, value, share from (
      select 'top ' || k || '%' as label, (k * max(n) + 99) // 100 as customers,
             coalesce(sum(x) filter (where rn <= (k * n + 99) // 100), 0) as value,
             100.0 * coalesce(sum(x) filter (where rn <= (k * n + 99) // 100), 0) / nullif(max(total), 0) as share, k as o
      from tops, ranked group by k
      union all select 'all', count(*), sum(x), case when sum(x) <> 0 then 100.0 end, 1000 from v)
      order by o"""


def same(a, b):
    if b is None:
        return a == ""
    if isinstance(b, (int, float)):
        try:
            x = float(a)
        except ValueError:
            return False
        return x == b or abs(x - b) <= 1e-9 * max(abs(x), abs(b))
    return a == str(b)


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/custq")
    hostile = tempfile.mkdtemp(prefix="custq-periods-")
    check_sql.generate(hostile)
    examples = os.path.join(HERE, "..", "..", "examples")
    datasets = [("examples", examples, "date '2025-06-30'"), ("hostile", hostile, "date '2024-12-31'")]
    checks = []
    for name, directory, latest in datasets:
        files = [os.path.join(directory, "customers.csv"), os.path.join(directory, "orders.csv")]
        for period in ("month", "quarter", "year"):
            checks.append((name, files, [], f"retention by {period}", retention_sql(latest, period)))
            checks.append((name, files, [], f"growth by {period}", growth_sql(latest, period)))
        checks.append((name, files, [".asof 2023-05-15"], "retention by quarter", retention_sql("date '2023-05-15'", "quarter")))
        checks.append((name, files, [".asof 2023-05-15"], "growth by month", growth_sql("date '2023-05-15'", "month")))
        checks.append((name, files, [], "concentration by annual_revenue", concentration_sql("select annual_revenue as x from customers")))
        checks.append((name, files, [], "concentration by monetary", concentration_sql(
            "select (select sum(amount) from orders o where o.customer_id = c.customer_id) as x from customers c")))
    checks.append(("hostile", [os.path.join(hostile, "customers.csv"), os.path.join(hostile, "orders.csv")], [],
                   "growth by quarter where channel = 'Online'", growth_sql("date '2024-12-31'", "quarter", "and channel = 'Online'")))
    def check(files, setup, statement, sql):
        con = duckdb.connect()
        con.execute(f"create table customers as select * from read_csv('{files[0]}')")
        con.execute(f"create table orders as select * from read_csv('{files[1]}')")
        command = [binary] + files + ["--format", "csv"]
        for line in setup + [statement]:
            command += ["-c", line]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            return done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"
        ours = list(csv.reader(done.stdout.splitlines()))[1:]
        theirs = con.execute(sql).fetchall()
        if len(ours) != len(theirs):
            return f"{len(ours)} rows from custq, {len(theirs)} from DuckDB"
        for i, (a, b) in enumerate(zip(ours, theirs)):
            if len(a) != len(b) or not all(same(x, y) for x, y in zip(a, b)):
                return f"row {i + 1}: custq {a}, DuckDB {list(b)}"
        return None

    return run_checks([(f"[{name}] {' ; '.join(setup + [statement])}",
                        lambda f=files, su=setup, st=statement, q=sql: check(f, su, st, q))
                       for name, files, setup, statement, sql in checks])


if __name__ == "__main__":
    sys.exit(main())
