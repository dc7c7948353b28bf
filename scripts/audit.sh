#!/usr/bin/env bash
# make audit (part of make test): cargo deny's checks of the dependencies, with deny.toml saying
# why each exception is accepted: licences, sources and bans always; advisories against the
# RustSec database. That database is a git repository on GitHub: `cargo deny fetch` brings it
# where GitHub answers; elsewhere, ATLAS_ADVISORY_DB names a local clone to copy into place.
# Without either, the advisories are reported as not checked (and the rest still is).
set -euo pipefail
cargo deny --version >/dev/null
cargo deny check licenses bans sources

db_root=${CARGO_HOME:-$HOME/.cargo}/advisory-dbs
have_db() { compgen -G "$db_root/advisory-db-*/crates" >/dev/null; }
if timeout 60 cargo deny fetch db >/dev/null 2>&1; then
  :
elif [ -n "${ATLAS_ADVISORY_DB:-}" ]; then
  # cargo deny names the folder after the database's address; `fetch` made it, or says where.
  target=$(cargo deny --offline check advisories 2>&1 | grep -o "$db_root/advisory-db-[0-9a-f]*" | head -1 || true)
  target=${target:-$(compgen -G "$db_root/advisory-db-*" | head -1 || true)}
  [ -n "$target" ] || { echo "audit: cannot tell where cargo deny keeps its database" >&2; exit 1; }
  rm -rf "$target"
  git clone --quiet "$ATLAS_ADVISORY_DB" "$target"
  echo "advisory database copied from $ATLAS_ADVISORY_DB ($(git -C "$target" log -1 --format=%cs))"
fi
if have_db; then
  for db in "$db_root"/advisory-db-*/; do
    echo "advisories: the RustSec database as of $(git -C "$db" log -1 --format=%cs)"
  done
  cargo deny --offline check advisories
else
  echo "audit: advisories NOT checked: GitHub cannot be reached and ATLAS_ADVISORY_DB is not set" >&2
fi
