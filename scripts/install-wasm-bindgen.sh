#!/usr/bin/env bash
# Builds wasm-bindgen-cli 0.2.130 from crates.io (webpki-roots pinned to 1.0.10 for rustc 1.95).
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
curl -sSfL https://crates.io/api/v1/crates/wasm-bindgen-cli/0.2.130/download | tar xz
cd wasm-bindgen-cli-0.2.130
cargo generate-lockfile
cargo update -p webpki-roots --precise 1.0.10
cargo install --locked --path .
