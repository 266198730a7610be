"""PyTorch's side of nnviz-bench's `transformer_layer_train_100`: 100 Adam steps of one
nn.TransformerEncoderLayer(64, 4, 256, dropout 0.1, batch_first) in training mode on a 16 x 32 x 64
input with an MSE loss to a fixed target. Model built inside the timed body, data outside it, as the
Swift workload does. Prints one JSON line like nnviz-bench.

    ~/.cache/nnviz-torch/bin/python Tests/tools/bench_transformer_layer.py [--threads 2] [--repeats 5]
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn


def run(x, y):
    torch.manual_seed(1)
    layer = nn.TransformerEncoderLayer(64, 4, dim_feedforward=256, dropout=0.1, batch_first=True)
    optimizer = torch.optim.Adam(layer.parameters(), lr=1e-3)
    criterion = nn.MSELoss()
    for _ in range(100):
        optimizer.zero_grad()
        loss = criterion(layer(x), y)
        loss.backward()
        optimizer.step()
    return loss.item()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    x = torch.randn(16, 32, 64)
    y = torch.randn(16, 32, 64)
    run(x, y)  # warm-up
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        loss = run(x, y)
        times.append(time.perf_counter() - start)
        assert loss == loss and loss < 10
    times.sort()
    print(json.dumps({"workload": "transformer_layer_train_100", "median_s": round(statistics.median(times), 6),
                      "min_s": round(times[0], 6), "max_s": round(times[-1], 6), "repeats": args.repeats,
                      "torch_threads": args.threads}))


if __name__ == "__main__":
    main()
