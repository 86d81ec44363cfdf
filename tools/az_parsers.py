"""The argparse parser az builds for one command, for the tools that read facts from it
(tools/extract-validators.py, tools/extract-aaz-schemas.py). Run with the python of a venv that has
azure-cli. az prints help while it builds the parser; that output is thrown away.
"""
import io, os, sys

os.environ['AZURE_CORE_COLLECT_TELEMETRY'] = '0'


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
