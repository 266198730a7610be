"""attention.json for NNVizNNTests (LayerNorm, MultiheadAttention, TransformerEncoderLayer: PyTorch's
initialisation, outputs, gradients, grad_fn chains with saved attributes; dropout masks drawn from the
global generator after the case's seed) and torchviz graphs of the same modules for NNVizGraphTests."""
import os

import torch
import torch.nn as nn

from fixture_io import NN, enc, grad_fn_names, saved_attrs, write_json
from fixtures_graphs import _named, _render, _values
from fixtures_layers import explicit


def _nodes(out):
    """Every backward node below `out` in grad_fn_names order, with its saved attributes."""
    fn = out.grad_fn
    nodes, seen, stack = [], set(), [fn]
    while stack:
        f = stack.pop()
        if f is None or f in seen:
            continue
        seen.add(f)
        nodes.append({'name': type(f).__name__, 'saved': saved_attrs(f)})
        stack.extend(reversed([u[0] for u in f.next_functions if u[0] is not None]))
    return nodes


# (name, constructor text, factory, input shape, input seed, mode, after-construction tweak)
def _specs():
    def affine(m):
        # Non-trivial affine parameters so their gradients and effect are checked.
        with torch.no_grad():
            m.weight.copy_(explicit(tuple(m.weight.shape), 901, scale=0.5) + 1)
            m.bias.copy_(explicit(tuple(m.bias.shape), 902, scale=0.5))
    return [
        ('layer_norm', 'nn.LayerNorm(8) (weight, bias set as stored)', lambda: nn.LayerNorm(8), (2, 5, 8), 1,
         'train', affine),
        ('layer_norm_2d', 'nn.LayerNorm([5, 8]) (weight, bias set as stored)', lambda: nn.LayerNorm([5, 8]),
         (2, 5, 8), 2, 'train', affine),
        ('layer_norm_plain', 'nn.LayerNorm(6, eps=1e-3, elementwise_affine=False)',
         lambda: nn.LayerNorm(6, eps=1e-3, elementwise_affine=False), (4, 6), 3, 'train', None),
        ('mha', 'nn.MultiheadAttention(8, 2, batch_first=True)',
         lambda: nn.MultiheadAttention(8, 2, batch_first=True), (2, 5, 8), 4, 'train', None),
        ('mha_seq_first', 'nn.MultiheadAttention(8, 4)', lambda: nn.MultiheadAttention(8, 4), (5, 3, 8), 5,
         'train', None),
        ('mha_nobias', 'nn.MultiheadAttention(6, 3, bias=False, batch_first=True)',
         lambda: nn.MultiheadAttention(6, 3, bias=False, batch_first=True), (2, 4, 6), 6, 'train', None),
        ('mha_unbatched', 'nn.MultiheadAttention(8, 2, batch_first=True)',
         lambda: nn.MultiheadAttention(8, 2, batch_first=True), (5, 8), 7, 'train', None),
        ('encoder_relu', 'nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True)',
         lambda: nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True), (2, 5, 8), 8, 'train', None),
        ('encoder_dropout', 'nn.TransformerEncoderLayer(8, 2, 16, dropout=0.1, batch_first=True)',
         lambda: nn.TransformerEncoderLayer(8, 2, 16, dropout=0.1, batch_first=True), (2, 5, 8), 9, 'train', None),
        ('encoder_gelu_norm_first', "nn.TransformerEncoderLayer(8, 2, 16, dropout=0.25, activation='gelu', "
         'norm_first=True, batch_first=True)',
         lambda: nn.TransformerEncoderLayer(8, 2, 16, dropout=0.25, activation='gelu', norm_first=True,
                                            batch_first=True), (3, 4, 8), 10, 'train', None),
        ('encoder_gelu_norm_first_nodropout', "nn.TransformerEncoderLayer(8, 4, 12, dropout=0.0, activation='gelu', "
         'norm_first=True, batch_first=True)',
         lambda: nn.TransformerEncoderLayer(8, 4, 12, dropout=0.0, activation='gelu', norm_first=True,
                                            batch_first=True), (2, 3, 8), 11, 'train', None),
        ('encoder_eval', 'nn.TransformerEncoderLayer(8, 2, 16, dropout=0.1, batch_first=True)',
         lambda: nn.TransformerEncoderLayer(8, 2, 16, dropout=0.1, batch_first=True), (2, 5, 8), 12, 'eval', None),
        ('encoder_seq_first', 'nn.TransformerEncoderLayer(8, 2, 16, dropout=0.1)',
         lambda: nn.TransformerEncoderLayer(8, 2, 16, dropout=0.1), (5, 2, 8), 13, 'train', None),
    ]


