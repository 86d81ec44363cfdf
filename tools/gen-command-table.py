#!/usr/bin/env python3
"""Writes Sources/AzureCLI/Table/AzSpecification.generated.swift from the real az CLI's command
specification (tools/az-spec/az-commands.json: azure-cli 2.91.0, and 2.79.0 for `postgres
server`; copied from the team's reference, ../shared/reference/az-cli, with the other inputs it
reads). The output is committed, and the inputs live in the repository, so a clone builds and
regenerates without ../shared.

Each command becomes a block of tab-separated lines (see CommandTableReader.swift for the reader):
  C  name  cli-version  flags(aaz,confirm,ids,preview,nowait)  summary  long-summary
  P  options(,)  dest  kind  nargs  required(0|1)  default(JSON or empty)  choices(|)  case-sensitive(0|1)  flags(hidden,deprecated,append,policy,locname,idpart=X,idsreq=N,aaz=N,aazreq,fmtopt=X,afmt=K,ftpl=T,feach,fmin=N,fmax=N,fmul=N)  group  help  [shape(JSON)]
  E  command-line  summary
Globals use G lines with the P layout. Tabs, newlines and backslashes are escaped.
"""
import json, sys, os

here = os.path.dirname(os.path.abspath(__file__))
src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, 'az-spec', 'az-commands.json')
out = os.path.join(here, '..', 'Sources', 'AzureCLI', 'Table', 'AzSpecification.generated.swift')
d = json.load(open(src))
# The commands real CMK scripts use besides (sign-in, ad, resource, network, role definitions,
# key import/backup, waits) come from the scripts' specification (az-commands-scripts.json, same az).
scripts = json.load(open(os.path.join(os.path.dirname(src), 'az-commands-scripts.json')))
have = {c['command'] for c in d['commands']}
d['commands'] += [c for c in scripts['commands'] if c['command'] not in have]
# PostgreSQL Flexible Server's 31 commands come from their own specification (same az).
flexible = json.load(open(os.path.join(os.path.dirname(src), 'flexible-server-commands.json')))
have = {c['command'] for c in d['commands']}
d['commands'] += [c for c in flexible['commands'] if c['command'] not in have]
# Of those that take --yes, these ask "Are you sure" (registered with confirmation); the others'
# --yes answers a prompt only some inputs raise (create's client-IP firewall rule, update's restart).
FLEXIBLE_CONFIRMS = {'postgres flexible-server delete', 'postgres flexible-server identity remove',
                     'postgres flexible-server replica promote', 'postgres flexible-server backup delete'}

def wrap(text, width=119):
    """Rows of a raw multi-line literal folded to `width` columns with `\\#` line continuations, so
    the generated Swift stays within 120 columns and the string's value is unchanged."""
    assert '\\#' not in text and '"""#' not in text
    out = []
    for row in text.split('\n'):
        while len(row) > width:
            cut = width - 2
            out.append(row[:cut] + '\\#')
            row = row[cut:]
        out.append(row)
    return '\n'.join(out)

def esc(s):
    s = '' if s is None else str(s)
    return s.replace('\\', '\\\\').replace('\t', '\\t').replace('\n', '\\n').replace('\r', '')

KINDS = {
    'three_state_bool': 'bool', 'AAZBoolArg': 'aazbool', 'AAZGenericUpdateForceStringArg': 'aazbool', 'flag': 'flag',
    'int': 'int', 'AAZIntArg': 'aazint',
    'AAZPaginationLimitArg': 'aazint',
    'datetime_type': 'datetime', 'AAZDurationArg': 'duration', 'AAZDictArg': 'dict', 'AAZListArg': 'aazlist',
    'AAZObjectArg': 'aazobject', 'file_type': 'file', 'validate_file_or_dict': 'fileordict',
}

def kind(p):
    t = p.get('type')
    if t in KINDS:
        return KINDS[t]
    # get_three_state_flag's action: a bare option is true, else true or false.
    if p.get('action') == 'ThreeStateAction':
        return 'bool'
    if p.get('nargs') == 0:
        return 'flag'
    if p.get('dest') == 'tags' and p.get('nargs') == '*':
        return 'tags'
    return 'value'

def nargs(p):
    n = p.get('nargs')
    return '1' if n is None else str(n)

# Values that are secrets: masked in history, reports and debug output.
SECRET_DESTS = {'administrator_login_password', 'pem_password', 'token', 'password', 'client_assertion'}

