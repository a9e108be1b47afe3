#!/usr/bin/env python3
"""Merges the per-group FlagGems manifest fragments (suites/flaggems_<group>.yaml) into
suites/flaggems.yaml (exactly the 33 operators of operators.md, in its order) and
suites/flaggems_paths.yaml (the further FlagGems code paths written as extra operators).
Text-level: operator entries keep their comments and formatting. Used once when the fragments
were written in parallel; kept for the record."""
import re, sys

THE_33 = """relu gelu silu sigmoid tanh add sub mul div abs neg exp rsqrt reciprocal pow
softmax log_softmax layer_norm rms_norm group_norm sum mean max min prod amax var_mean
vector_norm cumsum mm bmm addmm mv""".split()

def entries(path):
    text = open(path).read()
    head, _, body = text.partition('\noperators:\n')
    lines = body.split('\n')
    out, cur, pending = [], None, []
    for line in lines:
        m = re.match(r'^  - name: *([A-Za-z0-9_.-]+)', line)
        if m:
            cur = [m.group(1), pending + [line]]
            pending = []
            out.append(cur)
        elif cur is None or (line.startswith('  #') and False):
            pending.append(line)
        else:
            cur[1].append(line)
    return head, [(n, '\n'.join(l).rstrip() + '\n') for n, l in out]

fragments = sys.argv[1:]
all_entries = {}
heads = []
for f in fragments:
    head, es = entries(f)
    heads.append((f, head))
    for n, t in es:
        if n in all_entries:
            sys.exit(f'duplicate operator {n} in {f}')
        all_entries[n] = t
missing = [n for n in THE_33 if n not in all_entries]
if missing:
    sys.exit(f'missing operators: {missing}')
extras = [n for n in all_entries if n not in THE_33]

header = """# The FlagGems-33 benchmark suite: the 33 operators of ../shared/operators.md (FlagGems v2.2
# algorithms, re-implemented in our own words in suites/flaggems/*.py), each with every host
# path as a variant, its launch sequence and its expected textbook formula.
# Further FlagGems code paths that need other tensors or formulas (two-stage full reductions,
# other vector norms, layer_norm without affine parameters, cumsum over a middle dimension) are
# in flaggems_paths.yaml.
suite: flaggems
source_root: flaggems
description: "FlagGems v2.2 operators (33), re-implemented in Triton"
defaults:
  limits: {symexec: 60, synth: 120, verify: 300, simplify: 60, check: 60, wall: 600, memory_mb: 4096}
  reps: 1
tools:
  - vlift
operators:
"""
paths_header = """# Further FlagGems v2.2 code paths, written as operators of their own because their tensors or
# formulas differ from the 33 operators' main paths in flaggems.yaml (two-stage full
# reductions, other vector norms, layer_norm without affine parameters, cumsum over a middle
# dimension). Same kernels directory.
suite: flaggems-paths
source_root: flaggems
description: "Further FlagGems v2.2 code paths"
defaults:
  limits: {symexec: 60, synth: 120, verify: 300, simplify: 60, check: 60, wall: 600, memory_mb: 4096}
  reps: 1
tools:
  - vlift
operators:
"""
with open('suites/flaggems.yaml', 'w') as f:
    f.write(header)
    for i, n in enumerate(THE_33):
        if i:
            f.write('\n')
        f.write(all_entries[n])
with open('suites/flaggems_paths.yaml', 'w') as f:
    f.write(paths_header)
    for i, n in enumerate(extras):
        if i:
            f.write('\n')
        f.write(all_entries[n])
print(f'flaggems.yaml: {len(THE_33)} operators; flaggems_paths.yaml: {len(extras)}: {" ".join(extras)}')
for f, head in heads:
    print(f'--- header of {f} (check for comments worth keeping):')
    print(head)
