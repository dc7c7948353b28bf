#!/usr/bin/env bash
# make load: LOAD_CONNECTIONS (200) concurrent connections for LOAD_DURATION (60 s) on one
# `atlas serve` holding LOAD_COUNT (130,000) partnerships, all at once:
#   - the search with every facet count (the bench's filter mixes, rotated),
#   - partnerships' pages,
#   - exports (CSV and IATI of filtered views),
#   - drafts saved by a signed-in officer (POST /api/v1/partnerships, session cookie).
# Fails on any error (a refused connection, a timeout, a status other than 2xx/3xx); prints the
# throughput and latency of each part as a Markdown table, also in $LOAD_DIR/results.md.
#
# Settings (environment): LOAD_COUNT, LOAD_SEED, LOAD_DURATION, LOAD_CONNECTIONS (split
# 40 % search, 40 % pages, 10 % exports, 10 % drafts), LOAD_PORT, LOAD_DIR, ATLAS_BIN, and
# LOAD_POSTGRES (a PostgreSQL server's address, e.g. postgres://postgres@127.0.0.1:5432: the
# same run on PostgreSQL instead of SQLite; the seeded database is kept as atlas_load_COUNT_SEED
# and each run works on a copy of it, dropped after).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$ROOT/scripts/load
BENCH=$ROOT/scripts/bench
TARGET_DIR=${TARGET_DIR:-${CARGO_TARGET_DIR:-$ROOT/target}}
LOAD_DIR=${LOAD_DIR:-$TARGET_DIR/load}
ATLAS=${ATLAS_BIN:-$TARGET_DIR/release/atlas}
export LEPTOS_SITE_ROOT=${LEPTOS_SITE_ROOT:-$TARGET_DIR/site}
export ATLAS_REFERENTIALS_DIR=${ATLAS_REFERENTIALS_DIR:-$ROOT/migrations/data/node_modules}
COUNT=${LOAD_COUNT:-130000}
SEED=${LOAD_SEED:-2026}
DURATION=${LOAD_DURATION:-60s}
CONNECTIONS=${LOAD_CONNECTIONS:-200}
PORT=${LOAD_PORT:-3931}
URL=http://127.0.0.1:$PORT
DB=$LOAD_DIR/atlas-$COUNT-$SEED.db
RUN_DB=$LOAD_DIR/run.db
PY=python3
log() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'load: %s\n' "$*" >&2; exit 1; }

mkdir -p "$LOAD_DIR"/{logs,urls}
[ -x "$ATLAS" ] || die "no binary at $ATLAS: run make build"
if ! command -v wrk >/dev/null; then
  log "installing wrk (Debian package)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  die "port $PORT is already in use (set LOAD_PORT)"
fi

# ---------------------------------------------------------------- data
PG=${LOAD_POSTGRES:-}
count_partnerships() {
  if [ -n "$PG" ]; then psql -qtA "$RUN_URL" -c 'select count(*) from partnership'
  else $PY -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from partnership').fetchone()[0])" "$RUN_DB"; fi
}
if [ -n "$PG" ]; then
  # The seeded database is kept for the next run; the run works on a copy (a template).
  SEEDED=atlas_load_${COUNT}_${SEED}
  RUN_NAME=atlas_load_run_$$
  SEEDED_URL=$PG/$SEEDED
  RUN_URL=$PG/$RUN_NAME
  DONE=$LOAD_DIR/$SEEDED.done
  if [ ! -e "$DONE" ] || [ "$ATLAS" -nt "$DONE" ]; then
    log "seeding $COUNT partnerships into PostgreSQL database $SEEDED"
    psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $SEEDED WITH (FORCE)" -c "CREATE DATABASE $SEEDED"
    DATABASE_URL="$SEEDED_URL" "$ATLAS" seed-demo --count "$COUNT" --seed "$SEED" \
      > "$LOAD_DIR/logs/seed.log" 2>&1 || { tail -20 "$LOAD_DIR/logs/seed.log" >&2; die "seeding failed"; }
    touch "$DONE"
  fi
  psql -q "$PG/postgres" -c "CREATE DATABASE $RUN_NAME TEMPLATE $SEEDED"
  RUN_DATABASE_URL=$RUN_URL
  IDS_FROM=$LOAD_DIR/ids.db
  # The pages' ids, read as the SQLite runs read them (bench.py ids), from a one-table copy.
  rm -f "$IDS_FROM"
  psql -qtA "$RUN_URL" -c "select id || ',' || publication_state from partnership" \
    | $PY -c "
