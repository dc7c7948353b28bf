#!/usr/bin/env bash
# make bench: seeds BENCH_COUNT partnerships (130,000 = ten times the real atlas), serves them
# with the release `atlas` and, side by side, with Datasette on a flat SQLite export of the same
# data, then measures over HTTP with wrk:
#   - the search with all facet counts, for typical filter mixes (latency p50/p99),
#   - the partnership page (throughput),
#   - saving a draft and publishing it, signed in (latency, on a copy of the data),
#   - the size of the hydration bundle (raw, gzip, brotli).
# Prints a Markdown table and writes it to $BENCH_DIR/results.md. Work files stay in $BENCH_DIR.
#
# Settings (environment): BENCH_COUNT, BENCH_SEED, BENCH_DURATION (Atlas search, per mix),
# BENCH_DATASETTE_DURATION, BENCH_PAGE_DURATION, BENCH_SEARCH_CONNECTIONS,
# BENCH_PAGE_CONNECTIONS, BENCH_WRK_THREADS, BENCH_WRITES (rounds of save + publish, 0: none), BENCH_ATLAS_PORT, BENCH_DATASETTE_PORT,
# BENCH_DATASETTE_SAMPLES, BENCH_DATASETTE_MAX_DURATION,
# BENCH_RESEED=1 (seed again even when the database is newer than the binary),
# BENCH_SKIP_DATASETTE=1; BENCH_QUIET_BUSY, BENCH_QUIET_MAX (see quiet()); BENCH_STRICT=1 (fail when a measure fails: the smoke run); ATLAS_BIN and LEPTOS_SITE_ROOT to bench a binary and site built
# elsewhere (BENCH_SOURCE then says what it was built from).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE=$ROOT/scripts/bench
TARGET_DIR=${TARGET_DIR:-${CARGO_TARGET_DIR:-$ROOT/target}}
BENCH_DIR=${BENCH_DIR:-$TARGET_DIR/bench}
ATLAS=${ATLAS_BIN:-$TARGET_DIR/release/atlas}
export LEPTOS_SITE_ROOT=${LEPTOS_SITE_ROOT:-$TARGET_DIR/site}
export ATLAS_REFERENTIALS_DIR=${ATLAS_REFERENTIALS_DIR:-$ROOT/migrations/data/node_modules}

COUNT=${BENCH_COUNT:-130000}
SEED=${BENCH_SEED:-2026}
DURATION=${BENCH_DURATION:-10s}
DS_DURATION=${BENCH_DATASETTE_DURATION:-20s}
PAGE_DURATION=${BENCH_PAGE_DURATION:-15s}
SEARCH_CONN=${BENCH_SEARCH_CONNECTIONS:-2}
PAGE_CONN=${BENCH_PAGE_CONNECTIONS:-64}
WRITES=${BENCH_WRITES:-200}
WRK_THREADS=${BENCH_WRK_THREADS:-1}
QUIET_BUSY=${BENCH_QUIET_BUSY:-15}
QUIET_MAX=${BENCH_QUIET_MAX:-180}
ATLAS_PORT=${BENCH_ATLAS_PORT:-3901}
DS_PORT=${BENCH_DATASETTE_PORT:-3902}
ATLAS_URL=http://127.0.0.1:$ATLAS_PORT
DS_URL=http://127.0.0.1:$DS_PORT

DB=$BENCH_DIR/atlas-$COUNT-$SEED.db
FLAT=$BENCH_DIR/flat.db
VENV=$BENCH_DIR/venv
PY=python3
log() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

mkdir -p "$BENCH_DIR"/{logs,urls,probe}
cd "$ROOT"
[ -x "$ATLAS" ] || die "no release binary at $ATLAS: run make build"

# ---------------------------------------------------------------- tools
if ! command -v wrk >/dev/null || ! command -v brotli >/dev/null; then
  log "installing wrk and brotli (Debian packages)"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk brotli >/dev/null
