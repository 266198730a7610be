"""losses.json and optimizers.json for NNVizNNTests."""
import os

import torch
import torch.nn as nn

from fixture_io import NN, enc, grad_fn_names, write_json
from fixtures_layers import explicit


# MARK: - losses

def _loss_inputs():
    """(loss name, constructor text, factory(reduction), input, target) for every loss."""
    reg_in = explicit((3, 4), 601, scale=1.5)
    reg_t = explicit((3, 4), 602, scale=1.5)
    logits = explicit((4, 5), 603, scale=2.0)
    classes = torch.tensor([1, 0, 4, 2])
    probs_t = torch.round(torch.softmax(explicit((4, 5), 604), dim=1), decimals=3)
    probs_t = probs_t / probs_t.sum(dim=1, keepdim=True)
    logp = torch.log_softmax(explicit((4, 5), 605, scale=2.0), dim=1)
    p_in = torch.sigmoid(explicit((3, 4), 606, scale=2.0))
    b_t = torch.tensor([[0.0, 1.0, 1.0, 0.0], [0.25, 0.5, 1.0, 0.0], [1.0, 0.0, 0.9, 0.1]])
    bce_logits = torch.tensor([[-30.0, 25.0, 0.0, 1.5], [-0.75, 3.0, -2.0, 0.5], [12.0, -12.0, 0.25, -4.0]])
    return [
        ('mse', 'nn.MSELoss', lambda r: nn.MSELoss(reduction=r), reg_in, reg_t),
        ('l1', 'nn.L1Loss', lambda r: nn.L1Loss(reduction=r), reg_in, reg_t),
        ('smooth_l1_beta1', 'nn.SmoothL1Loss(beta=1.0)', lambda r: nn.SmoothL1Loss(reduction=r, beta=1.0), reg_in, reg_t),
        ('smooth_l1_beta0.5', 'nn.SmoothL1Loss(beta=0.5)', lambda r: nn.SmoothL1Loss(reduction=r, beta=0.5), reg_in, reg_t),
        ('huber_delta1', 'nn.HuberLoss(delta=1.0)', lambda r: nn.HuberLoss(reduction=r, delta=1.0), reg_in, reg_t),
        ('huber_delta2', 'nn.HuberLoss(delta=2.0)', lambda r: nn.HuberLoss(reduction=r, delta=2.0), reg_in, reg_t),
        ('cross_entropy_classes', 'nn.CrossEntropyLoss', lambda r: nn.CrossEntropyLoss(reduction=r), logits, classes),
        ('cross_entropy_probs', 'nn.CrossEntropyLoss', lambda r: nn.CrossEntropyLoss(reduction=r), logits, probs_t),
        ('nll', 'nn.NLLLoss', lambda r: nn.NLLLoss(reduction=r), logp, classes),
        ('bce', 'nn.BCELoss', lambda r: nn.BCELoss(reduction=r), p_in, b_t),
        ('bce_with_logits', 'nn.BCEWithLogitsLoss', lambda r: nn.BCEWithLogitsLoss(reduction=r), bce_logits, b_t),
    ]


def make_losses():
    cases = []
    for name, ctor, factory, inp, target in _loss_inputs():
        for reduction in ['mean', 'sum', 'none']:
            x = inp.detach().clone().requires_grad_(True)
            out = factory(reduction)(x, target)
            case = {'name': name, 'module': ctor, 'reduction': reduction, 'input': enc(x), 'target': enc(target)}
            if reduction == 'none':
                w = explicit(tuple(out.shape), 700 + len(name), scale=1.0)
                (out * w).sum().backward()
                case['loss_weight'] = enc(w)
            else:
                out.backward()
            case['output'] = enc(out)
            case['input_grad'] = enc(x.grad)
            case['grad_fns'] = grad_fn_names(out)
            cases.append(case)
    # cross-entropy from logits that require grad through log_softmax + nll_loss, as the tutorials write it
    x = explicit((4, 5), 603, scale=2.0).requires_grad_(True)
    out = nn.NLLLoss()(torch.log_softmax(x, dim=1), torch.tensor([1, 0, 4, 2]))
    out.backward()
    cases.append({'name': 'nll_of_log_softmax', 'module': 'nn.NLLLoss()(torch.log_softmax(input, dim=1), target)',
                  'reduction': 'mean', 'input': enc(x), 'target': enc(torch.tensor([1, 0, 4, 2])),
                  'output': enc(out), 'input_grad': enc(x.grad), 'grad_fns': grad_fn_names(out)})
    write_json(os.path.join(NN, 'losses.json'), {
        'about': 'Losses for reduction mean, sum and none; input_grad is d(output)/d(input) for mean and sum and '
                 'd((output * loss_weight).sum())/d(input) for none. See Tests/tools/README.md.',
        'cases': cases,
    })


# MARK: - optimizers

OPT_W = [[0.5, -0.3, 0.1], [0.2, 0.4, -0.6]]
OPT_B = [0.05, -0.1]


