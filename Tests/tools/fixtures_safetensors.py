"""Group `safetensors`: files written by safetensors.torch.save_file, and what PyTorch reads from them and from a
file nnviz wrote (Tests/NNVizNNTests/Fixtures/safetensors/)."""
import os
import struct
import tempfile

import torch
from safetensors.torch import load_file, save_file
from torch import nn

from fixture_io import NN, ROOT, enc, write_json

DIR = os.path.join(NN, 'safetensors')


def mlp():
    torch.manual_seed(1)
    return nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))


def bn_model():
    torch.manual_seed(2)
    return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))


INPUT = torch.tensor([[0.5, -1.25, 2.0], [1.5, 0.25, -0.75], [-2.0, 1.0, 0.5], [0.0, -0.5, 1.25]])
TARGET = torch.tensor([[1.0, -1.0], [0.5, 0.0], [-0.5, 2.0], [0.25, 0.75]])


def train(model, outputs):
    """Five SGD steps (lr 0.1, MSE) in training mode: weights and running statistics unlike any initialisation."""
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(5):
        opt.zero_grad()
        nn.MSELoss()(model(INPUT), TARGET[:, :outputs]).backward()
        opt.step()
    return model


def state(model):
    return [{'name': k, 'value': enc(v)} for k, v in model.state_dict().items()]


def bits16(values, dtype):
    """float32 bit patterns of what PyTorch makes of 16-bit patterns read as `dtype`."""
    t = torch.tensor(values, dtype=torch.int32).to(torch.int16).view(dtype)
    return [v & 0xFFFFFFFF for v in t.float().view(torch.int32).tolist()]


def make_safetensors():
    os.makedirs(DIR, exist_ok=True)
    path = lambda name: os.path.join(DIR, name)
    out = {'about': 'see Tests/tools/README.md, "NNVizNNTests/Fixtures/safetensors"', 'torch_version': torch.__version__}

    trained = train(mlp(), 1)
    sd = trained.state_dict()
    save_file(sd, path('mlp_f32.safetensors'))
    save_file(sd, path('mlp_f32_metadata.safetensors'), metadata={'format': 'pt'})
    out['mlp'] = {'state': state(trained), 'input': enc(INPUT), 'output': enc(trained(INPUT))}
    out['mlp_loaded'] = {}
    for name, dtype in [('f64', torch.float64), ('f16', torch.float16), ('bf16', torch.bfloat16)]:
        save_file({k: v.to(dtype) for k, v in sd.items()}, path('mlp_%s.safetensors' % name))
        model = mlp()
        model.load_state_dict(load_file(path('mlp_%s.safetensors' % name)))
        out['mlp_loaded'][name] = state(model)

    bn = train(bn_model(), 2)
    save_file(bn.state_dict(), path('bn_f32.safetensors'))
    bn.eval()
    out['bn'] = {'state': state(bn), 'input': enc(INPUT), 'eval_output': enc(bn(INPUT))}

    bad = dict(sd)
    del bad['2.bias']
    bad['0.weight'] = torch.zeros(3, 3)
    bad['2.scale'] = torch.ones(1)
    bad['extra'] = torch.ones(2)
    save_file(bad, path('mlp_mismatch.safetensors'))
    try:
        mlp().load_state_dict(load_file(path('mlp_mismatch.safetensors')))
        raise AssertionError('the mismatched file loaded')
    except RuntimeError as error:
        out['mismatch_error'] = str(error)

    half = [0x0000, 0x8000, 0x0001, 0x8001, 0x03FF, 0x0400, 0x3C00, 0xC000, 0x7BFF, 0xFBFF, 0x7C00, 0xFC00,
            0x7E00, 0xFE00, 0x7C01, 0x7D55, 0x3555]
    bf16 = [0x0000, 0x8000, 0x0001, 0x8001, 0x007F, 0x0080, 0x3F80, 0xC000, 0x7F7F, 0xFF7F, 0x7F80, 0xFF80,
            0x7FC0, 0xFFC0, 0x7F81, 0x7FAA, 0x3EAB]
    out['specials'] = {}
    for name, dtype, patterns in [('f16', torch.float16, half), ('bf16', torch.bfloat16, bf16)]:
        t = torch.tensor(patterns, dtype=torch.int32).to(torch.int16).view(dtype)
        save_file({'values': t}, path('specials_%s.safetensors' % name))
        read = load_file(path('specials_%s.safetensors' % name))['values']
        assert read.view(torch.int16).tolist() == t.view(torch.int16).tolist()
        out['specials'][name] = {'patterns': patterns, 'float32_bits': bits16(patterns, dtype)}

    nnviz = path('nnviz_saved.safetensors')
    if os.path.exists(nnviz):
        model = bn_model()
        model.load_state_dict(load_file(nnviz), strict=True)
        model.eval()
        with open(nnviz, 'rb') as f:
            blob = f.read()
        n = struct.unpack('<Q', blob[:8])[0]
        out['nnviz_saved'] = {'header': blob[8:8 + n].decode('utf-8'), 'state': state(model),
                              'eval_output': enc(model(INPUT))}
        # The same state written by safetensors itself is the same file, byte for byte.
        with tempfile.TemporaryDirectory() as scratch:
            save_file(model.state_dict(), os.path.join(scratch, 'same.safetensors'))
            with open(os.path.join(scratch, 'same.safetensors'), 'rb') as f:
                out['nnviz_saved']['torch_writes_same_bytes'] = f.read() == blob
    else:
        print('note: %s is missing; run the Swift test SafetensorsTests.nnvizSavedFile and copy its file there' % nnviz)
    write_json(path('safetensors.json'), out)
    make_cli_weights()


