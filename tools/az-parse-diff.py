#!/usr/bin/env python3
"""Differential check of keydrill's az command line against a locally installed az.

Generates command lines for the commands keydrill emulates (a fixed seed): well-formed ones and
ones with a mistake (an unknown or misspelt option, a missing required one, a value outside the
choices, an option without its value, an abbreviated option, --ids). Runs each through az 2.91
(offline: az parses and validates, then stops at sign-in, kept in one process per job by
tools/az_worker.py) and through keydrill on an empty world, and compares how far each got:

  usage  az exits 2 (argparse): keydrill must exit 2 with the same first ERROR line;
  early  az exits 1 before sign-in (its own validators): keydrill must print the same ERROR line;
  ok     az reached sign-in or the network: keydrill must not have refused the line as a usage error;
  crash  az failed with a traceback inside its own parser (az is broken there): not compared, counted.

    python3 -m venv /tmp/azvenv && /tmp/azvenv/bin/pip install azure-cli==2.91.0
    swift build
    python3 tools/az-parse-diff.py --az-python /tmp/azvenv/bin/python [--cases 3000] [--seed 1] [--show 20]

3,000 cases take a few minutes on two cores. Exit 1 on any disagreement. `postgres server` (az 2.79)
is left out: it needs another az.
"""
import argparse, concurrent.futures, json, os, random, shutil, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
ref = os.path.join(here, '..', '..', 'shared', 'reference', 'az-cli')
ap = argparse.ArgumentParser()
ap.add_argument('--az-python', required=True, help='the python of a venv with azure-cli 2.91.0')
ap.add_argument('--keydrill', default=os.path.join(here, '..', '.build', 'debug', 'keydrill'))
ap.add_argument('--cases', type=int, default=300)
ap.add_argument('--seed', type=int, default=1)
ap.add_argument('--show', type=int, default=20)
ap.add_argument('--jobs', type=int, default=2)
ap.add_argument('--only', help='a regular expression: only the commands it matches')
opts = ap.parse_args()
rng = random.Random(opts.seed)

specs = {}
for f in ['az-commands.json', 'az-commands-scripts.json', 'flexible-server-commands.json']:
    for c in json.load(open(os.path.join(ref, f)))['commands']:
        specs.setdefault(c['command'], c)
# The commands keydrill emulates: the names its handlers are registered under.
import glob, re
handled = set()
for f in glob.glob(os.path.join(here, '..', 'Sources', 'AzureCLI', 'Commands', '*.swift')):
    handled |= set(re.findall(r'^\s+"([a-z][a-z -]+)": Handler\(', open(f).read(), re.M))
emulated = sorted(n for n in specs if n in handled and not n.startswith('postgres server')
                  and (not opts.only or re.search(opts.only, n)))

VALUES = ['x', 'rg1', 'eastus', 'true', 'false', '7', '0', '-1', 'Enabled', 'a b', '2030-01-01T00:00:00Z', '',
          'key-name=k1', 'sbname1', 'East US', '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/'
          'virtualNetworks/v', 'P1D', '00:05:00', '1.5', '{a:b}', 'x,y', 'Premium', 'https://v.vault.azure.net/keys/k']


# A dict, object or list argument of an AAZ command takes shorthand syntax (`{a:b,c:[1,2]}`,
# `key.path=value`), JSON or a Python literal, read against the argument's schema: its values
# are generated from that schema, well-formed or broken in one place.
SHAPES = {(c, f['option']): f['shape'] for c, fs in json.load(open(os.path.join(here, 'aaz-schemas.json'))).items()
          for f in fs if f.get('shape')}
WORDS = ['x', '7', '-1', '1.5', 'true', 'null', "'a b'", "'q'/'s'", 'Enabled', 'none', '', '??x', '1e3', 'NaN']


