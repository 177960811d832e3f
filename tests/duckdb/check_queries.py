#!/usr/bin/env python3
"""Checks custq's query results against DuckDB SQL on the same files.

    tests/duckdb/check_queries.py DATA_DIR [CUSTQ_BINARY]

DATA_DIR holds customers.csv, orders.csv and responses.json (examples/, or a generated set).
DuckDB comes from PyPI (tests/requirements.txt): `make test` runs this with the virtualenv
it keeps in ~/.cache/custq/venv; run by hand without duckdb importable, the script makes
that virtualenv and re-runs itself there. Each query runs in custq with --format json and as hand-written SQL in DuckDB;
rows must match in order, numbers to 1e-9 relative. Prints 'N passed, M failed'.
"""
import json
import math
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "custq", "venv")


def ensure_duckdb():
    try:
        import duckdb  # noqa: F401
        return
    except ImportError:
        pass
    python = os.path.join(VENV, "bin", "python")
    if not os.path.exists(python):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    if subprocess.run([python, "-c", "import duckdb"], capture_output=True).returncode != 0:
        print(f"check_queries: installing tests/requirements.txt from PyPI into {VENV}", flush=True)
        subprocess.run([python, "-m", "pip", "install", "-q", "-r", os.path.join(HERE, "..", "requirements.txt")],
                       check=True)
    os.execv(python, [python] + sys.argv)


CLV = "annual_revenue * lifetime_years * margin"

RFM_SQL = ("with base as (select customer_id, date '2025-06-30' - max(order_date) as rec, count(*) as freq, "
           "sum(amount) as mon from orders group by customer_id), scored as (select customer_id, "
           "ntile(5) over (order by rec desc, customer_id) as r, ntile(5) over (order by freq, customer_id) as f, "
           "ntile(5) over (order by mon, customer_id) as m from base) ")
SEGMENT_CASE = ("case when r <= 2 and f <= 2 then 'Hibernating' when r <= 2 and f <= 4 then 'At Risk' "
                "when r <= 2 then 'Can''t Lose Them' when r = 3 and f <= 2 then 'About To Sleep' when r = 3 and f = 3 then 'Need Attention' "
                "when f >= 4 and r <= 4 then 'Loyal Customers' when r = 4 and f = 1 then 'Promising' when r = 5 and f = 1 then 'New Customers' "
                "when f <= 3 then 'Potential Loyalists' else 'Champions' end")

# Groups by a segment or stage are listed in its own order (the prelude's `levels`), best first.
SEGMENT_ORDER = ("['Champions', 'Loyal Customers', 'Potential Loyalists', 'New Customers', 'Promising', "
                 "'Need Attention', 'About To Sleep', 'At Risk', 'Can''t Lose Them', 'Hibernating']")

