"""matplotlib's side of nnviz-bench's `plot_csv_1e6`: the same figure from arrays already in memory.

Reads the 1,000,000-row log that `nnviz-bench plot_csv_1e6` writes (outside the timing), then times plot +
savefig of what `nnviz plot LOG.csv --log-y` draws: 8x6 in at 150 dpi, both columns against step, log y,
legend at 'best', grid, x label, title. Prints one JSON line like nnviz-bench's.

    .build/release/nnviz-bench plot_csv_1e6          # writes $TMPDIR/nnviz-bench-plot_csv_1e6.csv
    ~/.cache/nnviz-torch/bin/python Tests/tools/bench_plot_csv.py [CSV] [--repeats 9]
"""
import argparse
import json
import os
import statistics
import tempfile
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def plot_and_save(step, columns, path):
    fig, ax = plt.subplots(figsize=(8, 6), dpi=150)
    for name, values in columns.items():
        ax.plot(step, values, label=name)
    ax.set_xlabel("step")
    ax.set_yscale("log")
    ax.set_title("nnviz-bench-plot_csv_1e6")
    ax.legend(loc="best")
    ax.grid(True)
    fig.savefig(path, dpi=150)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("csv", nargs="?",
                        default=os.path.join(tempfile.gettempdir(), "nnviz-bench-plot_csv_1e6.csv"))
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    data = np.loadtxt(args.csv, delimiter=",", skiprows=1)
    step, columns = data[:, 0], {"naive": data[:, 1].copy(), "sgd": data[:, 2].copy()}
    out = os.path.join(tempfile.gettempdir(), "matplotlib-bench-plot_csv_1e6.png")
    plot_and_save(step, columns, out)  # warm-up
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        plot_and_save(step, columns, out)
        times.append(time.perf_counter() - start)
    print(json.dumps({"workload": "plot_csv_1e6_matplotlib", "median_s": round(statistics.median(times), 6),
                      "min_s": round(min(times), 6), "max_s": round(max(times), 6), "repeats": args.repeats}))


if __name__ == "__main__":
    main()
