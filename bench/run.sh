#!/usr/bin/env bash
# Side-by-side load benchmark: custq against DuckDB's CLI on the same generated files.
#   bench/run.sh [CUSTOMERS] [RUNS]     (defaults: 1000000 customers, 5 runs per tool)
# Data is generated once into bench/data/ and reused; DuckDB's CLI comes from PyPI
# (duckdb-cli) in bench/.venv. Each run is a whole process, timed with /usr/bin/time;
# runs of the two tools alternate so machine noise hits both alike.
set -euo pipefail
cd "$(dirname "$0")/.."
customers=${1:-1000000}
runs=${2:-5}
data="bench/data/$customers"
custq=.build/release/custq
venv=bench/.venv

[ -x "$custq" ] || swift build -c release
if [ ! -x /usr/bin/time ]; then
    echo "bench: installing GNU time (apt-get)"
    $( [ "$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq time >/dev/null
fi
if [ ! -x "$venv/bin/duckdb" ]; then
    echo "bench: installing DuckDB's CLI from PyPI into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q duckdb-cli
fi
if [ ! -f "$data/customers.json" ]; then
    echo "bench: generating $customers customers into $data"
    "$custq" generate --customers "$customers" --customers-json "$data"
fi

results=$(mktemp)
measure() {  # tool step command...
    local tool=$1 step=$2; shift 2
    /usr/bin/time -f "%e %M" -o "$results.one" "$@" >/dev/null 2>"$results.err" || {
        echo "bench: $tool failed on $step:"; cat "$results.err"; exit 1; }
    echo "$step $tool $(cat "$results.one")" >> "$results"
}

steps=("customers.csv" "orders.csv" "customers.json")
for ((run = 1; run <= runs; run++)); do
    for step in "${steps[@]}"; do
        file="$data/$step"
        reader=$([ "${step##*.}" = json ] && echo read_json || echo read_csv)
        measure custq "load $step" "$custq" "$file" -c .tables
        measure duckdb "load $step" "$venv/bin/duckdb" -c "create table t as select * from $reader('$file')"
    done
done

# Query times, measured inside each tool after loading (custq's .timer, DuckDB's .timer).
names=("top 10 by clv where tier = A" "avg clv, count by region, tier" "count where … region in (North, East)"
       "sum annual_revenue, share(churned) by segment" "median, p90 annual_revenue by tier" "describe annual_revenue, nps_score"
       "rfm (orders table)" "abc by annual_revenue")
for ((run = 1; run <= runs; run++)); do
    i=0
    while read -r ms; do
        echo "${names[$i]} custq $(python3 -c "print($ms / 1000)") 0" >> "$results"; i=$((i + 1))
    done < <("$custq" "$data/customers.csv" "$data/orders.csv" < bench/queries.cq 2>/dev/null | sed -n 's/^time: \([0-9.]*\) ms$/\1/p')
    i=0
    while read -r seconds; do
        echo "${names[$i]} duckdb $seconds 0" >> "$results"; i=$((i + 1))
    done < <( (echo "create table customers as select * from read_csv('$data/customers.csv');"
               echo "create table orders as select * from read_csv('$data/orders.csv');"; cat bench/queries.sql) |
              "$venv/bin/duckdb" 2>/dev/null | sed -n 's/^Run Time (s): real \([0-9.]*\).*/\1/p')
done

echo
echo "$customers customers; $(nproc) cores; $(uname -m); $("$venv/bin/duckdb" --version | cut -d' ' -f1-2); median of $runs runs"
python3 bench/summarize.py "$results"
echo
echo "Query results against DuckDB SQL on the same data:"
python3 tests/duckdb/check_queries.py "$data" "$custq" | tail -1
rm -f "$results" "$results.one" "$results.err"
