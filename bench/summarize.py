"""Prints the benchmark table from lines 'size|step|tool|seconds max_rss_kb'.

The table is for the largest size; with two sizes it adds each tool's time at the largest
over its time at the smallest (linear growth from 100,000 to 1,000,000 customers is 10).
"""
import statistics
import sys
from collections import defaultdict

times = defaultdict(list)
memory = defaultdict(list)
order = []
sizes = set()
for line in open(sys.argv[1]):
    size, step, tool, figures = line.rstrip("\n").split("|")
    seconds, rss_kb = figures.split()
    sizes.add(int(size))
    if step not in order:
        order.append(step)
    times[int(size), step, tool].append(float(seconds))
    memory[int(size), step, tool].append(int(rss_kb) / 1024)

largest, smallest = max(sizes), min(sizes)
header = ["step", "custq", "DuckDB", "custq/DuckDB", "custq MB", "DuckDB MB"]
if smallest != largest:
    header += [f"custq {largest // 1000}K/{smallest // 1000}K", f"DuckDB {largest // 1000}K/{smallest // 1000}K"]
rows = []


def median(size, step, tool, table=times):
    return statistics.median(table[size, step, tool])


rivals = [step for step in order if (largest, step, "calamine") in times]
order = [step for step in order if step not in rivals]

for step in order:
    c, d = median(largest, step, "custq"), median(largest, step, "duckdb")
    ratio = f"{c / d:.2f}" if d > 0 else "-"
    if step.startswith("start") and c < 0.01:
        # /usr/bin/time counts in hundredths of a second.
        ratio = f"< {0.01 / d:.2f}" if d > 0 else "-"
    if step.startswith("load") or step.startswith("start"):
        cm, dm = median(largest, step, "custq", memory), median(largest, step, "duckdb", memory)
        text = (lambda x: "< 10 ms" if x < 0.01 else f"{x * 1000:.0f} ms") if step.startswith("start") else (lambda x: f"{x:.2f} s")
        row = [step, text(c), text(d), ratio, f"{cm:.0f}", f"{dm:.0f}"]
    else:
        row = [step, f"{c * 1000:.1f} ms", f"{d * 1000:.1f} ms", ratio, "", ""]
    if smallest != largest:
        for tool, value in (("custq", c), ("duckdb", d)):
            # Steps measured at the largest size only (the variants) have no growth figure.
            small = median(smallest, step, tool) if times[smallest, step, tool] else 0
            row.append("-" if step.startswith("start") or small == 0 else f"{value / small:.1f}")
    rows.append(row)
widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
for r in rows:
    print("| " + " | ".join(r[0].ljust(widths[0]) if i == 0 else r[i].rjust(widths[i]) for i in range(len(r))) + " |")

if rivals:
    print()
    print(f"| step (Excel workbook, {largest:,} rows) | custq | python-calamine | custq/calamine | custq MB | calamine MB |")
    print("|---|---|---|---|---|---|")
    for step in rivals:
        c, d = median(largest, step, "custq"), median(largest, step, "calamine")
        cm, dm = median(largest, step, "custq", memory), median(largest, step, "calamine", memory)
        print(f"| {step} | {c:.2f} s | {d:.2f} s | {c / d:.2f} | {cm:.0f} | {dm:.0f} |")
