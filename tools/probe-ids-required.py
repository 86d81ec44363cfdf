#!/usr/bin/env python3
"""Records which 'Resource Id' arguments az requires when --ids is not given, by running a locally
installed az on each command that takes --ids (az's parse_ids_arguments keeps the arguments' own
`required` to itself: the specification shows them all optional). Writes tools/az-ids-required.json,
which gen-command-table.py reads; the file is committed, so neither az nor this script is needed to
build. az validates offline: no sign-in, no network.

    python3 tools/probe-ids-required.py /tmp/azvenv/bin/az /tmp/az279/bin/az

The first az must be 2.91.0; the second (2.79.0) answers for `postgres server`.
"""
import json, os, re, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
ref = os.path.join(here, '..', '..', 'shared', 'reference', 'az-cli')
az_current, az_single = sys.argv[1], sys.argv[2]
found = re.compile(r'^ERROR: \((.*) \| --ids\) are required$', re.M)
missing = re.compile(r'^ERROR: InvalidArgumentValue: Missing required field: (\S+)$', re.M)

commands = {}
for f in ['az-commands.json', 'az-commands-scripts.json', 'flexible-server-commands.json']:
    for c in json.load(open(os.path.join(ref, f)))['commands']:
        if c.get('accepts_ids'):
            commands.setdefault(c['command'], c)


def filler(p):
    """A value argparse accepts for a parser-required argument, so that az reaches its --ids check."""
    if p.get('nargs') == 0:
        return []
    return [p['choices'][0] if p.get('choices') else 'x']


out = {}
for name in sorted(commands):
    c = commands[name]
    argv = name.split()
    for p in c['parameters']:
        if p.get('required') and p.get('group') != 'Resource Id Arguments':
            argv += [p['options'][0]] + filler(p)
    az = az_single if c['cli_version'] == '2.79.0' else az_current
    r = subprocess.run([az] + argv, capture_output=True, text=True, env=dict(os.environ, AZURE_CORE_NO_COLOR='1'))
    m = found.search(r.stderr)
    out[name] = {'required': m.group(1).split(' ') if m else [], 'argv': argv, 'exit': r.returncode,
                 'error': r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ''}
    # AAZ commands check their own required fields instead, one at a time in their schema's
    # order: fill each one az names until it names none.
    if c.get('implementation') == 'aaz' or c.get('is_aaz'):
        order, filled = [], list(argv)
        while True:
            r = subprocess.run([az] + filled, capture_output=True, text=True,
                               env=dict(os.environ, AZURE_CORE_NO_COLOR='1'))
            m = missing.search(r.stderr)
            if not m or m.group(1) in order:
                break
            order.append(m.group(1))
            filled += [m.group(1), 'abcdefgh']
        out[name]['aazRequired'] = order
    print(name, out[name]['required'], file=sys.stderr)

with open(os.path.join(here, 'az-ids-required.json'), 'w') as f:
    json.dump({'meta': 'Per command taking --ids: the options az 2.91.0 (2.79.0 for postgres server) names in '
                       "'(... | --ids) are required' when neither --ids nor they are given, in az's order; the "
                       "command line that asked (parser-required arguments filled in), az's exit code and last "
                       'error line. Recorded by tools/probe-ids-required.py.',
               'commands': out}, f, indent=1, sort_keys=True)
    f.write('\n')