fi
if [ -z "${BENCH_SKIP_DATASETTE:-}" ] && { [ ! -x "$VENV/bin/datasette" ] || [ ! -x "$VENV/bin/sqlite-utils" ]; }; then
  log "installing datasette and sqlite-utils into $VENV"
  $PY -m venv "$VENV"
  "$VENV/bin/pip" install -q datasette sqlite-utils
fi

for port in "$ATLAS_PORT" "$DS_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is already in use (set BENCH_ATLAS_PORT / BENCH_DATASETTE_PORT)"
  fi
done

# ---------------------------------------------------------------- data
# $DB.done marks a complete seeding; the binary being newer means the data may be stale.
if [ -n "${BENCH_RESEED:-}" ] || [ ! -e "$DB.done" ] || [ "$ATLAS" -nt "$DB.done" ]; then
  log "seeding $COUNT partnerships into $DB"
  rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.done" "$FLAT"
  start=$(date +%s%N)
  DATABASE_URL="sqlite://$DB?mode=rwc" "$ATLAS" seed-demo --count "$COUNT" --seed "$SEED" \
    > "$BENCH_DIR/logs/seed.log" 2>&1 || { tail -20 "$BENCH_DIR/logs/seed.log" >&2; die "seeding failed"; }
  echo "seeded in $(( ($(date +%s%N) - start) / 1000000 )) ms" >&2
  # Fold the write-ahead log in, so that the exports read one file.
  $PY -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.close()" "$DB"
  touch "$DB.done"
else
  log "reusing $DB (newer than the binary; BENCH_RESEED=1 to seed again)"
fi
PUBLISHED=$($PY "$HERE/bench.py" ids "$DB" "$BENCH_DIR/urls/pages.txt" 1000)
PAGE_IDS=$(grep -c . "$BENCH_DIR/urls/pages.txt" || true)
[ "$PAGE_IDS" -gt 0 ] || die "no published partnership in $DB"

if [ -z "${BENCH_SKIP_DATASETTE:-}" ] && { [ ! -s "$FLAT" ] || [ "$DB" -nt "$FLAT" ] \
    || [ "$DB.done" -nt "$FLAT" ] || [ "$HERE/datasette_export.py" -nt "$FLAT" ]; }; then
  log "exporting the published partnerships to $FLAT for Datasette"
  rm -f "$FLAT"
  "$VENV/bin/python" "$HERE/datasette_export.py" "$DB" "$FLAT.tmp"
  "$VENV/bin/sqlite-utils" enable-fts "$FLAT.tmp" partnerships title description partners --fts5
  mv "$FLAT.tmp" "$FLAT"
fi
$PY "$HERE/bench.py" urls "$BENCH_DIR/urls"

# ---------------------------------------------------------------- servers
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

wait_for() { # URL SECONDS NAME
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    [ $SECONDS -lt "$deadline" ] || die "$3 did not answer $1 within $2 s (see $BENCH_DIR/logs)"
    sleep 0.2
  done
}

log "starting atlas on $ATLAS_URL"
start=$(date +%s%N)
RUST_LOG=${RUST_LOG:-warn,server::cli=info} DATABASE_URL="sqlite://$DB?mode=rwc" \
  "$ATLAS" serve --addr "127.0.0.1:$ATLAS_PORT" > "$BENCH_DIR/logs/atlas.log" 2>&1 &
PIDS+=($!)
wait_for "$ATLAS_URL/healthz" 600 atlas
LIVE_MS=$(( ($(date +%s%N) - start) / 1000000 ))
# While the index builds: what a page that needs it and a partnership's page answer.
DURING_SEARCH=$(curl -s -o /dev/null -w '%{http_code}' "$ATLAS_URL/api/v1/partnerships?per_page=1" || echo failed)
DURING_PAGE=$(curl -s -o /dev/null -w '%{http_code}' "$ATLAS_URL/partenariats/1" || echo failed)
wait_for "$ATLAS_URL/readyz" 900 "atlas (index)"
READY_MS=$(( ($(date +%s%N) - start) / 1000000 ))
READY_RSS_KB=$(awk '/^VmRSS/ {print $2}' "/proc/${PIDS[0]}/status")
# The server's log line "search index built … seconds=…", its colours taken out.
INDEX_SECONDS=$(sed 's/\x1b\[[0-9;]*m//g' "$BENCH_DIR/logs/atlas.log" | grep -o 'seconds=[0-9.]*' | head -1 | cut -d= -f2 || true)
printf 'live_ms\t%s\nready_ms\t%s\nready_rss_kb\t%s\nindex_seconds\t%s\nduring_search\t%s\nduring_page\t%s\n' \
  "$LIVE_MS" "$READY_MS" "$READY_RSS_KB" "${INDEX_SECONDS:-?}" "$DURING_SEARCH" "$DURING_PAGE" > "$BENCH_DIR/startup.tsv"
