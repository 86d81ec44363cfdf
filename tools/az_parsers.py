"""The argparse parser az builds for one command, for the tools that read facts from it
(tools/extract-validators.py, tools/extract-aaz-schemas.py). Run with the python of a venv that has
azure-cli. az prints help while it builds the parser; that output is thrown away.
"""
import io, json, os, sys

os.environ['AZURE_CORE_COLLECT_TELEMETRY'] = '0'
REFERENCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'reference', 'az-cli')


def spec_commands():
    """The az 2.91 commands of the specification keydrill's table is built from (az 2.79's
    postgres server needs another az)."""
    names = set()
    for f in ['az-commands.json', 'az-commands-scripts.json', 'flexible-server-commands.json']:
        names |= {c['command'] for c in json.load(open(os.path.join(REFERENCE, f)))['commands']
                  if not c['command'].startswith('postgres server')}
    return names


def parsers(commands):
    """(command, parser) for each command az has; a command az lacks is skipped."""
    from azure.cli.core import get_default_cli
    saved = sys.stdout, sys.stderr
    for command in sorted(commands):
        sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
        cli = get_default_cli()
        try:
            cli.invoke(command.split() + ['--help'], out_file=io.StringIO())
        except SystemExit:
            pass
        finally:
            sys.stdout, sys.stderr = saved
        parser = cli.invocation.parser.subparser_map.get(command) if cli.invocation else None
        if parser is not None:
            yield command, parser
