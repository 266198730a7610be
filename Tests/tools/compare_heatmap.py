"""matplotlib's drawing of a TrainingMonitor's gradient heatmap, to compare by eye with nnviz's.

Reads the grad_norm/<parameter> (or update_ratio/<parameter>) columns of a monitor's CSV and draws them as
nnviz does: imshow(values, norm=LogNorm(), cmap='viridis', aspect='auto', extent=steps ± half a step),
parameter names on y, step on x, a title, and fig.colorbar(). Writes OUT.png and, with --side-by-side NNVIZ.png,
a second image with both pictures next to each other.

    ~/.cache/nnviz-torch/bin/python Tests/tools/compare_heatmap.py output/sine_rnn_losses.csv /tmp/mpl_heatmap.png \
        --side-by-side output/sine_rnn_grad_heatmap.png
"""
import argparse
import csv
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import LogNorm  # noqa: E402

TITLES = {"grad_norm": "gradient norm ‖∂loss/∂w‖", "update_ratio": "update ratio ‖Δw‖ / ‖w‖"}


def read(path, metric):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    columns = [i for i, name in enumerate(header) if name.startswith(metric + "/")]
    steps = [float(r[0]) for r in body]
    values = [[float(r[i]) if r[i] not in ("", "nan") else math.nan for r in body] for i in columns]
    return [header[i][len(metric) + 1:] for i in columns], np.array(steps), np.array(values)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("csv")
    parser.add_argument("out")
    parser.add_argument("--metric", default="grad_norm", choices=sorted(TITLES))
    parser.add_argument("--title")
    parser.add_argument("--side-by-side")
    args = parser.parse_args()
    names, steps, values = read(args.csv, args.metric)
    half = (steps[1] - steps[0]) / 2 if len(steps) > 1 else 0.5
    height = max(4, 1.6 + 0.32 * len(names))
    fig, ax = plt.subplots(figsize=(8, height), dpi=150)
    im = ax.imshow(values, norm=LogNorm(), cmap="viridis", aspect="auto",
                   extent=(steps[0] - half, steps[-1] + half, len(names) - 0.5, -0.5))
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel("step")
    ax.set_ylabel("parameter")
    ax.set_title(args.title or TITLES[args.metric])
    fig.colorbar(im, ax=ax, label=TITLES[args.metric] + " (log scale)")
    fig.tight_layout()
    fig.savefig(args.out)
    if args.side_by_side:
        left, right = plt.imread(args.side_by_side), plt.imread(args.out)
        both, axes = plt.subplots(1, 2, figsize=(16, 8 * max(left.shape[0] / left.shape[1], right.shape[0] / right.shape[1])), dpi=100)
        for a, image, label in zip(axes, [left, right], ["nnviz", "matplotlib"]):
            a.imshow(image)
            a.set_title(label)
            a.axis("off")
        both.tight_layout()
        both.savefig(args.out.replace(".png", "_side_by_side.png"))


if __name__ == "__main__":
    main()
