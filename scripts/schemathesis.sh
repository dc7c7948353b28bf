#!/usr/bin/env bash
# make schemathesis: schemathesis (PyPI) generates requests from /api/v1/openapi.json and
# checks the answers against it, first anonymous, then with a staff member's API token, on a
# throwaway database of ST_COUNT demo partnerships. Fails on a server error (5xx) or an answer
# the description does not allow (status, content type, headers, JSON schema).
#
# Settings (environment): ST_EXAMPLES (examples per operation, 50), ST_CHECKS (the checks,
# comma-separated; `all` adds the ones about what is accepted or refused), ST_SEED, ST_COUNT,
# ST_PORT, ST_DIR, ATLAS_BIN.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET_DIR=${TARGET_DIR:-${CARGO_TARGET_DIR:-$ROOT/target}}
DIR=${ST_DIR:-$TARGET_DIR/schemathesis}
ATLAS=${ATLAS_BIN:-$TARGET_DIR/debug/atlas}
export ATLAS_REFERENTIALS_DIR=${ATLAS_REFERENTIALS_DIR:-$ROOT/migrations/data/node_modules}
export LEPTOS_SITE_ROOT=${LEPTOS_SITE_ROOT:-$TARGET_DIR/site}
EXAMPLES=${ST_EXAMPLES:-50}
CHECKS=${ST_CHECKS:-not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance}
SEED=${ST_SEED:-2026}
COUNT=${ST_COUNT:-300}
PORT=${ST_PORT:-3941}
URL=http://127.0.0.1:$PORT
VERSION=4.32.5
die() { printf 'schemathesis: %s\n' "$*" >&2; exit 1; }

mkdir -p "$DIR"
[ -x "$ATLAS" ] || die "no binary at $ATLAS"
if ! "$DIR/venv/bin/schemathesis" --version 2>/dev/null | grep -q "$VERSION"; then
  python3 -m venv "$DIR/venv"
  "$DIR/venv/bin/pip" install -q "schemathesis==$VERSION"
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  die "port $PORT is already in use (set ST_PORT)"
fi

DB=$DIR/st.db
rm -f "$DB" "$DB-wal" "$DB-shm"
export DATABASE_URL="sqlite://$DB?mode=rwc"
"$ATLAS" seed-demo --count "$COUNT" > "$DIR/seed.log" 2>&1 || die "seeding failed (see $DIR/seed.log)"
PASSWORD="essai de la description de l'API"
echo "$PASSWORD" | "$ATLAS" user create --email agent@chambery.fr --role staff \
  --authority commune-73065 > "$DIR/user.log" 2>&1 || die "could not create the officer"

SERVER=
cleanup() { [ -z "$SERVER" ] || { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }; }
trap cleanup EXIT
ATLAS_OUTBOX=$DIR/outbox RUST_LOG=${RUST_LOG:-warn} "$ATLAS" serve --addr "127.0.0.1:$PORT" > "$DIR/atlas.log" 2>&1 &
SERVER=$!
deadline=$((SECONDS + 300))
until curl -fsS -o /dev/null "$URL/readyz" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || die "atlas not ready (see $DIR/atlas.log)"
  sleep 0.2
done

# A token, made with a session as a person would.
JAR=$DIR/cookies.txt
rm -f "$JAR"
curl -fsS -o /dev/null -c "$JAR" -H "Origin: $URL" -H 'Content-Type: application/json' \
  -d "{\"email\": \"agent@chambery.fr\", \"password\": \"$PASSWORD\"}" "$URL/api/v1/auth/login" \
  || die "the officer cannot sign in"
SECRET=$(curl -fsS -b "$JAR" -H "Origin: $URL" -H 'Content-Type: application/json' \
  -d '{"name": "schemathesis"}' "$URL/api/v1/me/tokens" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])') || die "no token"

run() { # NAME [ARGS...]
  local name=$1
  shift
  echo "schemathesis ($name): $EXAMPLES examples per operation, checks $CHECKS" >&2
  # From its folder: schemathesis keeps its cache (.schemathesis/) where it runs.
  (cd "$DIR" && "$DIR/venv/bin/schemathesis" run "$URL/api/v1/openapi.json" --checks "$CHECKS" \
    --max-examples "$EXAMPLES" --seed "$SEED" --request-timeout 60 --workers 1 \
    --exclude-path /api/v1/me/tokens/{id} "$@" > "$DIR/$name.txt" 2>&1)
}
FAILED=
run anonymous || FAILED="$FAILED anonymous"
# The token is not revoked by the run itself (DELETE /api/v1/me/tokens/{id} is left out).
run signed-in --header "Authorization: Bearer $SECRET" || FAILED="$FAILED signed-in"
for name in anonymous signed-in; do
  grep -A4 '^Failures:\|^Errors:' "$DIR/$name.txt" >&2 || true
  tail -1 "$DIR/$name.txt" >&2
done
if grep -q 'status=5' "$DIR/atlas.log" 2>/dev/null; then
  echo "server errors in $DIR/atlas.log" >&2
fi
[ -z "$FAILED" ] || die "failed:$FAILED (see $DIR/*.txt)"