def shorthand(shape, depth=0):
    t = shape['t']
    r = rng.random()
    if depth > 2 or r < 0.1:
        return rng.choice(WORDS + [k for k, _ in shape.get('e', [])])
    if t == 'object':
        names = [rng.choice([f[0]] + f[1]) for f in shape['f']] or ['a']
        keys = rng.sample(names, min(len(names), rng.randint(0, 3))) + (['nosuch'] if r < 0.15 else [])
        shapes = {n: f[2] for f in shape['f'] for n in [f[0]] + f[1]}
        items = [k if rng.random() < 0.1 else '%s:%s' % (k, shorthand(shapes.get(k, {'t': 'str'}), depth + 1))
                 for k in keys]
        return '{' + ','.join(items) + (',' if rng.random() < 0.1 else '') + '}'
    if t == 'dict':
        keys = rng.sample(['a', 'b', 'k-1', "'q k'", 'a'], rng.randint(0, 3))
        return '{' + ','.join('%s:%s' % (k, shorthand(shape['el'], depth + 1)) for k in keys) + '}'
    if t == 'list':
        return '[' + ','.join(shorthand(shape['el'], depth + 1) for _ in range(rng.randint(0, 3))) + ']'
    return rng.choice(WORDS + [k for k, _ in shape.get('e', [])])


def partial(shape):
    """`key.path=value` for a part of the argument, or the whole in another notation."""
    keys, s = [], shape
    for _ in range(rng.randint(1, 3)):
        if s['t'] == 'object' and s['f']:
            f = rng.choice(s['f'])
            keys.append(rng.choice([f[0]] + f[1]) if rng.random() > 0.1 else 'nosuch')
            s = f[2]
        elif s['t'] == 'dict':
            keys.append(rng.choice(['a', 'b']))
            s = s['el']
        elif s['t'] == 'list':
            keys.append('[%d]' % rng.randint(-1, 1))
            s = s['el']
        else:
            break
    key = '.'.join(keys).replace('.[', '[')
    return key + '=' + shorthand(s, 1)


def compound(shape):
    r = rng.random()
    if r < 0.45:
        text = shorthand(shape)
    elif r < 0.75:
        text = partial(shape)
    elif r < 0.85:
        return rng.choice(['{"a": 1}', '{"a": [1, 2]}', "{'a': 'b'}", '(1, 2)', '[NaN]', '{"a": null}'])
    else:
        text = rng.choice(WORDS)
    if text and rng.random() < 0.25:                                     # one mistake in it
        i = rng.randrange(len(text))
        text = text[:i] + rng.choice(['', ' ', '"', "'", ':', ',', '}', ']', '{', '[']) + text[i + 1:]
    return text


def value(p, command=''):
    shape = next((SHAPES[(command, o)] for o in p['options'] if (command, o) in SHAPES), None)
    if shape and rng.random() < 0.8:
        return compound(shape)
    if p.get('choices') and rng.random() < 0.8:
        return rng.choice(p['choices'])
    return rng.choice(VALUES)


def line(c):
    params = [p for p in c['parameters'] if not p.get('hidden') and p['options'][0].startswith('--')]
    argv = c['command'].split()
    chosen = [p for p in params if p.get('required')] + rng.sample(params, min(len(params), rng.randint(0, 3)))
    for p in chosen:
        argv.append(rng.choice(p['options']))
        if p.get('nargs') != 0:
            argv.append(value(p, c['command']))
            if p.get('nargs') in ('+', '*') and rng.random() < 0.2:
                argv.append(value(p, c['command']))
    mistake = rng.random()
    if mistake < 0.12:
        argv.append('--no-such-option')
    elif mistake < 0.22 and params:
        o = rng.choice(params)['options'][0]
        argv.append(o[:-1] + 'x' if len(o) > 4 else o + 'x')          # misspelt
    elif mistake < 0.32:
        req = [p for p in params if p.get('required')]
        if req:                                                          # a required option dropped
            drop = rng.choice(req)
            i = next((k for k, a in enumerate(argv) if a in drop['options']), None)
            if i is not None:
                del argv[i:i + (1 if drop.get('nargs') == 0 else 2)]
    elif mistake < 0.4 and params:
        p = rng.choice([p for p in params if p.get('choices')] or params)
        argv += [p['options'][0], 'NotAChoice']
    elif mistake < 0.47 and params:
        p = rng.choice([p for p in params if p.get('nargs') != 0] or params)
        argv.append(p['options'][0])                                     # no value at the end
    elif mistake < 0.55 and params:
        o = rng.choice(params)['options'][0]
        argv += [o[:max(4, len(o) - 3)]] + ([] if rng.random() < 0.3 else ['x'])   # an abbreviation
    elif mistake < 0.6 and c.get('accepts_ids'):
        argv += ['--ids', rng.choice(['garbage', '/subscriptions/s/resourceGroups/rg/providers/P/t/n'])]
    return argv