echo "atlas answers after $LIVE_MS ms, ready after $READY_MS ms (RSS $((READY_RSS_KB / 1024)) MB)" >&2

if [ -z "${BENCH_SKIP_DATASETTE:-}" ]; then
  log "starting datasette on $DS_URL"
  "$VENV/bin/datasette" serve -i "$FLAT" --host 127.0.0.1 --port "$DS_PORT" \
    --setting sql_time_limit_ms 120000 --setting facet_time_limit_ms 120000 \
    --setting suggest_facets off --setting max_returned_rows 1000 \
    > "$BENCH_DIR/logs/datasette.log" 2>&1 &
  PIDS+=($!)
  wait_for "$DS_URL/-/versions.json" 120 datasette
fi

# ---------------------------------------------------------------- environment
ENV=$BENCH_DIR/env.txt
{
  echo "DATE=$(date -u '+%Y-%m-%d %H:%M UTC')"
  # BENCH_SOURCE describes the binary when ATLAS_BIN points at one built elsewhere.
  echo "COMMIT=${BENCH_SOURCE:-commit \`$(git rev-parse --short HEAD 2>/dev/null || echo '?')\`$(git diff --quiet HEAD -- app server frontend migrations Cargo.toml Cargo.lock 2>/dev/null || echo ' + uncommitted changes')}"
  echo "NPROC=$(nproc)"
  echo "CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
  echo "MEM=$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo "KERNEL=Linux $(uname -r)"
  echo "LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "COUNT=$COUNT"
  echo "SEED=$SEED"
  echo "PUBLISHED=$PUBLISHED"
  echo "PAGE_IDS=$PAGE_IDS"
  echo "DB_SIZE=$(du -h "$DB" | cut -f1)B"
  echo "WRK=$(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
  echo "DURATION=$DURATION"
  echo "DS_DURATION=$DS_DURATION"
  echo "DS_MAX_DURATION=${BENCH_DATASETTE_MAX_DURATION:-150s}"
  echo "DS_SAMPLES=${BENCH_DATASETTE_SAMPLES:-10}"
  echo "PAGE_DURATION=$PAGE_DURATION"
  echo "SEARCH_CONN=$SEARCH_CONN"
  echo "PAGE_CONN=$PAGE_CONN"
  echo "WRK_THREADS=$WRK_THREADS"
  echo "QUIET_BUSY=$QUIET_BUSY"
  echo "QUIET_MAX=$QUIET_MAX"
  echo "WRITES=$WRITES"
  if [ -z "${BENCH_SKIP_DATASETTE:-}" ]; then
    echo "DATASETTE=$("$VENV/bin/datasette" --version | awk '{print $3}')"
    echo "SQLITE=$("$VENV/bin/python" -c 'import sqlite3; print(sqlite3.sqlite_version)')"
    echo "PYTHON=$("$VENV/bin/python" -c 'import platform; print(platform.python_version())')"
    echo "FLAT_ROWS=$("$VENV/bin/python" -c 'import sqlite3,sys; n=sqlite3.connect(sys.argv[1]).execute("select count(*) from partnerships").fetchone()[0]; print(format(n, ","))' "$FLAT")"
    echo "FLAT_SIZE=$(du -h "$FLAT" | cut -f1)B"
  fi
} > "$ENV"

MEAS=$BENCH_DIR/measurements.tsv
: > "$MEAS"