def _problem():
    x = torch.tensor([[1.0, 2.0, -1.0], [0.5, -1.5, 2.0], [-2.0, 0.0, 1.0], [1.5, 1.0, 0.5]])
    y = torch.tensor([[1.0, -1.0], [0.0, 2.0], [-1.5, 0.5], [2.0, 1.0]])
    model = nn.Linear(3, 2)
    with torch.no_grad():
        model.weight.copy_(torch.tensor(OPT_W))
        model.bias.copy_(torch.tensor(OPT_B))
    return x, y, model


def _params(model):
    return [{'name': k, 'value': enc(p)} for k, p in model.named_parameters()]


OPTIMIZERS = [
    ('sgd', 'SGD', {'lr': 0.05}),
    ('sgd_momentum', 'SGD', {'lr': 0.05, 'momentum': 0.9}),
    ('sgd_momentum_dampening', 'SGD', {'lr': 0.05, 'momentum': 0.9, 'dampening': 0.1}),
    ('sgd_nesterov', 'SGD', {'lr': 0.05, 'momentum': 0.8, 'nesterov': True}),
    ('sgd_weight_decay', 'SGD', {'lr': 0.05, 'weight_decay': 0.01}),
    ('adam', 'Adam', {'lr': 0.1}),
    ('adam_amsgrad', 'Adam', {'lr': 0.1, 'amsgrad': True}),
    ('adam_weight_decay', 'Adam', {'lr': 0.1, 'weight_decay': 0.1}),
    ('adamw', 'AdamW', {'lr': 0.1}),
    ('adamw_amsgrad', 'AdamW', {'lr': 0.1, 'amsgrad': True}),
    ('rmsprop', 'RMSprop', {'lr': 0.01}),
    ('rmsprop_centered', 'RMSprop', {'lr': 0.01, 'centered': True}),
    ('rmsprop_momentum', 'RMSprop', {'lr': 0.01, 'momentum': 0.5}),
    ('adagrad', 'Adagrad', {'lr': 0.1}),
    ('adagrad_lr_decay', 'Adagrad', {'lr': 0.1, 'lr_decay': 0.01}),
    ('adadelta', 'Adadelta', {}),
    ('adadelta_lr1', 'Adadelta', {'lr': 1.0}),
    ('adadelta_rho', 'Adadelta', {'lr': 0.5, 'rho': 0.8, 'weight_decay': 0.01}),
]


def _defaults(opt):
    keep = {}
    for k, v in opt.defaults.items():
        if isinstance(v, (bool, int, float)) or v is None:
            keep[k] = v
        elif isinstance(v, tuple):
            keep[k] = list(v)
    return keep


def _trajectory(name, cls, kwargs, steps=20, lr_change=None):
    x, y, model = _problem()
    opt = getattr(torch.optim, cls)(model.parameters(), foreach=False, **kwargs)
    losses, after = [], {}
    for step in range(1, steps + 1):
        if lr_change is not None and step == lr_change[0]:
            opt.param_groups[0]['lr'] = lr_change[1]
        opt.zero_grad()
        loss = nn.MSELoss()(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
        if step in (1, 2):
            after[str(step)] = _params(model)
    run = {'name': name, 'optimizer': cls, 'kwargs': kwargs, 'defaults': _defaults(opt), 'steps': steps,
           'losses': losses, 'parameters_after_step': after, 'final_parameters': _params(model),
           'final_loss': nn.MSELoss()(model(x), y).item()}
    if lr_change is not None:
        run['lr_change'] = {'before_step': lr_change[0], 'lr': lr_change[1]}
    return run


def _schedule(name, cls, kwargs, epochs=15):
    p = nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=0.1)
    sched = getattr(torch.optim.lr_scheduler, cls)(opt, **kwargs)
    lrs = [opt.param_groups[0]['lr']]
    for _ in range(epochs):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]['lr'])
    return {'name': name, 'scheduler': cls, 'kwargs': kwargs, 'initial_lr': 0.1, 'epochs': epochs, 'lrs': lrs}


def make_optimizers():
    x, y, model = _problem()
    runs = [_trajectory(*o) for o in OPTIMIZERS]
    runs.append(_trajectory('sgd_momentum_lr_change', 'SGD', {'lr': 0.05, 'momentum': 0.9}, lr_change=(11, 0.01)))
    runs.append(_trajectory('adam_lr_change', 'Adam', {'lr': 0.1}, lr_change=(11, 0.01)))
    schedules = [
        _schedule('step_lr', 'StepLR', {'step_size': 3, 'gamma': 0.5}),
        _schedule('exponential_lr', 'ExponentialLR', {'gamma': 0.9}),
        _schedule('cosine_annealing_lr', 'CosineAnnealingLR', {'T_max': 10, 'eta_min': 0.001}),
    ]
    write_json(os.path.join(NN, 'optimizers.json'), {
        'about': 'Optimizer trajectories on nn.Linear(3, 2) with explicit initial parameters, full-batch MSE on x, y; '
                 'scheduler lr sequences. See Tests/tools/README.md.',
        'problem': {'x': enc(x), 'y': enc(y), 'initial_parameters': _params(model), 'loss': 'nn.MSELoss() mean'},
        'runs': runs,
        'schedulers': schedules,
    })
