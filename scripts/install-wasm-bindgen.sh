#!/usr/bin/env bash
# Builds wasm-bindgen-cli 0.2.130 from crates.io (webpki-roots pinned to 1.0.10 for rustc 1.95).
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
# crates.io's API redirects to static.crates.io, the only one of the two these machines reach.
curl -sSfL https://static.crates.io/crates/wasm-bindgen-cli/wasm-bindgen-cli-0.2.130.crate | tar xz
cd wasm-bindgen-cli-0.2.130
cargo generate-lockfile
cargo update -p webpki-roots --precise 1.0.10
cargo install --locked --path .
