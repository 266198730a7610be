"""torchviz make_dot fixtures for NNVizGraphTests: NAME.dot (torchviz's source, ids renumbered) + NAME.json."""
import os
import re

import graphviz
import torch
import torch.nn as nn
import torchviz.dot

from fixture_io import GRAPH, NN, enc, write_json
from fixtures_layers import explicit


class _RecordingDigraph(graphviz.Digraph):
    """graphviz.Digraph that also keeps every node/edge call torchviz makes, in order."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls = []

    def node(self, name, label=None, _attributes=None, **attrs):
        self.calls.append(('node', name, label, dict(attrs)))
        super().node(name, label, _attributes, **attrs)

    def edge(self, tail_name, head_name, label=None, _attributes=None, **attrs):
        self.calls.append(('edge', tail_name, head_name, dict(attrs)))
        super().edge(tail_name, head_name, label, _attributes, **attrs)


torchviz.dot.Digraph = _RecordingDigraph


def _render(name, description, var, params, show_attrs=False, show_saved=False, tensors=None, nn_copy=False):
    """Writes NAME.dot and NAME.json for NNVizGraphTests; with nn_copy also NAME.json into NNVizNNTests' graphs/,
    whose layer tests hold their grad_fn topology against torchviz's walk (each test target reads its own fixtures)."""
    dot = torchviz.make_dot(var, params=params, show_attrs=show_attrs, show_saved=show_saved)
    ids = {}
    for call in dot.calls:
        for raw in (call[1], call[2]) if call[0] == 'edge' else (call[1],):
            ids.setdefault(raw, str(len(ids) + 1))
    source = dot.source
    source = re.sub(r'\b\d{6,}\b', lambda m: ids.get(m.group(0), m.group(0)), source)
    with open(os.path.join(GRAPH, name + '.dot'), 'w') as f:
        f.write(source)
    statements = []
    for call in dot.calls:
        if call[0] == 'node':
            statements.append({'kind': 'node', 'id': ids[call[1]], 'label': call[2], 'attributes': call[3]})
        else:
            statements.append({'kind': 'edge', 'tail': ids[call[1]], 'head': ids[call[2]], 'attributes': call[3]})
    nodes = {s['id'] for s in statements if s['kind'] == 'node'}
    fixture = {
        'name': name,
        'description': description,
        'make_dot': {'params': sorted(params or {}), 'show_attrs': show_attrs, 'show_saved': show_saved},
        'graph_size': dot.graph_attr['size'],
        'node_count': len(nodes),
        'edge_count': sum(1 for s in statements if s['kind'] == 'edge'),
        'tensors': tensors or {},
        'statements': statements,
    }
    write_json(os.path.join(GRAPH, name + '.json'), fixture)
    if nn_copy:
        os.makedirs(os.path.join(NN, 'graphs'), exist_ok=True)
        write_json(os.path.join(NN, 'graphs', name + '.json'), fixture)


def _named(module):
    return dict(module.named_parameters())


def _values(module, **extra):
    out = {k: enc(p) for k, p in module.named_parameters()}
    out.update({k: enc(v) for k, v in extra.items()})
    return out


def seed1_mlp():
    torch.manual_seed(1)
    net = nn.Module()
    net.fc1 = nn.Linear(3, 2)
    net.fc2 = nn.Linear(2, 1)
    x = torch.tensor([[1.0, 2.0, 3.0]])
    t = torch.tensor([[1.0]])
    loss = nn.MSELoss()(net.fc2(torch.relu(net.fc1(x))), t)
    _render('seed1_mlp_loss', 'torch.manual_seed(1); fc1 = nn.Linear(3, 2); fc2 = nn.Linear(2, 1) (parameters named '
            'fc1.weight, fc1.bias, fc2.weight, fc2.bias); x = [[1, 2, 3]]; '
            'loss = nn.MSELoss()(fc2(relu(fc1(x))), [[1]]); make_dot(loss, params)',
            loss, _named(net), tensors=_values(net, x=x, target=t))


def tanh_neuron():
    def build():
        net = nn.Module()
        net.layer1 = nn.Linear(2, 1)
        with torch.no_grad():
            net.layer1.weight.copy_(torch.tensor([[0.6, -0.2]]))
            net.layer1.bias.copy_(torch.tensor([0.8]))
        x = torch.tensor([[1.0, 2.0]])
        y = torch.tanh(net.layer1(x))
        return net, x, y, nn.MSELoss()(y, torch.tensor([[1.0]]))
    text = ('layer1 = nn.Linear(2, 1) with weight [[0.6, -0.2]], bias [0.8] (parameters named layer1.weight, '
            'layer1.bias); x = [[1, 2]]; y = tanh(layer1(x)); loss = nn.MSELoss()(y, [[1]]); ')
    net, x, y, loss = build()
    _render('tanh_neuron_output', text + 'make_dot(y, params)', y, _named(net), tensors=_values(net, x=x))
    _render('tanh_neuron_loss', text + 'make_dot(loss, params)', loss, _named(net), tensors=_values(net, x=x))
    for attrs, saved, suffix in [(True, False, 'attrs'), (False, True, 'saved'), (True, True, 'attrs_saved')]:
        net, x, y, loss = build()
        _render('tanh_neuron_loss_' + suffix,
                text + 'make_dot(loss, params, show_attrs=%s, show_saved=%s)' % (attrs, saved),
                loss, _named(net), show_attrs=attrs, show_saved=saved, tensors=_values(net, x=x))


