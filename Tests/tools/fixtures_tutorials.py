"""tutorials.json for NNVizNNTests: the seed tutorials, the sine-wave RNN and the 100-1000-10 blog network."""
import math
import os

import torch
import torch.nn as nn

from fixture_io import NN, enc, grad_fn_names, write_json
from fixtures_layers import named_params, param_grads


# MARK: - tutorials (a) and (b)

def tutorial_seed1_mlp():
    torch.manual_seed(1)
    fc1 = nn.Linear(3, 2)
    fc2 = nn.Linear(2, 1)
    init = [{'name': 'fc1.' + k, 'value': enc(p)} for k, p in fc1.named_parameters()] + \
           [{'name': 'fc2.' + k, 'value': enc(p)} for k, p in fc2.named_parameters()]
    x = torch.tensor([[1.0, 2.0, 3.0]])
    target = torch.tensor([[1.0]])
    u1 = fc1(x)
    z1 = torch.relu(u1)
    y = fc2(z1)
    loss = nn.MSELoss()(y, target)
    loss.backward()
    grads = [{'name': 'fc1.' + k, 'grad': enc(p.grad)} for k, p in fc1.named_parameters()] + \
            [{'name': 'fc2.' + k, 'grad': enc(p.grad)} for k, p in fc2.named_parameters()]
    return {
        'name': 'seed1_mlp',
        'description': 'torch.manual_seed(1); fc1 = nn.Linear(3, 2); fc2 = nn.Linear(2, 1); x = [[1, 2, 3]]; '
                       'u1 = fc1(x); z1 = relu(u1); y = fc2(z1); loss = nn.MSELoss()(y, [[1]]); loss.backward()',
        'seed': 1,
        'parameters': init,
        'input': enc(x), 'target': enc(target),
        'u1': enc(u1), 'z1': enc(z1), 'y': enc(y), 'loss': loss.item(),
        'grads': grads,
        'grad_fns': grad_fn_names(loss),
    }


def tutorial_tanh_neuron():
    layer = nn.Linear(2, 1)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor([[0.6, -0.2]]))
        layer.bias.copy_(torch.tensor([0.8]))
    x = torch.tensor([[1.0, 2.0]])
    target = torch.tensor([[1.0]])
    u = layer(x)
    y = torch.tanh(u)
    loss = nn.MSELoss()(y, target)
    loss.backward()
    return {
        'name': 'tanh_neuron',
        'description': 'layer = nn.Linear(2, 1) with weight [[0.6, -0.2]], bias [0.8]; x = [[1, 2]]; '
                       'y = tanh(layer(x)); loss = nn.MSELoss()(y, [[1]]); loss.backward()',
        'parameters': named_params(layer),
        'input': enc(x), 'target': enc(target),
        'u': enc(u), 'y': enc(y), 'loss': loss.item(),
        'grads': param_grads(layer),
        'grad_fns': grad_fn_names(loss),
    }


# MARK: - (c) sine-wave RNN

SINE_POINTS, SINE_WINDOW, SINE_HIDDEN, SINE_EPOCHS, SINE_LR = 201, 25, 32, 100, 0.05


def sine_data():
    """torch.manual_seed(0); t = linspace(0, 4π, 201); series = sin(t) + 0.1 * randn(201);
    window i (0 ≤ i < 176) is series[i ..< i+25] as (25, 1), its target series[i+25]."""
    torch.manual_seed(0)
    t = torch.linspace(0, 4 * math.pi, SINE_POINTS)
    noise = torch.randn(SINE_POINTS)
    series = torch.sin(t) + 0.1 * noise
    count = SINE_POINTS - SINE_WINDOW
    inputs = torch.stack([series[i:i + SINE_WINDOW] for i in range(count)]).unsqueeze(-1)
    targets = series[SINE_WINDOW:].unsqueeze(-1)
    return t, noise, series, inputs, targets