import sqlite3, sys
d = sqlite3.connect(sys.argv[1])
d.execute('create table partnership (id integer, publication_state text)')
d.executemany('insert into partnership values (?, ?)', (l.strip().split(',') for l in sys.stdin if l.strip()))
d.commit()" "$IDS_FROM"
else
  if [ ! -e "$DB.done" ] || [ "$ATLAS" -nt "$DB.done" ]; then
    log "seeding $COUNT partnerships into $DB"
    rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.done"
    DATABASE_URL="sqlite://$DB?mode=rwc" "$ATLAS" seed-demo --count "$COUNT" --seed "$SEED" \
      > "$LOAD_DIR/logs/seed.log" 2>&1 || { tail -20 "$LOAD_DIR/logs/seed.log" >&2; die "seeding failed"; }
    $PY -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.close()" "$DB"
    touch "$DB.done"
  fi
  # The drafts go into a copy: the seeded data stays as it was for the next run.
  rm -f "$RUN_DB" "$RUN_DB-wal" "$RUN_DB-shm"
  $PY -c "import sqlite3,sys; s=sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True); d=sqlite3.connect(sys.argv[2]); s.backup(d); d.close()" "$DB" "$RUN_DB"
  RUN_DATABASE_URL="sqlite://$RUN_DB?mode=rwc"
  IDS_FROM=$RUN_DB
fi
PASSWORD="charge de l'essai de charge"
echo "$PASSWORD" | DATABASE_URL="$RUN_DATABASE_URL" "$ATLAS" user create \
  --email agent@chambery.fr --role staff --authority commune-73065 > "$LOAD_DIR/logs/user.log" 2>&1 \
  || die "could not create the officer (see $LOAD_DIR/logs/user.log)"

$PY "$BENCH/bench.py" urls "$LOAD_DIR/urls" > /dev/null
$PY "$BENCH/bench.py" ids "$IDS_FROM" "$LOAD_DIR/urls/pages.txt" 1000 > /dev/null
# Exports of filtered views, as people download them: a country, a theme in a zone.
$PY - "$LOAD_DIR/urls/exports.txt" <<'EOF'
import sys
countries = ["SN", "ML", "BF", "MA", "MG", "VN", "TN", "HT", "BJ", "CM"]
paths = []
for c in countries:
    paths.append(f"/api/v1/partnerships.csv?country={c}")
    paths.append(f"/api/v1/partnerships.iati.xml?country={c}&theme=DUR.EAU")
open(sys.argv[1], "w").write("\n".join(paths) + "\n")
EOF
$PY -c "
import json, sys
json.dump({'title': 'Essai de charge : eau potable à Ouahigouya', 'status': 'ongoing',
  'start_year': 2024, 'form': 'JUMELAGE', 'theme': 'DUR.EAU',
  'description': 'Forages et latrines dans les écoles.',
  'french_partners': ['commune-73065'],
  'foreign_partners': [{'name': 'Ouahigouya', 'country': 'BF'}],
  'fundings': [{'funder': 'Ville de Chambéry', 'amount_eur': 25000, 'year': 2024}]},
  open(sys.argv[1], 'w'), ensure_ascii=False)" "$LOAD_DIR/draft.json"

# ---------------------------------------------------------------- server
SERVER=
cleanup() {
  [ -z "$SERVER" ] || { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; }
  [ -z "$PG" ] || psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $RUN_NAME WITH (FORCE)" || true
}
trap cleanup EXIT
log "starting atlas on $URL"
RUST_LOG=${RUST_LOG:-warn} DATABASE_URL="$RUN_DATABASE_URL" \
  "$ATLAS" serve --addr "127.0.0.1:$PORT" > "$LOAD_DIR/logs/atlas.log" 2>&1 &
SERVER=$!
deadline=$((SECONDS + 900))
until curl -fsS -o /dev/null "$URL/readyz" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || die "atlas not ready after 900 s (see $LOAD_DIR/logs/atlas.log)"
  kill -0 "$SERVER" 2>/dev/null || die "atlas stopped (see $LOAD_DIR/logs/atlas.log)"
  sleep 0.2
done
JAR=$LOAD_DIR/cookies.txt
rm -f "$JAR"
STATUS=$(curl -s -o "$LOAD_DIR/logs/login.json" -w '%{http_code}' -c "$JAR" -H "Origin: $URL" \
  -H 'Content-Type: application/json' \
  -d "{\"email\": \"agent@chambery.fr\", \"password\": \"$PASSWORD\"}" "$URL/api/v1/auth/login")
