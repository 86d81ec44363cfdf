"""Runs az command lines in one Python process, for tools/az-parse-diff.py.

Started with the python of a venv that has azure-cli. Reads one JSON argv a line on stdin and
answers one JSON line {"rc": exit code, "stderr": text} on stdout. Starting az costs about half a
second a line; in one process a line takes 20-150 ms, which makes a few thousand cases practical.
az's own tests invoke it the same way (one CLI object a line, `invoke`). Logging handlers keep the
stream they were given at their first use, so stderr stays one object whose buffer is swapped.
"""
import io, json, os, sys

os.environ.update(AZURE_CORE_NO_COLOR='1', AZURE_CORE_COLLECT_TELEMETRY='0', AZURE_CORE_ONLY_SHOW_ERRORS='0')


class Buffer(io.TextIOBase):
    def __init__(self):
        self.text = io.StringIO()

    def write(self, s):
        return self.text.write(s)

    def isatty(self):
        return False


answers, err, out = sys.stdout, Buffer(), Buffer()
sys.stderr, sys.stdout = err, out
from azure.cli.core import get_default_cli  # noqa: E402  (after the streams are in place)

for request in sys.stdin:
    err.text, out.text = io.StringIO(), io.StringIO()
    try:
        rc = get_default_cli().invoke(json.loads(request), out_file=out)
    except SystemExit as e:
        rc = e.code if isinstance(e.code, int) else 1
    answers.write(json.dumps({'rc': rc, 'stderr': err.text.getvalue()}) + '\n')
    answers.flush()