# What names complete an argument's value, by destination; `name` depends on the command's group.
COMPLETE_BY_DEST = {
    'resource_group_name': 'resourceGroup', 'resource_group': 'resourceGroup', 'rg_name': 'resourceGroup',
    'vault_base_url': 'vault', 'vault_name': 'vault', 'key_name': 'key', 'kid': 'keyId', 'identifier': 'keyId',
    'server_name': 'postgresServer', 'source_server': 'postgresServer', 'namespace_name': 'namespace',
    'partner_namespace': 'namespace', 'queue_name': 'queue', 'queue': 'queue', 'alias': 'alias',
    'object_id': 'principal', 'principal': 'principal', 'assignee_object_id': 'principal', 'assignee': 'principal',
    'location': 'location', 'resource_name': 'identity', 'byok_key': 'keyId', 'backup_byok_key': 'keyId',
    'byok_identity': 'identity', 'backup_byok_identity': 'identity', 'identities': 'identity',
}
COMPLETE_NAME_BY_GROUP = [
    ('keyvault key', 'key'), ('keyvault', 'vault'), ('postgres server', 'postgresServer'),
    ('postgres flexible-server', 'postgresServer'),
    ('servicebus namespace', 'namespace'), ('servicebus queue', 'queue'), ('servicebus georecovery-alias', 'alias'),
    ('identity', 'identity'), ('group', 'resourceGroup'),
]

def completion(dest, command):
    if dest == 'identifier' and not command.startswith('keyvault'):
        return 'principal'
    if dest == 'resource_name' and not command.startswith('identity'):
        return None
    if dest == 'name':
        return next((k for g, k in COMPLETE_NAME_BY_GROUP if command == g or command.startswith(g + ' ')), None)
    return COMPLETE_BY_DEST.get(dest)

# AAZ commands check their fields one by one, in their schema's order, when they run: a given
# field's format, then whether a required one is there (tools/extract-aaz-schemas.py).
AAZ_SCHEMAS = json.load(open(os.path.join(here, 'aaz-schemas.json')))
AAZ_KINDS = {'AAZIntArg': 'aazint', 'AAZPaginationLimitArg': 'aazint', 'AAZBoolArg': 'aazbool',
             'AAZGenericUpdateForceStringArg': 'aazbool', 'AAZDictArg': 'dict',
             'AAZObjectArg': 'aazobject', 'AAZListArg': 'aazlist', 'AAZDurationArg': 'duration'}

# Which Resource Id arguments az requires when --ids is not given, in az's order
# (tools/probe-ids-required.py, recorded from az itself).
IDS_REQUIRED = json.load(open(os.path.join(here, 'az-ids-required.json')))['commands']
# The validators az runs after parsing and before the service, in its order (tools/extract-validators.py).
VALIDATORS = json.load(open(os.path.join(here, 'az-validators.json')))
# The order az's parser registered each command's arguments in, which argparse's messages follow
# (tools/extract-registration-order.py).
REGISTRATION = json.load(open(os.path.join(here, 'az-registration-order.json')))

# Each option's strings in az's parser order, which is the order its messages use
# ("option '-n' will be ignored", "--name/-n"); the specification lists them sorted.
OPTION_ORDER = json.load(open(os.path.join(os.path.dirname(src), 'az-option-order.json')))['commands']