def linear_nobias():
    torch.manual_seed(0)
    net = nn.Module()
    net.fc = nn.Linear(3, 2, bias=False)
    x = explicit((4, 3), 1001)
    out = net.fc(x)
    _render('linear_nobias_output', 'torch.manual_seed(0); fc = nn.Linear(3, 2, bias=False) (parameter fc.weight); '
            'x (4, 3) as stored; out = fc(x); make_dot(out, params)', out, _named(net), tensors=_values(net, x=x))


def cnn():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.BatchNorm2d(2), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                        nn.Linear(8, 3))
    init = _values(net)
    x = explicit((2, 1, 4, 4), 1002)
    target = torch.tensor([0, 2])
    loss = nn.CrossEntropyLoss()(net(x), target)
    init.update(x=enc(x), target=enc(target))
    _render('cnn_loss', 'torch.manual_seed(0); net = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.BatchNorm2d(2), '
            'nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8, 3)) in train mode (parameters named 0.weight, '
            '0.bias, 1.weight, 1.bias, 5.weight, 5.bias); x (2, 1, 4, 4) as stored; '
            'loss = nn.CrossEntropyLoss()(net(x), [0, 2]); make_dot(loss, params)', loss, _named(net), tensors=init,
            nn_copy=True)


def rnncell_unrolled():
    torch.manual_seed(0)
    net = nn.Module()
    net.cell = nn.RNNCell(1, 4)
    net.head = nn.Linear(4, 1)
    xs = explicit((3, 2, 1), 1003)
    target = explicit((2, 1), 1004)
    h = torch.zeros(2, 4)
    for t in range(3):
        h = net.cell(xs[t], h)
    loss = nn.MSELoss()(net.head(h), target)
    _render('rnncell_unrolled3_loss', 'torch.manual_seed(0); cell = nn.RNNCell(1, 4); head = nn.Linear(4, 1) '
            '(parameters cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh, head.weight, head.bias); '
            'xs (3, 2, 1) and target (2, 1) as stored; h = zeros(2, 4); for t in 0..<3: h = cell(xs[t], h); '
            'loss = nn.MSELoss()(head(h), target); make_dot(loss, params)', loss, _named(net),
            tensors=_values(net, xs=xs, target=target), nn_copy=True)


def rnn_last_step(kind):
    torch.manual_seed(0)
    net = nn.Module()
    ctor = 'nn.RNN(1, 8, batch_first=True)' if kind == 'rnn' else 'nn.LSTM(1, 4, batch_first=True)'
    net.rnn = nn.RNN(1, 8, batch_first=True) if kind == 'rnn' else nn.LSTM(1, 4, batch_first=True)
    net.head = nn.Linear(8 if kind == 'rnn' else 4, 1)
    x = explicit((2, 5, 1), 1005)
    target = explicit((2, 1), 1006)
    out, _ = net.rnn(x)
    loss = nn.MSELoss()(net.head(out[:, -1, :]), target)
    names = ', '.join('rnn.' + k for k, _ in net.rnn.named_parameters())
    _render('%s_last_step_loss' % kind, 'torch.manual_seed(0); rnn = %s; head = nn.Linear(%d, 1) (parameters %s, '
            'head.weight, head.bias); x (2, 5, 1) and target (2, 1) as stored; out, _ = rnn(x); '
            'loss = nn.MSELoss()(head(out[:, -1, :]), target); make_dot(loss, params)'
            % (ctor, 8 if kind == 'rnn' else 4, names), loss, _named(net), tensors=_values(net, x=x, target=target),
            nn_copy=kind == 'rnn')


def small_cases():
    a = torch.tensor([2.0], requires_grad=True)
    _render('square_parallel_edges', 'a = tensor([2.0], requires_grad=True) (param a); out = a * a; '
            'make_dot(out, params={"a": a})', a * a, {'a': a}, tensors={'a': enc(a)})
    x = torch.tensor([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]], requires_grad=True)
    y = x * 2.0
    v = y.view(3, 2)
    _render('view_output', 'x = (2, 3) as stored, requires_grad (param x); y = x * 2.0; out = y.view(3, 2); '
            'make_dot(out, params={"x": x})', v, {'x': x}, tensors={'x': enc(x)})
    torch.manual_seed(0)
    net = nn.Module()
    net.fc = nn.Linear(3, 2)
    xin = explicit((4, 3), 1007)
    y1 = net.fc(xin)
    y2 = torch.tanh(y1).sum()
    _render('tuple_outputs', 'torch.manual_seed(0); fc = nn.Linear(3, 2) (parameters fc.weight, fc.bias); x (4, 3) '
            'as stored; y1 = fc(x); y2 = tanh(y1).sum(); make_dot((y1, y2), params)', (y1, y2), _named(net),
            tensors=_values(net, x=xin))


def make_graphs():
    seed1_mlp()
    tanh_neuron()
    linear_nobias()
    cnn()
    rnncell_unrolled()
    rnn_last_step('rnn')
    rnn_last_step('lstm')
    small_cases()