class CellRNN(nn.Module):
    """The article's hand-written loop: h = cell(x[:, t], h) over the window, then a linear head."""

    def __init__(self):
        super().__init__()
        self.cell = nn.RNNCell(1, SINE_HIDDEN)
        self.fc = nn.Linear(SINE_HIDDEN, 1)

    def forward(self, x):
        h = torch.zeros(x.shape[0], SINE_HIDDEN)
        for step in range(x.shape[1]):
            h = self.cell(x[:, step], h)
        return self.fc(h)


class BuiltinRNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(1, SINE_HIDDEN, batch_first=True)
        self.fc = nn.Linear(SINE_HIDDEN, 1)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.fc(out[:, -1, :])


def _train_sine(model_class, inputs, targets):
    torch.manual_seed(1)
    model = model_class()
    init = named_params(model)
    opt = torch.optim.SGD(model.parameters(), lr=SINE_LR)
    losses = []
    for _ in range(SINE_EPOCHS):
        opt.zero_grad()
        loss = nn.MSELoss()(model(inputs), targets)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    with torch.no_grad():
        prediction = model(inputs)
        final = nn.MSELoss()(prediction, targets).item()
    return model, init, losses, final, prediction


def tutorial_sine_rnn():
    t, noise, series, inputs, targets = sine_data()
    _, cell_init, cell_losses, cell_final, cell_pred = _train_sine(CellRNN, inputs, targets)
    _, rnn_init, rnn_losses, rnn_final, rnn_pred = _train_sine(BuiltinRNN, inputs, targets)
    same_init = [p['value'] for p in cell_init] == [p['value'] for p in rnn_init]
    assert same_init, 'RNNCell and RNN initialisations were expected to coincide'
    return {
        'name': 'sine_rnn',
        'description': 'Data: torch.manual_seed(0); t = torch.linspace(0, 4*pi, 201); noise = torch.randn(201); '
                       'series = torch.sin(t) + 0.1 * noise; inputs[i] = series[i:i+25] (i = 0..175) as (176, 25, 1); '
                       'targets[i] = series[i+25] as (176, 1). Models (each after torch.manual_seed(1)): cell model = '
                       'nn.RNNCell(1, 32) named cell + nn.Linear(32, 1) named fc, h = zeros(176, 32), '
                       'h = cell(inputs[:, s], h) for s in 0..24, output fc(h); builtin model = '
                       'nn.RNN(1, 32, batch_first=True) named rnn + nn.Linear(32, 1) named fc, output '
                       'fc(rnn(inputs)[0][:, -1, :]). Training: torch.optim.SGD(lr=0.05), 100 full-batch steps of '
                       'nn.MSELoss(); losses[e] is the loss computed before step e; final_loss after the last step.',
        'series_t': enc(t), 'noise': enc(noise), 'series': enc(series),
        'window': SINE_WINDOW, 'window_count': inputs.shape[0], 'hidden': SINE_HIDDEN,
        'epochs': SINE_EPOCHS, 'lr': SINE_LR,
        'cell_model': {'parameters': cell_init, 'losses': cell_losses, 'final_loss': cell_final,
                       'final_prediction': enc(cell_pred)},
        'builtin_model': {'parameter_names': [p['name'] for p in rnn_init],
                          'parameters_note': 'same values as cell_model.parameters, in the same order',
                          'losses': rnn_losses, 'final_loss': rnn_final},
    }


# MARK: - (d) the 100 → 1000 → 10 blog network

def _summary(t):
    flat = t.detach().reshape(-1).double()
    return {'shape': list(t.shape), 'first': t.detach().reshape(-1)[:8].tolist(),
            'last': t.detach().reshape(-1)[-4:].tolist(),
            'sum': flat.sum().item(), 'sum_of_squares': (flat * flat).sum().item()}


