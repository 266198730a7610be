#!/usr/bin/env python3
"""PyTorch twins of graph-shaped model files (blocks:, from:, repeat:, add/mul/cat), for nnviz's CLI tests.

usage: ~/.cache/nnviz-torch/bin/python Tests/tools/fixtures_graphfiles.py
For samples/resnet_block.yaml and Tests/NNVizCLITests/Fixtures/graphfiles/*.yaml, builds the same modules in the same
order as nnviz (file order, blocks expanded where they are used; a block is an nn.Module with its layers as named
children, `repeat: N` an nn.Sequential of N of them), runs them after torch.manual_seed(seed) and writes
Tests/NNVizCLITests/Fixtures/NAME.json, NAME.dot and NAME.graph.json in make_cli_fixtures.py's format.
"""
import glob, json, os, sys
import torch, torch.nn as nn, yaml
from torchviz import make_dot

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_cli_fixtures import trim, graph_statements  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'Tests', 'NNVizCLITests', 'Fixtures')
FILES = [os.path.join(ROOT, 'samples', name + '.yaml') for name in ('resnet_block', 'transformer_classifier', 'unet_small')] + sorted(glob.glob(os.path.join(OUT, 'graphfiles', '*.yaml')))

ALIASES = {'in': 'in_features', 'out': 'out_features', 'kernel': 'kernel_size', 'features': 'num_features',
           'input': 'input_size', 'hidden': 'hidden_size', 'layers': 'num_layers'}


class Add(nn.Module):
    def forward(self, *xs):
        out = xs[0]
        for x in xs[1:]:
            out = out + x
        return out


class Mul(nn.Module):
    def forward(self, *xs):
        out = xs[0]
        for x in xs[1:]:
            out = out * x
        return out


class Cat(nn.Module):
    def __init__(self, dim=0):
        super().__init__()
        self.dim = dim

    def forward(self, *xs):
        return torch.cat(xs, self.dim)


class Reshape(nn.Module):
    def __init__(self, shape):
        super().__init__()
        self.shape = shape

    def forward(self, x):
        return x.reshape(self.shape)


class Transpose(nn.Module):
    def __init__(self, dim0, dim1):
        super().__init__()
        self.dim0, self.dim1 = dim0, dim1

    def forward(self, x):
        return x.transpose(self.dim0, self.dim1)


class Graph(nn.Module):
    """A layer list: children by name, each reading the layers its `from:` names (-1: the input)."""

    def __init__(self, layers, blocks):
        super().__init__()
        self.wiring = []
        names = {}
        for i, layer in enumerate(layers):
            name, kind, args, frm, copies = parse(layer, i)
            make = (lambda: Graph(blocks[kind], blocks)) if kind in blocks else (lambda: build(kind, args))
            module = nn.Sequential(*[make() for _ in range(copies)]) if copies else make()
            self.add_module(name, module)
            inputs = [i - 1] if frm is None else [-1 if f == 'input' else names[f] for f in frm]
            self.wiring.append((name, inputs))
            names[name] = i

    def forward(self, x):
        outputs = []
        for name, inputs in self.wiring:
            outputs.append(getattr(self, name)(*[x if j < 0 else outputs[j] for j in inputs]))
        return outputs[-1] if outputs else x


def parse(layer, index):
    if isinstance(layer, str):
        return str(index), layer, {}, None, None
    layer = dict(layer)
    name = layer.pop('name', str(index))
    frm = layer.pop('from', None)
    copies = layer.pop('repeat', None)
    (kind, args), = layer.items()
    args = {ALIASES.get(k, k): v for k, v in (args or {}).items()}
    return name, kind, args, ([frm] if isinstance(frm, str) else frm), copies


class SelfAttention(nn.MultiheadAttention):
    """A model file's `multihead_attention`: self-attention of one input, returning the attention output."""

    def forward(self, x):
        return super().forward(x, x, x)[0]


