"""layers.json for NNVizNNTests: nn modules, their PyTorch initialisation, outputs and gradients."""
import os

import torch
import torch.nn as nn

from fixture_io import NN, enc, enc_opt, grad_fn_names, write_json


def explicit(shape, seed, scale=1.0, decimals=2):
    """A fixed input: randn under its own seed, scaled and rounded to `decimals` (the stored values are the exact
    float32 numbers, so nothing depends on reproducing this recipe)."""
    g = torch.Generator().manual_seed(seed)
    return torch.round(torch.randn(*shape, generator=g) * scale, decimals=decimals)


def named_params(m):
    return [{'name': k, 'value': enc(p)} for k, p in m.named_parameters()]


def param_grads(m):
    return [{'name': k, 'grad': enc_opt(p.grad)} for k, p in m.named_parameters()]


# MARK: - layers

def _layer_specs():
    """(name, constructor text, factory, input factory, mode, extra) for every layer case."""
    specs = [
        ('linear', 'nn.Linear(3, 2)', lambda: nn.Linear(3, 2), lambda: explicit((4, 3), 101), 'train'),
        ('linear_nobias', 'nn.Linear(3, 2, bias=False)', lambda: nn.Linear(3, 2, bias=False),
         lambda: explicit((4, 3), 102), 'train'),
        ('rnncell_tanh', "nn.RNNCell(1, 4, nonlinearity='tanh')", lambda: nn.RNNCell(1, 4),
         lambda: explicit((3, 1), 103), 'train'),
        ('rnncell_relu', "nn.RNNCell(1, 4, nonlinearity='relu')", lambda: nn.RNNCell(1, 4, nonlinearity='relu'),
         lambda: explicit((3, 1), 104), 'train'),
        ('rnn_tanh', "nn.RNN(2, 3, num_layers=2, batch_first=True)",
         lambda: nn.RNN(2, 3, num_layers=2, batch_first=True), lambda: explicit((2, 4, 2), 105), 'train'),
        ('rnn_relu', "nn.RNN(2, 3, num_layers=2, nonlinearity='relu', batch_first=True)",
         lambda: nn.RNN(2, 3, num_layers=2, nonlinearity='relu', batch_first=True),
         lambda: explicit((2, 4, 2), 106), 'train'),
        ('lstm', 'nn.LSTM(2, 3, batch_first=True)', lambda: nn.LSTM(2, 3, batch_first=True),
         lambda: explicit((2, 4, 2), 107), 'train'),
        ('conv2d_pad', 'nn.Conv2d(1, 2, 3, stride=1, padding=1)', lambda: nn.Conv2d(1, 2, 3, stride=1, padding=1),
         lambda: explicit((2, 1, 4, 5), 108), 'train'),
        ('conv2d_stride', 'nn.Conv2d(2, 3, (2, 2), stride=2)', lambda: nn.Conv2d(2, 3, (2, 2), stride=2),
         lambda: explicit((1, 2, 5, 4), 109), 'train'),
        ('maxpool2d_2', 'nn.MaxPool2d(2)', lambda: nn.MaxPool2d(2), lambda: explicit((1, 2, 4, 5), 110), 'train'),
        ('maxpool2d_3s2', 'nn.MaxPool2d(3, stride=2)', lambda: nn.MaxPool2d(3, stride=2),
         lambda: explicit((1, 1, 7, 6), 111), 'train'),
        ('batchnorm1d_train', 'nn.BatchNorm1d(3)', lambda: nn.BatchNorm1d(3),
         lambda: explicit((4, 3), 112, scale=2.0), 'train'),
        ('batchnorm1d_eval', 'nn.BatchNorm1d(3)', lambda: nn.BatchNorm1d(3),
         lambda: explicit((4, 3), 112, scale=2.0), 'eval_after_train'),
        ('batchnorm2d_train', 'nn.BatchNorm2d(2)', lambda: nn.BatchNorm2d(2),
         lambda: explicit((2, 2, 3, 3), 113), 'train'),
        ('embedding', 'nn.Embedding(10, 3)', lambda: nn.Embedding(10, 3),
         lambda: torch.tensor([[1, 2, 4, 5], [4, 3, 2, 9]]), 'train'),
        ('flatten', 'nn.Flatten()', lambda: nn.Flatten(), lambda: explicit((2, 2, 2, 3), 114), 'train'),
        ('dropout_eval', 'nn.Dropout(0.5)', lambda: nn.Dropout(0.5), lambda: explicit((2, 5), 115), 'eval'),
    ]
    return specs


