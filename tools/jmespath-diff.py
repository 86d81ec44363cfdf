#!/usr/bin/env python3
"""Differential check of keydrill's --query engine against jmespath.py, the engine az embeds.

Generates random expressions over random documents (a fixed seed, so a run is repeatable), asks
jmespath.py and keydrill's engine (the jmespath-eval target) for each, and reports where they
disagree: a different result, or an error on one side only, or an error found at another time
(az finds syntax errors before the command runs, exit 2; function errors after it, exit 1).

    pip install jmespath            # into a throwaway venv, never a dependency
    swift build --product jmespath-eval
    python3 tools/jmespath-diff.py [--cases 3000] [--seed 1] [--show 20] [--python PY]

--python names an interpreter that has jmespath (default: this one). Exit 1 when any case
disagrees. Results compare as json.dumps writes them (keys sorted), so an int and a float of the
same value differ, as they do in az's output (`3` and `3.0`).
"""
import argparse, json, os, random, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument('--cases', type=int, default=3000)
ap.add_argument('--seed', type=int, default=1)
ap.add_argument('--show', type=int, default=20)
ap.add_argument('--python', default=sys.executable)
ap.add_argument('--eval', default=os.path.join(here, '..', '.build', 'debug', 'jmespath-eval'))
opts = ap.parse_args()
rng = random.Random(opts.seed)

KEYS = ['a', 'b', 'name', 'tags', 'tags.owner', 'items', 'state', 'created']
# Strings that to_number reads as Python's int() and float() do, and some it refuses.
NUMERIC_WORDS = ['3.0', ' 7 ', '+2', '1_000', '.5', '5.', 'inf', '-Infinity', '1e3', '0x10', '1__0', '']
WORDS = ['Ready', 'Inaccessible', 'eastus', 'west', 'ops', '2024-01-01', '2025-06-30T10:00:00Z', '', 'a', 'B']


def scalar():
    return rng.choice([0, 1, -2, 3.5, 10, 2 ** 40, -0.0, 2.0, 1e-7, 1e20, 12345678901234567890, True, False,
                       None] + WORDS + NUMERIC_WORDS)


def document(depth=0):
    """Mostly what az prints: a list of resources sharing their keys; sometimes anything."""
    if depth == 0 and rng.random() < 0.7:
        return [record() for _ in range(rng.randint(0, 5))]
    r = rng.random()
    if depth > 2 or r < 0.3:
        return scalar()
    if r < 0.6:
        return [document(depth + 1) for _ in range(rng.randint(0, 4))]
    return {k: document(depth + 1) for k in rng.sample(KEYS, rng.randint(1, 5))}


def record():
    o = {'name': rng.choice(WORDS), 'state': rng.choice(['Ready', 'Inaccessible', 'Stopped']),
         'created': rng.choice(['2024-01-01', '2025-06-30T10:00:00Z', '2023-12-31']),
         'a': rng.choice([0, 1, 2.5, -3, 7]), 'tags': {'owner': rng.choice(['ops', 'dev'])},
         'items': [rng.choice([1, 2, 3, 'x']) for _ in range(rng.randint(0, 3))]}
    for k in rng.sample(list(o), rng.randint(0, 2)):
        o[k] = scalar()     # a field missing its usual type now and then
    return o


def literal():
    v = rng.choice([0, 1, 2, -1, 3.5, 2.0, 1e2, -0.0, 12345678901234567890, True, False, None, 'Ready', 'ops',
                    [1, 2], [1.5, 2], {'a': 1}])
    form = rng.random()
    if isinstance(v, str) and form < 0.4:
        return "'%s'" % v
    if isinstance(v, str) and form < 0.6:
        return '`%s`' % v                    # a legacy literal that is not JSON: a string
    return '`%s`' % json.dumps(v)


FUNCTIONS = [('length', 1), ('keys', 1), ('values', 1), ('sort', 1), ('reverse', 1), ('type', 1),
             ('to_string', 1), ('to_number', 1), ('to_array', 1), ('not_null', 2), ('max', 1), ('min', 1),
             ('sum', 1), ('avg', 1), ('abs', 1), ('floor', 1), ('ceil', 1), ('contains', 2),
             ('starts_with', 2), ('ends_with', 2), ('join', 2), ('merge', 2), ('sort_by', 2), ('max_by', 2),
             ('min_by', 2), ('map', 2), ('nope', 1)]


