#!/usr/bin/env python3
"""PyTorch twins of nnviz-bench's scalar_chain_10k, rnn_sine_100ep and mlp_1000ep (see
Sources/nnviz-bench/CoreWorkloads.swift and TrainingWorkloads.swift): the same work, built and run the same way.

usage: ~/.cache/nnviz-torch/bin/python Tests/tools/bench_training.py [--threads N] [workload ...]
Prints one JSON line per workload like nnviz-bench: {"workload": ..., "median_s": ..., "min_s": ..., "max_s": ..., "repeats": n}.
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn


def scalar_chain():
    x = torch.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(10_000):
        y = y * 0.9999 + 0.0001
    y.backward()
    assert x.grad is not None


class SineRNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(1, 32, batch_first=True)
        self.fc = nn.Linear(32, 1)

    def forward(self, x):
        output, _ = self.rnn(x)
        return self.fc(output[:, -1])


def sine_windows():
    window = 25
    torch.manual_seed(0)
    series = torch.linspace(0, 4 * math.pi, 201).sin() + 0.1 * torch.randn(201)
    count = series.numel() - window
    inputs = torch.stack([series[i:i + window] for i in range(count)]).unsqueeze(-1)
    targets = torch.stack([series[i + window:i + window + 1] for i in range(count)])
    return inputs, targets


def train(model, x, y, criterion, steps, optimizer):
    for _ in range(steps):
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    return loss.item()


def rnn_sine(data):
    torch.manual_seed(1)
    model = SineRNN()
    loss = train(model, *data, nn.MSELoss(), 100, torch.optim.SGD(model.parameters(), lr=0.05))
    assert loss == loss and loss < 0.1


def mlp(data):
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(100, 1000, bias=False), nn.ReLU(), nn.Linear(1000, 10, bias=False))
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-5, momentum=0.8, weight_decay=1e-8, nesterov=True)
    loss = train(model, *data, nn.MSELoss(reduction='sum'), 1000, optimizer)
    assert loss == loss and loss < 1000


def mlp_data():
    torch.manual_seed(0)
    return torch.randn(100, 100), torch.randn(100, 10)


# name: (repeats as nnviz-bench, prepare, body)
WORKLOADS = {
    'scalar_chain_10k': (21, lambda: None, lambda _: scalar_chain()),
    'rnn_sine_100ep': (11, sine_windows, rnn_sine),
    'mlp_1000ep': (5, mlp_data, mlp),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('workloads', nargs='*', default=list(WORKLOADS))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    for name in args.workloads:
        repeats, prepare, body = WORKLOADS[name]
        data = prepare()
        body(data)  # warm-up
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            body(data)
            times.append(time.perf_counter() - start)
        times.sort()
        print(json.dumps({'workload': '%s (pytorch, %d thread%s)' % (name, args.threads, '' if args.threads == 1 else 's'),
                          'median_s': round(times[len(times) // 2], 6), 'min_s': round(times[0], 6),
                          'max_s': round(times[-1], 6), 'repeats': repeats}))


if __name__ == '__main__':
    main()