[ "$STATUS" = 200 ] || die "the officer cannot sign in (HTTP $STATUS)"
COOKIE="atlas_session=$(awk '$6 == "atlas_session" {print $7}' "$JAR")"

# ---------------------------------------------------------------- load
share() { local n=$((CONNECTIONS * $1 / 100)); [ "$n" -ge 1 ] && echo "$n" || echo 1; }
SEARCH_CONN=$(share 40); PAGE_CONN=$(share 40); EXPORT_CONN=$(share 10)
DRAFT_CONN=$((CONNECTIONS - SEARCH_CONN - PAGE_CONN - EXPORT_CONN))
[ "$DRAFT_CONN" -ge 1 ] || DRAFT_CONN=1
log "$CONNECTIONS connections for $DURATION: search $SEARCH_CONN, pages $PAGE_CONN, exports $EXPORT_CONN, drafts $DRAFT_CONN"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
DRAFTS_BEFORE=$(count_partnerships)
WRKS=()
run() { # NAME CONNECTIONS SCRIPT ARGS...
  local name=$1 conn=$2 script=$3
  shift 3
  wrk -t1 -c"$conn" -d"$DURATION" --timeout 30s --latency -s "$script" "$URL" -- "$@" \
    > "$LOAD_DIR/logs/wrk-$name.txt" 2>&1 &
  WRKS+=($!)
}
run search "$SEARCH_CONN" "$BENCH/rotate.lua" "$LOAD_DIR/urls/atlas-all.txt"
run pages "$PAGE_CONN" "$BENCH/rotate.lua" "$LOAD_DIR/urls/pages.txt" "Accept-Encoding: br"
run exports "$EXPORT_CONN" "$BENCH/rotate.lua" "$LOAD_DIR/urls/exports.txt"
run drafts "$DRAFT_CONN" "$HERE/post.lua" /api/v1/partnerships "$LOAD_DIR/draft.json" "$COOKIE"
PEAK_KB=0
while kill -0 "${WRKS[@]}" 2>/dev/null; do
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$SERVER/status" 2>/dev/null || echo 0)
  [ "$rss" -gt "$PEAK_KB" ] && PEAK_KB=$rss
  sleep 0.5
done
for pid in "${WRKS[@]}"; do wait "$pid" || true; done
kill -0 "$SERVER" 2>/dev/null || die "atlas stopped under load (see $LOAD_DIR/logs/atlas.log)"
DRAFTS_AFTER=$(count_partnerships)

# ---------------------------------------------------------------- report
RESULTS=$LOAD_DIR/results.md
FAILED=0
{
  echo "$COUNT partnerships on $([ -n "$PG" ] && echo PostgreSQL || echo SQLite), $CONNECTIONS connections for $DURATION ($(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); load before $LOAD_BEFORE); server RSS peak $((PEAK_KB / 1024)) MB"
  echo
  echo "| part | connections | requests | req/s | p50 | p99 | max | errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
} > "$RESULTS"
for part in "search $SEARCH_CONN" "pages $PAGE_CONN" "exports $EXPORT_CONN" "drafts $DRAFT_CONN"; do
  set -- $part
  result=$(grep '^RESULT' "$LOAD_DIR/logs/wrk-$1.txt" | head -1 | cut -d' ' -f2- || true)
  if [ -z "$result" ]; then
    echo "| $1 | $2 | failed: see logs/wrk-$1.txt | | | | | |" >> "$RESULTS"
    FAILED=1
    continue
  fi
  echo "$result" | awk -v name="$1" -v conn="$2" '{for (i=1;i<=NF;i++) {split($i,kv,"="); v[kv[1]]=kv[2]}
    errors = v["err_status"]+v["err_connect"]+v["err_read"]+v["err_write"]+v["err_timeout"]
    printf "| %s | %d | %d | %.0f | %.1f ms | %.1f ms | %.0f ms | %d |\n", name, conn, v["requests"],
      v["requests"]/(v["duration_us"]/1e6), v["p50_us"]/1000, v["p99_us"]/1000, v["max_us"]/1000, errors
    exit (errors > 0 || v["requests"] == 0)}' >> "$RESULTS" || FAILED=1
done
echo >> "$RESULTS"
echo "Drafts saved: $((DRAFTS_AFTER - DRAFTS_BEFORE)) new partnerships in the database." >> "$RESULTS"
cat "$RESULTS"
[ "$FAILED" = 0 ] || die "errors under load (see $LOAD_DIR/logs)"
