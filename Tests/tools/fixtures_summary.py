"""torchinfo's summary of PyTorch twins of the sample model files (samples/*.yaml), for `nnviz summary`.

Each twin mirrors the module tree nnviz builds from the file: a container whose children are the file's
layers under the file's names, run in order; a recurrent layer with `output: last` is one module (an
`nn.RNN`/`nn.LSTM` subclass returning the last step), as nnviz's layer is. The random draws follow the
file's seed, so the forward pass sees the same input shape nnviz does.

Writes Tests/NNVizCLITests/Fixtures/summary/NAME.json:
  {"layers": [{"name", "type", "depth", "output_shape", "params", "trainable_params", "macs"}],
   "total_params", "trainable_params", "total_mult_adds"}
with torchinfo's numbers as it computes them (params of a container row are those of its whole subtree).
"""
import glob
import json
import os

import torch
import torch.nn as nn
import yaml
from torchinfo import summary

import fixtures_graphfiles as graphfiles

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
OUT = os.path.join(ROOT, 'Tests', 'NNVizCLITests', 'Fixtures', 'summary')

ACTIVATIONS = {
    'relu': lambda a: nn.ReLU(), 'relu6': lambda a: nn.ReLU6(), 'tanh': lambda a: nn.Tanh(),
    'sigmoid': lambda a: nn.Sigmoid(), 'selu': lambda a: nn.SELU(), 'softsign': lambda a: nn.Softsign(),
    'tanhshrink': lambda a: nn.Tanhshrink(), 'logsigmoid': lambda a: nn.LogSigmoid(),
    'gelu': lambda a: nn.GELU(approximate=a.get('approximate', 'none')),
    'elu': lambda a: nn.ELU(alpha=a.get('alpha', 1.0)), 'celu': lambda a: nn.CELU(alpha=a.get('alpha', 1.0)),
    'leaky_relu': lambda a: nn.LeakyReLU(a.get('negative_slope', 0.01)),
    'softmax': lambda a: nn.Softmax(dim=a.get('dim', -1)), 'log_softmax': lambda a: nn.LogSoftmax(dim=a.get('dim', -1)),
    'softmin': lambda a: nn.Softmin(dim=a.get('dim', -1)), 'flatten': lambda a: nn.Flatten(),
    'dropout': lambda a: nn.Dropout(a.get('p', 0.5)),
}


def steps(cls, last):
    """`cls` (nn.RNN, nn.LSTM or nn.GRU) returning its output alone (not the final states): every step, or the last."""
    class Steps(cls):
        def forward(self, x):
            output = super().forward(x)[0]
            return output[:, -1, :] if last else output
    Steps.__name__ = cls.__name__
    return Steps


def build(kind, a):
    """One layer from its arguments under PyTorch's names (the files' short names mapped by ALIASES)."""
    if kind in ('add', 'mul', 'cat', 'reshape', 'transpose', 'identity'):
        return graphfiles.build(kind, a)
    if kind == 'linear':
        return nn.Linear(a['in_features'], a['out_features'], bias=a.get('bias', True))
    if kind in ('rnn', 'lstm', 'gru'):
        cls = steps({'rnn': nn.RNN, 'lstm': nn.LSTM, 'gru': nn.GRU}[kind], a.get('output', 'last') == 'last')
        extra = {'nonlinearity': a.get('nonlinearity', 'tanh')} if kind == 'rnn' else {}
        return cls(a['input_size'], a['hidden_size'], num_layers=a.get('num_layers', 1), bias=a.get('bias', True),
                   batch_first=True, bidirectional=a.get('bidirectional', False), **extra)
    if kind == 'maxpool2d':
        return nn.MaxPool2d(a['kernel_size'], stride=a.get('stride'))
    if kind in ('batchnorm1d', 'batchnorm2d'):
        return (nn.BatchNorm1d if kind == 'batchnorm1d' else nn.BatchNorm2d)(a['num_features'])
    if kind == 'embedding':
        return nn.Embedding(a.get('num_embeddings', a.get('num')), a.get('embedding_dim', a.get('dim')))
    if kind in ACTIVATIONS:
        return ACTIVATIONS[kind](a)
    return graphfiles.build(kind, a)  # convolutions, pooling, normalisation, attention: the graph files' twins


class Graph(nn.Module):
    """A layer list as nnviz builds it: children by name (a block a module of its own, `repeat: N` an
    nn.Sequential of N), each reading the layers its `from:` names."""

    def __init__(self, layers, blocks):
        super().__init__()
        self.wiring = []
        names = {}
        for i, layer in enumerate(layers):
            name, kind, args, frm, copies = graphfiles.parse(layer, i)
            if kind in blocks:
                make = lambda kind=kind: type(kind, (Graph,), {})(blocks[kind], blocks)
            else:
                make = lambda kind=kind, args=args: build(kind, args)
            self.add_module(name, nn.Sequential(*[make() for _ in range(copies)]) if copies else make())
            self.wiring.append((name, [i - 1] if frm is None else [-1 if f == 'input' else names[f] for f in frm]))
            names[name] = i

    def forward(self, x):
        outputs = []
        for name, inputs in self.wiring:
            outputs.append(getattr(self, name)(*[x if j < 0 else outputs[j] for j in inputs]))
        return outputs[-1] if outputs else x


def twin(spec):
    """The model: `Sequential` for a plain chain, `Model` for a graph, as nnviz names them."""
    layers, blocks = spec['model'], spec.get('blocks') or {}
    chain = not blocks and all(isinstance(l, str) or ('from' not in l and 'repeat' not in l) for l in layers)
    return type('Sequential' if chain else 'Model', (Graph,), {})(layers, blocks)


def tensor(source, integral_ok):
    if isinstance(source, dict):
        (kind, shape), = source.items()
        return {'randn': torch.randn, 'rand': torch.rand, 'zeros': torch.zeros, 'ones': torch.ones}[kind](*shape)
    t = torch.tensor(source)
    return t if integral_ok and t.dtype == torch.int64 else t.float()


def summarise(path):
    spec = yaml.safe_load(open(path))
    if 'seed' in spec:
        torch.manual_seed(spec['seed'])
    model = twin(spec)
    first = spec['model'][0] if spec['model'] else None
    embedding = first is not None and not isinstance(first, str) and 'embedding' in first
    x = tensor(spec['input'], embedding)
    model.train(spec.get('mode', 'train') == 'train')
    result = summary(model, input_data=x, verbose=0, depth=10,
                     col_names=('output_size', 'num_params', 'trainable', 'mult_adds'))
    names = {id(m): n for n, m in model.named_modules()}
    layers = [{
        'name': names[id(info.module)], 'type': info.class_name, 'depth': info.depth,
        'output_shape': list(info.output_size), 'params': info.num_params,
        'trainable_params': info.trainable_params, 'macs': info.macs,
    } for info in result.summary_list]
    return {'layers': layers, 'total_params': result.total_params, 'trainable_params': result.trainable_params,
            'total_mult_adds': result.total_mult_adds}


def make_summaries():
    os.makedirs(OUT, exist_ok=True)
    for path in sorted(glob.glob(os.path.join(ROOT, 'samples', '*.yaml'))):
        name = os.path.splitext(os.path.basename(path))[0]
        with open(os.path.join(OUT, name + '.json'), 'w') as f:
            json.dump(summarise(path), f, indent=1)
            f.write('\n')
