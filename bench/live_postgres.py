#!/usr/bin/env python3
"""The live PostgreSQL mode against psql: the bench's customers and orders loaded into a
PostgreSQL 15 cluster of its own (tests/sql/check_sql.py's Cluster), then `rfm` through
`custq postgresql://…` and the same SQL (custq --sql postgres) through `psql`, each run as a
whole process (connecting included), alternating, RUNS times; medians.

    bench/live_postgres.py DATA_DIR CUSTQ_BINARY [RUNS]
"""
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "sql"))
from check_sql import Cluster   # noqa: E402


def main():
    data, custq = sys.argv[1], os.path.abspath(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    files = [os.path.join(data, "customers.csv"), os.path.join(data, "orders.csv")]
    schema = subprocess.run([custq, *files, "--sql", "postgres", "-c", ".schema"], capture_output=True, text=True,
                            check=True).stdout
    sql = subprocess.run([custq, *files, "--sql", "postgres", "-c", "rfm"], capture_output=True, text=True,
                         check=True).stdout
    # Memory for the joins and sorts as a warehouse would give one query.
    cluster = Cluster(port=54331, settings=["work_mem=256MB", "shared_buffers=1GB", "max_parallel_workers_per_gather=2"])
    try:
        started = time.time()
        cluster.con.execute(schema)
        for name, path in zip(["customers", "orders"], files):
            with open(path, "rb") as f, cluster.con.cursor().copy(
                    f"COPY {name} FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
                while chunk := f.read(1 << 20):
                    copy.write(chunk)
        cluster.con.execute("ALTER TABLE customers ADD PRIMARY KEY (customer_id)")
        cluster.con.execute("ALTER TABLE orders ADD PRIMARY KEY (order_id)")
        cluster.con.execute("VACUUM ANALYZE")
        rows = cluster.con.execute("SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM orders)").fetchone()
        print(f"  loaded {rows[0]:,} customers and {rows[1]:,} orders into PostgreSQL 15 in {time.time() - started:.1f} s")
        psql = [f"{cluster.bindir}/psql", "-X", "-q", "-h", cluster.dir, "-p", str(cluster.port), "-U", "custq",
                "-d", "postgres", "-c", sql]
        live = [custq, cluster.url(), "-c", "rfm"]
        times = {"custq": [], "psql": []}
        answers = {}
        for _ in range(runs):
            for name, command in [("custq", live), ("psql", psql)]:
                begun = time.perf_counter()
                done = subprocess.run(command, capture_output=True, text=True)
                times[name].append(time.perf_counter() - begun)
                if done.returncode != 0:
                    print(f"  {name} failed: {done.stderr.strip().splitlines()[0]}")
                    return 1
                answers[name] = done.stdout
        custq_s, psql_s = statistics.median(times["custq"]), statistics.median(times["psql"])
        segments = sum(1 for line in answers["custq"].splitlines() if line.startswith("│"))
        print(f"  rfm, whole process: custq live {custq_s:.2f} s, psql {psql_s:.2f} s "
              f"(median of {runs}): custq / psql = {custq_s / psql_s:.2f} (target ≤ 1.5); {segments - 1} segments")
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
