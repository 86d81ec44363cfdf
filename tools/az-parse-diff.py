#!/usr/bin/env python3
"""Differential check of keydrill's az command line against a locally installed az.

Generates command lines for the commands keydrill emulates (a fixed seed): well-formed ones and
ones with a mistake (an unknown or misspelt option, a missing required one, a value outside the
choices, an option without its value, an abbreviated option, --ids). Runs each through az 2.91
(offline: az parses and validates, then stops at sign-in) and through keydrill on an empty world,
and compares how far each got:

  usage  az exits 2 (argparse): keydrill must exit 2 with the same first ERROR line;
  early  az exits 1 before sign-in (its own validators): keydrill must print the same ERROR line;
  ok     az reached sign-in: keydrill must not have refused the line as a usage error.

    python3 -m venv /tmp/azvenv && /tmp/azvenv/bin/pip install azure-cli==2.91.0
    swift build
    python3 tools/az-parse-diff.py --az /tmp/azvenv/bin/az [--cases 300] [--seed 1] [--show 20]

az takes about a second a line, so a few hundred cases take minutes. Exit 1 on any disagreement.
`postgres server` (az 2.79) is left out: it needs another az.
"""
import argparse, concurrent.futures, json, os, random, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
ref = os.path.join(here, '..', '..', 'shared', 'reference', 'az-cli')
ap = argparse.ArgumentParser()
ap.add_argument('--az', required=True)
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

VALUES = ['x', 'rg1', 'eastus', 'true', 'false', '7', '0', '-1', 'Enabled', 'a b', '2030-01-01T00:00:00Z', '']


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


def run_az(argv):
    r = subprocess.run([opts.az] + argv, capture_output=True, text=True,
                       env=dict(os.environ, AZURE_CORE_NO_COLOR='1', AZURE_CORE_COLLECT_TELEMETRY='0'))
    e = first_error(r.stderr)
    if r.returncode == 2:
        return 'usage', e
    if r.returncode == 0 or "az login" in r.stderr:
        return 'ok', e
    return 'early', e


def run_kd(argv):
    r = subprocess.run([opts.keydrill, '--ephemeral', 'az'] + argv, capture_output=True, text=True)
    return r.returncode, first_error(r.stderr)


cases = [line(specs[rng.choice(emulated)]) for _ in range(opts.cases)]
with concurrent.futures.ThreadPoolExecutor(opts.jobs) as pool:
    azs = list(pool.map(run_az, cases))
kds = [run_kd(a) for a in cases]

counts = {}
shown = 0
for argv, (kind, aerr), (krc, kerr) in zip(cases, azs, kds):
    if kind == 'usage':
        ok = krc == 2 and kerr == aerr
    elif kind == 'early':
        ok = kerr == aerr
    else:
        ok = krc != 2
    key = '%s %s' % (kind, 'agree' if ok else 'differ')
    counts[key] = counts.get(key, 0) + 1
    if not ok and shown < opts.show:
        shown += 1
        print('%s: az %s\n  az       %s\n  keydrill %d %s' % (kind, ' '.join(argv), aerr, krc, kerr))
agree = sum(v for k, v in counts.items() if k.endswith('agree'))
print('lines %d (seed %d, %d commands): %d agree; %s' % (
    len(cases), opts.seed, len(emulated), agree, ', '.join('%s %d' % kv for kv in sorted(counts.items()))))
sys.exit(0 if agree == len(cases) else 1)
