#!/usr/bin/env python3
"""Writes seeds/demo/roadmap.png: the figure of the demo applications (a technical route drawn as three
stages joined by arrows), so a demo 申报书 prints a real image. Standard library only (zlib), so the file
can be remade anywhere; it is committed, and the demo includes its bytes."""
import struct, sys, zlib

W, H = 480, 160
# Palette: white, the three stage colours, dark grey for arrows and frames.
PALETTE = [(255, 255, 255), (52, 101, 164), (78, 154, 6), (206, 92, 0), (60, 60, 60)]
px = [[0] * W for _ in range(H)]

def rect(x0, y0, x1, y1, c):
    for y in range(y0, y1):
        for x in range(x0, x1):
            px[y][x] = c

def frame(x0, y0, x1, y1, c, t=2):
    rect(x0, y0, x1, y0 + t, c); rect(x0, y1 - t, x1, y1, c)
    rect(x0, y0, x0 + t, y1, c); rect(x1 - t, y0, x1, y1, c)

for i, colour in enumerate((1, 2, 3)):
    x0 = 20 + i * 160
    rect(x0, 40, x0 + 120, 120, colour)
    frame(x0, 40, x0 + 120, 120, 4)
    # Three "text lines" inside each stage.
    for k in range(3):
        rect(x0 + 14, 58 + k * 18, x0 + 106 - k * 16, 64 + k * 18, 0)
    if i < 2:
        ax = x0 + 124
        rect(ax, 78, ax + 26, 82, 4)
        for d in range(8):
            rect(ax + 26 + d, 72 + d, ax + 27 + d, 88 - d, 4)

raw = b"".join(b"\x00" + bytes(row) for row in px)

def chunk(kind, data):
    c = kind + data
    return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)

png = b"\x89PNG\r\n\x1a\n"
png += chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 3, 0, 0, 0))
png += chunk(b"PLTE", b"".join(bytes(c) for c in PALETTE))
png += chunk(b"IDAT", zlib.compress(raw, 9))
png += chunk(b"IEND", b"")
out = sys.argv[1] if len(sys.argv) > 1 else "seeds/demo/roadmap.png"
open(out, "wb").write(png)
print(out, len(png), "bytes")
