#!/usr/bin/env python3
"""Differential tests of the SQL custq writes: each statement runs in custq, and the SQL
custq writes for it (custq --sql DIALECT) runs on DuckDB (PyPI), PostgreSQL 15 (a cluster
made with initdb in a temporary directory, on a Unix socket, stopped at the end) and Spark 4
in local mode (PyPI's pyspark on Java 17; one session for every statement), over the same
hostile data. Every engine's answer must equal custq's: numbers to 1e-9
relative, text, nulls and row order exactly. Prints 'N passed, M failed' per engine.

The live mode is checked on the same cluster: each statement typed to `custq
postgresql://…` (the tables there, no files) must give custq's answer on the files, and a
slow query is stopped with Ctrl-C at a terminal (tmux) and cancelled on the server.

    tests/sql/check_sql.py CUSTQ_BINARY
"""
import csv
import datetime
import os
import pwd
import random
import shutil
import subprocess
import sys
import tempfile
import time

import duckdb
import psycopg

# Statements (custq's own words), each with the dot-commands to run before it. Every form
# the SQL writer knows is here: the engines must answer each exactly as custq does.
STATEMENTS = [
    "show customer_id, name, region where tier = 'A' order by annual_revenue desc limit 15",
    "show name, region order by name limit 25",
    "show customer_id, region, tier order by region desc, tier limit 30",
    "top 10 by annual_revenue",
    "top 8 by clv where region in (North, East) show tier",
    "bottom 7 by margin show region, annual_revenue",
    "count by region",
    "count, avg annual_revenue, sum annual_revenue by tier",
    "count, sum referrals, min signup_date, max signup_date by tier",
    "median annual_revenue, p90 annual_revenue, p25 margin, p75 margin by tier",
    "stddev annual_revenue, min name, max name by region",
    "count(churned), share(churned), count(nps_score >= 9) by region",
    "distinct region, distinct tier, count(annual_revenue), count",
    "avg clv, count by region, tier",
    "avg clv, count by region, tier order by count desc limit 5",
    "avg annual_revenue by tier order by avg annual_revenue desc",
    "nps, csat, csat_mean by region",
    "nps_of(nps_score), csat_of(csat), top2box(csat), mean_score_of(nps_score) by region",
    ("twice(referrals), count by tier", ["define twice(x) = 2 * sum(x)"]),
    "churn_rate, retention_rate, referral_rate, complaint_rate by tier",
    "gross_margin_rate by region",
    "count, avg monetary by lifecycle",
    "avg frequency, avg recency_days, avg aov by tier",
    "top 10 by monetary show frequency, recency_days",
    "repeat_purchase_rate, avg purchase_cycle_days by region",
    "count by r_score",
    "count, avg monetary by f_score",
    "count, sum monetary by m_score",
    "count by rfm_segment",
    "count by rfm_cell order by count desc, rfm_cell limit 10",
    "count, sum monetary by abc_class",
    "rfm",
    "rfm by region",
    "abc by annual_revenue",
    "abc by monetary",
    "show customer_id, contribution_share where region = North order by contribution_share desc limit 10",
    "count by qcut(4, annual_revenue)",
    "count by ntile(4, annual_revenue)",
    "show customer_id, round(annual_revenue / 3, 2), round(margin * 10), floor(margin * 10), ceil(margin * 10) limit 40",
    "show customer_id, sqrt(annual_revenue), ln(annual_revenue), exp(margin), abs(annual_revenue) limit 40",
    "show customer_id, annual_revenue / acquisition_cost, referrals % 3, referrals * 2 - complaints limit 60",
    "show customer_id, year(signup_date), month(signup_date), signup_date + 30, signup_date - 1, days_between(signup_date, 2025-12-31) limit 40",
    "show customer_id, month_of(signup_date), tenure_days limit 40",
    "show customer_id, signup_date + referrals, signup_date - complaints * 400 limit 40",
    "show customer_id, lower(name), upper(name), length(name), substr(name, 2, 3), substr(name, -2), substr(name, 0, 2) limit 40",
    "show customer_id, concat(name, '-', region), name || region, coalesce(region, tier, 'none') limit 40",
    "show customer_id, if(margin > 0.3, 'high', if(margin > 0.1, 'mid', 'low')), trim(name), replace(name, 'a', 'A') limit 40",
    "histogram annual_revenue",
    "histogram margin bins 4 where tier = 'B'",
    "histogram signup_date bins 6",
    "histogram referrals bins 3 where referrals = 5",
    "histogram monetary bins 7",
    "count where name like '%a%'",
    "count where contains(name, 'o') or starts_with(name, 'B') or ends_with(name, '伟')",
    "count where signup_date >= 2024-01-01 and region in (North, East)",
    "count where region is null or not churned",
    "count by month_of(signup_date) order by count desc, month_of(signup_date) limit 12",
    "count by year(signup_date)",
    "from orders sum amount, count, avg amount by channel",
    "from orders count by year(order_date)",
    "from responses avg nps_score, count by customers.region",
    ("count, avg monetary by lifecycle", [".asof 2024-06-30"]),
    ("avg frequency, avg recency_days by tier", [".asof 2024-06-30"]),
    ("count by rfm_segment", [".asof 2024-06-30"]),
    ("rfm", [".asof 2024-06-30"]),
    "describe",
    "describe annual_revenue, name, churned, signup_date, margin * 2, region where tier = 'B'",
    "describe referrals where referrals = 5",
    "from orders describe",
    "from responses describe nps_score, csat, customers.tier",
    "cohort",
    "cohort by quarter",
    "cohort by year where channel = 'Online'",
    ("cohort by quarter", [".asof 2023-05-15"]),
    "retention by month",
    "retention by year where channel = 'Online'",
    ("retention by quarter", [".asof 2023-05-15"]),
    "growth by quarter",
    ("growth by month where channel = '门店'", [".asof 2023-05-15"]),
    ("retention by quarter", [], ["orders"]),
    # Orders alone: custq makes the customers from the orders' keys.
    ("cohort", [], ["orders"]),
    ("rfm", [], ["orders"]),
    ("count, avg monetary, avg frequency by lifecycle", [], ["orders"]),
    ("top 5 by monetary show frequency", [], ["orders"]),
]

