#!/usr/bin/env python3
"""Writes tools/az-registration-order.json: for each az 2.91 command of the specification keydrill's
table is built from, the destinations of its arguments in the order az's parser registered them
(globals included, by keydrill's names). argparse lists an ambiguous prefix's candidates in this
order; the specification sorts arguments by name, so it cannot say.

    /tmp/azvenv/bin/python tools/extract-registration-order.py
"""
import json, os, sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from az_parsers import parsers, spec_commands  # noqa: E402

# az's names for the global arguments, as keydrill's table names them.
GLOBALS = {'_subscription': 'subscription', '_output_format': 'output', '_jmespath_query': 'query',
           '_log_verbosity_debug': 'debug', '_log_verbosity_verbose': 'verbose',
           '_log_verbosity_only_show_errors': 'only_show_errors', '_ids': 'ids'}
out = {}
for command, parser in parsers(spec_commands()):
    dests = []
    for action in parser._actions:
        if action.option_strings:
            dest = GLOBALS.get(action.dest, action.dest)
            if dest not in dests:
                dests.append(dest)
    out[command] = dests
json.dump(out, open(os.path.join(here, 'az-registration-order.json'), 'w'), indent=0, sort_keys=True)
sys.stdout.write('wrote tools/az-registration-order.json: %d commands\n' % len(out))