def build(kind, a):
    simple = {'relu': nn.ReLU, 'tanh': nn.Tanh, 'sigmoid': nn.Sigmoid, 'identity': nn.Identity, 'add': Add, 'mul': Mul}
    if kind in simple:
        return simple[kind]()
    if kind == 'linear':
        return nn.Linear(a['in_features'], a['out_features'], bias=a.get('bias', True))
    if kind == 'conv2d':
        return nn.Conv2d(a['in_channels'] if 'in_channels' in a else a['in_features'],
                         a['out_channels'] if 'out_channels' in a else a['out_features'], a['kernel_size'],
                         stride=a.get('stride', 1), padding=a.get('padding', 0), dilation=a.get('dilation', 1),
                         groups=a.get('groups', 1), bias=a.get('bias', True))
    if kind == 'batchnorm2d':
        return nn.BatchNorm2d(**a)
    pytorch_named = {'conv1d': nn.Conv1d, 'conv_transpose2d': nn.ConvTranspose2d, 'avgpool2d': nn.AvgPool2d,
                     'adaptive_avg_pool2d': nn.AdaptiveAvgPool2d, 'upsample': nn.Upsample, 'dropout2d': nn.Dropout2d,
                     'group_norm': nn.GroupNorm}
    if kind in pytorch_named:
        return pytorch_named[kind](**{k: tuple(v) if isinstance(v, list) else v for k, v in a.items()})
    if kind == 'maxpool2d':
        return nn.MaxPool2d(a['kernel_size'], stride=a.get('stride'))
    if kind == 'flatten':
        return nn.Flatten(a.get('start_dim', 1), a.get('end_dim', -1))
    if kind == 'dropout':
        return nn.Dropout(a.get('p', 0.5))
    if kind == 'cat':
        return Cat(a.get('dim', 0))
    if kind == 'reshape':
        return Reshape(a['shape'])
    if kind == 'transpose':
        return Transpose(a['dim0'], a['dim1'])
    if kind == 'layer_norm':
        return nn.LayerNorm(a['normalized_shape'], eps=a.get('eps', 1e-5),
                            elementwise_affine=a.get('elementwise_affine', True), bias=a.get('bias', True))
    if kind == 'multihead_attention':
        return SelfAttention(a['embed_dim'], a['num_heads'], dropout=a.get('dropout', 0.0), bias=a.get('bias', True),
                             batch_first=a.get('batch_first', True))
    if kind == 'transformer_encoder_layer':
        return nn.TransformerEncoderLayer(a['d_model'], a['nhead'], a.get('dim_feedforward', 2048), a.get('dropout', 0.1),
                                          a.get('activation', 'relu'), a.get('layer_norm_eps', 1e-5),
                                          batch_first=a.get('batch_first', True), norm_first=a.get('norm_first', False),
                                          bias=a.get('bias', True))
    raise ValueError('no twin for layer ' + kind)


def tensor(spec):
    if isinstance(spec, dict):
        (kind, shape), = spec.items()
        return {'randn': torch.randn, 'rand': torch.rand, 'zeros': torch.zeros, 'ones': torch.ones}[kind](*shape)
    return torch.tensor(spec)


def run(path):
    spec = yaml.safe_load(open(path))
    torch.manual_seed(spec.get('seed', 0))
    model = Graph(spec['model'], spec.get('blocks') or {})
    x = tensor(spec['input']).float()
    loss_name = spec.get('loss', 'mse')
    target = tensor(spec['target'])
    if loss_name not in ('cross_entropy', 'nll'):
        target = target.float()
    model.train(spec.get('mode', 'train') == 'train')
    out = model(x)
    fn = {'mse': nn.MSELoss, 'cross_entropy': nn.CrossEntropyLoss, 'bce': nn.BCELoss}[loss_name]()
    loss = fn(out, target)
    params = dict(model.named_parameters())
    dot = make_dot(loss, params=params).source
    loss.backward()
    result = {'output': trim(out.tolist()), 'loss': loss.item(),
              'parameters': {k: {'shape': list(p.shape), 'value': trim(p.tolist()), 'grad': trim(p.grad.tolist())}
                             for k, p in params.items()},
              'parameter_names': list(params), 'modules': [name for name, _ in model.named_modules()]}
    return result, dot


def main():
    torch.set_num_threads(1)
    for path in FILES:
        name = os.path.splitext(os.path.basename(path))[0]
        result, dot = run(path)
        json.dump(result, open(os.path.join(OUT, name + '.json'), 'w'), indent=1)
        open(os.path.join(OUT, name + '.dot'), 'w').write(dot)
        json.dump(graph_statements(dot), open(os.path.join(OUT, name + '.graph.json'), 'w'), indent=1)
        print('wrote', name)


if __name__ == '__main__':
    main()