def _forward(name, m, x, h0):
    if name.startswith('rnncell'):
        return m(x, h0) if h0 is not None else m(x), None
    if name.startswith('rnn') or name == 'lstm':
        out, state = m(x, h0) if h0 is not None else m(x)
        return out, state
    return m(x), None


def _initial_state(name, m, seed):
    if name.startswith('rnncell'):
        return explicit((3, 4), seed, scale=0.5)
    if name.startswith('rnn'):
        return explicit((2, 2, 3), seed, scale=0.5)
    if name == 'lstm':
        return (explicit((1, 2, 3), seed, scale=0.5), explicit((1, 2, 3), seed + 1, scale=0.5))
    return None


def _layer_case(name, ctor, factory, make_input, mode, seed, with_state):
    torch.manual_seed(seed)
    m = factory()
    init = named_params(m)
    buffers_before = [{'name': k, 'value': enc(b)} for k, b in m.named_buffers()]
    x = make_input()
    case = {'name': name, 'module': ctor, 'seed': seed, 'mode': mode, 'parameters': init}
    if buffers_before:
        case['buffers_initial'] = buffers_before
    if mode == 'eval_after_train':
        m.train()
        warm = explicit(tuple(x.shape), 212, scale=3.0)
        m(warm)
        case['train_step_input'] = enc(warm)
        case['buffers_after_train_step'] = [{'name': k, 'value': enc(b)} for k, b in m.named_buffers()]
        m.eval()
    elif mode == 'eval':
        m.eval()
    else:
        m.train()
    if x.is_floating_point():
        x.requires_grad_(True)
    case['input'] = enc(x)
    h0 = _initial_state(name, m, 300 + seed) if with_state else None
    if h0 is not None:
        states = h0 if isinstance(h0, tuple) else (h0,)
        for s in states:
            s.requires_grad_(True)
        case['initial_state'] = [enc(s) for s in states]
    out, state = _forward(name, m, x, h0)
    w = explicit(tuple(out.shape), 500 + len(name), scale=1.0)
    loss = (out * w).sum()
    loss.backward()
    case['loss_weight'] = enc(w)
    case['output'] = enc(out)
    if state is not None:
        states = state if isinstance(state, tuple) else (state,)
        case['state'] = [enc(s) for s in states]
    case['loss'] = loss.item()
    case['input_grad'] = enc_opt(x.grad) if x.is_floating_point() else None
    if h0 is not None:
        case['initial_state_grad'] = [enc(s.grad) for s in (h0 if isinstance(h0, tuple) else (h0,))]
    case['parameter_grads'] = param_grads(m)
    bufs = [{'name': k, 'value': enc(b)} for k, b in m.named_buffers()]
    if bufs and mode == 'train':
        case['buffers_after_forward'] = bufs
    case['grad_fns'] = grad_fn_names(out)
    return case


def make_layers():
    cases = []
    for name, ctor, factory, make_input, mode in _layer_specs():
        random_init = len(list(factory().parameters())) > 0 and not name.startswith('batchnorm')
        for seed in ([0, 1] if random_init else [0]):
            cases.append(_layer_case(name, ctor, factory, make_input, mode, seed, False))
        if name.startswith('rnn') or name == 'lstm':
            cases.append(_layer_case(name, ctor, factory, make_input, mode, 0, True))
    write_json(os.path.join(NN, 'layers.json'), {
        'about': 'nn modules: parameters after torch.manual_seed(seed) + construction, output and gradients of '
                 'loss = (output * loss_weight).sum(). See Tests/tools/README.md.',
        'cases': cases,
    })
