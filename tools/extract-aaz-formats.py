#!/usr/bin/env python3
"""Writes tools/aaz-string-formats.json: the string length limits azure-cli's AAZ commands check
before calling the service (AAZStrArgFormat min_length / max_length), and the option az names in
the error, read from the installed azure-cli's generated command modules. az 2.91 compiles an
AAZ pattern but does not check it, so only lengths are recorded.
Usage: tools/extract-aaz-formats.py /path/to/site-packages/azure/cli/command_modules/servicebus
"""
import glob, json, os, re, sys

root = os.path.join(sys.argv[1], 'aaz', 'latest')
out = {}
for f in sorted(glob.glob(root + '/**/_*.py', recursive=True)):
    s = open(f).read()
    m = re.search(r'@register_command\(\s*"([^"]+)"', s)
    if not m:
        continue
    for a in re.finditer(r'_args_schema\.(\w+) = AAZStrArg\((.*?)\n        \)', s, re.S):
        fm = re.search(r'fmt=AAZStrArgFormat\((.*?)\)', a.group(2), re.S)
        if not fm:
            continue
        mx, mn = re.search(r'max_length=(\d+)', fm.group(1)), re.search(r'min_length=(\d+)', fm.group(1))
        option = re.findall(r'"([^"]+)"', re.search(r'options=\[(.*?)\]', a.group(2)).group(1))[0]
        out.setdefault(m.group(1), {})[a.group(1)] = {
            'min': int(mn.group(1)) if mn else None, 'max': int(mx.group(1)) if mx else None, 'option': option}
json.dump(out, open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'aaz-string-formats.json'), 'w'),
          indent=1, sort_keys=True)