CLI = os.path.join(ROOT, 'NNVizCLITests', 'Fixtures', 'weights')


class Residual(nn.Module):
    """residual.yaml's `res` block: relu(x + bn(fc(x)))."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.bn = nn.BatchNorm1d(4)

    def forward(self, x):
        return torch.relu(x + self.bn(self.fc(x)))


def residual_model():
    model = nn.Sequential()
    model.add_module('stem', nn.Linear(3, 4))
    model.add_module('layer1', nn.Sequential(Residual(), Residual()))
    model.add_module('head', nn.Linear(4, 2))
    return model


def inspect_json(model, path):
    """`nnviz inspect --json`'s contract for `model` in eval mode with the weights in `path`, plus its buffers."""
    model.load_state_dict(load_file(path), strict=True)
    model.eval()
    output = model(INPUT)
    loss = nn.MSELoss()(output, TARGET)
    loss.backward()
    return {'output': output.tolist(), 'loss': loss.item(),
            'parameters': {k: {'shape': list(p.shape), 'value': p.tolist(), 'grad': p.grad.tolist()}
                           for k, p in model.named_parameters()},
            'buffers': {k: enc(b) for k, b in model.named_buffers()}}


def make_cli_weights():
    """Tests/NNVizCLITests/Fixtures/weights: bn_mlp.yaml's and residual.yaml's twins trained and saved, two files
    that do not fit bn_mlp, and `nnviz inspect --json`'s expected output/loss/gradients with those weights (eval)."""
    torch.manual_seed(3)
    model = nn.Sequential()
    model.add_module('fc1', nn.Linear(3, 4))
    model.add_module('bn', nn.BatchNorm1d(4))
    model.add_module('2', nn.ReLU())
    model.add_module('fc2', nn.Linear(4, 2))
    train(model, 2)
    sd = model.state_dict()
    save_file(sd, os.path.join(CLI, 'bn_mlp.safetensors'))
    save_file({k: v for k, v in sd.items() if k != 'fc2.bias'}, os.path.join(CLI, 'bn_mlp_missing.safetensors'))
    save_file({k: (torch.zeros(4, 4) if k == 'fc1.weight' else v) for k, v in sd.items()},
              os.path.join(CLI, 'bn_mlp_shape.safetensors'))
    twin = nn.Sequential()
    twin.add_module('fc1', nn.Linear(3, 4))
    twin.add_module('bn', nn.BatchNorm1d(4))
    twin.add_module('2', nn.ReLU())
    twin.add_module('fc2', nn.Linear(4, 2))
    write_json(os.path.join(CLI, 'bn_mlp.json'), inspect_json(twin, os.path.join(CLI, 'bn_mlp.safetensors')))

    torch.manual_seed(4)
    save_file(train(residual_model(), 2).state_dict(), os.path.join(CLI, 'residual.safetensors'))
    write_json(os.path.join(CLI, 'residual.json'), inspect_json(residual_model(), os.path.join(CLI, 'residual.safetensors')))
