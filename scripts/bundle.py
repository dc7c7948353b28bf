#!/usr/bin/env python3
"""The hydration bundle as a reader downloads it: what every page loads (the main WebAssembly
module with the islands of the public pages, and its JavaScript), and what each lazy island
(`#[island(lazy)]`: the declaration form, the account request's authority field) loads on top,
from the manifest that `cargo leptos build --split` writes. Sizes raw, gzip -9 and brotli -q 11.

    bundle.py PKG_DIR [--tsv FILE] [--max-public-brotli BYTES]

Prints a Markdown table; with --max-public-brotli, exits 1 when the public bundle is larger.
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
    if os.path.exists(manifest_path):
        manifest = json.load(open(manifest_path))
        for name, chunks in sorted(manifest.items()):
            island = name.strip("_").rsplit("_", 1)[0].removesuffix("_loader")
            files = sorted({f"split_{name}.wasm", *(f"{c}.wasm" for c in chunks)})
            paths = [os.path.join(pkg, f) for f in files]
            lazy[island] = sizes([p for p in paths if os.path.exists(p)])
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
    public_br = rows[0][3]
    if limit is not None and public_br is not None and public_br > limit:
        print(f"\nthe public bundle is {public_br:,} B brotli, over the limit of {limit:,} B",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
