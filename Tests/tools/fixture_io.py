"""Shared helpers for the fixture generators: tensor encoding, grad_fn walks, JSON writing."""
import json
import os

import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
CORE = os.path.join(ROOT, 'NNVizCoreTests', 'Fixtures')
NN = os.path.join(ROOT, 'NNVizNNTests', 'Fixtures')
GRAPH = os.path.join(ROOT, 'NNVizGraphTests', 'Fixtures')


def enc(t):
    """A tensor as {"shape": [...], "data": [row-major values]}, plus "dtype" when it is not float32."""
    t = t.detach()
    out = {'shape': list(t.shape), 'data': t.reshape(-1).tolist()}
    if t.dtype != torch.float32:
        out['dtype'] = str(t.dtype).replace('torch.', '')
    return out


def enc_opt(t):
    return None if t is None else enc(t)


def grad_fn_names(root):
    """Backward node class names reachable from root's grad_fn, depth-first preorder (children in next_functions
    order), each node once. Iterative, so long chains do not overflow."""
    fn = root.grad_fn if torch.is_tensor(root) else root
    if fn is None:
        return []
    names, seen, stack = [], set(), [fn]
    while stack:
        f = stack.pop()
        if f in seen:
            continue
        seen.add(f)
        names.append(type(f).__name__)
        children = [u[0] for u in getattr(f, 'next_functions', ()) if u[0] is not None]
        stack.extend(reversed(children))
    return names


def saved_attrs(fn):
    """The `_saved_*` attributes of a backward node as torchviz's show_attrs prints them, in dir() order."""
    out = []
    for attr in dir(fn):
        if not attr.startswith('_saved_'):
            continue
        val = getattr(fn, attr)
        name = attr[len('_saved_'):]
        if torch.is_tensor(val):
            out.append({'name': name, 'value': '[saved tensor]', 'shape': list(val.shape)})
        elif isinstance(val, tuple) and any(torch.is_tensor(t) for t in val):
            out.append({'name': name, 'value': '[saved tensors]',
                        'shapes': [list(t.shape) if torch.is_tensor(t) else None for t in val]})
        else:
            out.append({'name': name, 'value': str(val)})
    return out


def _dump(obj, indent):
    """JSON with objects and lists of objects indented, lists of numbers or strings on one line."""
    pad, inner = ' ' * indent, ' ' * (indent + 1)
    if isinstance(obj, dict):
        if not obj:
            return '{}'
        items = ['%s%s: %s' % (inner, json.dumps(k), _dump(v, indent + 1)) for k, v in obj.items()]
        return '{\n' + ',\n'.join(items) + '\n' + pad + '}'
    if isinstance(obj, (list, tuple)):
        if all(not isinstance(v, (dict, list, tuple)) for v in obj):
            return json.dumps(list(obj), allow_nan=False, separators=(',', ':'))
        if all(isinstance(v, (list, tuple)) and all(not isinstance(w, (dict, list, tuple)) for w in v) for v in obj):
            return '[' + ','.join(json.dumps(list(v), allow_nan=False, separators=(',', ':')) for v in obj) + ']'
        return '[\n' + ',\n'.join(inner + _dump(v, indent + 1) for v in obj) + '\n' + pad + ']'
    return json.dumps(obj, allow_nan=False)


def write_json(path, obj):
    text = _dump(obj, 0)
    json.loads(text)
    with open(path, 'w') as f:
        f.write(text + '\n')
    print('wrote %s (%d bytes)' % (os.path.relpath(path, ROOT), len(text) + 1))