def pline(tag, p, command):
    flags = []
    ordered = OPTION_ORDER.get(command, {}).get(p.get('dest') or '')
    if ordered and sorted(ordered) == sorted(p['options']):
        p = dict(p, options=ordered)
    required_ids = IDS_REQUIRED.get(command, {}).get('required', [])
    for i, option in enumerate(required_ids):
        if option in p['options']: flags.append('idsreq=%d' % i)
    for i, field in enumerate(AAZ_SCHEMAS.get(command, [])):
        if field['dest'] != p.get('dest'): continue
        flags.append('aaz=%d' % i)
        if field['required']: flags.append('aazreq')
        flags.append('fmtopt=' + field['option'])
        fmt = field['format'] or {}
        if fmt: flags.append('afmt=' + fmt['kind'])
        if fmt.get('template'): flags.append('ftpl=' + fmt['template'])
        if fmt.get('each'): flags.append('feach')
        for key, flag in [('min', 'fmin'), ('max', 'fmax'), ('multiple', 'fmul')]:
            if fmt.get(key) is not None: flags.append('%s=%d' % (flag, fmt[key]))
    dest0 = p.get('dest') or p['options'][0].lstrip('-').replace('-', '_')
    if dest0 in SECRET_DESTS: flags.append('secret')
    if completion(dest0, command): flags.append('complete=' + completion(dest0, command))
    if p.get('hidden'): flags.append('hidden')
    if p.get('deprecated'): flags.append('deprecated')
    if p.get('dest') == 'encryption_config' and command.startswith('servicebus'): flags.append('append')
    if p.get('group') == 'Global Policy Arguments': flags.append('policy')
    if p.get('id_part'): flags.append('idpart=' + p['id_part'])
    if p.get('type') == 'location_name_type': flags.append('locname')
    default = p.get('default')
    dflt = '' if default is None else json.dumps(default)
    if p.get('default_note'):
        dflt = ''
    dest = p.get('dest') or p['options'][0].lstrip('-').replace('-', '_')
    # AAZ names the shared id arguments with a leading underscore; one name serves both kinds.
    dest = {'_ids': 'ids', '_subscription': 'subscription'}.get(dest, dest)
    field = next((f for f in AAZ_SCHEMAS.get(command, []) if f['dest'] == p.get('dest')), None)
    k = kind(p)
    # An AAZ argument the specification left untyped takes its kind from the schema's class.
    # A custom command's own arguments keep the kinds argparse gives them.
    if field and not field.get('custom') and k == 'value' and field['type'] in AAZ_KINDS:
        k = AAZ_KINDS[field['type']]
    # A dict, object or list argument's values are shorthand syntax, read against its shape.
    shape = field.get('shape') if field else None
    assert shape or k not in ('dict', 'aazobject', 'aazlist'), (command, dest)
    row = [tag, ','.join(p['options']), dest, k, nargs(p),
           '1' if p.get('required') else '0', esc(dflt), '|'.join(str(c) for c in (p.get('choices') or [])),
           '1' if p.get('choices_case_sensitive') else '0', ','.join(flags), esc(p.get('group')), esc(p.get('help'))]
    if shape:
        row.append(esc(json.dumps(shape, separators=(',', ':'))))
    return '\t'.join(row)

lines = []
for g in d['global_arguments']:
    lines.append(pline('G', g, ''))
for c in sorted(d['commands'], key=lambda c: c['command']):
    name = c['command']
    version = c.get('cli_version') or ('2.79.0' if name.startswith('postgres server') else '2.91.0')
    aaz = c.get('implementation') == 'aaz' or c.get('is_aaz') is True
    flags = []
    if aaz: flags.append('aaz')
    # `group delete` asks y/N in az although the extractor did not mark it.
    flexible_command = name.startswith('postgres flexible-server')
    if (c.get('confirmation_prompt') and not flexible_command) or name == 'group delete' \
            or name in FLEXIBLE_CONFIRMS:
        flags.append('confirm')
    if c.get('accepts_ids') or any('--ids' in p['options'] for p in c['parameters']): flags.append('ids')
    if c.get('preview'): flags.append('preview')
    if c.get('supports_no_wait'): flags.append('nowait')
    flags += ['v=' + v for v in VALIDATORS.get(name, [])]
    if name in REGISTRATION: flags.append('order=' + '|'.join(REGISTRATION[name]))
    lines.append('\t'.join(['C', name, version, ','.join(flags), esc(c.get('summary')), esc(c.get('long_summary'))]))
    for p in c['parameters']:
        lines.append(pline('P', p, name))
    for e in c.get('examples') or []:
        cmd = e.get('command') or e.get('text') or ''
        summ = e.get('summary') or e.get('name') or ''
        lines.append('\t'.join(['E', esc(cmd.strip()), esc(summ)]))

text = '\n'.join(lines)
assert '"""#' not in text
with open(out, 'w') as f:
    f.write('// Generated by tools/gen-command-table.py from the real az CLI specification\n')
    f.write('// (azure-cli 2.91.0; 2.79.0 for `postgres server`). Do not edit by hand: regenerate.\n\n')
    f.write('enum AzSpecification {\n    static let text = #"""\n')
    f.write(wrap(text))
    f.write('\n"""#\n}\n')
print(f'wrote {out}: {len(d["commands"])} commands, {len(text)} characters')

