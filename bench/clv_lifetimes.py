"""The predictive-value step of make bench, on lifetimes (what a Python user would run).

    clv_lifetimes.py ORDERS.CSV

Reads the orders with pandas, builds the customer summary with lifetimes'
summary_data_from_transaction_data (by day, freq_multiplier=7: weeks, as custq's default,
with the calibration end at the latest order date, custq's default as-of date), fits
BetaGeoFitter (again with lifetimes' advised penalizer when it raises ConvergenceError,
as a user would), and computes P(alive) and the expected purchases in the next 52 weeks for
every customer. Prints one line per step, "step seconds", then "total seconds" (all but the
read), and the
fitted parameters and the two column figures custq prints for the same step, so the bench
can show they agree.
"""
import sys
import time
import warnings

import pandas as pd
from lifetimes import BetaGeoFitter
from lifetimes.utils import ConvergenceError, summary_data_from_transaction_data

warnings.filterwarnings("ignore")


def main(path):
    clock = time.perf_counter()
    orders = pd.read_csv(path, usecols=["customer_id", "order_date"], parse_dates=["order_date"])
    print(f"read {time.perf_counter() - clock:.3f}")
    clock = time.perf_counter()
    started = clock  # the total leaves the read out, as custq's figure leaves out its load
    end = orders["order_date"].max()
    summary = summary_data_from_transaction_data(orders, "customer_id", "order_date",
                                                 observation_period_end=end, freq="D", freq_multiplier=7)
    print(f"summary {time.perf_counter() - clock:.3f}")
    clock = time.perf_counter()
    try:
        model = BetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
        print(f"fit {time.perf_counter() - clock:.3f}")
    except ConvergenceError:
        # lifetimes' advice on a fit that does not converge: a penalizer. A user takes both fits' time.
        print(f"fit {time.perf_counter() - clock:.3f} (ConvergenceError)")
        clock = time.perf_counter()
        model = BetaGeoFitter(penalizer_coef=0.001).fit(summary["frequency"], summary["recency"], summary["T"])
        print(f"fit with penalizer_coef=0.001 {time.perf_counter() - clock:.3f}")
    clock = time.perf_counter()
    alive = model.conditional_probability_alive(summary["frequency"], summary["recency"], summary["T"])
    purchases = model.conditional_expected_number_of_purchases_up_to_time(52, summary["frequency"], summary["recency"],
                                                                          summary["T"])
    print(f"predictions {time.perf_counter() - clock:.3f}")
    print(f"total {time.perf_counter() - started:.3f}")
    p = model.params_
    print(f"parameters r {p['r']:.4f} alpha {p['alpha']:.4f} a {p['a']:.6g} b {p['b']:.6g}")
    print(f"avg p_alive {alive.mean():.4f}, sum expected_purchases(52) {purchases.sum():.2f}")


if __name__ == "__main__":
    main(sys.argv[1])
