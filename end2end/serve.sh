#!/usr/bin/env bash
# The browser tests' server: a fresh demo data set and the accounts the stories use, then
# `atlas serve`, its errors copied to $ATLAS_E2E_DIR/server.err for the global teardown to read.
set -euo pipefail
"$ATLAS_BIN" seed-demo --count 3000
account() {
  echo "$E2E_PASSWORD" | "$ATLAS_BIN" user create --email "$1" --role "$2" "${@:3}" > /dev/null
}
account agent@chambery.fr staff --authority commune-73065 --function "Chargée de mission coopération"
account coop@ambafrance-bf.org moderator --country BF
account moderation@diplomatie.gouv.fr moderator
account admin@atlas.test admin
# One per browser project, for the administrator's story to change.
account agent.hydrated@grenoble.fr staff --authority commune-38185
account agent.no-js@grenoble.fr staff --authority commune-38185
exec "$ATLAS_BIN" serve --addr "127.0.0.1:$ATLAS_E2E_PORT" 2> >(tee -a "$ATLAS_E2E_DIR/server.err" >&2)
