#!/usr/bin/env python3
"""Differential check of keydrill's output formats against the real az's own (knack's json, tsv,
yaml and table formatters, and each command's table_transformer from az's command table).

Builds a world with keydrill, runs each read command with `-o json` and then with every other
format (without a query, then with generated queries), and renders the JSON result in az's
Python exactly as az would: the command's table_transformer when no --query is given, jmespath.py
for the query. Any byte that differs is reported.

    python3 -m venv /tmp/azvenv && /tmp/azvenv/bin/pip install azure-cli==2.91.0   # never a dependency
    swift build
    python3 tools/render-diff.py --az-python /tmp/azvenv/bin/python [--queries 40] [--seed 1]

Exit 1 when any rendering differs.
"""
import argparse, json, os, random, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
ap = argparse.ArgumentParser()
ap.add_argument('--az-python', required=True, help='the python of a venv with azure-cli 2.91.0')
ap.add_argument('--keydrill', default=os.path.join(here, '..', '.build', 'debug', 'keydrill'))
ap.add_argument('--queries', type=int, default=40, help='generated queries per command')
ap.add_argument('--seed', type=int, default=1)
ap.add_argument('--show', type=int, default=10)
opts = ap.parse_args()
rng = random.Random(opts.seed)
state = tempfile.mkdtemp(prefix='render-diff-')

WORLD = r'''
az group create -n rg -l westus --tags env=prod owner=ops -o none
az group create -n rg2 -l eastus -o none
az keyvault create -g rg -n kvrender --enable-purge-protection true --enable-rbac-authorization false -o none
az keyvault key create --vault-name kvrender -n k1 --tags a=1 -o none
az keyvault key create --vault-name kvrender -n k2 --kty EC --curve P-256 -o none
az identity create -g rg -n id1 -o none
P=$(az identity show -g rg -n id1 --query principalId -o tsv)
az keyvault set-policy -n kvrender --key-permissions get wrapKey unwrapKey --object-id $P -o none
az keyvault create -g rg2 -n kvrbac -l eastus -o none
V=$(az keyvault show -n kvrbac --query id -o tsv)
az role assignment create --assignee-object-id $P --assignee-principal-type ServicePrincipal --scope $V \
  --role "Key Vault Crypto Service Encryption User" -o none
az postgres flexible-server create -g rg -n fsrender -l westus --admin-user u1 --admin-password Passw0rd!x1 --yes \
  -o none --only-show-errors
az servicebus namespace create -g rg -n sbrender --sku Premium -o none
az servicebus queue create -g rg --namespace-name sbrender -n q1 -o none
'''

COMMANDS = [
    'account list', 'account show', 'group list', 'group show -n rg', 'resource list', 'resource list -g rg',
    'keyvault list', 'keyvault show -n kvrender', 'keyvault key list --vault-name kvrender',
    'keyvault key show --vault-name kvrender -n k1', 'keyvault key list-versions --vault-name kvrender -n k1',
    'identity list', 'identity show -g rg -n id1', 'role assignment list --all', 'role definition list',
    'postgres flexible-server list', 'postgres flexible-server show -g rg -n fsrender',
    'postgres flexible-server parameter list -g rg -s fsrender',
    'postgres flexible-server parameter show -g rg -s fsrender -n log_connections',
    'servicebus namespace list', 'servicebus namespace show -g rg -n sbrender',
    'servicebus queue list -g rg --namespace-name sbrender',
]

FIELDS = ['name', 'location', 'id', 'type', 'tags', 'properties', 'state', 'resourceGroup', 'sku', 'key', 'attributes',
          'principalId', 'isDefault', 'kid', 'value', 'storage', 'version']


def query(doc_is_list):
    """A query of the kinds users write against az's results. Left out: queries that print a
    service object's keys in their order in memory (`*`, `values(@)`, a whole object as a table
    row): az keeps the SDK model's order there, and this harness only has the JSON, sorted."""
    f = lambda: rng.choice(FIELDS)
    # Two different fields: the same object twice in one result is an anchor and an alias in
    # PyYAML's output (`&id001`), which keydrill does not write (README, Output).
    def two():
        a, b = rng.sample(FIELDS, 2)
        return a, b
    forms = [
        lambda: '[].%s' % f(), lambda: '[].{N: %s, L: %s}' % two(), lambda: '[0]', lambda: 'length(@)',
        lambda: '[?%s]' % f(), lambda: '[].[%s, %s]' % two(), lambda: 'sort_by(@, &%s)' % f(),
        lambda: '[].%s.%s' % (f(), f()), lambda: '{count: length(@), first: [0].%s}' % f(),
        lambda: "[?%s=='%s'].%s" % (f(), rng.choice(['westus', 'rg', 'Ready', 'Enabled']), f()),
        lambda: '[].tags', lambda: 'max_by(@, &%s).%s' % (f(), f()),
    ] if doc_is_list else [
        lambda: f(), lambda: '{N: %s, L: %s}' % two(), lambda: '[%s, %s]' % two(), lambda: '%s.%s' % (f(), f()),
        lambda: 'keys(@)', lambda: 'tags', lambda: 'to_string(%s)' % f(), lambda: '[%s, %s][]' % two(),
        lambda: '{a: %s, b: length(keys(@))}' % f(),
    ]
    return rng.choice(forms)()


