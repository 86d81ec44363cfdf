#!/usr/bin/env python3
"""Writes tools/aaz-schemas.json: for each AAZ command of the specification keydrill's table is
built from (emulated or not: az checks a line it would refuse the same way), its argument schema's
fields in az's order, each with the option az names in its messages, whether it is required, and
its format. AAZ checks them field by field in this order when the command runs: a given field's
format, then "Missing required field". A dict, object or list field also has its shape: what its
values' shorthand syntax converts to, down to the simple types (`shape`, read by
Sources/AzureCLI/Parsing/AAZShape.swift). Read from the installed azure-cli's command classes.

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
        return None     # a list's, dict's or object's own format: keydrill checks a list's elements (below)
    kind = FORMATS[type(f).__name__]
    out = {'kind': kind}
    if kind == 'str':
        out.update(min=f._min_length, max=f._max_length)   # az 2.91 compiles a pattern but does not check it
    elif kind == 'int':
        out.update(min=f._minimum, max=f._maximum, multiple=f._multiple_of)
    elif kind == 'resourceid' and f._template:
        out.update(template=f._template._template)
    return out


def field_format(f):
    """A field's format; a list of simple values has its elements', each checked (`each`)."""
    if type(f).__name__ == 'AAZListArg':
        element = fmt(f.Element._fmt)
        return dict(element, each=True) if element else None
    return fmt(f._fmt)


SIMPLE = {'AAZStrType': 'str', 'AAZIntType': 'int', 'AAZBoolType': 'bool', 'AAZFloatType': 'float'}


def shape(f):
    """A field's schema below its option, compactly: t the type, n nullable, b the value a blank
    (`key=`, `{key}`) stands for, e an enum's (key, value) pairs with ec case-sensitive and ex
    extensible, f an object's (name, aliases, shape) fields, el a dict's or list's element."""
    from azure.cli.core.aaz import _arg as A
    from azure.cli.core.aaz._base import AAZUndefined
    from azure.cli.core.aaz._prompt import AAZPromptInput
    out = {}
    if isinstance(f, A.AAZAnyTypeArg):
        out['t'] = 'any'
    elif isinstance(f, A.AAZObjectArg):
        assert not f._discriminators, 'polymorphic objects are not read'
        out['t'] = 'object'
        out['f'] = [[k, [a for a in [*(v._options or []), v._serialized_name] if a and a != k], shape(v)]
                    for k, v in f._fields.items()]
    elif isinstance(f, A.AAZDictArg):
        out['t'] = 'dict'
        out['el'] = shape(f.Element)
    elif isinstance(f, A.AAZListArg):
        assert not f.singular_options, 'singular options are not read'
        out['t'] = 'list'
        out['el'] = shape(f.Element)
    else:
        out['t'] = next(SIMPLE[c.__name__] for c in type(f).__mro__ if c.__name__ in SIMPLE)
        if f.enum:
            items = f.enum.items
            out['e'] = [[k, v] for k, v in items.items()] if isinstance(items, dict) else [[k, k] for k in items]
            if f.enum._case_sensitive: out['ec'] = True
            if f.enum.support_extension: out['ex'] = True
    if f._nullable: out['n'] = True
    if isinstance(f._blank, AAZPromptInput):
        out['b'] = {'prompt': True}   # asked for when the command runs
    elif f._blank is not AAZUndefined:
        out['b'] = f._blank
    return out


def has_blank(f):
    """A string field that takes its option without a value (a bool's blank is always true)."""
    from azure.cli.core.aaz import _arg as A
    from azure.cli.core.aaz._base import AAZUndefined
    return f._blank is not AAZUndefined and isinstance(f, A.AAZStrArg)


COMPOUND = ('AAZDictArg', 'AAZObjectArg', 'AAZListArg', 'AAZFreeFormDictArg')

# Custom commands whose first step calls an AAZ command with their own arguments (by the same
# names): its format checks are theirs. argparse has already required what they require, and
# parsed their values its own way (no shapes).
SB = 'azure.cli.command_modules.servicebus.aaz.latest.servicebus.'
CUSTOM = {'servicebus namespace identity assign': (SB + 'namespace', 'Show'),
          'servicebus namespace identity remove': (SB + 'namespace', 'Show'),
          'servicebus namespace encryption add': (SB + 'namespace', 'Show'),
          'servicebus namespace encryption remove': (SB + 'namespace', 'Show'),
          'servicebus georecovery-alias set': (SB + 'georecovery_alias', 'Create'),
          'servicebus namespace create': (SB + 'namespace', 'Create')}


def fields(schema, custom=False):
    return [{'dest': k, 'option': list(f._options)[0] if f._options else k,
             'required': bool(f._required) and not custom, 'format': field_format(f), 'type': type(f).__name__,
             'element': type(f.Element).__name__ if type(f).__name__ == 'AAZListArg' else None,
             **({'custom': True} if custom else {}),
             **({'shape': shape(f)} if not custom and (type(f).__name__ in COMPOUND or has_blank(f)) else {})}
            for k, f in schema._fields.items()]


out = {}
for command, parser in parsers(spec_commands()):
    schema = getattr(type(parser._defaults['_cmd']), '_args_schema', None)
    if schema is not None:
        out[command] = fields(schema)
import importlib  # noqa: E402
for command, (module, name) in CUSTOM.items():
    out[command] = fields(getattr(importlib.import_module(module), name)._build_arguments_schema(), custom=True)
json.dump(out, open(os.path.join(here, 'aaz-schemas.json'), 'w'), indent=1, sort_keys=True)
sys.stdout.write('wrote tools/aaz-schemas.json: %d commands\n' % len(out))
