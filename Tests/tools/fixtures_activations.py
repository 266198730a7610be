"""activations.json for NNVizNNTests: every activation module, default and non-default arguments."""
import os

import torch
import torch.nn as nn

from fixture_io import NN, enc, grad_fn_names, write_json
from fixtures_layers import explicit

INPUT = [[-25.0, -3.0, -1.5, -1.0, -0.6, -0.5, -0.4],
         [-0.1, 0.0, 0.1, 0.4, 0.5, 0.6, 1.0],
         [1.5, 3.0, 5.5, 6.0, 6.5, 20.0, 25.0]]

# (case name, module class, constructor kwargs); an empty dict means all defaults
ACTIVATIONS = [
    ('elu', 'ELU', {}), ('elu_alpha0.5', 'ELU', {'alpha': 0.5}),
    ('hardshrink', 'Hardshrink', {}), ('hardshrink_lambda1', 'Hardshrink', {'lambd': 1.0}),
    ('hardtanh', 'Hardtanh', {}), ('hardtanh_m2_0.5', 'Hardtanh', {'min_val': -2.0, 'max_val': 0.5}),
    ('leaky_relu', 'LeakyReLU', {}), ('leaky_relu_0.2', 'LeakyReLU', {'negative_slope': 0.2}),
    ('log_sigmoid', 'LogSigmoid', {}),
    ('prelu', 'PReLU', {}), ('prelu_init0.1', 'PReLU', {'init': 0.1}),
    ('relu', 'ReLU', {}),
    ('relu6', 'ReLU6', {}),
    ('rrelu_eval', 'RReLU', {}), ('rrelu_eval_0.1_0.3', 'RReLU', {'lower': 0.1, 'upper': 0.3}),
    ('selu', 'SELU', {}),
    ('celu', 'CELU', {}), ('celu_alpha2', 'CELU', {'alpha': 2.0}),
    ('gelu', 'GELU', {}), ('gelu_tanh', 'GELU', {'approximate': 'tanh'}),
    ('sigmoid', 'Sigmoid', {}),
    ('softplus', 'Softplus', {}), ('softplus_beta2_threshold5', 'Softplus', {'beta': 2.0, 'threshold': 5.0}),
    ('softshrink', 'Softshrink', {}), ('softshrink_lambda1', 'Softshrink', {'lambd': 1.0}),
    ('softsign', 'Softsign', {}),
    ('tanh', 'Tanh', {}),
    ('tanhshrink', 'Tanhshrink', {}),
    ('threshold_0.1_20', 'Threshold', {'threshold': 0.1, 'value': 20.0}),
    ('threshold_m0.5_m3', 'Threshold', {'threshold': -0.5, 'value': -3.0}),
    ('softmin_dim1', 'Softmin', {'dim': 1}), ('softmin_dim0', 'Softmin', {'dim': 0}),
    ('softmax_dim1', 'Softmax', {'dim': 1}), ('softmax_dim0', 'Softmax', {'dim': 0}),
    ('softmax2d', 'Softmax2d', {}),
    ('log_softmax_dim1', 'LogSoftmax', {'dim': 1}), ('log_softmax_dim0', 'LogSoftmax', {'dim': 0}),
]

DEFAULTS = {
    'ELU': {'alpha': 1.0}, 'Hardshrink': {'lambd': 0.5}, 'Hardtanh': {'min_val': -1.0, 'max_val': 1.0},
    'LeakyReLU': {'negative_slope': 0.01}, 'PReLU': {'num_parameters': 1, 'init': 0.25},
    'RReLU': {'lower': 1.0 / 8, 'upper': 1.0 / 3}, 'CELU': {'alpha': 1.0}, 'GELU': {'approximate': 'none'},
    'Softplus': {'beta': 1.0, 'threshold': 20.0}, 'Softshrink': {'lambd': 0.5},
}


def make_activations():
    cases = []
    w = explicit((3, 7), 801)
    for name, cls, kwargs in ACTIVATIONS:
        m = getattr(nn, cls)(**kwargs)
        m.eval()
        x = torch.tensor(INPUT)
        if cls == 'Softmax2d':
            x = x.reshape(3, 1, 7)
        x.requires_grad_(True)
        out = m(x)
        weight = w.reshape(out.shape)
        (out * weight).sum().backward()
        args = dict(DEFAULTS.get(cls, {}))
        args.update(kwargs)
        case = {'name': name, 'module': cls, 'kwargs': kwargs, 'arguments': args, 'mode': 'eval',
                'input': enc(x), 'loss_weight': enc(weight), 'output': enc(out), 'input_grad': enc(x.grad),
                'grad_fns': grad_fn_names(out)}
        params = list(m.named_parameters())
        if params:
            case['parameters'] = [{'name': k, 'value': enc(p)} for k, p in params]
            case['parameter_grads'] = [{'name': k, 'grad': enc(p.grad)} for k, p in params]
        cases.append(case)
    write_json(os.path.join(NN, 'activations.json'), {
        'about': 'Activation modules in eval mode on an explicit input; input_grad is the gradient of '
                 '(output * loss_weight).sum(). See Tests/tools/README.md.',
        'cases': cases,
    })
