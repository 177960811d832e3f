"""Prints the benchmark table from lines 'step... tool seconds max_rss_kb'."""
import statistics
import sys
from collections import defaultdict

times = defaultdict(list)
memory = defaultdict(list)
order = []
for line in open(sys.argv[1]):
    *step_words, tool, seconds, rss_kb = line.split()
    step = " ".join(step_words)
    if step not in order:
        order.append(step)
    times[step, tool].append(float(seconds))
    memory[step, tool].append(int(rss_kb) / 1024)

header = ("step", "custq", "DuckDB", "custq/DuckDB", "custq MB", "DuckDB MB")
rows = []
for step in order:
    c, d = statistics.median(times[step, "custq"]), statistics.median(times[step, "duckdb"])
    cm, dm = statistics.median(memory[step, "custq"]), statistics.median(memory[step, "duckdb"])
    if step.startswith("load"):
        rows.append((step, f"{c:.2f} s", f"{d:.2f} s", f"{c / d:.2f}", f"{cm:.0f}", f"{dm:.0f}"))
    else:
        rows.append((step, f"{c * 1000:.1f} ms", f"{d * 1000:.1f} ms", f"{c / d:.2f}", "", ""))
widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
for r in rows:
    print("| " + " | ".join(r[0].ljust(widths[0]) if i == 0 else r[i].rjust(widths[i]) for i in range(len(r))) + " |")
