"""rng.json (NNVizCoreTests) and dataloader.json (NNVizNNTests): PyTorch's draws, checked against torch_rng.py."""
import math
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from fixture_io import CORE, NN, write_json
from torch_rng import TorchGenerator, f32

SEEDS = [0, 1, 42, 12345]


def _torch_call(case):
    op, n = case['op'], case.get('n')
    dtype = getattr(torch, case.get('dtype', 'float32'))
    if op == 'rand':
        return torch.rand(*case['size'], dtype=dtype)
    if op == 'randn':
        return torch.randn(*case['size'], dtype=dtype)
    if op == 'uniform':
        return torch.empty(*case['size']).uniform_(case['low'], case['high'])
    if op == 'normal':
        return torch.empty(*case['size']).normal_(case['mean'], case['std'])
    if op == 'randperm':
        return torch.randperm(n)
    if op == 'random_int64':
        return torch.tensor([torch.empty((), dtype=torch.int64).random_().item() for _ in range(n)])
    if op == 'random32':
        return None
    if op == 'bernoulli_tensor':
        return torch.bernoulli(torch.full(tuple(case['size']), case['p']))
    if op == 'bernoulli_scalar':
        return torch.empty(*case['size']).bernoulli_(case['p'])
    if op == 'dropout':
        x = torch.tensor(case['input'], dtype=torch.float32)
        return torch.nn.functional.dropout(x, case['p'], training=True)
    raise ValueError(op)


def _model_call(g, case):
    op, n = case['op'], case.get('n')
    size = 1
    for s in case.get('size', []):
        size *= s
    dtype = case.get('dtype', 'float32')
    if op == 'rand':
        return g.rand(size, dtype)
    if op == 'randn':
        return g.normal(size, dtype=dtype)
    if op == 'uniform':
        return g.uniform_(size, case['low'], case['high'])
    if op == 'normal':
        return g.normal(size, case['mean'], case['std'])
    if op == 'randperm':
        return g.randperm(n)
    if op == 'random_int64':
        return [g.random_int64() for _ in range(n)]
    if op == 'random32':
        return [g.random() for _ in range(n)]
    if op == 'bernoulli_tensor':
        return g.bernoulli_tensor([case['p']] * size)
    if op == 'bernoulli_scalar':
        return g.bernoulli_scalar(size, case['p'])
    if op == 'dropout':
        keep = g.bernoulli_scalar(len(case['input']), 1 - case['p'])
        scale = f32(1.0 / f32(1 - case['p']))
        return [f32(x * f32(k * scale)) for x, k in zip(map(f32, case['input']), keep)]
    raise ValueError(op)


def _run(case, model):
    """Fill case['values'] from torch, check the model gives the same; a case may be a sequence of calls."""
    if case['op'] == 'sequence':
        for call in case['calls']:
            _run(call, model)
        return
    t = _torch_call(case)
    m = _model_call(model, case)
    if t is None:
        values = m
    else:
        values = t.reshape(-1).tolist()
        case['shape'] = list(t.shape)
        assert values == m, 'RNG model differs from torch for %r: %r vs %r' % (case, values[:4], m[:4])
    case['values'] = values


def single_cases():
    cases = []
    for n in [1, 5, 16, 17, 100]:
        cases.append({'op': 'rand', 'size': [n]})
    for n in [1, 3, 15, 16, 17, 33, 100]:
        cases.append({'op': 'randn', 'size': [n]})
    cases.append({'op': 'sequence', 'calls': [{'op': 'randn', 'size': [3]}, {'op': 'randn', 'size': [3]}]})
    cases.append({'op': 'randn', 'size': [6]})
    cases.append({'op': 'rand', 'size': [5], 'dtype': 'float64'})
    cases.append({'op': 'randn', 'size': [5], 'dtype': 'float64'})
    cases.append({'op': 'randn', 'size': [20], 'dtype': 'float64'})
    cases.append({'op': 'uniform', 'size': [7], 'low': -2.0, 'high': 3.0})
    cases.append({'op': 'normal', 'size': [20], 'mean': 1.5, 'std': 0.5})
    cases.append({'op': 'normal', 'size': [5], 'mean': 1.5, 'std': 0.5})
    cases.append({'op': 'randperm', 'n': 10})
    cases.append({'op': 'randperm', 'n': 100})
    cases.append({'op': 'rand', 'size': [2, 3]})
    cases.append({'op': 'random32', 'n': 5})
    cases.append({'op': 'random_int64', 'n': 3})
    return cases


def make_rng():
    model = TorchGenerator()
    cases = []
    for seed in SEEDS:
        for case in single_cases():
            case = dict(case, seed=seed)
            torch.manual_seed(seed)
            model.manual_seed(seed)
            _run(case, model)
            cases.append(case)
    extra = [
        {'seed': 1, 'op': 'sequence', 'calls': [
            {'op': 'rand', 'size': [3]}, {'op': 'randn', 'size': [2]}, {'op': 'randn', 'size': [20]},
            {'op': 'rand', 'size': [2]}, {'op': 'randperm', 'n': 5}]},
        {'seed': 0, 'op': 'bernoulli_tensor', 'size': [20], 'p': 0.3},
        {'seed': 0, 'op': 'bernoulli_scalar', 'size': [20], 'p': 0.3},
        {'seed': 0, 'op': 'dropout', 'p': 0.4, 'input': [0.5 * i - 2.0 for i in range(12)]},
        {'seed': 3, 'op': 'randn', 'size': [1000]},
    ]
    for case in extra:
        torch.manual_seed(case['seed'])
        model.manual_seed(case['seed'])
        _run(case, model)
        cases.append(case)
    # The last case is only a wider check of the float32 vectorised normal path; keep its first 32 values.
    cases[-1]['values'] = cases[-1]['values'][:32]
    cases[-1]['shape'] = [1000]
    cases[-1]['note'] = 'only the first 32 of the 1000 values are stored'
    _check_many_normals(model)
    write_json(os.path.join(CORE, 'rng.json'), {
        'about': 'PyTorch CPU generator draws after torch.manual_seed(seed). See Tests/tools/README.md.',
        'torch_version': torch.__version__,
        'cases': cases,
        'init': _check_inits(model),
    })