def expr(depth=0):
    r = rng.random()
    if depth > 3 or r < 0.25:
        return rng.choice(KEYS + ['@', '"name"', literal()])
    if r < 0.35:
        return '%s.%s' % (expr(depth + 1), rng.choice(KEYS + ['[*]', '*']))
    if r < 0.42:
        return '%s[%s]' % (expr(depth + 1), rng.choice(['0', '-1', '1:', ':2', '::-1', '*', '']))
    if r < 0.52:
        op = rng.choice(['==', '!=', '<', '<=', '>', '>='])
        return '%s[?%s %s %s]' % (rng.choice(KEYS + ['@']), rng.choice(KEYS + ['@']), op, literal())
    if r < 0.6:
        op = rng.choice(['==', '!=', '<', '<=', '>', '>=', '||', '&&'])
        return '%s %s %s' % (expr(depth + 1), op, expr(depth + 1))
    if r < 0.65:
        return '!%s' % expr(depth + 1)
    if r < 0.8:
        name, arity = rng.choice(FUNCTIONS)
        if rng.random() < 0.1:
            arity += rng.choice([-1, 1])    # a wrong arity
        args = []
        for i in range(max(0, arity)):
            if name in ('sort_by', 'max_by', 'min_by', 'map') and i == 1:
                args.append('&' + rng.choice(KEYS))
            elif name == 'join' and i == 0:
                args.append(rng.choice(["', '", literal()]))
            else:
                args.append(expr(depth + 1))
        return '%s(%s)' % (name, ', '.join(args))
    if r < 0.88:
        return '[%s]' % ', '.join(expr(depth + 1) for _ in range(rng.randint(1, 3)))
    if r < 0.95:
        return '{%s}' % ', '.join('%s: %s' % (k, expr(depth + 1)) for k in rng.sample(KEYS, rng.randint(1, 3)))
    return '%s | %s' % (expr(depth + 1), expr(depth + 1))


def mangled(e):
    """An expression with one character dropped, doubled or replaced: mostly syntax errors."""
    if not e:
        return e
    i = rng.randrange(len(e))
    return rng.choice([e[:i] + e[i + 1:], e[:i] + e[i] + e[i:], e[:i] + rng.choice('[]{}().|&!?*@`\'"=<>,: ') + e[i + 1:]])


def case():
    e = expr()
    if rng.random() < 0.15:
        e = mangled(e)
    return {'expression': e, 'document': document()}


cases = [case() for _ in range(opts.cases)]
lines = ''.join(json.dumps(c) + '\n' for c in cases)

ORACLE = r'''
import json, sys, jmespath
from jmespath import exceptions as x
for line in sys.stdin:
    c = json.loads(line)
    try:
        e = jmespath.compile(c['expression'])
    except x.JMESPathError as err:
        print(json.dumps({'error': 'compile', 'kind': type(err).__name__})); continue
    try:
        print(json.dumps({'result': e.search(c['document'])}))
    except x.JMESPathError as err:
        print(json.dumps({'error': 'runtime', 'kind': type(err).__name__}))
    except Exception as err:   # jmespath.py itself crashes on some inputs
        print(json.dumps({'error': 'crash', 'kind': type(err).__name__}))
'''
py = subprocess.run([opts.python, '-c', ORACLE], input=lines, capture_output=True, text=True)
if py.returncode != 0:
    sys.exit('jmespath.py failed (is it installed for %s?):\n%s' % (opts.python, py.stderr))
kd = subprocess.run([opts.eval], input=lines, capture_output=True, text=True)
if kd.returncode != 0:
    sys.exit('jmespath-eval failed (swift build --product jmespath-eval):\n%s' % kd.stderr)
theirs = [json.loads(l) for l in py.stdout.splitlines()]
ours = [json.loads(l) for l in kd.stdout.splitlines()]
assert len(theirs) == len(ours) == len(cases)

counts = {'agree': 0, 'result': 0, 'error-time': 0, 'error-one-side': 0, 'jmespath.py crashes': 0}
shown = 0
for c, t, o in zip(cases, theirs, ours):
    if t.get('error') == 'crash':
        counts['jmespath.py crashes'] += 1
        continue
    if 'result' in t and 'result' in o:
        same = json.dumps(t['result'], sort_keys=True) == json.dumps(o['result'], sort_keys=True)
        kind = 'agree' if same else 'result'
    elif 'error' in t and 'error' in o:
        kind = 'agree' if t['error'] == o['error'] else 'error-time'
    else:
        kind = 'error-one-side'
    counts[kind] += 1
    if kind != 'agree' and shown < opts.show:
        shown += 1
        print('%s: %s\n  on %s\n  jmespath.py %s\n  keydrill    %s' % (
            kind, c['expression'], json.dumps(c['document']), json.dumps(t), json.dumps(o)))
decidable = len(cases) - counts['jmespath.py crashes']
# What the cases exercised, so that agreement on nulls alone would show.
shape = {}
for t in theirs:
    if 'result' in t:
        r = t['result']
        key = 'null' if r is None else 'empty' if r in ([], {}, '') else 'value'
    else:
        key = '%s %s' % (t['error'], t['kind'])
    shape[key] = shape.get(key, 0) + 1
print('jmespath.py answered: ' + ', '.join('%s %d' % kv for kv in sorted(shape.items(), key=lambda kv: -kv[1])))
print('cases %d (seed %d): %d agree of %d decidable; %s' % (
    len(cases), opts.seed, counts['agree'], decidable,
    ', '.join('%s %d' % (k, v) for k, v in counts.items() if k != 'agree')))
sys.exit(0 if counts['agree'] == decidable else 1)