def tutorial_blog_network(steps=1000):
    torch.manual_seed(0)
    x = torch.randn(100, 100)
    y = torch.randn(100, 10)
    model = nn.Sequential(nn.Linear(100, 1000, bias=False), nn.ReLU(), nn.Linear(1000, 10, bias=False))
    w1 = model[0].weight.detach().clone()
    w2 = model[2].weight.detach().clone()
    opt = torch.optim.SGD(model.parameters(), lr=1e-5, momentum=0.8, nesterov=True, weight_decay=1e-8)
    loss_fn = nn.MSELoss(reduction='sum')
    auto_losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        if not auto_losses:
            auto_grads = (model[0].weight.grad.clone(), model[2].weight.grad.clone())
        opt.step()
        auto_losses.append(loss.item())

    # the same training with hand-written gradients and the same SGD update written out
    a, b = w1.clone(), w2.clone()
    buf_a = buf_b = None
    manual_losses = []
    for _ in range(steps):
        h = x @ a.t()
        h_relu = h.clamp(min=0)
        y_pred = h_relu @ b.t()
        manual_losses.append((y_pred - y).pow(2).sum().item())
        grad_y_pred = 2.0 * (y_pred - y)
        grad_b = grad_y_pred.t() @ h_relu
        grad_h = (grad_y_pred @ b) * (h > 0)
        grad_a = grad_h.t() @ x
        if buf_a is None:
            manual_grads = (grad_a.clone(), grad_b.clone())
        updates = []
        for p, g, buf in ((a, grad_a, buf_a), (b, grad_b, buf_b)):
            d = g + 1e-8 * p
            buf = d.clone() if buf is None else 0.8 * buf + d
            p -= 1e-5 * (d + 0.8 * buf)
            updates.append(buf)
        buf_a, buf_b = updates
    marks = [0, 1, 2, 10, 100, 999]
    return {
        'name': 'blog_network',
        'description': 'torch.manual_seed(0); x = torch.randn(100, 100); y = torch.randn(100, 10); model = '
                       'nn.Sequential(nn.Linear(100, 1000, bias=False), nn.ReLU(), nn.Linear(1000, 10, bias=False)); '
                       'SGD(lr=1e-5, momentum=0.8, nesterov=True, weight_decay=1e-8); loss = '
                       'nn.MSELoss(reduction="sum")(model(x), y); 1000 steps; losses[k] is the loss before step k. '
                       'manual: the same initial weights, h = x @ w1.T, y_pred = relu(h) @ w2.T, gradients written '
                       'out (grad_y = 2 (y_pred - y), grad_w2 = grad_y.T @ relu(h), grad_w1 = ((grad_y @ w2) * (h > 0)).T '
                       '@ x) and the SGD update written out (d = g + wd p; buf = d on the first step, else 0.8 buf + d; '
                       'p -= lr (d + 0.8 buf)). Large tensors are stored as summaries (first/last values, sums in double).',
        'x': _summary(x), 'y': _summary(y), 'w1': _summary(w1), 'w2': _summary(w2),
        'steps': steps,
        'loss_marks': marks,
        'autograd_losses_at_marks': [auto_losses[k] for k in marks],
        'manual_losses_at_marks': [manual_losses[k] for k in marks],
        'autograd_losses_first_20': auto_losses[:20],
        'final_autograd_loss': auto_losses[-1],
        'step0_grad_w1': _summary(auto_grads[0]), 'step0_grad_w2': _summary(auto_grads[1]),
        'step0_max_abs_grad_difference_manual_vs_autograd': max(
            (auto_grads[0] - manual_grads[0]).abs().max().item(), (auto_grads[1] - manual_grads[1]).abs().max().item()),
    }


def make_tutorials():
    write_json(os.path.join(NN, 'tutorials.json'), {
        'about': 'The seed tutorials. See Tests/tools/README.md.',
        'seed1_mlp': tutorial_seed1_mlp(),
        'tanh_neuron': tutorial_tanh_neuron(),
        'sine_rnn': tutorial_sine_rnn(),
        'blog_network': tutorial_blog_network(),
    })
