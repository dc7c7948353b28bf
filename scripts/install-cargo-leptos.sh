#!/usr/bin/env bash
# Builds cargo-leptos 0.3.11 (no_downloads) from crates.io when no prebuilt copy is at hand.
# `cargo install --locked` fails on rustc 1.95 (cargo-util-schemas wants 1.96): pin it back.
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
# crates.io's API redirects to static.crates.io, the only one of the two these machines reach.
curl -sSfL https://static.crates.io/crates/cargo-leptos/cargo-leptos-0.3.11.crate | tar xz
cd cargo-leptos-0.3.11
cargo update -p cargo-util-schemas --precise 0.14.1
cargo install --locked --path . --features no_downloads
