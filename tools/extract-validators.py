#!/usr/bin/env python3
"""Writes tools/az-validators.json: the validators az runs, in its order, after parsing a command
line and before calling the service, for every command keydrill emulates. Read from the parser az
itself builds (`_command_validator`, else `_argument_validators`: knack runs a command-level
validator instead of the argument ones). A validator's name is its function's, with the values it
closes over (`validate_keyvault_resource_id:key`). tools/gen-command-table.py puts them in the table.

    /tmp/azvenv/bin/python tools/extract-validators.py
"""
import glob, json, os, re, sys

here = os.path.dirname(os.path.abspath(__file__))
handled = set()
for f in glob.glob(os.path.join(here, '..', 'Sources', 'AzureCLI', 'Commands', '*.swift')):
    handled |= set(re.findall(r'^\s+"([a-z][a-z -]+)": Handler\(', open(f).read(), re.M))
sys.path.insert(0, here)
from az_parsers import parsers  # noqa: E402


def name(v):
    args = []
    for cell in getattr(v, '__closure__', None) or []:
        try:
            x = cell.cell_contents
        except ValueError:
            continue
        if isinstance(x, str):
            args.append(x)
    base = v.__qualname__.split('.<locals>')[0]
    return ':'.join([base] + args)


out = {}
for command, parser in parsers(handled):   # keydrill's own groups and az 2.79's postgres server are not az 2.91's
    d = parser._defaults
    chain = [d['_command_validator']] if d.get('_command_validator') else d.get('_argument_validators', [])
    names = []
    for v in chain:
        if not names or names[-1] != name(v):
            names.append(name(v))
    if names:
        out[command] = names
json.dump(out, open(os.path.join(here, 'az-validators.json'), 'w'), indent=1, sort_keys=True)
sys.stdout.write('wrote tools/az-validators.json: %d commands\n' % len(out))
