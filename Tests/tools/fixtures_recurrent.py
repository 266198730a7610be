"""recurrent.json for NNVizNNTests (GRUCell, GRU, bidirectional RNN/LSTM/GRU: initialisation, outputs, final
states, every gradient and the grad_fn chain) and torchviz graphs of them for NNVizGraphTests."""
import os

import json
import re

import torch
import torch.nn as nn
import torchviz

import make_cli_fixtures

from fixture_io import NN, ROOT, enc, grad_fn_names, write_json
from fixtures_graphs import _named, _render, _values
from fixtures_layers import explicit, named_params, param_grads

# (name, kind, config, input shape, initial-state shape or None); every case runs without and, when a shape is
# given, with an initial state.
_CASES = [
    ('grucell', 'GRUCell', {}, (2, 4), (2, 3)),
    ('grucell_unbatched', 'GRUCell', {}, (4,), (3,)),
    ('grucell_nobias', 'GRUCell', {'bias': False}, (2, 4), None),
    ('gru', 'GRU', {}, (5, 2, 4), (1, 2, 3)),
    ('gru2_batch_first', 'GRU', {'num_layers': 2, 'batch_first': True}, (2, 5, 4), (2, 2, 3)),
    ('gru_nobias', 'GRU', {'bias': False}, (5, 2, 4), None),
    ('gru_unbatched', 'GRU', {}, (5, 4), (1, 3)),
    ('rnn_bidirectional', 'RNN', {'bidirectional': True}, (5, 2, 4), (2, 2, 3)),
    ('rnn2_bidirectional_batch_first', 'RNN', {'num_layers': 2, 'bidirectional': True, 'batch_first': True},
     (2, 5, 4), (4, 2, 3)),
    ('lstm_bidirectional', 'LSTM', {'bidirectional': True}, (5, 2, 4), (2, 2, 3)),
    ('lstm2_bidirectional_batch_first', 'LSTM', {'num_layers': 2, 'bidirectional': True, 'batch_first': True},
     (2, 5, 4), (4, 2, 3)),
    ('gru_bidirectional', 'GRU', {'bidirectional': True}, (5, 2, 4), (2, 2, 3)),
    ('gru2_bidirectional_batch_first', 'GRU', {'num_layers': 2, 'bidirectional': True, 'batch_first': True},
     (2, 5, 4), (4, 2, 3)),
    ('gru2_bidirectional_nobias', 'GRU', {'num_layers': 2, 'bidirectional': True, 'bias': False}, (5, 2, 4), None),
]


def _constructor(kind, config):
    args = ['4', '3'] + ['%s=%r' % (k, v) for k, v in config.items()]
    return 'nn.%s(%s)' % (kind, ', '.join(args))


def _case(name, kind, config, input_shape, state_shape, seed, with_state):
    torch.manual_seed(seed)
    m = getattr(nn, kind)(4, 3, **config)
    m.train()
    case = {'name': name, 'kind': kind, 'module': _constructor(kind, config), 'seed': seed,
            'config': {'num_layers': config.get('num_layers', 1), 'bias': config.get('bias', True),
                       'batch_first': config.get('batch_first', False),
                       'bidirectional': config.get('bidirectional', False)},
            'parameters': named_params(m)}
    x = explicit(input_shape, 700 + len(name) + seed).requires_grad_(True)
    case['input'] = enc(x)
    states = []
    if with_state:
        count = 2 if kind == 'LSTM' else 1
        states = [explicit(state_shape, 800 + len(name) + i, scale=0.5).requires_grad_(True) for i in range(count)]
        case['initial_state'] = [enc(s) for s in states]
    if kind == 'GRUCell':
        out = m(x, states[0]) if states else m(x)
        finals = []
    elif kind == 'LSTM':
        out, (h, c) = m(x, tuple(states)) if states else m(x)
        finals = [h, c]
    else:
        out, h = m(x, states[0]) if states else m(x)
        finals = [h]
    w = explicit(tuple(out.shape), 900 + len(name))
    state_weights = [explicit(tuple(f.shape), 950 + i) for i, f in enumerate(finals)]
    loss = (out * w).sum()
    for f, sw in zip(finals, state_weights):
        loss = loss + (f * sw).sum()
    loss.backward()
    case.update({
        'loss_weight': enc(w), 'state_loss_weights': [enc(sw) for sw in state_weights],
        'output': enc(out), 'state': [enc(f) for f in finals], 'loss': loss.item(),
        'input_grad': enc(x.grad), 'initial_state_grad': [enc(s.grad) for s in states],
        'parameter_grads': param_grads(m), 'grad_fns': grad_fn_names(loss),
    })
    return case


