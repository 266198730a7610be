#!/usr/bin/env python3
"""Expected `nnviz inspect --json` output and torchviz DOT for every samples/*.yaml, from PyTorch.

usage: ~/.cache/nnviz-torch/bin/python Tests/tools/make_cli_fixtures.py
Runs ../shared/tools/torch_oracle.py on each model file and writes Tests/NNVizCLITests/Fixtures/NAME.json and NAME.dot.
NAME.graph.json holds the DOT's nodes and edges (parsed with pydot) for the Swift structural comparison.
Tensors of more than 4096 elements are stored as summaries {"summary": true, "shape", "sum", "abs_sum", "head"} (the first
16 values in row-major order) to keep the fixtures small; the Swift test compares summaries for those.
"""
import glob, json, os, subprocess, sys, tempfile
import pydot, yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ORACLE = os.path.join(ROOT, '..', 'shared', 'tools', 'torch_oracle.py')
OUT = os.path.join(ROOT, 'Tests', 'NNVizCLITests', 'Fixtures')
LIMIT = 4096
# Samples whose PyTorch twin another generator builds (make_fixtures.py GROUP): torch_oracle.py lacks their layers.
ELSEWHERE = {'gru_sequence': 'recurrent'}


def flat(x):
    return [z for y in x for z in flat(y)] if isinstance(x, list) else [x]


def shape(x):
    return [len(x)] + shape(x[0]) if isinstance(x, list) and x else ([0] if isinstance(x, list) else [])


def trim(value):
    if not isinstance(value, list):
        return value
    values = flat(value)
    if len(values) <= LIMIT:
        return value
    return {'summary': True, 'shape': shape(value), 'sum': sum(values), 'abs_sum': sum(abs(v) for v in values), 'head': values[:16]}


def graph_statements(dot):
    """Nodes as {id: [label, fillcolor]} and edges as [tail, head, dir], as dotcompare.py reads them."""
    graph = pydot.graph_from_dot_data(dot)[0]
    unquote = lambda s: s[1:-1] if s and len(s) >= 2 and s[0] == s[-1] == '"' else (s or '')
    nodes = {}
    for n in graph.get_nodes():
        if n.get_name() in ('node', 'edge', 'graph'):
            continue
        attrs = n.get_attributes()
        nodes[n.get_name()] = [unquote(attrs.get('label', n.get_name())), unquote(attrs.get('fillcolor', ''))]
    edges = [[str(e.get_source()), str(e.get_destination()), unquote(e.get_attributes().get('dir', ''))] for e in graph.get_edges()]
    return {'nodes': nodes, 'edges': edges}


def main():
    os.makedirs(OUT, exist_ok=True)
    for path in sorted(glob.glob(os.path.join(ROOT, 'samples', '*.yaml'))):
        name = os.path.splitext(os.path.basename(path))[0]
        if name in ELSEWHERE:
            continue
        spec = yaml.safe_load(open(path))
        if 'blocks' in spec or any(isinstance(layer, dict) and 'from' in layer for layer in spec['model']):
            continue  # graph-shaped files: fixtures_graphfiles.py builds their PyTorch twins
        with tempfile.TemporaryDirectory() as tmp:
            prefix = os.path.join(tmp, name)
            subprocess.run([sys.executable, ORACLE, path, prefix], check=True)
            result = json.load(open(prefix + '.json'))
            dot = open(prefix + '.dot').read()
        result['output'] = trim(result['output'])
        for p in result['parameters'].values():
            p['value'] = trim(p['value'])
            p['grad'] = trim(p['grad'])
        json.dump(result, open(os.path.join(OUT, name + '.json'), 'w'), indent=1)
        open(os.path.join(OUT, name + '.dot'), 'w').write(dot)
        json.dump(graph_statements(dot), open(os.path.join(OUT, name + '.graph.json'), 'w'), indent=1)
        print('wrote', name)


if __name__ == '__main__':
    main()