# (custq query, DuckDB SQL). custq runs each after `define clv = …`.
QUERIES = [
    ("top 10 by clv where tier = A",
     f"select customer_id, name, {CLV} as clv from customers where tier = 'A' and {CLV} is not null "
     "order by clv desc, customer_id limit 10"),
    ("avg clv, count by region, tier",
     f"select region, tier, avg({CLV}), count(*) from customers group by region, tier "
     "order by region nulls last, tier nulls last"),
    ("count where signup_date >= 2024-01-01 and region in (North, East)",
     "select count(*) from customers where signup_date >= date '2024-01-01' and region in ('North', 'East')"),
    ("sum annual_revenue, share(churned) by segment order by segment",
     "select segment, sum(annual_revenue), count(*) filter (where churned)::double / count(*) "
     "from customers group by segment order by segment"),
    ("median annual_revenue, p90 annual_revenue by tier",
     "select tier, quantile_cont(annual_revenue, 0.5), quantile_cont(annual_revenue, 0.9) "
     "from customers group by tier order by tier nulls last"),
    ("bottom 5 by csat where region = 华东 show city",
     "select customer_id, name, csat, city from customers where region = '华东' and csat is not null "
     "order by csat, customer_id limit 5"),
    ("avg nps_score, count(nps_score >= 9) as promoters, count by region",
     "select region, avg(nps_score), count(*) filter (where nps_score >= 9), count(*) from customers "
     "group by region order by region nulls last"),
    ("min signup_date, max last_purchase_date, distinct city, stddev margin by segment",
     "select segment, min(signup_date), max(last_purchase_date), count(distinct city), stddev_samp(margin) "
     "from customers group by segment order by segment nulls last"),
    ("nps_of(nps_score), csat_of(csat), top2box(nps_score), mean_score_of(csat) by tier",
     "select tier, 100.0 * (count(*) filter (where nps_score >= 9) - count(*) filter (where nps_score <= 6)) "
     "/ count(nps_score), 100.0 * count(*) filter (where csat >= 4) / count(csat), "
     "100.0 * count(*) filter (where nps_score >= 4) / count(nps_score), avg(csat) "
     "from customers group by tier order by tier nulls last"),
    ("count by value_tier",
     RFM_SQL + "select t, count(*) from (select case when s.f is null then null when s.f + s.m >= 8 then 'high' "
     "when s.f + s.m >= 5 then 'medium' else 'low' end as t from customers c left join scored s using (customer_id)) "
     "group by t order by case t when 'high' then 0 when 'medium' then 1 when 'low' then 2 else 3 end"),
    ("loyalty_index(0.5, 0.2, 0.3), repeat_purchase_rate, referral_rate, churn_rate by tier",
     "with f as (select c.*, (select count(*) from orders o where o.customer_id = c.customer_id) as freq from customers c) "
     "select tier, 0.5 * (100.0 * count(*) filter (where freq >= 2) / count(*) filter (where freq >= 1)) "
     "+ 0.2 * (100.0 * count(*) filter (where referrals > 0) / count(referrals)) "
     "+ 0.3 * (100.0 * count(*) filter (where not churned) / count(churned)), "
     "100.0 * count(*) filter (where freq >= 2) / count(*) filter (where freq >= 1), "
     "100.0 * count(*) filter (where referrals > 0) / count(referrals), "
     "100.0 * count(*) filter (where churned) / count(churned) from f group by tier order by tier nulls last"),
    ("avg historical_clv, avg annual_purchase_value by segment",
     "with m as (select c.segment, c.margin, (select sum(amount) from orders o where o.customer_id = c.customer_id) as mon, "
     "date '2025-06-30' - (select min(order_date) from orders o where o.customer_id = c.customer_id) as days from customers c) "
     "select segment, avg(mon * margin), avg(mon / nullif(days / 365.25, 0)) from m group by segment order by segment nulls last"),
    ("top 3 by retention_clv(gross_profit, 0.8, 0.1)",
     "select customer_id, name, annual_revenue * margin * 0.8 / (1 + 0.1 - 0.8) as v from customers "
     "where annual_revenue * margin is not null order by v desc, customer_id limit 3"),
    ("count by csat",
     "select csat, count(*) from customers group by csat order by csat nulls last"),
    ("show customer_id, round(annual_revenue / 12, 2) as monthly where churned and nps_score <= 3 "
     "order by monthly desc, customer_id limit 7",
     "select customer_id, round(annual_revenue / 12, 2) as monthly from customers where churned and nps_score <= 3 "
     "order by monthly desc, customer_id limit 7"),
    ("count where days_between(last_purchase_date, 2025-06-30) > 365 or last_purchase_date is null",
     "select count(*) from customers where date '2025-06-30' - last_purchase_date > 365 or last_purchase_date is null"),
    ("from orders sum amount, avg amount, count by channel order by sum amount desc",
     "select channel, sum(amount), avg(amount), count(*) from orders group by channel order by sum(amount) desc"),
    ("from orders count by year(order_date)",
     "select year(order_date), count(*) from orders group by 1 order by 1"),
    # Built-in metrics (the prelude), against their formulas in METRICS.md written as SQL.
    # With responses loaded, survey metrics pool every answer (DESIGN.md section 5).
    ("nps, csat, csat_mean by tier",
     "select c.tier, 100.0 * (count(*) filter (where r.nps_score >= 9) - count(*) filter (where r.nps_score <= 6)) "
     "/ count(r.nps_score), 100.0 * count(*) filter (where r.csat >= 4) / count(r.csat), avg(r.csat) "
     "from customers c join responses r using (customer_id) group by c.tier order by c.tier"),
    ("churn_rate, retention_rate, referral_rate, complaint_rate, gross_margin_rate by tier",
     "select tier, 100.0 * count(*) filter (where churned) / count(churned), 100.0 * count(*) filter (where not churned) / count(churned), "
     "100.0 * count(*) filter (where referrals > 0) / count(referrals), 100.0 * count(*) filter (where complaints > 0) / count(complaints), "
     "100.0 * sum(annual_revenue * margin) / sum(annual_revenue) from customers group by tier order by tier"),
    ("avg frequency, repeat_purchase_rate, avg aov, avg purchase_cycle_days, avg monetary, avg csat, cac by segment",
     "select segment, avg(coalesce(o.n, 0)), 100.0 * count(*) filter (where coalesce(o.n, 0) >= 2) / "
     "count(*) filter (where coalesce(o.n, 0) >= 1), avg(o.a), avg(case when o.n >= 2 then (o.last - o.first) / (o.n - 1.0) end), "
     "avg(o.s), avg(csat), avg(acquisition_cost) from customers c left join (select customer_id, count(*) as n, avg(amount) as a, "
     "sum(amount) as s, min(order_date) as first, max(order_date) as last from orders group by customer_id) o using (customer_id) "
     "group by segment order by segment"),
    ("avg revenue_ltv, sum gross_profit, avg recency_days, avg tenure_days, count(nps_group = 'promoter') by region",
     "select c.region, avg(annual_revenue * lifetime_years), sum(annual_revenue * margin), "
     "avg(date '2025-06-30' - o.last), avg(date '2025-06-30' - signup_date), count(*) filter (where nps_score >= 9) "
     "from customers c left join (select customer_id, max(order_date) as last from orders group by customer_id) o "
     "using (customer_id) group by c.region order by c.region nulls last"),
    ("top 5 by contribution_share show avg_response_hours",
     "select customer_id, name, 100.0 * annual_revenue * margin / (select sum(annual_revenue * margin) from customers), "
     "avg_response_hours from customers order by 3 desc, customer_id limit 5"),
    ("avg_response_hours, sum contribution_share by segment",
     "select segment, avg(avg_response_hours), sum(100.0 * annual_revenue * margin / (select sum(annual_revenue * margin) from customers)) "
     "from customers group by segment order by segment"),
    ("top 5 by ltv_cac_ratio show clv, engagement",
     "select customer_id, name, annual_revenue * lifetime_years * margin / acquisition_cost as r, "
     "annual_revenue * lifetime_years * margin, interactions_90d / 3.0 from customers where acquisition_cost <> 0 "
     "order by r desc, customer_id limit 5"),
    # Lookups: a related customer's column in a query on responses or orders (many to one).
    ("from responses nps, count by customers.region",
     "select c.region, 100.0 * (count(*) filter (where r.nps_score >= 9) - count(*) filter (where r.nps_score <= 6)) "
     "/ count(r.nps_score), count(*) from responses r left join customers c using (customer_id) "
     "group by c.region order by c.region nulls last"),
    ("from orders sum amount, count where customers.churned by customers.tier",
     "select c.tier, sum(o.amount), count(*) from orders o left join customers c using (customer_id) "
     "where c.churned group by c.tier order by c.tier nulls last"),
    # RFM (DESIGN.md section 5): NTILE(5), stalest first for R, ascending F and M, ties by customer_id.
    ("show customer_id, r_score, f_score, m_score, rfm_cell where r_score is not null order by customer_id",
     RFM_SQL + "select customer_id, r, f, m, r * 100 + f * 10 + m from scored order by customer_id"),
    ("count by rfm_segment",
     RFM_SQL + "select " + SEGMENT_CASE + " as segment, count(*) from scored group by segment "
     "union all select null, count(*) from customers where customer_id not in (select customer_id from orders) "
     "order by list_position(" + SEGMENT_ORDER + ", segment) nulls last"),
    ("rfm",
     RFM_SQL + ", segmented as (select s.*, b.freq, b.mon, b.rec, " + SEGMENT_CASE + " as segment, "
     "case segment when 'Champions' then 1 when 'Loyal Customers' then 2 when 'Potential Loyalists' then 3 "
     "when 'New Customers' then 4 when 'Promising' then 5 when 'Need Attention' then 6 when 'About To Sleep' then 7 "
     "when 'At Risk' then 8 when 'Can''t Lose Them' then 9 else 10 end as rank from scored s join base b using (customer_id)) "
     "select segment, count(*), 100.0 * count(*) / (select count(*) from segmented), sum(freq), sum(mon), "
     "100.0 * sum(mon) / (select sum(mon) from segmented), avg(rec), avg(freq), avg(mon) from segmented "
     "group by segment order by min(rank)"),
    # ABC (DESIGN.md section 5): value descending, ties by customer_id; cumulative share ≤ 80% A, ≤ 95% B.
    ("show customer_id, abc_class where abc_class is not null order by customer_id",
     "with v as (select customer_id, sum(amount) as mon from orders group by customer_id), "
     "c as (select customer_id, sum(mon) over (order by mon desc, customer_id rows unbounded preceding) / sum(mon) over () as share from v) "
     "select customer_id, case when share <= 0.8 then 'A' when share <= 0.95 then 'B' else 'C' end from c order by customer_id"),
    ("abc by annual_revenue",
     "with c as (select annual_revenue as v, sum(annual_revenue) over (order by annual_revenue desc, customer_id "
     "rows unbounded preceding) / sum(annual_revenue) over () as share from customers), "
     "k as (select v, case when share <= 0.8 then 'A' when share <= 0.95 then 'B' else 'C' end as class from c) "
     "select class, count(*), 100.0 * count(*) / (select count(*) from k), sum(v), 100.0 * sum(v) / (select sum(v) from k), "
     "min(v), max(v) from k group by class order by class"),
    # Lifecycle stages (METRICS.md C5) at the as-of date 2025-06-30.
    ("count by lifecycle",
     "with o as (select customer_id, min(order_date) as first, max(order_date) as last from orders group by customer_id) "
     "select case when o.customer_id is null then 'potential' when date '2025-06-30' - o.first <= 90 then 'new' "
     "when date '2025-06-30' - o.last <= 90 then 'active' when date '2025-06-30' - o.last <= 365 then 'silent' "
     "else 'churned' end as stage, count(*) from customers c left join o using (customer_id) group by stage "
     "order by list_position(['potential', 'new', 'active', 'silent', 'churned'], stage)"),
    # Roll-ups: aggregates over a related table, per customer, through customer_id.
    ("top 5 by sum(orders.amount)",
     "select c.customer_id, c.name, o.s from customers c join "
     "(select customer_id, sum(amount) as s from orders group by customer_id) o using (customer_id) "
     "order by o.s desc, c.customer_id limit 5"),
    ("avg(count(orders)) as orders_per_customer, sum(sum(orders.amount)) as revenue by tier",
     "select tier, avg(coalesce(o.n, 0)), sum(o.s) from customers c left join "
     "(select customer_id, count(*) as n, sum(amount) as s from orders group by customer_id) o using (customer_id) "
     "group by tier order by tier"),
    ("count where count(orders) = 0",
     "select count(*) from customers where customer_id not in (select customer_id from orders)"),
    ("show customer_id, max(orders.order_date), avg(responses.nps_score) where customer_id <= 40 order by customer_id",
     "select c.customer_id, o.m, r.a from customers c "
     "left join (select customer_id, max(order_date) as m from orders group by customer_id) o using (customer_id) "
     "left join (select customer_id, avg(nps_score) as a from responses group by customer_id) r using (customer_id) "
     "where c.customer_id <= 40 order by c.customer_id"),
]


