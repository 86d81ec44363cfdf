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
emulated = sorted(n for n in specs if n in handled and not n.startswith('postgres server'))

VALUES = ['x', 'rg1', 'eastus', 'true', 'false', '7', '0', '-1', 'Enabled', 'a b', '2030-01-01T00:00:00Z', '',
          'key-name=k1', 'sbname1']


def value(p):
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
            argv.append(value(p))
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
    return next((l for l in text.splitlines() if l.startswith('ERROR')), '')


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
    r = subprocess.run([opts.keydrill, '--state', state + '/world', 'az'] + argv, capture_output=True, text=True)
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
