"""Dask's side of W11 (dataframe_merge) and W12 (dataframe_set_index), the same queries as
bench's W11.java and W12.java, for a comparison on the machine you are on.

    apt-get install -y python3-dask python3-pandas
    /usr/bin/python3 bench/dask/w11_w12.py W11 /path/to/bench-data   # or W12

One warm-up, then 3 timed runs on Dask's threaded scheduler; prints one JSON line like
bench/run (seconds_median, seconds_all, process CPU seconds per run, the result check).
"""
import glob
import json
import os
import statistics
import sys
import time

import dask
import dask.dataframe as dd
import pandas as pd


def w11(data):
    df = dd.read_csv(os.path.join(data, "csv", "*.csv"))
    left = df[["id", "name", "x"]]
    right = df[df.id % 3 == 0][["id", "y"]]
    m = left.merge(right, on="id", how="inner", shuffle="tasks")
    n, sx, sy = dask.compute(m.id.count(), m.x.sum(), m.y.sum())
    return {"rows": int(n), "x_sum": float(sx), "y_sum": float(sy)}


def w12(data):
    df = dd.read_csv(os.path.join(data, "csv", "*.csv")).set_index("x", shuffle="tasks")

    def stats(p):
        return pd.DataFrame({"rows": [len(p)], "min": [p.index.min()], "max": [p.index.max()],
                             "sorted": [bool(p.index.is_monotonic_increasing)]})

    s = df.map_partitions(stats, meta={"rows": int, "min": float, "max": float,
                                       "sorted": bool}).compute()
    in_order = all(a <= b for a, b in zip(s["max"][:-1], s["min"][1:]) if a == a and b == b)
    return {"rows": int(s["rows"].sum()), "partitions": len(s),
            "all_sorted": bool(s["sorted"].all()), "in_order": bool(in_order)}


def main():
    which, data = sys.argv[1], sys.argv[2]
    run = {"W11": w11, "W12": w12}[which]
    with dask.config.set(scheduler="threads"):
        check = run(data)  # warm-up
        times, cpus = [], []
        for _ in range(3):
            t0, c0 = time.perf_counter(), time.process_time()
            check = run(data)
            times.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
    with open("/proc/cpuinfo") as f:
        model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
    print(json.dumps({"workload": {"W11": "dataframe_merge", "W12": "dataframe_set_index"}[which],
                      "engine": "dask " + dask.__version__ + ", pandas " + pd.__version__,
                      "params": {"data": data, "scheduler": "threads"},
                      "seconds_median": statistics.median(times), "seconds_all": times,
                      "process_cpu_seconds_median": statistics.median(cpus),
                      "result_check": check, "cpu_model": model,
                      "load_avg": os.getloadavg()[0]}))


if __name__ == "__main__":
    main()
