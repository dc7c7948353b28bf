#!/usr/bin/env python3
"""Flattens the published partnerships of an Atlas SQLite database into one table for Datasette.

    datasette_export.py SOURCE.db TARGET.db

TARGET gets one table, `partnerships`, one row per published partnership, with plain columns for
the single-valued facets (indexed, as Datasette's docs recommend for faceted columns) and JSON
arrays for the multi-valued ones (`_facet_array`). Plain SQL through Python's sqlite3 module; the
full-text index is added afterwards by `sqlite-utils enable-fts` (see run.sh).
"""

import os
import sqlite3
import sys
import time

FLATTEN = """
-- Every theme with itself and its ancestors: a partnership counts for the parents of its themes,
-- as in Atlas's theme facet.
CREATE TEMP TABLE theme_anc AS
WITH RECURSIVE up(code, anc, depth) AS (
    SELECT code, code, 0 FROM src.theme
    UNION ALL
    SELECT up.code, t.parent_code, up.depth + 1
    FROM up JOIN src.theme t ON t.code = up.anc
    WHERE t.parent_code IS NOT NULL AND up.depth < 5
)
SELECT DISTINCT code, anc FROM up;
CREATE INDEX temp.theme_anc_code ON theme_anc(code);

CREATE TEMP TABLE pub AS
SELECT * FROM src.partnership WHERE publication_state = 'published';
CREATE UNIQUE INDEX temp.pub_id ON pub(id);

-- Foreign partners in order, with their country and its zone.
CREATE TEMP TABLE fp AS
SELECT l.partnership_id AS pid, l.position AS position, a.name AS name,
       a.country_iso2 AS iso2, c.zone AS zone
FROM src.partnership_foreign_partner l
JOIN src.foreign_authority a ON a.id = l.foreign_authority_id
LEFT JOIN src.country c ON c.iso2 = a.country_iso2;
CREATE INDEX temp.fp_pid ON fp(pid, position);

-- French partners with their place in the administrative map.
CREATE TEMP TABLE fr AS
SELECT l.partnership_id AS pid, l.name AS name, c.kind AS kind, c.code AS code,
       CASE WHEN c.kind = 'region' THEN c.code ELSE c.region_code END AS region,
       CASE WHEN c.kind = 'departement' THEN c.code ELSE c.departement_code END AS departement
FROM src.partnership_french_partner l
LEFT JOIN src.collectivity c ON c.id = l.collectivity_id;
CREATE INDEX temp.fr_pid ON fr(pid);

-- Themes, primary and secondary, widened to their ancestors.
CREATE TEMP TABLE th AS
SELECT DISTINCT x.pid AS pid, a.anc AS code FROM (
    SELECT id AS pid, theme_code AS code FROM pub WHERE theme_code IS NOT NULL
    UNION ALL
    SELECT partnership_id, theme_code FROM src.partnership_theme
) x JOIN theme_anc a ON a.code = x.code;
CREATE INDEX temp.th_pid ON th(pid);

-- Fundings, with the funder sorted into Atlas's kinds (a plain-SQL approximation of
-- classify_funder: exact French-partner names, then keywords).
CREATE TEMP TABLE fu AS
SELECT f.partnership_id AS pid, f.amount_cents AS amount_cents,
  CASE
    WHEN EXISTS (SELECT 1 FROM fr WHERE fr.pid = f.partnership_id AND fr.name = f.funder)
      THEN 'french_authority'
    WHEN lower(f.funder) LIKE '%agence fran%aise de d%veloppement%' OR lower(f.funder) = 'afd'
      THEN 'afd'
    WHEN lower(f.funder) LIKE '%agence de l%eau%' THEN 'water_agency'
    WHEN lower(f.funder) LIKE '%union europ%' OR lower(f.funder) LIKE '%commission europ%'
      OR lower(f.funder) LIKE '%europeaid%' THEN 'european_union'
    WHEN lower(f.funder) LIKE '%minist%' OR lower(f.funder) LIKE '%ambassade%'
      OR lower(f.funder) LIKE '%pr_fecture%' OR lower(f.funder) IN ('etat', 'état')
      THEN 'state'
    WHEN lower(f.funder) LIKE 'commune%' OR lower(f.funder) LIKE 'ville%'
      OR lower(f.funder) LIKE 'mairie%' OR lower(f.funder) LIKE 'd_partement%'
      OR lower(f.funder) LIKE 'conseil%' OR lower(f.funder) LIKE 'r_gion%'
      OR lower(f.funder) LIKE 'communaut%' OR lower(f.funder) LIKE 'm_tropole%'
      OR lower(f.funder) LIKE 'syndicat%' THEN 'french_authority'
    ELSE 'other'
  END AS kind
FROM src.funding f;
CREATE INDEX temp.fu_pid ON fu(pid);

CREATE TABLE partnerships (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT,
    partners TEXT,
    status TEXT,
    start_year INTEGER,
    first_agreement_year INTEGER,
    form_code TEXT,
    theme_code TEXT,
    country TEXT,
    zone TEXT,
    countries TEXT,
    zones TEXT,
    themes TEXT,
    regions TEXT,
    departements TEXT,
    authority_kinds TEXT,
    funders TEXT,
    total_amount REAL,
    amount_band TEXT
);

INSERT INTO partnerships
SELECT p.id, p.title, p.description,
  (SELECT group_concat(name, ' ; ') FROM (
      SELECT name FROM fp WHERE fp.pid = p.id
      UNION ALL SELECT name FROM fr WHERE fr.pid = p.id)),
  p.status, p.start_year, p.first_agreement_year, p.form_code, p.theme_code,
  (SELECT iso2 FROM fp WHERE fp.pid = p.id AND iso2 IS NOT NULL ORDER BY position LIMIT 1),
  (SELECT zone FROM fp WHERE fp.pid = p.id AND iso2 IS NOT NULL ORDER BY position LIMIT 1),
  (SELECT json_group_array(DISTINCT iso2) FROM fp WHERE fp.pid = p.id AND iso2 IS NOT NULL),
  (SELECT json_group_array(DISTINCT zone) FROM fp WHERE fp.pid = p.id AND zone IS NOT NULL),
  (SELECT json_group_array(DISTINCT code) FROM th WHERE th.pid = p.id),
  (SELECT json_group_array(DISTINCT region) FROM fr WHERE fr.pid = p.id AND region IS NOT NULL),
  (SELECT json_group_array(DISTINCT departement) FROM fr
      WHERE fr.pid = p.id AND departement IS NOT NULL),
  (SELECT json_group_array(DISTINCT kind) FROM fr WHERE fr.pid = p.id AND kind IS NOT NULL),
  (SELECT json_group_array(DISTINCT kind) FROM fu WHERE fu.pid = p.id),
  (SELECT coalesce(sum(amount_cents), 0) / 100.0 FROM fu WHERE fu.pid = p.id),
  NULL
FROM pub p
ORDER BY p.id;

UPDATE partnerships SET amount_band = CASE
    WHEN total_amount <= 0 THEN 'none'
    WHEN total_amount < 10000 THEN 'lt_10k'
    WHEN total_amount < 50000 THEN '10k_50k'
    WHEN total_amount < 200000 THEN '50k_200k'
    WHEN total_amount < 1000000 THEN '200k_1m'
    ELSE 'gte_1m'
END;
"""

# Datasette's docs: index the columns you facet and filter on.
INDEXED = [
    "status",
    "start_year",
    "first_agreement_year",
    "form_code",
    "theme_code",
    "country",
    "zone",
    "amount_band",
]


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    source, target = sys.argv[1], sys.argv[2]
    started = time.monotonic()
    if os.path.exists(target):
        os.remove(target)
    db = sqlite3.connect(target)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("ATTACH DATABASE ? AS src", (source,))
    db.executescript(FLATTEN)
    for column in INDEXED:
        db.execute(f"CREATE INDEX idx_partnerships_{column} ON partnerships({column})")
    db.commit()
    db.execute("DETACH DATABASE src")
    db.execute("ANALYZE")
    db.commit()
    (rows,) = db.execute("SELECT count(*) FROM partnerships").fetchone()
    db.execute("VACUUM")
    db.close()
    print(f"{rows} partnerships flattened into {target} in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