bench() { # SYSTEM NAME BASE_URL LIST CONNECTIONS DURATION [HEADER]
  local system=$1 name=$2 base=$3 list=$4 conn=$5 dur=$6 header=${7:-}
  local out=$BENCH_DIR/logs/wrk-$system-$name.txt
  printf '%-10s %-14s %3s connections, %s ... ' "$system" "$name" "$conn" "$dur" >&2
  wrk -t"$WRK_THREADS" -c"$conn" -d"$dur" --timeout 120s --latency -s "$HERE/rotate.lua" \
    "$base" -- "$list" ${header:+"$header"} > "$out" 2>&1 || true
  local result
  result=$(grep '^RESULT' "$out" | head -1 | cut -d' ' -f2- || true)
  if [ -z "$result" ]; then
    printf 'failed (see %s)\n' "$out" >&2
    printf '%s\t%s\tfailed: see %s\n' "$system" "$name" "$out" >> "$MEAS"
    return
  fi
  printf '%s\t%s\t%s\n' "$system" "$name" "$result" >> "$MEAS"
  echo "$result" | awk '{for (i=1;i<=NF;i++) {split($i,kv,"="); v[kv[1]]=kv[2]}
    printf "%.0f req/s, p50 %.2f ms, p99 %.2f ms, errors %d\n", v["requests"]/(v["duration_us"]/1e6),
      v["p50_us"]/1000, v["p99_us"]/1000, v["err_status"]+v["err_connect"]+v["err_read"]+v["err_timeout"]}' >&2
}

# Waits until the machine is quiet: the CPUs busy under BENCH_QUIET_BUSY % (default 15) over
# one second, for at most BENCH_QUIET_MAX seconds (default 180). What a measure began with goes
# to $BENCH_DIR/quiet.tsv: the measure, the seconds waited, the busy % then.
: > "$BENCH_DIR/quiet.tsv"
cpu_busy() { # the % of all CPUs busy over one second
  local a b
  a=$(awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat); sleep 1
  b=$(awk '/^cpu / {print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " ");
    busy = y[1] - x[1]; idle = y[2] - x[2]; printf "%d\n", (busy + idle) ? 100 * busy / (busy + idle) : 0 }'
}
quiet() { # NAME
  local start=$SECONDS busy
  busy=$(cpu_busy)
  while [ "$busy" -ge "$QUIET_BUSY" ] && [ $((SECONDS - start)) -lt "$QUIET_MAX" ]; do
    busy=$(cpu_busy)
  done
  [ "$busy" -lt "$QUIET_BUSY" ] || echo "$1: the CPUs still $busy % busy after ${QUIET_MAX} s; measuring anyway" >&2
  printf '%s\t%s\t%s\n' "$1" "$((SECONDS - start))" "$busy" >> "$BENCH_DIR/quiet.tsv"
}

