"""convnorm.json for NNVizNNTests: convolutions (1-D, dilated, grouped, transposed), average and adaptive
pooling, nearest upsampling, Dropout2d, GroupNorm and the batch norms' options, in the format of layers.json
plus each output node's saved attributes and the module's repr."""
import os

import torch
import torch.nn as nn

from fixture_io import NN, enc, enc_opt, grad_fn_names, saved_attrs, write_json
from fixtures_layers import explicit, named_params, param_grads


def _specs():
    """(name, constructor text, factory, input factory, mode, seeds)."""
    two = [0, 1]
    return [
        ('conv1d', 'nn.Conv1d(4, 6, 3, stride=2, padding=1, dilation=2, groups=2)',
         lambda: nn.Conv1d(4, 6, 3, stride=2, padding=1, dilation=2, groups=2), lambda: explicit((2, 4, 10), 601), 'train', two),
        ('conv1d_nobias', 'nn.Conv1d(2, 3, 2, bias=False)', lambda: nn.Conv1d(2, 3, 2, bias=False),
         lambda: explicit((2, 2, 5), 602), 'train', [0]),
        ('conv2d_dilation_groups', 'nn.Conv2d(4, 6, 3, padding=2, dilation=2, groups=2)',
         lambda: nn.Conv2d(4, 6, 3, padding=2, dilation=2, groups=2), lambda: explicit((2, 4, 6, 5), 603), 'train', two),
        ('conv2d_depthwise', 'nn.Conv2d(3, 3, 3, padding=1, groups=3)', lambda: nn.Conv2d(3, 3, 3, padding=1, groups=3),
         lambda: explicit((2, 3, 5, 5), 604), 'train', [0]),
        ('conv_transpose2d', 'nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1, output_padding=1)',
         lambda: nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1, output_padding=1), lambda: explicit((2, 3, 4, 4), 605),
         'train', two),
        ('conv_transpose2d_groups', 'nn.ConvTranspose2d(4, 6, (2, 3), stride=(2, 1), groups=2, bias=False, dilation=(1, 2))',
         lambda: nn.ConvTranspose2d(4, 6, (2, 3), stride=(2, 1), groups=2, bias=False, dilation=(1, 2)),
         lambda: explicit((1, 4, 3, 3), 606), 'train', [0]),
        ('avgpool2d_2', 'nn.AvgPool2d(2)', lambda: nn.AvgPool2d(2), lambda: explicit((1, 2, 4, 5), 607), 'train', [0]),
        ('avgpool2d_pad', 'nn.AvgPool2d(3, stride=2, padding=1)', lambda: nn.AvgPool2d(3, stride=2, padding=1),
         lambda: explicit((2, 2, 7, 6), 608), 'train', [0]),
        ('avgpool2d_exclude_pad', 'nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)',
         lambda: nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
         lambda: explicit((1, 2, 6, 7), 609), 'train', [0]),
        ('adaptive_avg_pool2d_1', 'nn.AdaptiveAvgPool2d(1)', lambda: nn.AdaptiveAvgPool2d(1),
         lambda: explicit((2, 3, 5, 4), 610), 'train', [0]),
        ('adaptive_avg_pool2d_2x3', 'nn.AdaptiveAvgPool2d((2, 3))', lambda: nn.AdaptiveAvgPool2d((2, 3)),
         lambda: explicit((2, 2, 5, 7), 611), 'train', [0]),
        ('adaptive_avg_pool2d_3', 'nn.AdaptiveAvgPool2d(3)', lambda: nn.AdaptiveAvgPool2d(3),
         lambda: explicit((1, 2, 7, 8), 612), 'train', [0]),
        ('upsample_2', "nn.Upsample(scale_factor=2, mode='nearest')", lambda: nn.Upsample(scale_factor=2, mode='nearest'),
         lambda: explicit((1, 2, 3, 4), 613), 'train', [0]),
        ('upsample_1_5', "nn.Upsample(scale_factor=1.5, mode='nearest')", lambda: nn.Upsample(scale_factor=1.5),
         lambda: explicit((1, 1, 4, 5), 614), 'train', [0]),
        ('dropout2d_train', 'nn.Dropout2d(0.5)', lambda: nn.Dropout2d(0.5), lambda: explicit((4, 3, 2, 2), 615), 'train', [0, 1]),
        ('dropout2d_eval', 'nn.Dropout2d(0.5)', lambda: nn.Dropout2d(0.5), lambda: explicit((2, 3, 2, 2), 616), 'eval', [0]),
        ('group_norm', 'nn.GroupNorm(2, 4)', lambda: nn.GroupNorm(2, 4), lambda: explicit((2, 4, 3, 3), 617, scale=2.0),
         'train', [0]),
        ('group_norm_noaffine', 'nn.GroupNorm(3, 6, affine=False)', lambda: nn.GroupNorm(3, 6, affine=False),
         lambda: explicit((2, 6, 5), 618), 'train', [0]),
        ('group_norm_eps', 'nn.GroupNorm(1, 3, eps=0.001)', lambda: nn.GroupNorm(1, 3, eps=0.001),
         lambda: explicit((3, 3), 619), 'train', [0]),
        ('batchnorm2d_noaffine', 'nn.BatchNorm2d(3, affine=False)', lambda: nn.BatchNorm2d(3, affine=False),
         lambda: explicit((2, 3, 3, 3), 620), 'train', [0]),
        ('batchnorm2d_nostats', 'nn.BatchNorm2d(3, track_running_stats=False)',
         lambda: nn.BatchNorm2d(3, track_running_stats=False), lambda: explicit((2, 3, 3, 3), 621), 'train', [0]),
        ('batchnorm2d_nostats_eval', 'nn.BatchNorm2d(3, track_running_stats=False)',
         lambda: nn.BatchNorm2d(3, track_running_stats=False), lambda: explicit((2, 3, 3, 3), 622), 'eval', [0]),
        ('batchnorm2d_eps_momentum', 'nn.BatchNorm2d(2, eps=0.001, momentum=0.3)',
         lambda: nn.BatchNorm2d(2, eps=0.001, momentum=0.3), lambda: explicit((2, 2, 3, 3), 623), 'eval_after_train', [0]),
        ('batchnorm1d_cumulative', 'nn.BatchNorm1d(3, momentum=None)', lambda: nn.BatchNorm1d(3, momentum=None),
         lambda: explicit((4, 3), 624, scale=2.0), 'eval_after_train', [0]),
        ('batchnorm1d_bare', 'nn.BatchNorm1d(4, affine=False, track_running_stats=False)',
         lambda: nn.BatchNorm1d(4, affine=False, track_running_stats=False), lambda: explicit((3, 4, 5), 625), 'train', [0]),
    ]


