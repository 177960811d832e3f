#!/usr/bin/env python3
"""The by-hand soak run of issue 12: many random statements and mutated files through the
release binary, each watched for a crash (a signal), a hang (a time limit) and memory
(the peak resident size of every custq process).

    tests/fuzz/soak.py [--statements N] [--files N] [CUSTQ_BINARY]

Statements are random token soups and random well-formed queries over the example data,
run 1,000 to a process with --keep-going. Files are mutations of small CSV, TSV, JSON and
NDJSON seeds in the shape of real exports, each loaded (strict or --lenient) and queried.
Every exit must be 0 or 1 with a message; prints the figures for the closing note.
Not part of `make test` (it takes tens of minutes); the fuzzers in `make test` are the
same ideas at a smaller scale.
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PIECES = ["top", "bottom", "3", "by", "where", "show", "count", "avg", "sum", "min", "max", "median",
          "p90", "distinct", "share", "(", ")", ",", "=", "!=", "<", ">=", "+", "-", "*", "/", "%", "and",
          "or", "not", "in", "between", "is", "null", "true", "'A'", "A", "'华东'", "2024-01-01", "1.5",
          "0", "9223372036854775807", "-9223372036854775808", "1e308", "10k", "20%", "annual_revenue",
          "margin", "tier", "region", "signup_date", "churned", "nps_score", "customer_id", "name", "clv",
          "order by", "limit 2", "as x", "desc", "describe", "histogram", "bins 3", "chart", "from orders",
          "amount", "order_date", "round(", "coalesce(", "if(", "year(", "days_between(", "abs(", "today()",
          "define", "k2 =", "ntile(", "ntile(5,", "abc(", "total(", "prefer(", "rfm_segment", "monetary",
          "frequency", "orders.amount", "count(orders)", "customers.region", "nps", "lifecycle", "r_score",
          "rfm", "cohort", "explain", "undefine", ".asof 2025-06-30", ".schema", ".tables", "nps by region",
          "+ 110000000", "*", "2147483648", ";", "\\", "'it''s'", "\"a\"\"b\"", "`x`"]
# (A lone quote or a comment before a closing parenthesis would make the rest of a
# batch one unfinished statement.)

COLUMNS = ["annual_revenue", "margin", "nps_score", "csat", "orders_count", "complaints", "referrals",
           "lifetime_years", "acquisition_cost"]
TEXTS = ["tier", "region", "segment", "industry", "city"]


def well_formed(rng):
    """A random query a user might type: most of these are answers, some are mistakes."""
    number = rng.choice(COLUMNS)
    kind = rng.randrange(9)
    where = rng.choice(["", f" where {rng.choice(COLUMNS)} > {rng.randint(-5, 5000)}",
                        f" where {rng.choice(TEXTS)} = '{rng.choice(['A', 'B', '华东', 'North', ''])}'",
                        " where churned", f" where signup_date < {rng.randint(2019, 2026)}-01-01"])
    by = rng.choice(["", f" by {rng.choice(TEXTS)}"])
    if kind == 0:
        return f"top {rng.choice([1, 3, 65, 1000, 5000])} by {number}{where}"
    if kind == 1:
        return f"{rng.choice(['avg', 'sum', 'median', 'p90', 'min', 'max', 'distinct'])}({number}){by}{where}"
    if kind == 2:
        return f"describe {number}{where}"
    if kind == 3:
        return f"histogram {number} bins {rng.randint(1, 40)}{where}"
    if kind == 4:
        name = f"m{rng.randrange(30)}"
        return f"define {name} = {number} {rng.choice('+-*/')} {rng.choice(COLUMNS + [name, 'm0', '2'])}"
    if kind == 5:
        return rng.choice(["rfm", "cohort", "nps by region", "lifecycle", "explain clv", "count(orders) by tier",
                           "show customer_id, clv order by clv desc limit 5", "rfm_segment by tier"])
    if kind == 6:
        return f"count{by}{where}"
    if kind == 7:
        return f"show customer_id, {number}, {rng.choice(TEXTS)}{where} order by {number} limit {rng.randint(1, 9)}"
    return f"show {' + '.join([number] * rng.randint(1, 3000))} as v limit 1"


class Tally:
    def __init__(self, name):
        self.name, self.runs, self.items, self.peak, self.slowest, self.problems = name, 0, 0, 0, 0.0, []
        self.exits = {}

    def add(self, outcome, items, what):
        status, rss, seconds, err = outcome
        self.runs += 1
        self.items += items
        self.peak = max(self.peak, rss)
        self.slowest = max(self.slowest, seconds)
        self.exits[status] = self.exits.get(status, 0) + 1
        if status is None or status < 0 or status > 1 or rss > 2 * 1024 * 1024 or b"Fatal error" in err:
            self.problems.append((status, rss, what, err[-500:]))

    def report(self):
        exits = ", ".join(f"exit {k}: {v}" for k, v in sorted(self.exits.items(), key=lambda kv: str(kv[0])))
        print(f"{self.name}: {self.items:,} in {self.runs:,} processes; {exits}; peak memory "
              f"{self.peak / 1024:.0f} MiB; slowest process {self.slowest:.1f} s; problems: {len(self.problems)}")
        for problem in self.problems[:10]:
            print("   ", problem)


def peak_rss_run(arguments, stdin=None, timeout=120):
    """(exit status or None on a hang, peak resident KiB, seconds, the end of stderr) of one
    custq process, its memory measured with wait4."""
    start = time.monotonic()
    process = subprocess.Popen(arguments, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    err = []

    def feed():
        try:
            process.stdin.write(stdin)
            process.stdin.close()
        except BrokenPipeError:
            pass

    def drain():
        while True:
            chunk = process.stderr.read(65536)
            if not chunk:
                return
            err.append(chunk)
            del err[:-4]   # keep the end: a crash report comes last

    threads = [threading.Thread(target=drain)] + ([threading.Thread(target=feed)] if stdin is not None else [])
    for thread in threads:
        thread.start()
    deadline = start + timeout
    timed_out = False
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            timed_out = True
            break
        time.sleep(0.002)
    process.returncode = 0   # reaped here: Popen must not wait for it again
    for thread in threads:
        thread.join()
    code = None if timed_out else os.waitstatus_to_exitcode(status)
    return code, usage.ru_maxrss, time.monotonic() - start, b"".join(err)


def statements(binary, count, rng, temp):
    tally = Tally("statements")
    data = [os.path.join("examples", f) for f in ("customers.csv", "orders.csv", "responses.json")]
    per_process = 1000
    for batch in range(0, count, per_process):
        lines = []
        for _ in range(min(per_process, count - batch)):
            if rng.random() < 0.5:
                soup = " ".join(rng.choice(PIECES) for _ in range(rng.randint(1, 12)))
                # Close what the soup opened, or the rest of the batch is one statement.
                lines.append(soup + ")" * max(0, soup.count("(") - soup.count(")")))
            else:
                lines.append(well_formed(rng))
        text = ("\n".join(lines) + "\n").encode()
        outcome = peak_rss_run([binary, *data, "--keep-going", "-c", ".asof 2025-06-30", "-f", "-"], stdin=text)
        if outcome[0] not in (0, 1):
            path = os.path.join(temp, f"batch{batch}.cq")
            with open(path, "wb") as handle:
                handle.write(text)
            outcome = (outcome[0], outcome[1], outcome[2], outcome[3] + f" (script kept: {path})".encode())
        tally.add(outcome, len(lines), f"batch {batch}")
    return tally


SEEDS = {
    "csv": ("\ufeffCustomerID,Name,Region,Amount,InvoiceDate,Active,Note\r\n"
            "001,\"Acme, Inc.\",华东,\"¥1,234.50\",12/1/2010 8:26,是,\"said \"\"hi\"\"\"\r\n"
            "002,Bolt,North,300,2/29/2024 10:00,否,\"two\r\nlines\"\r\n"
            "18446744073709551616,,South,-1.5e3,2024-03-01T10:00:00Z,yes,\r\n").encode(),
    "tsv": ("customer_id\tname\tamount\tnote\n1\tA\\tB\t1.5\tline\\nbreak\n2\t\t-3\t\\\\\n"
            "3\t华东\t1e400\tNaN\n").encode(),
    "json": ("[{\"id\": 1, \"name\": \"Acme \\\"A\\\"\", \"tags\": [\"a\", {\"b\": null}], \"score\": 9.5, "
             "\"d\": \"2024-01-05\"},\n {\"id\": 99999999999999999999, \"name\": \"\\u534e\", \"score\": -7e2, "
             "\"ok\": true, \"d\": \"2024-01-06T10:00:00Z\"}]\n").encode(),
    "ndjson": ("{\"id\": 1, \"name\": \"Acme\", \"score\": 9.5, \"k1\": 1}\n"
               "{\"id\": 2, \"name\": \"华东\", \"score\": -7e2, \"ok\": true, \"k2\": [1, 2]}\n\n"
               "{\"id\": 3, \"score\": null, \"n\": {\"x\": {\"y\": [1, {\"z\": 2}]}}}\n").encode(),
}
ALPHABET = list(b",;\t|\"\n\r{}[]:\\ -.0123456789eEtrufalsn") + [0x00, 0xC3, 0xA9, 0xFF, 0xE5, 0x8D, 0xFE, 0xEF]


def mutate(seed, rng):
    data = bytearray(seed)
    for _ in range(rng.randint(1, 8)):
        choice = rng.randrange(6)
        if choice == 0 and data:
            del data[rng.randrange(len(data))]
        elif choice == 1:
            data.insert(rng.randrange(len(data) + 1), rng.choice(ALPHABET))
        elif choice == 2 and data:
            data[rng.randrange(len(data))] = rng.choice(ALPHABET)
        elif choice == 3 and data:
            del data[rng.randrange(len(data)):]
        elif choice == 4:
            start = rng.randrange(len(data) + 1)
            piece = data[start:start + rng.randrange(64)]
            data[rng.randrange(len(data) + 1):0] = piece * rng.randint(1, 50)
        else:
            data[rng.randrange(len(data) + 1):0] = bytes(rng.choice(ALPHABET) for _ in range(rng.randint(1, 20)))
    return bytes(data)


def files(binary, count, rng, temp):
    tallies = []
    for extension, seed in SEEDS.items():
        tally = Tally(f"mutated .{extension} files")
        path = os.path.join(temp, f"fuzz.{extension}")
        for index in range(count):
            data = mutate(seed, rng)
            with open(path, "wb") as handle:
                handle.write(data)
            arguments = [binary, path] + (["--lenient"] if index % 2 else []) + ["-c", ".schema", "-c", "show * limit 3",
                                                                                 "-c", "describe", "-c", "count"]
            outcome = peak_rss_run(arguments, timeout=30)
            if outcome[0] not in (0, 1):
                kept = os.path.join(temp, f"bad{index}.{extension}")
                with open(kept, "wb") as handle:
                    handle.write(data)
            tally.add(outcome, 1, f"{extension} #{index}")
        tallies.append(tally)
    return tallies


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("binary", nargs="?", default=os.path.join(ROOT, ".build", "release", "custq"))
    options = parser.parse_args()
    rng = random.Random(options.seed)
    temp = tempfile.mkdtemp(prefix="custq-soak-")
    started = time.monotonic()
    tallies = [statements(options.binary, options.statements, rng, temp)]
    tallies += files(options.binary, options.files, rng, temp)
    for tally in tallies:
        tally.report()
    print(f"{time.monotonic() - started:.0f} s in all; failing inputs kept in {temp}")
    return 1 if any(t.problems for t in tallies) else 0


if __name__ == "__main__":
    sys.exit(main())
