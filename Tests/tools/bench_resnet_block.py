#!/usr/bin/env python3
"""PyTorch twin of nnviz-bench's resnet_block_train_100: 100 SGD steps (lr 0.01) of two ResNet basic blocks with
16 channels on an 8 x 16 x 16 x 16 input, MSE against a fixed target, model built inside the timed body.

usage: ~/.cache/nnviz-torch/bin/python Tests/tools/bench_resnet_block.py [--threads N] [--repeats N]
Prints one JSON line like nnviz-bench: {"workload": ..., "median_s": ..., "min_s": ..., "max_s": ..., "repeats": n}.
"""
import argparse
import json
import time

import torch
import torch.nn as nn


class BasicBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x):
        return self.relu(self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x))))) + x)


def run(x, target):
    torch.manual_seed(1)
    model = nn.Sequential(BasicBlock(16), BasicBlock(16))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    criterion = nn.MSELoss()
    for _ in range(100):
        optimizer.zero_grad()
        loss = criterion(model(x), target)
        loss.backward()
        optimizer.step()
    last = loss.item()
    assert last == last and last < 2
    return last


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--repeats', type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    x, target = torch.randn(8, 16, 16, 16), torch.randn(8, 16, 16, 16)
    run(x, target)  # warm-up
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        run(x, target)
        times.append(time.perf_counter() - start)
    times.sort()
    n = len(times)
    median = times[n // 2] if n % 2 else (times[n // 2 - 1] + times[n // 2]) / 2
    print(json.dumps({'workload': 'resnet_block_train_100 (pytorch, %d thread%s)' % (args.threads, '' if args.threads == 1 else 's'),
                      'median_s': round(median, 6), 'min_s': round(times[0], 6), 'max_s': round(times[-1], 6),
                      'repeats': n}))


if __name__ == '__main__':
    main()