def _graphs():
    torch.manual_seed(0)
    net = nn.Module()
    net.cell = nn.GRUCell(2, 3)
    net.head = nn.Linear(3, 1)
    xs = explicit((3, 2, 2), 1101)
    target = explicit((2, 1), 1102)
    h = net.cell(xs[0])
    for t in range(1, 3):
        h = net.cell(xs[t], h)
    loss = nn.MSELoss()(net.head(h), target)
    for suffix, shown in [('', False), ('_attrs_saved', True)]:
        _render('grucell_unrolled3_loss' + suffix, 'torch.manual_seed(0); cell = nn.GRUCell(2, 3); head = nn.Linear(3, 1) '
                '(parameters cell.*, head.*); xs (3, 2, 2) and target (2, 1) as stored; h = cell(xs[0]); '
                'for t in 1..<3: h = cell(xs[t], h); loss = nn.MSELoss()(head(h), target); '
                'make_dot(loss, params, show_attrs=%s, show_saved=%s)' % (shown, shown),
                loss, _named(net), show_attrs=shown, show_saved=shown, tensors=_values(net, xs=xs, target=target))
    torch.manual_seed(0)
    net = nn.Module()
    net.rnn = nn.GRU(2, 3, num_layers=2)
    x = explicit((3, 2, 2), 1105)
    h0 = explicit((2, 2, 3), 1106, scale=0.5).requires_grad_(True)
    out, hn = net.rnn(x, h0)
    total = out.sum() + hn.sum()
    _render('gru2_h0_attrs_saved', 'torch.manual_seed(0); rnn = nn.GRU(2, 3, num_layers=2) (parameters rnn.*, h0); '
            'x (3, 2, 2) and h0 (2, 2, 3, requires_grad) as stored; out, hn = rnn(x, h0); '
            'make_dot(out.sum() + hn.sum(), params, show_attrs=True, show_saved=True)',
            total, dict(_named(net), h0=h0), show_attrs=True, show_saved=True,
            tensors=_values(net, x=x, h0=h0))
    for kind, layers in [('RNN', 1), ('LSTM', 2), ('GRU', 2)]:
        torch.manual_seed(0)
        net = nn.Module()
        net.rnn = getattr(nn, kind)(2, 3, num_layers=layers, batch_first=True, bidirectional=True)
        net.head = nn.Linear(6, 1)
        x = explicit((2, 4, 2), 1103)
        target = explicit((2, 1), 1104)
        out, _ = net.rnn(x)
        loss = nn.MSELoss()(net.head(out[:, -1, :]), target)
        name = '%s%d_bidirectional_loss' % (kind.lower(), layers)
        _render(name, 'torch.manual_seed(0); rnn = nn.%s(2, 3, num_layers=%d, batch_first=True, bidirectional=True); '
                'head = nn.Linear(6, 1) (parameters rnn.*, head.*); x (2, 4, 2) and target (2, 1) as stored; '
                'out, _ = rnn(x); loss = nn.MSELoss()(head(out[:, -1, :]), target); make_dot(loss, params)'
                % (kind, layers), loss, _named(net), tensors=_values(net, x=x, target=target))


def _model_file():
    """The PyTorch twin of Tests/NNVizCLITests/Fixtures/gru_bilstm_model.yaml, as `nnviz inspect --json` reports it."""
    torch.manual_seed(5)
    net = nn.Module()
    net.gru = nn.GRU(4, 5, num_layers=2, batch_first=True)
    net.lstm = nn.LSTM(5, 3, bidirectional=True, batch_first=True)
    net.head = nn.Linear(6, 3)
    x = torch.randn(2, 6, 4)
    target = torch.tensor([2, 0])
    sequence, _ = net.gru(x)
    last, _ = net.lstm(sequence)
    output = net.head(last[:, -1, :])
    loss = nn.CrossEntropyLoss()(output, target)
    loss.backward()
    write_json(os.path.join(ROOT, 'NNVizCLITests', 'Fixtures', 'gru_bilstm_model.json'), {
        'output': output.tolist(), 'loss': loss.item(),
        'parameters': {k: {'shape': list(p.shape), 'value': p.tolist(), 'grad': p.grad.tolist()}
                       for k, p in net.named_parameters()},
    })


def _sample():
    """The PyTorch twin of samples/gru_sequence.yaml, written as make_cli_fixtures.py writes the oracle's results
    (torch_oracle.py has no GRU)."""
    torch.manual_seed(7)
    net = nn.Module()
    net.embed = nn.Embedding(10, 4)
    net.gru = nn.GRU(4, 6, batch_first=True, bidirectional=True)
    net.head = nn.Linear(12, 3)
    x = torch.tensor([[1, 4, 2, 9, 0], [3, 3, 7, 1, 5]])
    target = torch.tensor([2, 0])
    sequence, _ = net.gru(net.embed(x))
    output = net.head(sequence[:, -1, :])
    loss = nn.CrossEntropyLoss()(output, target)
    params = dict(net.named_parameters())
    ids = {}
    dot = re.sub(r'\b\d{6,}\b', lambda m: ids.setdefault(m.group(0), str(len(ids) + 1)),
                 torchviz.make_dot(loss, params=params).source)
    loss.backward()
    result = {'output': make_cli_fixtures.trim(output.tolist()), 'loss': loss.item(),
              'parameters': {k: {'shape': list(p.shape), 'value': make_cli_fixtures.trim(p.tolist()),
                                 'grad': make_cli_fixtures.trim(p.grad.tolist())} for k, p in params.items()}}
    out = make_cli_fixtures.OUT
    json.dump(result, open(os.path.join(out, 'gru_sequence.json'), 'w'), indent=1)
    open(os.path.join(out, 'gru_sequence.dot'), 'w').write(dot)
    json.dump(make_cli_fixtures.graph_statements(dot), open(os.path.join(out, 'gru_sequence.graph.json'), 'w'), indent=1)
    print('wrote NNVizCLITests/Fixtures/gru_sequence.{json,dot,graph.json}')


def make_recurrent():
    cases = []
    for name, kind, config, input_shape, state_shape in _CASES:
        for seed in (0, 1):
            cases.append(_case(name, kind, config, input_shape, state_shape, seed, False))
        if state_shape is not None:
            cases.append(_case(name, kind, config, input_shape, state_shape, 0, True))
    write_json(os.path.join(NN, 'recurrent.json'), {
        'about': 'GRUCell, GRU and bidirectional RNN/LSTM/GRU (input_size 4, hidden_size 3, the listed config): '
                 'parameters after torch.manual_seed(seed) + construction, output, final states and gradients of '
                 'loss = (output * loss_weight).sum() + sum((state_i * state_loss_weights[i]).sum()), grad_fn '
                 'names of loss. See Tests/tools/README.md.',
        'cases': cases,
    })
    _graphs()
    _model_file()
    _sample()