def _buffers(m):
    return [{'name': k, 'value': enc(b)} for k, b in m.named_buffers()]


def _case(name, ctor, factory, make_input, mode, seed):
    torch.manual_seed(seed)
    m = factory()
    case = {'name': name, 'module': ctor, 'repr': repr(m), 'seed': seed, 'mode': mode, 'parameters': named_params(m)}
    if _buffers(m):
        case['buffers_initial'] = _buffers(m)
    x = make_input()
    if mode == 'eval_after_train':
        m.train()
        warm = explicit(tuple(x.shape), 212, scale=3.0)
        m(warm)
        case['train_step_input'] = enc(warm)
        case['buffers_after_train_step'] = _buffers(m)
        m.eval()
    elif mode == 'eval':
        m.eval()
    else:
        m.train()
    x.requires_grad_(True)
    case['input'] = enc(x)
    out = m(x)
    w = explicit(tuple(out.shape), 700 + len(name), scale=1.0)
    saved = saved_attrs(out.grad_fn) if out.grad_fn is not None else []
    loss = (out * w).sum()
    loss.backward()
    case['loss_weight'] = enc(w)
    case['output'] = enc(out)
    case['loss'] = loss.item()
    case['input_grad'] = enc_opt(x.grad)
    case['parameter_grads'] = param_grads(m)
    if _buffers(m) and mode == 'train':
        case['buffers_after_forward'] = _buffers(m)
    case['grad_fns'] = grad_fn_names(out)
    case['saved'] = saved
    return case


def make_convnorm():
    make_convnorm_models()
    cases = [_case(name, ctor, factory, make_input, mode, seed)
             for name, ctor, factory, make_input, mode, seeds in _specs() for seed in seeds]
    write_json(os.path.join(NN, 'convnorm.json'), {
        'about': 'convolution, pooling, upsampling, Dropout2d and normalisation modules: parameters after '
                 'torch.manual_seed(seed) + construction, output, gradients of loss = (output * loss_weight).sum(), '
                 'grad_fn names and the output node\'s saved attributes. See Tests/tools/README.md.',
        'cases': cases,
    })


# MARK: - model files

CLI = os.path.join(os.path.dirname(NN), '..', 'NNVizCLITests', 'Fixtures')

