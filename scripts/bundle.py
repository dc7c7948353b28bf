#!/usr/bin/env python3
"""The hydration bundle as a reader downloads it: what every page loads (the main WebAssembly
module with the islands of the public pages, and its JavaScript), and what each lazy island
(`#[island(lazy)]`: the declaration form, the account request's authority field) loads on top,
from the manifest that `cargo leptos build --split` writes. Sizes raw, gzip -9 and brotli -q 11.

    bundle.py PKG_DIR [--tsv FILE] [--max-public-brotli BYTES]

Prints a Markdown table; with --max-public-brotli, exits 1 when the public bundle is larger.
Exits 1 too when a lazy island's own module carries its code without its read-only data (its
texts): wasm-split then kept the data of every lazy island in the main module, which every page
loads (frontend/src/lib.rs, `SPLIT_ROOM`).
"""
import gzip
import json
import os
import shutil
import subprocess
import sys


def sizes(paths):
    data = b"".join(open(p, "rb").read() for p in paths)
    raw = len(data)
    gz = len(gzip.compress(data, 9))
    if shutil.which("brotli"):
        br = len(subprocess.run(["brotli", "-q", "11", "-c"], input=data,
                                capture_output=True, check=True).stdout)
    else:
        br = None
    return raw, gz, br


def section_sizes(path):
    """The size of each section of a WebAssembly module, by section id (10 code, 11 data)."""
    data = open(path, "rb").read()

    def leb(i):
        value, shift = 0, 0
        while True:
            byte = data[i]
            i += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value, i

    out, i = {}, 8
    while i < len(data):
        section = data[i]
        size, i = leb(i + 1)
        out[section] = out.get(section, 0) + size
        i += size
    return out


# A lazy island's own module with this much code and less data than this has lost its texts.
LAZY_CODE_MIN = 16 * 1024
LAZY_DATA_MIN = 256


def kib(n):
    return "n/a" if n is None else f"{n / 1024:,.0f} KiB"


def main(argv):
    pkg = argv[1]
    tsv = argv[argv.index("--tsv") + 1] if "--tsv" in argv else None
    limit = int(argv[argv.index("--max-public-brotli") + 1]) if "--max-public-brotli" in argv else None
    public = [os.path.join(pkg, f) for f in ("atlas.wasm", "atlas.js")]
    rows = [("every page (atlas.wasm + atlas.js)", *sizes(public))]
    manifest_path = os.path.join(pkg, "__wasm_split_manifest.json")
    lazy = {}
    stripped = []
    if os.path.exists(manifest_path):
        manifest = json.load(open(manifest_path))
        for name, chunks in sorted(manifest.items()):
            island = name.strip("_").rsplit("_", 1)[0].removesuffix("_loader")
            files = sorted({f"split_{name}.wasm", *(f"{c}.wasm" for c in chunks)})
            paths = [os.path.join(pkg, f) for f in files]
            lazy[island] = sizes([p for p in paths if os.path.exists(p)])
            own = os.path.join(pkg, f"split_{name}.wasm")
            if os.path.exists(own):
                sections = section_sizes(own)
                code, data = sections.get(10, 0), sections.get(11, 0)
                if code >= LAZY_CODE_MIN and data < LAZY_DATA_MIN:
                    stripped.append((island, code, data))
        split_js = [f for f in os.listdir(pkg) if f.startswith("__wasm_split") and f.endswith(".js")]
        rows.append(("lazy loader (JS)", *sizes([os.path.join(pkg, f) for f in split_js])))
    for island, s in sorted(lazy.items(), key=lambda kv: -(kv[1][2] or kv[1][1])):
        rows.append((f"lazy island `{island}` (its module and chunks)", *s))
    print("| what | raw | gzip -9 | brotli -q 11 |")
    print("|---|---:|---:|---:|")
    for label, raw, gz, br in rows:
        print(f"| {label} | {kib(raw)} | {kib(gz)} | {kib(br)} |")
    if tsv:
        with open(tsv, "w") as out:
            for label, raw, gz, br in rows:
                out.write(f"{label}\t{raw}\t{gz}\t{br if br is not None else 0}\n")
    for island, code, data in stripped:
        print(f"\nthe lazy island `{island}` has {code:,} B of code and {data:,} B of data: "
              "wasm-split kept its texts (and every lazy island's) in the main module "
              "(see SPLIT_ROOM in frontend/src/lib.rs)", file=sys.stderr)
    # Both checks say what they found before either fails.
    public_br = rows[0][3]
    over = limit is not None and public_br is not None and public_br > limit
    if over:
        print(f"\nthe public bundle is {public_br:,} B brotli, over the limit of {limit:,} B",
              file=sys.stderr)
    return 1 if stripped or over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