# Every command and group name of az 2.91, so a real command keydrill does not emulate is
# refused as not emulated rather than called a typo.
names_src = os.path.join(os.path.dirname(src), 'az-command-names.txt')
names = [l.strip() for l in open(names_src) if l.strip() and not l.startswith('#')]
short = [('c ' + l[len('command '):]) if l.startswith('command ') else ('g ' + l[len('group '):]) for l in names]
names_out = os.path.join(here, '..', 'Sources', 'AzureCLI', 'Table', 'AzCommandNames.generated.swift')
with open(names_out, 'w') as f:
    f.write('// Generated by tools/gen-command-table.py from az-command-names.txt (azure-cli 2.91.0): every\n')
    f.write('// command ("c NAME") and group ("g NAME") of az. Do not edit by hand: regenerate.\n\n')
    f.write('enum AzCommandNames {\n    static let text = #"""\n')
    f.write('\n'.join(short))
    f.write('\n"""#\n}\n')
print(f'wrote {names_out}: {len(short)} names')

# One typed descriptor per argument destination (az's and keydrill's own groups), so a handler
# names what it reads as a value the compiler checks; a destination whose kind differs between
# commands gets one descriptor per Swift type, the commonest type keeping the plain name.
SWIFT_TYPES = {'flag': 'Bool', 'bool': 'Bool', 'aazbool': 'Bool', 'int': 'Int', 'aazint': 'Int',
               'tags': '[String: String]', 'dict': '[String: String]', 'aazlist': '[String]', 'aazobject': 'JSON'}
SUFFIX = {'Bool': 'Flag', 'Int': 'Int', '[String]': 'List', '[String: String]': 'Dict', 'JSON': 'Object',
          'String': 'Text'}

def swift_type(k, arity, flags=''):
    if k in SWIFT_TYPES:
        return SWIFT_TYPES[k]
    many = arity in ('+', '*')
    if 'append' in flags.split(','):
        # Each occurrence adds its value: a list of words per occurrence stays raw JSON.
        return 'JSON' if many else '[String]'
    return '[String]' if many else 'String'

# keydrill's own groups are written by hand as a table in the same layout (one row a line, so
# rows are as long as their help), embedded like az's.
own_src = os.path.join(here, '..', 'Sources', 'AzureCLI', 'Table', 'KeydrillCommands.tsv')
own_text = open(own_src).read().rstrip('\n')
assert '"""#' not in own_text
own_out = os.path.join(here, '..', 'Sources', 'AzureCLI', 'Table', 'KeydrillSpecification.generated.swift')
with open(own_out, 'w') as f:
    f.write('// Generated by tools/gen-command-table.py from KeydrillCommands.tsv: keydrill\'s own command\n')
    f.write('// groups, in the layout of az\'s table, so they parse, complete and print help like az commands.\n')
    f.write('// Do not edit by hand: edit the .tsv and regenerate.\n\n')
    f.write('enum KeydrillSpecification {\n    static let text = #"""\n')
    f.write(wrap(own_text))
    f.write('\n"""#\n}\n')
uses = {}
for line in text.split('\n') + own_text.split('\n'):
    f = line.split('\t')
    if f[0] in ('P', 'G'):
        t = swift_type(f[3], f[4], f[9])
        uses.setdefault(f[2], {}).setdefault(t, 0)
        uses[f[2]][t] += 1

def camel(dest):
    parts = [p for p in dest.split('_') if p]
    name = parts[0] + ''.join(p[:1].upper() + p[1:] for p in parts[1:])
    return '`' + name + '`' if name in ('default', 'import', 'protocol', 'in', 'is', 'as', 'self', 'Type') else name

decls = []
for dest in sorted(uses):
    types = sorted(uses[dest].items(), key=lambda kv: (-kv[1], kv[0]))
    for i, (t, _) in enumerate(types):
        name = camel(dest) if i == 0 else camel(dest).strip('`') + SUFFIX[t]
        line = f'    public static let {name} = Param<{t}>("{dest}")'
        if len(line) > 120:
            line = f'    public static let {name} =\n        Param<{t}>("{dest}")'
        decls.append(line)
params_out = os.path.join(here, '..', 'Sources', 'AzureCLI', 'Table', 'Params.generated.swift')
with open(params_out, 'w') as f:
    f.write('// Generated by tools/gen-command-table.py from the command table (az\'s specification and\n')
    f.write('// KeydrillCommands.tsv). Do not edit by hand: regenerate.\n\n')
    f.write('import JMESPath\n\n')
    f.write('/// Every argument destination of the command table as a typed descriptor (see Param.swift).\n')
    f.write('public enum P {\n')
    f.write('\n'.join(decls))
    f.write('\n}\n')
print(f'wrote {params_out}: {len(decls)} parameters')
