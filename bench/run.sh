#!/usr/bin/env bash
# Side-by-side benchmark: custq against DuckDB's CLI on the same generated files.
#   bench/run.sh [RUNS] [CUSTOMERS...]     (defaults: 5 runs per tool; 100000 and 1000000)
# Data is generated once per size into bench/data/ and reused; DuckDB's CLI comes from PyPI
# (duckdb-cli) in bench/.venv. Loads are whole processes, timed with /usr/bin/time; query
# times are measured inside each tool after loading (custq's .timer, DuckDB's .timer). Runs
# of the two tools alternate so machine noise hits both alike. The table is for the largest
# size, with each step's time at the largest size over its time at the smallest.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
custq=.build/release/custq
venv=bench/.venv

[ -x "$custq" ] || swift build -c release
if [ ! -x /usr/bin/time ]; then
    echo "bench: installing GNU time (apt-get)"
    $( [ "$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq time >/dev/null
fi
if [ ! -x "$venv/bin/duckdb" ] || ! "$venv/bin/python" -c 'import python_calamine, openpyxl, lifetimes' 2>/dev/null; then
    echo "bench: installing DuckDB's CLI, python-calamine, openpyxl and lifetimes from PyPI into $venv"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install -q duckdb-cli python-calamine==0.9.1 openpyxl==3.1.5 lifetimes==0.11.3
fi
for customers in "${sizes[@]}"; do
    if [ ! -f "bench/data/$customers/customers.json" ]; then
        echo "bench: generating $customers customers into bench/data/$customers"
        mkdir -p bench/data
        "$custq" generate --customers "$customers" --customers-json "bench/data/$customers"
    fi
done

# The workbook: the largest customers.csv as an .xlsx sheet (23 columns), written once
# with openpyxl (about 5 minutes for 1M rows) and kept beside the CSV.
largest=${sizes[${#sizes[@]}-1]}
workbook="bench/data/$largest/customers.xlsx"
if [ ! -f "$workbook" ]; then
    echo "bench: writing $workbook (openpyxl)"
    "$venv/bin/python" bench/make_workbook.py "bench/data/$largest/customers.csv" "$workbook.part" && mv "$workbook.part" "$workbook"
fi

# Variants of the largest orders: text customer keys (C0000001…), and order lines (two
# per order, quantity 2 × a quarter of the amount, no amount column), made once with awk.
text_orders="bench/data/$largest/orders_text.csv"
line_orders="bench/data/$largest/order_lines.csv"
if [ ! -f "$text_orders" ]; then
    awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next } { $2 = "C" sprintf("%07d", $2); print }' \
        "bench/data/$largest/orders.csv" > "$text_orders.part" && mv "$text_orders.part" "$text_orders"
fi
if [ ! -f "$line_orders" ]; then
    awk -F, 'NR == 1 { print "InvoiceNo,CustomerID,InvoiceDate,Quantity,UnitPrice"; next }
             { for (i = 0; i < 2; i++) printf "%s,%s,%s,2,%.4f\n", $1, $2, $3, $4 / 4 }' \
        "bench/data/$largest/orders.csv" > "$line_orders.part" && mv "$line_orders.part" "$line_orders"
fi
rfm_sql=$(sed -n 's/^\(with base as .*segment when .*end);\)$/\1/p' bench/queries.sql)
lines_sql=${rfm_sql/"with base as (select customer_id, (select max(order_date) from orders) - max(order_date) as rec, count(*) as freq, sum(amount) as mon from orders group by customer_id)"/"with base as (select CustomerID as customer_id, (select max(InvoiceDate) from orders)::date - max(InvoiceDate)::date as rec, count(distinct InvoiceNo) as freq, sum(Quantity * UnitPrice) as mon from orders group by CustomerID)"}
[ "$lines_sql" != "$rfm_sql" ] || { echo "bench: could not adapt the rfm SQL to order lines"; exit 1; }

results=$(mktemp)
measure() {  # size tool step command...
    local size=$1 tool=$2 step=$3; shift 3
    /usr/bin/time -f "%e %M" -o "$results.one" "$@" >/dev/null 2>"$results.err" || {
        echo "bench: $tool failed on $step:"; cat "$results.err"; exit 1; }
    echo "$size|$step|$tool|$(cat "$results.one")" >> "$results"
}

# Query steps, in the order of bench/queries.cq and bench/queries.sql.
names=()
while read -r line; do names+=("$line"); done < <(grep -v '^\.' bench/queries.cq)

for customers in "${sizes[@]}"; do
    data="bench/data/$customers"
    echo "bench: $customers customers, $runs runs of each step in each tool"
    for ((run = 1; run <= runs; run++)); do
        measure "$customers" custq "start-up (no data)" "$custq" -c .tables
        measure "$customers" duckdb "start-up (no data)" "$venv/bin/duckdb" -c "select 1"
        for step in customers.csv orders.csv customers.json; do
            file="$data/$step"
            reader=$([ "${step##*.}" = json ] && echo read_json || echo read_csv)
            measure "$customers" custq "load $step" "$custq" "$file" -c .tables
            measure "$customers" duckdb "load $step" "$venv/bin/duckdb" -c "create table t as select * from $reader('$file')"
        done
        if [ "$customers" = "$largest" ]; then
            # python-calamine (Rust) reading the sheet into Python rows: what a user of pandas'
            # read_excel(engine="calamine") waits for.
            # Whole processes: load the orders, derive the customers, rfm.
            measure "$customers" custq "load orders, rfm: text customer keys" "$custq" "$text_orders" -c rfm
            measure "$customers" duckdb "load orders, rfm: text customer keys" "$venv/bin/duckdb" -c \
                "create table orders as select * from read_csv('$text_orders'); $rfm_sql"
            measure "$customers" custq "load order lines, rfm: 2 lines per order, quantity × price" "$custq" "$line_orders" -c rfm
            measure "$customers" duckdb "load order lines, rfm: 2 lines per order, quantity × price" "$venv/bin/duckdb" -c \
                "create table orders as select * from read_csv('$line_orders'); $lines_sql"
            measure "$customers" custq "load customers.xlsx" "$custq" "$workbook" -c .tables
            measure "$customers" calamine "load customers.xlsx" "$venv/bin/python" -c \
                "import python_calamine, sys; rows = python_calamine.CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python(); print(len(rows))" "$workbook"
        fi
        i=0
        while read -r ms; do
            echo "$customers|${names[$i]}|custq|$(python3 -c "print($ms / 1000)") 0" >> "$results"; i=$((i + 1))
        done < <("$custq" "$data/customers.csv" "$data/orders.csv" < bench/queries.cq 2>/dev/null | sed -n 's/^time: \([0-9.]*\) ms$/\1/p')
        [ "$i" = "${#names[@]}" ] || { echo "bench: custq gave $i query times of ${#names[@]}"; exit 1; }
        i=0
        while read -r seconds; do
            echo "$customers|${names[$i]}|duckdb|$seconds 0" >> "$results"; i=$((i + 1))
        done < <( (echo "create table customers as select * from read_csv('$data/customers.csv');"
                   echo "create table orders as select * from read_csv('$data/orders.csv');"
                   echo ".timer on"; cat bench/queries.sql) |
                  "$venv/bin/duckdb" 2>/dev/null | sed -n 's/^Run Time (s): real \([0-9.]*\).*/\1/p' | tail -n "${#names[@]}")
        [ "$i" = "${#names[@]}" ] || { echo "bench: DuckDB gave $i query times of ${#names[@]}"; exit 1; }
    done
done

echo
echo "$largest customers ($(wc -l < "bench/data/$largest/orders.csv") order lines); $(nproc) cores; $(uname -m);" \
     "$("$venv/bin/duckdb" --version | cut -d' ' -f1-2); median of $runs runs"
python3 bench/summarize.py "$results"
# Predictive value: the customer summary, the BG/NBD fit and P(alive) and 52-week expected
# purchases for every customer, after loading, in custq (its .timer, median of the runs)
# against lifetimes (bench/clv_lifetimes.py, once: it takes minutes).
echo
echo "Predictive value on the $largest-customer orders (summary + BG/NBD fit + predictions, after loading):"
clv_times=()
for ((run = 1; run <= runs; run++)); do
    clv_times+=("$(printf '.timer on\nclv fit\navg p_alive, sum expected_purchases(52)\n' |
        "$custq" "bench/data/$largest/orders.csv" 2>/dev/null | sed -n 's/^time: \([0-9.]*\) ms$/\1/p' | python3 -c 'import sys; print(sum(map(float, sys.stdin)))')")
done
custq_clv=$(printf '%s\n' "${clv_times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
"$venv/bin/python" bench/clv_lifetimes.py "bench/data/$largest/orders.csv" 2>/dev/null | grep -v '^ ' > "$results.clv"
lifetimes_clv=$(sed -n 's/^total \([0-9.]*\)$/\1/p' "$results.clv")
sed 's/^/  lifetimes: /' "$results.clv" | grep -v total
echo "  custq $(python3 -c "print(f'{$custq_clv / 1000:.2f}')") s, lifetimes $lifetimes_clv s (both after reading the CSV): lifetimes / custq = $(python3 -c "print(f'{$lifetimes_clv * 1000 / $custq_clv:.1f}')")×"
rm -f "$results.clv"

echo
echo "Live PostgreSQL on the $largest-customer data (rfm through custq postgresql://… against its SQL in psql):"
if [ -n "${PYTHON:-}" ] && [ -x /usr/lib/postgresql/15/bin/initdb ]; then
    "$PYTHON" bench/live_postgres.py "bench/data/$largest" "$custq" "$runs"
else
    echo "  left out: run through make bench (it installs PostgreSQL 15 and psycopg)"
fi

echo
echo "Answers of custq and DuckDB to the query steps on the $largest-customer data:"
python3 bench/check_answers.py "bench/data/$largest" "$custq" | tail -1
rm -f "$results" "$results.one" "$results.err"
