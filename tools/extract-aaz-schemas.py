#!/usr/bin/env python3
"""Writes tools/aaz-schemas.json: for each AAZ command of the specification keydrill's table is
built from (emulated or not: az checks a line it would refuse the same way), its argument schema's
fields in az's order, each with the option az names in its messages, whether it is required, and
its format. AAZ checks them field by field in this order when the command runs: a given field's
format, then "Missing required field". Read from the installed azure-cli's command classes.

    /tmp/azvenv/bin/python tools/extract-aaz-schemas.py
"""
import json, os, sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from az_parsers import parsers, spec_commands  # noqa: E402

FORMATS = {'AAZStrArgFormat': 'str', 'AAZIntArgFormat': 'int', 'AAZDurationFormat': 'duration',
           'AAZPaginationTokenArgFormat': 'pagetoken', 'AAZResourceLocationArgFormat': 'location',
           'AAZResourceIdArgFormat': 'resourceid'}


def fmt(f):
    if f is None or type(f).__name__ not in FORMATS:
        return None     # list, dict and object formats check only their elements, none of which keydrill has
    kind = FORMATS[type(f).__name__]
    out = {'kind': kind}
    if kind == 'str':
        out.update(min=f._min_length, max=f._max_length)   # az 2.91 compiles a pattern but does not check it
    elif kind == 'int':
        out.update(min=f._minimum, max=f._maximum, multiple=f._multiple_of)
    return out


out = {}
for command, parser in parsers(spec_commands()):
    schema = getattr(type(parser._defaults['_cmd']), '_args_schema', None)
    if schema is None:
        continue
    out[command] = [{'dest': k, 'option': list(f._options)[0] if f._options else k, 'required': bool(f._required),
                     'format': fmt(f._fmt), 'type': type(f).__name__,
                     'element': type(f.Element).__name__ if type(f).__name__ == 'AAZListArg' else None}
                    for k, f in schema._fields.items()]
json.dump(out, open(os.path.join(here, 'aaz-schemas.json'), 'w'), indent=1, sort_keys=True)
sys.stdout.write('wrote tools/aaz-schemas.json: %d commands\n' % len(out))