def describe_sql(column):
    return (f"select count({column}), count(*) - count({column}), count(distinct {column}), "
            f"min({column}), quantile_cont({column}, 0.25), quantile_cont({column}, 0.5), "
            f"quantile_cont({column}, 0.75), max({column}), avg({column}), stddev_samp({column}) from customers")


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if hasattr(b, "isoformat"):
        b = b.isoformat()
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if a == b:
            return True
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    return str(a) == str(b)


def run_custq(binary, data, query):
    command = [binary, os.path.join(data, "customers.csv"), os.path.join(data, "orders.csv"),
               os.path.join(data, "responses.json"), "--format", "json", "-c", ".asof 2025-06-30",
               "-c", f"define clv = {CLV}", "-c", query]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip())
    return [list(row.values()) for row in json.loads(done.stdout)]


def compare(label, ours, theirs):
    if len(ours) != len(theirs):
        return f"{label}: custq gave {len(ours)} rows, DuckDB {len(theirs)}"
    for index, (a, b) in enumerate(zip(ours, theirs)):
        if len(a) != len(b) or not all(close(x, y) for x, y in zip(a, b)):
            return f"{label}: row {index + 1} differs:\n  custq:  {a}\n  DuckDB: {list(b)}"
    return None


def run_checks(checks):
    """Runs (name, check) pairs, each check returning None or what is wrong (an exception is a
    failure too); prints a line each and 'N passed, M failed'. The exit status: 1 on a failure."""
    passed, failed = 0, 0
    for name, check in checks:
        try:
            problem = check()
        except Exception as error:  # an error message or a crash is a failure too
            problem = f"{name}: {error}"
        if problem:
            failed += 1
            print("FAIL", name, "\n    ", problem)
        else:
            passed += 1
            print("ok  ", name)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def main():
    ensure_duckdb()
    import duckdb

    data = sys.argv[1]
    binary = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", "..", ".build", "debug", "custq")
    con = duckdb.connect()
    con.execute(f"create table customers as select * from read_csv('{os.path.join(data, 'customers.csv')}')")
    con.execute(f"create table orders as select * from read_csv('{os.path.join(data, 'orders.csv')}')")
    con.execute(f"create table responses as select * from read_json('{os.path.join(data, 'responses.json')}')")
    failures = []
    passed = 0
    checks = [(q, s) for q, s in QUERIES] + [(f"describe {c}", describe_sql(c)) for c in ("annual_revenue", "nps_score")]
    for query, sql in checks:
        try:
            ours = run_custq(binary, data, query)
            if query.startswith("describe"):
                # custq: column, type, count, nulls, distinct, min, p25, median, p75, max, mean, std, top values
                ours = [[row[2], row[3], row[4], float(row[5]), row[6], row[7], row[8], float(row[9]), row[10], row[11]]
                        for row in ours]
            problem = compare(query, ours, con.execute(sql).fetchall())
        except Exception as error:  # a crash or an error message is a failure too
            problem = f"{query}: {error}"
        if problem:
            failures.append(problem)
            print("FAIL", problem)
        else:
            passed += 1
            print("ok  ", query)
    print(f"{passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
