#!/usr/bin/env bash
# make lighthouse: Lighthouse (mobile, its default throttling) on the search page, a partnership
# page and a country page of a running Atlas; fails below performance 95 or SEO 100.
#   BASE=http://127.0.0.1:3000 ./scripts/lighthouse.sh
# Lighthouse comes from npm into $LIGHTHOUSE_DIR; Debian's chromium runs it.
set -euo pipefail
BASE=${BASE:-http://127.0.0.1:3000}
DIR=${LIGHTHOUSE_DIR:-target/lighthouse}
mkdir -p "$DIR"
[ -x "$DIR/node_modules/.bin/lighthouse" ] ||
  npm install --prefix "$DIR" --no-audit --no-fund --no-save lighthouse@13 > /dev/null
curl -fsS "$BASE/readyz" > /dev/null || { echo "no Atlas ready at $BASE" >&2; exit 1; }
# One published partnership: its page, and its first country's page.
read -r ID COUNTRY < <(curl -fsS "$BASE/api/v1/partnerships?per_page=1" |
  python3 -c 'import json, sys; i = json.load(sys.stdin)["items"][0]; print(i["id"], i["countries"][0])')
status=0
for page in "/partenariats" "/partenariats/$ID" "/pays/$COUNTRY"; do
  out="$DIR/report$(echo "$page" | tr '/' '_').json"
  CHROME_PATH=$(command -v chromium) "$DIR/node_modules/.bin/lighthouse" "$BASE$page" --quiet \
    --chrome-flags="--headless=new --no-sandbox" \
    --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output-path="$out" > /dev/null
  python3 - "$out" "$page" <<'EOF' || status=1
import json, sys
report = json.load(open(sys.argv[1]))
scores = {k: round(v["score"] * 100) for k, v in report["categories"].items()}
tbt = report["audits"]["total-blocking-time"]["numericValue"]
lcp = report["audits"]["largest-contentful-paint"]["numericValue"]
print(f"{sys.argv[2]}: {scores}, total blocking time {tbt:.0f} ms, LCP {lcp:.0f} ms")
sys.exit(0 if scores["performance"] >= 95 and scores["seo"] == 100 else 1)
EOF
done
exit $status
