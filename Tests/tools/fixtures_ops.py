"""ops.json for NNVizCoreTests: forward values, gradients, grad_fn names and torchviz attribute rows per op."""
import os

import torch

from fixture_io import CORE, enc, grad_fn_names, saved_attrs, write_json

T = {
    'A': [[0.5, -1.2, 2.0], [1.5, 0.3, -0.7]],
    'A2': [[0.25, 1.75, -0.5], [-1.0, 0.6, 2.2]],
    'b': [0.4, -2.0, 1.1],
    'c': [[1.5], [-0.5]],
    'd': [[2.0, -1.0, 0.25]],
    'P': [[0.5, 1.2, 2.0], [1.5, 0.3, 3.7]],
    'E': [[2.0, 0.5, -1.0], [1.5, 3.0, 0.0]],
    'M': [[0.1, -0.2, 0.3, 0.4], [1.0, 0.5, -1.5, 2.0], [-0.3, 0.8, 0.6, -1.1]],
    'v': [0.7, -0.4, 1.3, 0.2],
    'B': [[[0.5, -1.0, 2.0], [1.0, 0.0, -0.5]], [[-1.5, 0.25, 0.75], [2.0, 1.0, -2.0]]],
    'C': [[[1.0, 0.5], [-0.5, 2.0], [0.25, -1.0]], [[0.0, 1.5], [2.0, -0.25], [-1.0, 0.5]]],
    'X': [[0.9, -0.3, 0.1], [0.6, 1.4, -2.0], [0.2, 0.55, -0.8], [1.1, -1.6, 0.45]],
    'S': [[[0.3, -0.6, 1.2]]],
    'bias4': [0.5, -0.25, 1.0, 0.0],
    'x1': [2.0],
}