def first_error(text):
    """The first ERROR line, with the lines under it that show where (a shorthand syntax error's)."""
    lines = text.splitlines()
    i = next((k for k, l in enumerate(lines) if l.startswith('ERROR')), None)
    if i is None:
        return ''
    j = i + 1
    while j < len(lines) and lines[j].startswith('\t'):
        j += 1
    return '\n'.join(lines[i:j])


class Worker:
    def __init__(self):
        self.proc = subprocess.Popen([opts.az_python, os.path.join(here, 'az_worker.py')], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, cwd=tempfile.gettempdir())

    def run(self, argv):
        self.proc.stdin.write(json.dumps(argv) + '\n')
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())


def classify(rc, stderr):
    e = first_error(stderr)
    if 'Traceback (most recent call last)' in stderr:
        # Inside argparse (an action or a type function): az itself is broken on that line. Anywhere
        # else (requests, msal) az got past its checks and reached the network it cannot reach here.
        return ('crash' if '/argparse.py' in stderr else 'ok'), e
    # az's own checks done, it asked the network (a tenant's domain, a token) and found none here.
    if 'HTTPSConnectionPool' in stderr:
        return 'ok', e
    if rc == 2:
        return 'usage', e
    if rc == 0 or "az login" in stderr:
        return 'ok', e
    return 'early', e


def run_az(batch):
    w = Worker()
    return [classify(**w.run(argv)) for argv in batch]


# keydrill's worlds start signed in; az here has nobody signed in. Each line runs on its own copy
# of a signed-out world, so both stop at sign-in in the same place.
signed_out = tempfile.mkdtemp(prefix='az-parse-diff-')
subprocess.run([opts.keydrill, '--state', signed_out + '/world', '-c', 'az logout'], check=True)


def run_kd(argv):
    state = tempfile.mkdtemp(prefix='az-parse-diff-')
    shutil.copytree(signed_out + '/world', state + '/world')
    r = subprocess.run([opts.keydrill, '--state', state + '/world', 'az'] + argv, capture_output=True, text=True,
                       cwd=tempfile.gettempdir())
    shutil.rmtree(state)
    return r.returncode, first_error(r.stderr)


cases = [line(specs[rng.choice(emulated)]) for _ in range(opts.cases)]
with concurrent.futures.ThreadPoolExecutor(opts.jobs) as pool:
    batches = list(pool.map(run_az, [cases[k::opts.jobs] for k in range(opts.jobs)]))
    azs = [batches[i % opts.jobs][i // opts.jobs] for i in range(len(cases))]
    kds = list(pool.map(run_kd, cases))

counts = {}
shown = 0
for argv, (kind, aerr), (krc, kerr) in zip(cases, azs, kds):
    if kind == 'usage':
        ok = krc == 2 and kerr == aerr
    elif kind == 'early':
        ok = kerr == aerr
    elif kind == 'crash':
        ok = None
    else:
        ok = krc != 2
    if ok is None:
        counts['az crashed'] = counts.get('az crashed', 0) + 1
        continue
    key = '%s %s' % (kind, 'agree' if ok else 'differ')
    counts[key] = counts.get(key, 0) + 1
    if not ok and shown < opts.show:
        shown += 1
        print('%s: az %s\n  az       %s\n  keydrill %d %s' % (kind, ' '.join(argv), aerr, krc, kerr))
agree = sum(v for k, v in counts.items() if k.endswith('agree'))
differ = sum(v for k, v in counts.items() if k.endswith('differ'))
print('lines %d (seed %d, %d commands): %d agree, %d differ; %s' % (
    len(cases), opts.seed, len(emulated), agree, differ, ', '.join('%s %d' % kv for kv in sorted(counts.items()))))
shutil.rmtree(signed_out)
sys.exit(0 if differ == 0 else 1)