# ---------------------------------------------------------------- search
MIXES="none country combo region text all"
log "checking the search URLs (one request each, also warms up)"
SEARCH_OK=1
rm -f "$BENCH_DIR"/probe/*.tsv
for mix in ${MIXES% all}; do # "all" is the union of the others
  $PY "$HERE/bench.py" probe atlas "$ATLAS_URL" "$BENCH_DIR/urls/atlas-$mix.txt" "$BENCH_DIR/probe/atlas-$mix.tsv" >&2
  if [ -z "${BENCH_SKIP_DATASETTE:-}" ]; then
    $PY "$HERE/bench.py" probe datasette "$DS_URL" "$BENCH_DIR/urls/datasette-$mix.txt" "$BENCH_DIR/probe/datasette-$mix.tsv" >&2
  fi
done
if cut -f2 "$BENCH_DIR"/probe/atlas-*.tsv | grep -qv '^200$'; then
  SEARCH_OK=
  code=$(cut -f2 "$BENCH_DIR/probe/atlas-none.tsv" | head -1)
  echo "Atlas's search answers HTTP $code: its latency is not measured" >&2
fi

# Datasette takes seconds per request at this size: give each mix the time for about
# BENCH_DATASETTE_SAMPLES requests (from the probe's latencies), between BENCH_DATASETTE_DURATION
# and BENCH_DATASETTE_MAX_DURATION.
ds_duration() { # MIX
  local files=$BENCH_DIR/probe/datasette-$1.tsv
  [ "$1" = all ] && files=$(ls "$BENCH_DIR"/probe/datasette-*.tsv)
  # shellcheck disable=SC2086
  awk -F'\t' -v samples="${BENCH_DATASETTE_SAMPLES:-10}" -v conn="$SEARCH_CONN" \
      -v low="${DS_DURATION%s}" -v high="${BENCH_DATASETTE_MAX_DURATION:-150s}" '
    FNR == 1 { files++ } { sum[FILENAME] += $3; n[FILENAME]++ }
    END {
      for (f in sum) avg += sum[f] / n[f] / files
      d = int(samples * avg / 1000 / conn * 1.3 + 1); sub(/s$/, "", high)
      if (d < low) d = low; if (d > high + 0) d = high + 0
      printf "%ds\n", d
    }' $files
}

# Every Atlas mix first, then Datasette's. Datasette goes on running the queries of a mix after
# wrk has hung up (SQLite does not stop a query whose client left): measured in turn, its
# leftover queries shared the two cores with Atlas's next mix. Each measure waits for quiet.
log "search latency"
for mix in $MIXES; do
  if [ -n "$SEARCH_OK" ]; then
    quiet "atlas search-$mix"
    bench atlas "search-$mix" "$ATLAS_URL" "$BENCH_DIR/urls/atlas-$mix.txt" "$SEARCH_CONN" "$DURATION"
  else
    printf 'atlas\tsearch-%s\tGET /api/v1/partnerships answered HTTP %s when this ran\n' "$mix" "$code" >> "$MEAS"
  fi
done
if [ -z "${BENCH_SKIP_DATASETTE:-}" ]; then
  for mix in $MIXES; do
    quiet "datasette search-$mix"
    bench datasette "search-$mix" "$DS_URL" "$BENCH_DIR/urls/datasette-$mix.txt" "$SEARCH_CONN" \
      "$(ds_duration "$mix")"
  done
fi

# ---------------------------------------------------------------- pages
log "partnership page throughput"
quiet "atlas page"
$PY "$HERE/bench.py" probe atlas "$ATLAS_URL" "$BENCH_DIR/urls/pages.txt" "$BENCH_DIR/probe/atlas-pages.tsv" >&2
bench atlas page "$ATLAS_URL" "$BENCH_DIR/urls/pages.txt" "$PAGE_CONN" "$PAGE_DURATION"
# The compressed variant is kept apart: view each page once that way too.
while read -r path; do
  curl -s -o /dev/null -H 'Accept-Encoding: br, gzip' "$ATLAS_URL$path" || true
done < "$BENCH_DIR/urls/pages.txt"
bench atlas page-br "$ATLAS_URL" "$BENCH_DIR/urls/pages.txt" "$PAGE_CONN" "$PAGE_DURATION" "Accept-Encoding: br, gzip"
bench atlas json "$ATLAS_URL" "$BENCH_DIR/urls/pages-json.txt" "$PAGE_CONN" "$PAGE_DURATION"

# ---------------------------------------------------------------- exports
# The whole CSV and IATI exports, one download each, with the server's resident memory sampled
# every 50 ms meanwhile (it must not grow with the size of the export).
log "full exports"
ATLAS_PID=${PIDS[0]}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$ATLAS_PID/status"; }
: > "$BENCH_DIR/exports.tsv"
for export in csv iati.xml; do
  before=$(rss_kb)
  touch "$BENCH_DIR/export.running"
  ( peak=0; while [ -e "$BENCH_DIR/export.running" ]; do
      r=$(rss_kb); [ "${r:-0}" -gt "$peak" ] && peak=$r; echo "$peak" > "$BENCH_DIR/export.peak"; sleep 0.05
    done ) &
  sampler=$!
  result=$(curl -sS -o "$BENCH_DIR/export.$export" -w '%{http_code}\t%{size_download}\t%{time_total}' \
    --max-time 600 "$ATLAS_URL/api/v1/partnerships.$export" || echo "failed")
  rm -f "$BENCH_DIR/export.running"; wait "$sampler" 2>/dev/null || true
  rows=$(case $export in csv) $PY -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))) - 1)' "$BENCH_DIR/export.$export";;
         *) grep -o '<iati-activity ' "$BENCH_DIR/export.$export" | wc -l;; esac)
  printf '%s\t%s\t%s\t%s\t%s\n' "$export" "$result" "$rows" "$before" "$(cat "$BENCH_DIR/export.peak" 2>/dev/null || echo 0)" \
    | tee -a "$BENCH_DIR/exports.tsv" >&2
done
rm -f "$BENCH_DIR"/export.csv "$BENCH_DIR"/export.iati.xml "$BENCH_DIR/export.peak"

# ---------------------------------------------------------------- writes
# On a copy of the data, so that the reads above stay comparable from run to run: a second
# server, an officer of Chambéry and a national moderator, drafts saved then published.
if [ "$WRITES" -gt 0 ]; then
  log "writes ($WRITES rounds, on a copy of the data)"
  WDB=$BENCH_DIR/writes.db
  rm -f "$WDB" "$WDB-wal" "$WDB-shm"
  $PY -c "import sqlite3,sys; s=sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True); d=sqlite3.connect(sys.argv[2]); s.backup(d); d.close()" "$DB" "$WDB"
  WPASS="banc d'essai des écritures"
  for who in "agent@chambery.fr staff --authority commune-73065" "moderation@diplomatie.gouv.fr moderator"; do
    set -- $who
    echo "$WPASS" | DATABASE_URL="sqlite://$WDB?mode=rwc" "$ATLAS" user create --email "$1" --role "$2" "${@:3}" \
      >> "$BENCH_DIR/logs/writes.log" 2>&1 || die "could not create $1 (see $BENCH_DIR/logs/writes.log)"
  done
  WPORT=$((ATLAS_PORT + 2))
  RUST_LOG=${RUST_LOG:-warn} DATABASE_URL="sqlite://$WDB?mode=rwc" \
    "$ATLAS" serve --addr "127.0.0.1:$WPORT" > "$BENCH_DIR/logs/atlas-writes.log" 2>&1 &
  PIDS+=($!)
  wait_for "http://127.0.0.1:$WPORT/readyz" 900 "atlas (writes)"
  $PY "$HERE/bench.py" writes "http://127.0.0.1:$WPORT" "$WRITES" "$BENCH_DIR/writes.tsv" \
    agent@chambery.fr moderation@diplomatie.gouv.fr "$WPASS" >&2 \
    || { [ -z "${BENCH_STRICT:-}" ] || die "writes failed"; echo "writes: see above" >&2; }
fi

echo "LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$ENV"

# ---------------------------------------------------------------- bundle
# What every page loads, then what each lazy island adds (scripts/bundle.py; the limit is
# `make bundle-check`'s).
$PY "$ROOT/scripts/bundle.py" "$LEPTOS_SITE_ROOT/pkg" --tsv "$BENCH_DIR/wasm.tsv" > /dev/null

# ---------------------------------------------------------------- report
log "results"
$PY "$HERE/bench.py" report "$BENCH_DIR" "$BENCH_DIR/results.md"
{
  echo
  echo "### Full exports ($PUBLISHED published partnerships)"
  echo
  echo "| export | HTTP | bytes | seconds | rows | server RSS before | peak during |"
  echo "|---|---|---|---|---|---|---|"
  awk -F'\t' '{printf "| %s | %s | %s | %.1f | %s | %d MB | %d MB |\n", $1, $2, $3, $4, $5, $6/1024, $7/1024}' "$BENCH_DIR/exports.tsv"
} >> "$BENCH_DIR/results.md"
echo "written to $BENCH_DIR/results.md" >&2
if [ -n "${BENCH_STRICT:-}" ] && grep -q 'failed' "$MEAS"; then
  die "a measure failed: $(grep 'failed' "$MEAS" | head -1)"
fi