# (name, expression with the operand names of T, operands, function)
OPS = [
    ('add_broadcast', 'A + b', ['A', 'b'], lambda A, b: A + b),
    ('add_scalar_right', 'A + 2.5', ['A'], lambda A: A + 2.5),
    ('add_scalar_left', '2.5 + A', ['A'], lambda A: 2.5 + A),
    ('sub_broadcast', 'A - b', ['A', 'b'], lambda A, b: A - b),
    ('sub_scalar_right', 'A - 2.5', ['A'], lambda A: A - 2.5),
    ('sub_scalar_left', '2.5 - A', ['A'], lambda A: 2.5 - A),
    ('mul_outer_broadcast', 'c * d', ['c', 'd'], lambda c, d: c * d),
    ('mul_same_shape', 'A * A2', ['A', 'A2'], lambda A, A2: A * A2),
    ('mul_scalar_right', 'A * 3.0', ['A'], lambda A: A * 3.0),
    ('mul_scalar_left', '3.0 * A', ['A'], lambda A: 3.0 * A),
    ('div_broadcast', 'A / b', ['A', 'b'], lambda A, b: A / b),
    ('div_scalar_right', 'A / 2.0', ['A'], lambda A: A / 2.0),
    ('div_scalar_left', '2.0 / P', ['P'], lambda P: 2.0 / P),
    ('neg', '-A', ['A'], lambda A: -A),
    ('pow_2', 'A ** 2', ['A'], lambda A: A ** 2),
    ('pow_0.5', 'P ** 0.5', ['P'], lambda P: P ** 0.5),
    ('pow_m1', 'P ** -1', ['P'], lambda P: P ** -1),
    ('pow_tensor', 'P ** E', ['P', 'E'], lambda P, E: P ** E),
    ('pow_scalar_base', '2.0 ** A', ['A'], lambda A: 2.0 ** A),
    ('exp', 'torch.exp(A)', ['A'], torch.exp),
    ('log', 'torch.log(P)', ['P'], torch.log),
    ('sqrt', 'torch.sqrt(P)', ['P'], torch.sqrt),
    ('abs', 'torch.abs(A)', ['A'], torch.abs),
    ('sin', 'torch.sin(A)', ['A'], torch.sin),
    ('cos', 'torch.cos(A)', ['A'], torch.cos),
    ('tanh', 'torch.tanh(A)', ['A'], torch.tanh),
    ('sigmoid', 'torch.sigmoid(A)', ['A'], torch.sigmoid),
    ('relu', 'torch.relu(A)', ['A'], torch.relu),
    ('clamp', 'torch.clamp(A, min=-0.5, max=1.0)', ['A'], lambda A: torch.clamp(A, min=-0.5, max=1.0)),
    ('clamp_min', 'torch.clamp(A, min=0.4)', ['A'], lambda A: torch.clamp(A, min=0.4)),
    ('matmul_2d', 'A @ M', ['A', 'M'], lambda A, M: A @ M),
    ('matmul_1d_2d', 'b @ M', ['b', 'M'], lambda b, M: b @ M),
    ('matmul_2d_1d', 'M @ v', ['M', 'v'], lambda M, v: M @ v),
    ('matmul_batched', 'B @ C', ['B', 'C'], lambda B, C: B @ C),
    ('mm', 'torch.mm(A, M)', ['A', 'M'], torch.mm),
    ('addmm', 'torch.addmm(bias4, A, M)', ['bias4', 'A', 'M'], torch.addmm),
    ('t', 'A.t()', ['A'], lambda A: A.t()),
    ('transpose', 'B.transpose(0, 2)', ['B'], lambda B: B.transpose(0, 2)),
    ('permute', 'B.permute(2, 0, 1)', ['B'], lambda B: B.permute(2, 0, 1)),
    ('view', 'A.view(3, -1)', ['A'], lambda A: A.view(3, -1)),
    ('reshape', 'B.reshape(-1, 4)', ['B'], lambda B: B.reshape(-1, 4)),
    ('reshape_flat', 'A.reshape(-1)', ['A'], lambda A: A.reshape(-1)),
    ('squeeze', 'S.squeeze()', ['S'], lambda S: S.squeeze()),
    ('squeeze_dim', 'S.squeeze(0)', ['S'], lambda S: S.squeeze(0)),
    ('unsqueeze', 'A.unsqueeze(1)', ['A'], lambda A: A.unsqueeze(1)),
    ('cat_dim0', 'torch.cat([A, A2], dim=0)', ['A', 'A2'], lambda A, A2: torch.cat([A, A2], dim=0)),
    ('cat_dim1', 'torch.cat([A, A2], dim=1)', ['A', 'A2'], lambda A, A2: torch.cat([A, A2], dim=1)),
    ('stack_dim0', 'torch.stack([A, A2])', ['A', 'A2'], lambda A, A2: torch.stack([A, A2])),
    ('stack_dim1', 'torch.stack([A, A2], dim=1)', ['A', 'A2'], lambda A, A2: torch.stack([A, A2], dim=1)),
    ('sum', 'A.sum()', ['A'], lambda A: A.sum()),
    ('sum_dim1', 'A.sum(dim=1)', ['A'], lambda A: A.sum(dim=1)),
    ('sum_dim0_keepdim', 'A.sum(dim=0, keepdim=True)', ['A'], lambda A: A.sum(dim=0, keepdim=True)),
    ('mean', 'A.mean()', ['A'], lambda A: A.mean()),
    ('mean_dim1', 'A.mean(dim=1)', ['A'], lambda A: A.mean(dim=1)),
    ('mean_dim0_keepdim', 'A.mean(dim=0, keepdim=True)', ['A'], lambda A: A.mean(dim=0, keepdim=True)),
    ('max', 'A.max()', ['A'], lambda A: A.max()),
    ('max_dim1', 'A.max(dim=1)', ['A'], lambda A: A.max(dim=1)),
    ('max_dim0_keepdim', 'A.max(dim=0, keepdim=True)', ['A'], lambda A: A.max(dim=0, keepdim=True)),
    ('min', 'A.min()', ['A'], lambda A: A.min()),
    ('min_dim1', 'A.min(dim=1)', ['A'], lambda A: A.min(dim=1)),
    ('min_dim0_keepdim', 'A.min(dim=0, keepdim=True)', ['A'], lambda A: A.min(dim=0, keepdim=True)),
    ('argmax', 'X.argmax()', ['X'], lambda X: X.argmax()),
    ('argmax_dim1', 'X.argmax(dim=1)', ['X'], lambda X: X.argmax(dim=1)),
    ('index_row', 'X[0]', ['X'], lambda X: X[0]),
    ('index_element', 'X[0, 2]', ['X'], lambda X: X[0, 2]),
    ('index_column', 'X[:, 0]', ['X'], lambda X: X[:, 0]),
    ('index_slice_column', 'X[1:3, 0]', ['X'], lambda X: X[1:3, 0]),
    ('masked_fill', 'X.masked_fill(X > 0.5, -1.0)', ['X'], lambda X: X.masked_fill(X > 0.5, -1.0)),
    ('index_put_mask', 'y = X * 1.0; y[y > 0.5] = 7.0', ['X'], None),
    ('sum_of_square_parallel', 'x1 * x1', ['x1'], lambda x1: x1 * x1),
]


def _index_put(X):
    y = X * 1.0
    y[y > 0.5] = 7.0
    return y


def _upstream(shape, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.round(torch.randn(*shape, generator=g), decimals=2)


def make_ops():
    cases = []
    for k, (name, expr, operands, fn) in enumerate(OPS):
        args = [torch.tensor(T[o], requires_grad=True) for o in operands]
        result = (fn or _index_put)(*args)
        indices = None
        if isinstance(result, tuple):
            result, indices = result.values, result.indices
        case = {'name': name, 'expression': expr,
                'inputs': [dict(enc(a), name=o) for o, a in zip(operands, args)],
                'output': enc(result)}
        if indices is not None:
            case['indices'] = enc(indices)
        if result.grad_fn is None:
            case['grad_fn'] = None
            cases.append(case)
            continue
        case['grad_fn'] = type(result.grad_fn).__name__
        case['grad_fns'] = grad_fn_names(result)
        case['saved'] = saved_attrs(result.grad_fn)
        if result.dim() == 0:
            result.backward()
            case['upstream_grad'] = None
        else:
            up = _upstream(tuple(result.shape), 900 + k)
            result.backward(up)
            case['upstream_grad'] = enc(up)
        case['input_grads'] = [dict(enc(a.grad), name=o) for o, a in zip(operands, args)]
        cases.append(case)
    write_json(os.path.join(CORE, 'ops.json'), {
        'about': 'Tensor ops on explicit float32 inputs (all requires_grad=True). output.backward(upstream_grad), '
                 'or output.backward() when upstream_grad is null. See Tests/tools/README.md.',
        'cases': cases,
    })