MODELS = {
    'conv1d_groups': """seed: 0
model:
  - conv1d: {in_channels: 2, out_channels: 4, kernel_size: 3, padding: 2, dilation: 2, groups: 2}
    name: conv
  - relu
  - conv1d: {in_channels: 4, out_channels: 2, kernel_size: 2, stride: 2, bias: false}
    name: down
  - flatten
  - linear: {in_features: 8, out_features: 2}
    name: fc
input: {randn: [2, 2, 9]}
target: [[0.5, -1.0], [1.5, 0.25]]
loss: mse
""",
    'conv_family': """seed: 0
model:
  - conv2d: {in_channels: 3, out_channels: 6, kernel_size: 3, padding: 1, groups: 3}
    name: depthwise
  - batchnorm2d: {num_features: 6, eps: 0.001, momentum: 0.2}
    name: bn
  - relu
  - conv_transpose2d: {in_channels: 6, out_channels: 4, kernel_size: 3, stride: 2, padding: 1, output_padding: 1}
    name: up
  - group_norm: {num_groups: 2, num_channels: 4}
    name: gn
  - avgpool2d: {kernel_size: 3, stride: 2, padding: 1}
  - upsample: {scale_factor: 2, mode: nearest}
  - conv2d: {in_channels: 4, out_channels: 4, kernel_size: 3, padding: 2, dilation: 2}
    name: dilated
  - adaptive_avg_pool2d: {output_size: 1}
  - flatten
  - linear: {in_features: 4, out_features: 3}
    name: fc
input: {randn: [2, 3, 8, 8]}
target: [0, 2]
loss: cross_entropy
""",
    'eval_pooling': """seed: 0
mode: eval
model:
  - conv2d: {in_channels: 3, out_channels: 4, kernel_size: 3, padding: 1}
    name: conv
  - batchnorm2d: {num_features: 4, affine: false}
    name: bn
  - dropout2d: {p: 0.3}
  - adaptive_avg_pool2d: {output_size: [2, 3]}
  - flatten
  - linear: {in_features: 24, out_features: 2}
    name: fc
input: {randn: [2, 3, 6, 6]}
target: [[0.5, -1.0], [1.5, 0.25]]
loss: mse
""",
}


def _module(kind, args):
    """The PyTorch module a model-file layer names: the same class, given the file's (PyTorch-named) arguments."""
    args = {k: tuple(v) if isinstance(v, list) else v for k, v in (args or {}).items()}
    table = {'conv1d': nn.Conv1d, 'conv2d': nn.Conv2d, 'conv_transpose2d': nn.ConvTranspose2d, 'linear': nn.Linear,
             'batchnorm2d': nn.BatchNorm2d, 'group_norm': nn.GroupNorm, 'avgpool2d': nn.AvgPool2d,
             'adaptive_avg_pool2d': nn.AdaptiveAvgPool2d, 'upsample': nn.Upsample, 'dropout2d': nn.Dropout2d,
             'relu': nn.ReLU, 'flatten': nn.Flatten}
    return table[kind](**args)


def _model_case(text):
    import yaml
    spec = yaml.safe_load(text)
    torch.manual_seed(spec['seed'])
    seq = nn.Sequential()
    for i, layer in enumerate(spec['model']):
        if isinstance(layer, str):
            kind, args, name = layer, {}, None
        else:
            layer = dict(layer)
            name = layer.pop('name', None)
            (kind, args), = layer.items()
        seq.add_module(name or str(i), _module(kind, args))
    (_, shape), = spec['input'].items()
    x = torch.randn(*shape)
    seq.train(spec.get('mode', 'train') == 'train')
    out = seq(x)
    target = torch.tensor(spec['target'])
    loss = (nn.MSELoss() if spec['loss'] == 'mse' else nn.CrossEntropyLoss())(out, target if spec['loss'] != 'mse' else target.float())
    loss.backward()
    params = {k: {'shape': list(p.shape), 'value': p.tolist(), 'grad': p.grad.tolist() if p.grad is not None else None}
              for k, p in seq.named_parameters()}
    return {'yaml': text, 'output': out.tolist(), 'loss': loss.item(), 'parameters': params}


def make_convnorm_models():
    write_json(os.path.normpath(os.path.join(CLI, 'convnorm_models.json')), {
        'about': 'model files using the convolution, pooling, upsampling and normalisation layers, and what their '
                 'PyTorch twins (the same modules built in file order after torch.manual_seed(seed)) give: output, '
                 'loss, parameters and their gradients, as `nnviz inspect --json` reports them.',
        'models': {name: _model_case(text) for name, text in MODELS.items()},
    })
