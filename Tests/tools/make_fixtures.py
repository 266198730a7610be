#!/usr/bin/env python3
"""Regenerates nnviz's PyTorch reference fixtures.

usage: ~/.cache/nnviz-torch/bin/python Tests/tools/make_fixtures.py [GROUP ...]
GROUP is one of rng, tutorials, layers, activations, losses, optimizers, ops, graphs, recurrent (default: all).
PyTorch is needed only here; the Swift tests read the JSON/DOT files this writes.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

import fixtures_activations  # noqa: E402
import fixtures_graphs  # noqa: E402
import fixtures_layers  # noqa: E402
import fixtures_recurrent  # noqa: E402
import fixtures_ops  # noqa: E402
import fixtures_rng  # noqa: E402
import fixtures_training  # noqa: E402
import fixtures_tutorials  # noqa: E402

GROUPS = {
    'rng': fixtures_rng.make,
    'tutorials': fixtures_tutorials.make_tutorials,
    'layers': fixtures_layers.make_layers,
    'losses': fixtures_training.make_losses,
    'optimizers': fixtures_training.make_optimizers,
    'activations': fixtures_activations.make_activations,
    'ops': fixtures_ops.make_ops,
    'graphs': fixtures_graphs.make_graphs,
    'recurrent': fixtures_recurrent.make_recurrent,
}


def main(argv):
    torch.set_num_threads(1)
    names = argv or list(GROUPS)
    for name in names:
        if name not in GROUPS:
            sys.exit('unknown group %r (known: %s)' % (name, ', '.join(GROUPS)))
    for name in names:
        GROUPS[name]()


if __name__ == '__main__':
    main(sys.argv[1:])