def _kaiming_bound(fan_in):
    """kaiming_uniform_(a=sqrt(5)) exactly as torch.nn.init computes it in double."""
    gain = math.sqrt(2.0 / (1 + math.sqrt(5) ** 2))
    return math.sqrt(3.0) * (gain / math.sqrt(fan_in))


def _check_inits(model):
    """Module initialisations rebuilt from the rules: every parameter drawn in named_parameters order."""
    specs = [
        ('nn.Linear(3, 2)', lambda: nn.Linear(3, 2), [('uniform', _kaiming_bound(3)), ('uniform', 1 / math.sqrt(3))]),
        ('nn.Linear(100, 1000, bias=False)', lambda: nn.Linear(100, 1000, bias=False),
         [('uniform', _kaiming_bound(100))]),
        ('nn.Conv2d(2, 3, (2, 2), stride=2)', lambda: nn.Conv2d(2, 3, (2, 2), stride=2),
         [('uniform', _kaiming_bound(8)), ('uniform', 1 / math.sqrt(8))]),
        ('nn.RNNCell(1, 4)', lambda: nn.RNNCell(1, 4), [('uniform', 1 / math.sqrt(4))] * 4),
        ('nn.LSTM(2, 3)', lambda: nn.LSTM(2, 3), [('uniform', 1 / math.sqrt(3))] * 4),
        ('nn.Embedding(10, 3)', lambda: nn.Embedding(10, 3), [('normal', None)]),
    ]
    out = []
    for seed in [0, 1]:
        for text, factory, rules in specs:
            torch.manual_seed(seed)
            model.manual_seed(seed)
            params = list(factory().named_parameters())
            entry = {'module': text, 'seed': seed, 'parameters': []}
            for (name, p), (kind, bound) in zip(params, rules):
                n = p.numel()
                values = model.normal(n) if kind == 'normal' else model.uniform_(n, -bound, bound)
                assert values == p.reshape(-1).tolist(), 'init rule differs for %s %s' % (text, name)
                item = {'name': name, 'shape': list(p.shape), 'rule': kind}
                if bound is not None:
                    item['bound'] = bound
                if n <= 16:
                    item['values'] = values
                else:
                    item['first_values'] = values[:8]
                entry['parameters'].append(item)
            out.append(entry)
    return out


def _check_many_normals(model):
    """Wider check of the float32 randn path (not stored): 40 seeds x 1000 values, plus normal_(mean, std)."""
    for seed in range(40):
        for n, mean, std in [(1000, 0.0, 1.0), (37, -0.25, 3.0)]:
            torch.manual_seed(seed)
            model.manual_seed(seed)
            t = torch.empty(n).normal_(mean, std).tolist()
            assert t == model.normal(n, mean, std), 'float32 normal path differs for seed %d n %d' % (seed, n)


# MARK: - DataLoader

def make_dataloader():
    model = TorchGenerator()
    runs = []
    for seed, n, b in [(0, 10, 3), (1, 10, 3), (0, 100, 32), (42, 100, 32)]:
        for drop_last in [False, True]:
            torch.manual_seed(seed)
            x = torch.arange(n)
            loader = DataLoader(TensorDataset(x, x * 10), batch_size=b, shuffle=True, drop_last=drop_last)
            epochs = []
            for _ in range(2):
                batches = [bx.tolist() for bx, _ in loader]
                epochs.append({'batches': batches})
            after = torch.rand(2).tolist()
            model.manual_seed(seed)
            for epoch in epochs:
                base_seed = model.random_int64()
                sampler_seed = model.random_int64()
                order = TorchGenerator(sampler_seed).randperm(n)
                full = len(order) // b * b if drop_last else len(order)
                expected = [order[i:i + b] for i in range(0, full, b)]
                assert expected == epoch['batches'], 'DataLoader model differs (seed %d n %d)' % (seed, n)
                epoch['base_seed'] = base_seed
                epoch['sampler_seed'] = sampler_seed
                epoch['sampler_seed_low32'] = sampler_seed & 0xffffffff
                epoch['order'] = order
            assert model.rand(2) == after
            runs.append({'seed': seed, 'n': n, 'batch_size': b, 'drop_last': drop_last, 'epochs': epochs,
                         'rand2_after': after})
    write_json(os.path.join(NN, 'dataloader.json'), {
        'about': 'DataLoader(TensorDataset(arange(n), 10*arange(n)), batch_size, shuffle=True, drop_last) after '
                 'torch.manual_seed(seed), two epochs; then torch.rand(2). See Tests/tools/README.md.',
        'runs': runs,
    })


def make():
    make_rng()
    make_dataloader()