def keydrill(args):
    env = dict(os.environ, NO_COLOR='1')
    p = subprocess.run([opts.keydrill, '--state', state, 'az'] + args, capture_output=True, text=True, env=env)
    return p.returncode, p.stdout, p.stderr


b = subprocess.run([opts.keydrill, '--state', state], input=WORLD, capture_output=True, text=True)
if b.returncode != 0:
    sys.exit('building the world failed:\n' + b.stderr)

import shlex
cases = []
for c in COMMANDS:
    argv = shlex.split(c)
    code, out, err = keydrill(argv + ['-o', 'json'])
    if code != 0:
        sys.exit('%s failed: %s' % (c, err))
    doc = json.loads(out)
    qs = [None] + [query(isinstance(doc, list)) for _ in range(opts.queries)]
    for q in qs:
        for fmt in ['json', 'tsv', 'yaml', 'table']:
            extra = ['-o', fmt] + (['--query', q] if q else [])
            code, out, err = keydrill(argv + extra)
            cases.append({'command': c, 'query': q, 'format': fmt, 'json': doc,
                          'keydrill': {'code': code, 'out': out, 'err': err.splitlines()[-1:] if code else []}})

# az's side: its command table gives each command's table_transformer; knack renders.
ORACLE = r'''
import collections, json, sys
import jmespath
from azure.cli.core import get_default_cli
from knack.output import format_json, format_tsv, format_yaml, format_table
cli = get_default_cli()
loader = cli.commands_loader_cls(cli_ctx=cli)
import logging; logging.disable(logging.CRITICAL)
loader.load_command_table(None)
class Result:
    def __init__(self, result, transformer, query):
        self.result, self.table_transformer, self.is_query_active = result, transformer, query
out = []
for c in json.load(sys.stdin):
    words = [w for w in c['command'].split() if not w.startswith('-')]
    name = None
    for n in range(len(words), 0, -1):
        if ' '.join(words[:n]) in loader.command_table:
            name = ' '.join(words[:n]); break
    transformer = loader.command_table[name].table_transformer if name else None
    result = c['json']
    if c['query']:
        try:
            result = jmespath.compile(c['query']).search(result, jmespath.Options(collections.OrderedDict))
        except Exception:
            out.append({'code': 1, 'out': '', 'err': ['query error']}); continue
    if result is None:
        out.append({'code': 0, 'out': '', 'err': []}); continue
    # A service object in a --query table (a row, or a cell's repr): az lays it out in the SDK
    # model's order, which the JSON (sorted) does not carry.
    def service_object(x):
        if type(x) is dict:
            return True
        values = x.values() if isinstance(x, dict) else x if isinstance(x, list) else []
        return any(service_object(v) for v in values)
    if c['format'] == 'table' and c['query'] and service_object(result):
        out.append({'skip': True}); continue
    f = {'json': format_json, 'tsv': format_tsv, 'yaml': format_yaml, 'table': format_table}[c['format']]
    try:
        text = f(Result(result, transformer, bool(c['query'])))
        out.append({'code': 0, 'out': text, 'err': []})
    except Exception as e:
        out.append({'code': 1, 'out': '', 'err': ['ERROR: ' + str(e)]})
print(json.dumps(out))
'''
env = dict(os.environ, AZURE_CONFIG_DIR=tempfile.mkdtemp(prefix='render-diff-az-'),
           AZURE_CORE_COLLECT_TELEMETRY='false')
p = subprocess.run([opts.az_python, '-c', ORACLE], input=json.dumps(cases), capture_output=True, text=True, env=env)
if p.returncode != 0:
    sys.exit('az side failed:\n' + p.stderr[-3000:])
theirs = json.loads(p.stdout)
agree = 0
shown = 0
by_format = {}
skipped = 0
for c, t in zip(cases, theirs):
    o = c['keydrill']
    if t.get('skip'):
        skipped += 1
        continue
    same = (o['code'] == 0) == (t['code'] == 0) and (o['out'] == t['out'] if t['code'] == 0 else o['err'] == t['err'])
    if t['err'] == ['query error']:
        same = o['code'] != 0    # a query az's jmespath refuses: keydrill must refuse it too
    stats = by_format.setdefault(c['format'], [0, 0])
    stats[1] += 1
    if same:
        agree += 1
        stats[0] += 1
    elif shown < opts.show:
        shown += 1
        print('differs: az %s %s-o %s\n  az:       %r\n  keydrill: %r' % (
            c['command'], "--query %r " % c['query'] if c['query'] else '', c['format'],
            t['out'] or t['err'], o['out'] or o['err']))
print('renders %d: %d agree of %d compared (%d skipped: service objects in --query tables); %s' % (
    len(cases), agree, len(cases) - skipped, skipped,
    ', '.join('%s %d/%d' % (k, v[0], v[1]) for k, v in sorted(by_format.items()))))
sys.exit(0 if agree == len(cases) - skipped else 1)
