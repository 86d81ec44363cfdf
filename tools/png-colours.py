#!/usr/bin/env python3
"""Counts the pixels of each given colour in a PNG (8-bit RGB or RGBA, not interlaced), with the
standard library only: how the report tests look at a page headless Chromium rendered.

    png-colours.py FILE.png '#c62828' '#2e7d32'   ->   one "colour count" line per colour, and
                                                      "size WIDTHxHEIGHT"
"""
import struct
import sys
import zlib


def pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise SystemExit(f"{path}: only 8-bit RGB/RGBA, not interlaced (got depth {depth}, type {colour})")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def main():
    width, height, bpp, rows = pixels(sys.argv[1])
    wanted = {bytes.fromhex(c.lstrip("#")): c for c in sys.argv[2:]}
    counts = dict.fromkeys(wanted.values(), 0)
    for row in rows:
        for x in range(0, len(row), bpp):
            c = wanted.get(row[x:x + 3])
            if c:
                counts[c] += 1
    print(f"size {width}x{height}")
    for c, n in counts.items():
        print(f"{c} {n}")


if __name__ == "__main__":
    main()