def _case(name, ctor, factory, shape, input_seed, mode, tweak, seed):
    torch.manual_seed(seed)
    m = factory()
    if tweak is not None:
        tweak(m)
    init = [{'name': k, 'value': enc(p)} for k, p in m.named_parameters()]
    m.train(mode == 'train')
    x = explicit(shape, 700 + input_seed).requires_grad_(True)
    if isinstance(m, nn.MultiheadAttention):
        out, weights = m(x, x, x)
    else:
        out, weights = m(x), None
    w = explicit(tuple(out.shape), 800 + input_seed)
    nodes = _nodes(out)
    loss = (out * w).sum()
    loss.backward()
    case = {'name': name, 'module': ctor, 'seed': seed, 'mode': mode, 'parameters': init, 'input': enc(x),
            'output': enc(out), 'loss_weight': enc(w), 'loss': loss.item(), 'input_grad': enc(x.grad),
            'parameter_grads': [{'name': k, 'grad': enc(p.grad)} for k, p in m.named_parameters()],
            'grad_fns': grad_fn_names(out), 'nodes': nodes}
    if weights is not None:
        case['attention_weights'] = enc(weights)
    return case


def _graphs():
    torch.manual_seed(0)
    attn = nn.MultiheadAttention(8, 2, batch_first=True)
    x = explicit((2, 5, 8), 751)
    loss = attn(x, x, x)[0].pow(2).mean()
    _render('mha_loss', 'torch.manual_seed(0); attn = nn.MultiheadAttention(8, 2, batch_first=True); x (2, 5, 8) '
            'as stored; loss = attn(x, x, x)[0].pow(2).mean(); make_dot(loss, params)', loss, _named(attn),
            tensors=_values(attn, x=x))
    for name, dropout, extra in [('transformer_layer_loss', 0.1, {}),
                                 ('transformer_layer_nodropout_loss', 0.0, {}),
                                 ('transformer_layer_norm_first_gelu_loss', 0.1,
                                  {'activation': 'gelu', 'norm_first': True})]:
        torch.manual_seed(0)
        layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=dropout, batch_first=True, **extra)
        x = explicit((2, 5, 8), 752)
        target = explicit((2, 5, 8), 753)
        loss = nn.MSELoss()(layer(x), target)
        text = ', '.join('%s=%r' % kv for kv in extra.items())
        _render(name, 'torch.manual_seed(0); layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=%s, '
                'batch_first=True%s) (training mode); x, target (2, 5, 8) as stored; loss = MSELoss()(layer(x), '
                'target); make_dot(loss, params)' % (dropout, ', ' + text if text else ''), loss, _named(layer),
                tensors=_values(layer, x=x, target=target))


def make_attention():
    cases = []
    for spec in _specs():
        for seed in (0, 1):
            cases.append(_case(*spec, seed=seed))
    write_json(os.path.join(NN, 'attention.json'), {
        'about': 'LayerNorm, MultiheadAttention (called as m(x, x, x)), TransformerEncoderLayer: parameters after '
                 'torch.manual_seed(seed) + construction (+ the case\'s tweak), then the forward in the case\'s mode '
                 '(dropout masks drawn from the same global generator), loss = (output * loss_weight).sum() and '
                 'its gradients; nodes: every grad_fn below the output with its saved attributes. '
                 'See Tests/tools/README.md.',
        'cases': cases,
    })
    _graphs()
    _cli()


class _SelfAttention(nn.MultiheadAttention):
    """nn.MultiheadAttention called on one input, returning the attention output (a model file's
    `multihead_attention`)."""

    def forward(self, x):
        return super().forward(x, x, x)[0]


def _cli():
    """The PyTorch twin of Tests/NNVizCLITests/Fixtures/attention_layers.yaml, in torch_oracle.py's order (seed,
    layers, input, target, forward) and its JSON layout."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(6, 8), nn.LayerNorm(8), _SelfAttention(8, 2, batch_first=True),
                          nn.TransformerEncoderLayer(8, 2, 16, dropout=0.1, activation='gelu', batch_first=True),
                          nn.TransformerEncoderLayer(8, 4, 12, dropout=0.0, norm_first=True, batch_first=True),
                          nn.LayerNorm([5, 8], elementwise_affine=False))
    x = torch.randn(2, 5, 6)
    target = torch.randn(2, 5, 8)
    model.train()
    out = model(x)
    loss = nn.MSELoss()(out, target)
    loss.backward()
    params = dict(model.named_parameters())
    write_json(os.path.join(os.path.dirname(NN), '..', 'NNVizCLITests', 'Fixtures', 'attention_layers.json'), {
        'output': out.tolist(), 'loss': loss.item(),
        'parameters': {k: {'shape': list(p.shape), 'value': p.tolist(), 'grad': p.grad.tolist()} for k, p in params.items()},
    })