# The three tables, with custq's types (the SQL engines load them with the same).
CUSTOMERS = [("customer_id", "integer"), ("name", "string"), ("region", "string"), ("tier", "string"),
             ("signup_date", "date"), ("annual_revenue", "decimal"), ("lifetime_years", "decimal"),
             ("margin", "decimal"), ("acquisition_cost", "decimal"), ("nps_score", "integer"),
             ("csat", "integer"), ("churned", "boolean"), ("referrals", "integer"), ("complaints", "integer")]
ORDERS = [("order_id", "integer"), ("customer_id", "integer"), ("order_date", "date"), ("amount", "decimal"),
          ("channel", "string")]
RESPONSES = [("response_id", "integer"), ("customer_id", "integer"), ("nps_score", "integer"), ("csat", "integer")]


def generate(directory, seed=7):
    """Customers, orders and responses in the shape of a CRM and a shop's exports, with
    nulls in every column, ties at every quintile and ABC edge, zero and negative amounts
    (returns, which are no purchase), zero divisors,
    month ends and 29 February, Chinese and mixed-case text, customers without orders and
    orders of no known customer."""
    rng = random.Random(seed)
    names = ["Alice", "bob", "Bob", "张伟", "李娜", "Zoë", "Ömer", "alice", "Chen Wei", "Dana", "eve", "O'Brien"]
    regions = ["North", "South", "East", "West", "华东", None]
    month_ends = ["2024-02-29", "2023-01-31", "2024-12-31", "2023-02-28", "2024-04-30"]
    customers = []
    for cid in range(1, 301):
        signup = (datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randrange(0, 2190))).isoformat()
        if rng.random() < 0.1:
            signup = rng.choice(month_ends)
        revenue = rng.choice([0, 500, 1000, 1000, 2500, 5000, 12000, -300]) if rng.random() < 0.4 \
            else round(rng.uniform(100, 50000), 2)
        customers.append([
            cid,
            None if rng.random() < 0.05 else rng.choice(names) + ("" if rng.random() < 0.5 else f" {cid % 17}"),
            rng.choice(regions),
            None if rng.random() < 0.08 else rng.choice("AABBBCCC"),
            None if rng.random() < 0.05 else signup,
            None if rng.random() < 0.05 else revenue,
            None if rng.random() < 0.05 else rng.choice([1, 2, 3, 5, 7.5]),
            None if rng.random() < 0.05 else rng.choice([0.05, 0.1, 0.2, 0.25, 0.3, 0.45]),
            None if rng.random() < 0.05 else rng.choice([0, 0, 100, 250.5, 400]),
            None if rng.random() < 0.15 else rng.randrange(0, 11),
            None if rng.random() < 0.15 else rng.randrange(1, 6),
            None if rng.random() < 0.1 else rng.random() < 0.3,
            None if rng.random() < 0.1 else rng.choice([0, 0, 0, 1, 2, 5]),
            None if rng.random() < 0.1 else rng.choice([0, 0, 1, 3]),
        ])
    orders = []
    for oid in range(1, 1601):
        cid = rng.randrange(1, 241) if rng.random() < 0.95 else rng.choice([None, 777, 999])
        day = datetime.date(2022, 1, 1) + datetime.timedelta(days=rng.randrange(0, 1096))
        if rng.random() < 0.05:
            day = datetime.date.fromisoformat(rng.choice(month_ends))
        amount = rng.choice([0, 10, 25, 25, 99.9]) if rng.random() < 0.3 else round(rng.uniform(1, 900), 2)
        if rng.random() < 0.04:   # a return: no purchase, its amount nets off
            amount = -rng.choice([10, 25, round(rng.uniform(1, 300), 2)])
        orders.append([oid, cid, None if rng.random() < 0.01 else day.isoformat(), amount,
                       rng.choice(["Online", "Store", "门店", "online", None])])
    responses = []
    for rid in range(1, 501):
        responses.append([rid, rng.randrange(1, 320), None if rng.random() < 0.1 else rng.randrange(0, 11),
                          None if rng.random() < 0.1 else rng.randrange(1, 6)])
    for name, columns, rows in [("customers", CUSTOMERS, customers), ("orders", ORDERS, orders),
                                ("responses", RESPONSES, responses)]:
        with open(os.path.join(directory, name + ".csv"), "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow([c for c, _ in columns])
            for row in rows:
                writer.writerow(["" if v is None else ("true" if v is True else "false" if v is False else v) for v in row])


def custq_args(binary, directory, tables=("customers", "orders", "responses")):
    """custq on the files; the clean values make it read each column with the type above."""
    return [binary] + [os.path.join(directory, n + ".csv") for n in tables]


def run_custq(args, statement, setup, dialect=None):
    command = list(args) + ["--format", "csv"]
    if dialect:
        command += ["--sql", dialect]
    for line in setup:
        command += ["-c", line]
    command += ["-c", statement]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        errors = [line for line in done.stderr.splitlines() if "error" in line] or [f"exit {done.returncode}"]
        raise RuntimeError(errors[0])
    return done.stdout


def normalize(value):
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def same(expected, actual):
    """custq's CSV cell against an engine's value."""
    actual = normalize(actual)
    if isinstance(actual, (int, float)) or hasattr(actual, "as_integer_ratio"):
        try:
            e = float(expected)
        except ValueError:
            return False
        a = float(actual)
        return e == a or abs(e - a) <= 1e-9 * max(abs(e), abs(a))
    return expected == actual


def as_custq_shows(statement, rows):
    """An engine's rows in the shape custq's table has. describe: a decimal's min and max are
    the engine's text of the number (100 on PostgreSQL, 1.0E20 on Spark), compared as the
    number. cohort: the SQL gives one row per cohort and period since (one SQL statement
    cannot name a column per period before it runs); custq shows a column per period, the
    periods a cohort has not reached yet empty."""
    words = statement.split()
    if "describe" in words[:3]:
        return [tuple(float(c) if j in (5, 9) and row[1] == "decimal" and c is not None else c
                      for j, c in enumerate(row)) for row in rows]
    if "cohort" in words[:3]:
        cohorts = []
        for label, customers, since, active in rows:
            if not cohorts or cohorts[-1][0] != label:
                cohorts.append((label, customers, []))
            if since != len(cohorts[-1][2]):
                raise ValueError(f"cohort {label}: period {since} after {len(cohorts[-1][2])} periods")
            cohorts[-1][2].append(active)
        span = max((len(c[2]) for c in cohorts), default=0)
        return [(label, customers, *active, *[None] * (span - len(active))) for label, customers, active in cohorts]
    return rows


def compare(expected_csv, rows):
    # A row of one null cell is an empty line, which csv reads as no cells.
    expected = [row or [""] for row in csv.reader(expected_csv.splitlines())][1:]
    if len(expected) != len(rows):
        return f"{len(expected)} rows from custq, {len(rows)} from the engine"
    for i, (e, a) in enumerate(zip(expected, rows)):
        if len(e) != len(a):
            return f"row {i + 1}: {len(e)} columns from custq, {len(a)} from the engine"
        for j, (x, y) in enumerate(zip(e, a)):
            if not same(x, y):
                return f"row {i + 1} column {j + 1}: custq {x!r}, engine {normalize(y)!r}"
    return None


SQL_TYPES = {
    "duckdb": {"integer": "BIGINT", "decimal": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE", "string": "VARCHAR"},
    "postgres": {"integer": "BIGINT", "decimal": "DOUBLE PRECISION", "boolean": "BOOLEAN", "date": "DATE", "string": "TEXT"},
    "spark": {"integer": "BIGINT", "decimal": "DOUBLE", "boolean": "BOOLEAN", "date": "DATE", "string": "STRING"},
}


def compare_csv(expected_csv, actual_csv):
    """custq's CSV on the files against its CSV in the live mode: the same header, then the
    rows as compare() holds an engine's (a cell that reads as a number is one)."""
    def cell(text):
        try:
            return float(text)
        except ValueError:
            return text
    header, *rows = [row or [""] for row in csv.reader(actual_csv.splitlines())] or [[]]
    expected_header = next(csv.reader(expected_csv.splitlines()), [])
    if header != expected_header:
        return f"columns {expected_header} on the files, {header} live"
    return compare(expected_csv, [[cell(c) for c in row] for row in rows])


def check_server_error(binary, pg):
    """A query the server fails: its message, then the SQL custq sent; exit 1."""
    done = subprocess.run([binary, pg.url(), "-c", "from broken sum x"], capture_output=True, text=True, timeout=60)
    wanted = [f"error: {pg.url()} did not run the query: division by zero", "  note: the SQL custq sent:",
              '    SELECT CAST(sum("x") AS BIGINT) AS "sum x"', '    FROM "broken"']
    lines = done.stderr.splitlines()
    if done.returncode != 1 or any(line not in lines for line in wanted):
        return f"exit {done.returncode}, stderr: {done.stderr[-600:]!r}"
    return None


def check_cancel(binary, pg):
    """Ctrl-C at the prompt stops a slow query, and the server stops running it."""
    if shutil.which("tmux") is None:
        return "tmux is not installed"
    session = f"custq-live-{os.getpid()}"
    tmux = ["tmux", "-L", session]
    def pane():
        return subprocess.run(tmux + ["capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout
    def wait_for(text, seconds=30):
        deadline = time.time() + seconds
        while time.time() < deadline:
            if text in pane():
                return True
            time.sleep(0.1)
        return False
    home = tempfile.mkdtemp(prefix="custq-home-")
    subprocess.run(tmux + ["new-session", "-d", "-s", session, "-x", "100", "-y", "30",
                           f"env HOME={home} {binary} '{pg.url()}'"], check=True)
    try:
        if not wait_for("custq>"):
            return "no prompt: " + pane()
        subprocess.run(tmux + ["send-keys", "-t", session, "from slow count", "Enter"], check=True)
        deadline = time.time() + 10
        while time.time() < deadline and not any('"slow"' in q for q in pg.running()):
            time.sleep(0.1)
        if not any('"slow"' in q for q in pg.running()):
            return "the slow query never ran on the server"
        started = time.time()
        subprocess.run(tmux + ["send-keys", "-t", session, "C-c"], check=True)
        if not wait_for("interrupted", 10):
            return "no 'interrupted' after Ctrl-C: " + pane()
        if time.time() - started > 5:
            return f"Ctrl-C took {time.time() - started:.1f} s"
        deadline = time.time() + 5
        while time.time() < deadline and any('"slow"' in q for q in pg.running()):
            time.sleep(0.1)
        if any('"slow"' in q for q in pg.running()):
            return "the server still runs the query after Ctrl-C"
        # The connection still answers.
        subprocess.run(tmux + ["send-keys", "-t", session, "from responses count", "Enter"], check=True)
        if not wait_for("│   500 │"):
            return "no answer after the cancel: " + pane()
        return None
    finally:
        subprocess.run(tmux + ["kill-server"], capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


def load_duckdb(directory):
    con = duckdb.connect()
    for name, columns in [("customers", CUSTOMERS), ("orders", ORDERS), ("responses", RESPONSES)]:
        types = ", ".join(f"'{c}': '{SQL_TYPES['duckdb'][k]}'" for c, k in columns)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_csv('{directory}/{name}.csv', header = true, "
                    f"columns = {{{types}}})")
    return con


class Cluster:
    """A PostgreSQL 15 cluster of its own in a temporary directory, on a Unix socket."""

    def __init__(self, port=54329, settings=()):
        self.dir = tempfile.mkdtemp(prefix="custq-pg-")
        self.port = port
        bindir = "/usr/lib/postgresql/15/bin"
        self.as_user = []
        if os.geteuid() == 0:   # PostgreSQL refuses to run as root
            self.as_user = ["runuser", "-u", "postgres", "--"]
            uid = pwd.getpwnam("postgres")
            os.chown(self.dir, uid.pw_uid, uid.pw_gid)
        data = os.path.join(self.dir, "data")
        subprocess.run(self.as_user + [f"{bindir}/initdb", "-D", data, "-U", "custq", "--locale=C.UTF-8",
                                       "--encoding=UTF8", "-A", "trust"], check=True, capture_output=True)
        options = f"-k {self.dir} -c listen_addresses='' -p {port}" + "".join(f" -c {s}" for s in settings)
        subprocess.run(self.as_user + [f"{bindir}/pg_ctl", "-D", data, "-w", "-l", os.path.join(self.dir, "log"),
                                       "-o", options, "start"], check=True, capture_output=True)
        self.bindir, self.data = bindir, data
        self.con = psycopg.connect(host=self.dir, port=port, user="custq", dbname="postgres", autocommit=True)

    def url(self, database="postgres"):
        return f"postgresql://custq@/{database}?host={self.dir}&port={self.port}"

    def stop(self):
        self.con.close()
        subprocess.run(self.as_user + [f"{self.bindir}/pg_ctl", "-D", self.data, "-m", "fast", "stop"],
                       capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


class Postgres(Cluster):
    """The cluster with the hostile tables, keys on customers and responses, a slow view and
    a second database of the orders alone."""

    def __init__(self, directory):
        super().__init__()
        for name, columns in [("customers", CUSTOMERS), ("orders", ORDERS), ("responses", RESPONSES)]:
            cols = ", ".join(f'"{c}" {SQL_TYPES["postgres"][k]}' for c, k in columns)
            self.con.execute(f"CREATE TABLE {name} ({cols})")
            with open(os.path.join(directory, name + ".csv"), "rb") as f, \
                    self.con.cursor().copy(f"COPY {name} FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
                copy.write(f.read())
        # Keys the live mode reads from the catalog (orders has none: its ids are counted there).
        self.con.execute("ALTER TABLE customers ADD PRIMARY KEY (customer_id)")
        self.con.execute("ALTER TABLE responses ADD PRIMARY KEY (response_id)")
        # A view the server fails on when its value is read, for the live mode's errors.
        self.con.execute("CREATE VIEW broken AS SELECT g AS broken_id, 1 / (g - 2) AS x FROM generate_series(1, 3) g")
        # Twenty seconds of work, to cancel.
        self.con.execute("CREATE VIEW slow AS SELECT g AS slow_id FROM generate_series(1, 400) g, "
                         "LATERAL (SELECT pg_sleep(0.05 + 0 * g)) s")
        # The orders alone, for the live mode on orders-only data.
        self.con.execute("CREATE DATABASE orders_only")
        with psycopg.connect(host=self.dir, port=54329, user="custq", dbname="orders_only", autocommit=True) as alone:
            cols = ", ".join(f'"{c}" {SQL_TYPES["postgres"][k]}' for c, k in ORDERS)
            alone.execute(f"CREATE TABLE orders ({cols})")
            with open(os.path.join(directory, "orders.csv"), "rb") as f, \
                    alone.cursor().copy("COPY orders FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
                copy.write(f.read())

    def running(self):
        """The statements running on the cluster now, besides this one."""
        return [row[0] for row in self.con.execute(
            "SELECT query FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid()").fetchall()]

    def query(self, sql):
        return self.con.execute(sql).fetchall()


class Spark:
    """One local Spark session, the three tables as views read with custq's types."""

    def __init__(self, directory):
        from pyspark.sql import SparkSession
        self.session = (SparkSession.builder.master("local[2]").appName("custq-sql-check")
                        .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").config("spark.sql.shuffle.partitions", "2")
                        .config("spark.driver.memory", "2g").getOrCreate())
        self.session.sparkContext.setLogLevel("ERROR")
        for name, columns in [("customers", CUSTOMERS), ("orders", ORDERS), ("responses", RESPONSES)]:
            schema = ", ".join(f"`{c}` {SQL_TYPES['spark'][k]}" for c, k in columns)
            frame = self.session.read.csv(os.path.join(directory, name + ".csv"), header=True, schema=schema,
                                          encoding="UTF-8")
            frame.createOrReplaceTempView(name)

    def query(self, sql):
        return [tuple(row) for row in self.session.sql(sql.strip().rstrip(";")).collect()]

    def stop(self):
        self.session.stop()


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/custq")
    directory = tempfile.mkdtemp(prefix="custq-sql-")
    generate(directory)
    every_table = custq_args(binary, directory)
    duck = load_duckdb(directory)
    pg = Postgres(directory)
    spark = Spark(directory)
    engines = {"duckdb": lambda sql: duck.execute(sql).fetchall(), "postgres": pg.query, "spark": spark.query}
    results = {name: [0, 0] for name in engines}
    results["live postgres"] = [0, 0]
    try:
        for entry in STATEMENTS:
            statement, setup, tables = (entry + ((),))[:3] if isinstance(entry, tuple) else (entry, [], ())
            args = custq_args(binary, directory, tables) if tables else every_table
            expected = run_custq(args, statement, setup)
            for name, run in engines.items():
                try:
                    sql = run_custq(args, statement, setup, dialect=name)
                    problem = compare(expected, as_custq_shows(statement, run(sql)))
                except Exception as error:   # an engine's error is a failure of this statement
                    problem = f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"
                if problem:
                    results[name][1] += 1
                    on = f" (on {', '.join(tables)} alone)" if tables else ""
                    print(f"FAIL [{name}] {' ; '.join(setup + [statement])}{on}\n    {problem}")
                else:
                    results[name][0] += 1
            # The live mode: the same statement on the database's tables, no files.
            try:
                database = "orders_only" if tables == ["orders"] else "postgres"
                problem = compare_csv(expected, run_custq([binary, pg.url(database)], statement, setup))
            except Exception as error:
                problem = f"{type(error).__name__}: {error}"
            if problem:
                results["live postgres"][1] += 1
                print(f"FAIL [live postgres] {' ; '.join(setup + [statement])}\n    {problem}")
            else:
                results["live postgres"][0] += 1
        for what, check in [("a server error shows the SQL sent", check_server_error),
                            ("Ctrl-C cancels a slow query", check_cancel)]:
            problem = check(binary, pg)
            if problem:
                results["live postgres"][1] += 1
                print(f"FAIL [live postgres] {what}\n    {problem}")
            else:
                results["live postgres"][0] += 1
    finally:
        pg.stop()
        spark.stop()
        shutil.rmtree(directory, ignore_errors=True)
    for name, (passed, failed) in results.items():
        print(f"{name}: {passed} passed, {failed} failed")
    return 1 if any(failed for _, failed in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
