#!/usr/bin/env bash
# The browser tests' server: a fresh demo data set, then `atlas serve`, its errors copied to
# $ATLAS_E2E_DIR/server.err for the global teardown to read.
set -euo pipefail
"$ATLAS_BIN" seed-demo --count 3000
exec "$ATLAS_BIN" serve --addr "127.0.0.1:$ATLAS_E2E_PORT" 2> >(tee -a "$ATLAS_E2E_DIR/server.err" >&2)
