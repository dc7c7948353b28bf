//! The CSV export, one row per partnership, and its Table Schema (Frictionless Data), written
//! from one list of columns so that the two never disagree.

use crate::server::search::index::{DocRef, SearchIndex};
use serde_json::json;

pub const LICENCE_NAME: &str = "Licence Ouverte / Open Licence 2.0";
pub const LICENCE_URL: &str = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";

/// How the Table Schema tells readers that formula-like cells were neutralised.
pub const FORMULA_NOTE: &str = "Une cellule de texte qui commence par =, +, -, @, une tabulation ou un retour chariot est précédée d'une apostrophe ('), pour qu'un tableur l'affiche comme du texte au lieu de l'exécuter comme une formule ; retirez cette apostrophe pour retrouver le texte saisi. Les noms et adresses des personnes (contacts, volontaires) ne figurent pas dans les données ouvertes.";

/// Separator inside a cell holding several values.
pub const LIST_SEPARATOR: &str = " ; ";

struct Column {
    name: &'static str,
    kind: &'static str,
    title: &'static str,
    description: &'static str,
    value: fn(&SearchIndex, DocRef, &str) -> String,
}

fn list<'a>(values: impl Iterator<Item = &'a str>) -> String {
    values.collect::<Vec<_>>().join(LIST_SEPARATOR)
}

fn opt<T: ToString>(value: &Option<T>) -> String {
    value.as_ref().map(T::to_string).unwrap_or_default()
}

const COLUMNS: &[Column] = &[
    Column {
        name: "id",
        kind: "integer",
        title: "Identifiant",
        description: "Identifiant du partenariat dans l'atlas",
        value: |_, d, _| d.id.to_string(),
    },
    Column {
        name: "url",
        kind: "string",
        title: "Adresse",
        description: "Page du partenariat",
        value: |_, d, base| {
            format!(
                "{base}/partenariats/{}-{}",
                d.id,
                crate::models::slugify(&d.title)
            )
        },
    },
    Column {
        name: "title",
        kind: "string",
        title: "Intitulé",
        description: "Intitulé du projet",
        value: |_, d, _| d.title.to_string(),
    },
    Column {
        name: "status",
        kind: "string",
        title: "Statut",
        description: "ongoing (en cours), completed (terminé) ou planned (en projet)",
        value: |_, d, _| d.status.map(|s| s.code().to_string()).unwrap_or_default(),
    },
    Column {
        name: "first_agreement_year",
        kind: "integer",
        title: "Année de la première convention",
        description: "Année de la première convention entre les partenaires",
        value: |_, d, _| opt(&d.first_agreement_year),
    },
    Column {
        name: "start_year",
        kind: "integer",
        title: "Année de début",
        description: "Année de début du projet",
        value: |_, d, _| opt(&d.start_year),
    },
    Column {
        name: "end_date",
        kind: "date",
        title: "Date de fin",
        description: "Date de fin prévue ou effective (AAAA-MM-JJ)",
        value: |_, d, _| opt(&d.end_date),
    },
    Column {
        name: "form",
        kind: "string",
        title: "Forme",
        description: "Code de la forme du partenariat (liste de référence de l'atlas)",
        value: |_, d, _| d.form().unwrap_or_default().to_string(),
    },
    Column {
        name: "theme",
        kind: "string",
        title: "Thématique principale",
        description: "Code de la thématique principale (arborescence de l'atlas)",
        value: |_, d, _| d.theme().unwrap_or_default().to_string(),
    },
    Column {
        name: "theme_label",
        kind: "string",
        title: "Libellé de la thématique",
        description: "Libellé français de la thématique principale",
        value: |index, d, _| {
            d.theme()
                .and_then(|t| index.label(crate::models::Facet::Theme, t))
                .map(|t| t.label.to_string())
                .unwrap_or_default()
        },
    },
    Column {
        name: "other_themes",
        kind: "string",
        title: "Autres thématiques",
        description: "Codes des autres thématiques, séparés par « ; »",
        value: |_, d, _| list(d.other_themes()),
    },
    Column {
        name: "countries",
        kind: "string",
        title: "Pays",
        description: "Codes ISO 3166 alpha-2 des pays des partenaires étrangers, séparés par « ; »",
        value: |_, d, _| list(d.countries()),
    },
    Column {
        name: "foreign_partners",
        kind: "string",
        title: "Partenaires étrangers",
        description: "Noms des autorités locales partenaires, séparés par « ; »",
        value: |_, d, _| list(d.foreign_partners()),
    },
    Column {
        name: "french_partners",
        kind: "string",
        title: "Partenaires français",
        description: "Noms des collectivités françaises, séparés par « ; »",
        value: |_, d, _| list(d.french_partners()),
    },
    Column {
        name: "french_partner_codes",
        kind: "string",
        title: "Codes des partenaires français",
        description: "Identifiant de chaque collectivité française, dans le même ordre, vide si non rapprochée : son type puis son code INSEE, ou son SIREN pour une intercommunalité (commune-73065, epci-200069110, departement-75, region-11, com-975)",
        value: |_, d, _| list(d.french_codes().map(Option::unwrap_or_default)),
    },
    Column {
        name: "funders",
        kind: "string",
        title: "Financeurs",
        description: "Noms des financeurs, séparés par « ; »",
        value: |_, d, _| list(d.funders()),
    },
    Column {
        name: "total_amount_eur",
        kind: "number",
        title: "Montant total (€)",
        description: "Somme des financements déclarés, en euros",
        value: |_, d, _| format!("{:.2}", d.total_cents as f64 / 100.0),
    },
    Column {
        name: "volunteers",
        kind: "boolean",
        title: "Volontaires",
        description: "true si des volontaires participent au projet",
        value: |_, d, _| d.volunteers.to_string(),
    },
    Column {
        name: "updated_at",
        kind: "datetime",
        title: "Dernière mise à jour",
        description: "Date et heure de la dernière modification (UTC, ISO 8601)",
        value: |_, d, _| d.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    },
];

/// Rows for some documents of the index, RFC 4180 (CRLF line ends, quotes doubled).
pub fn rows(index: &SearchIndex, docs: &[u32], base_url: &str) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for doc in docs {
        let doc = index.doc(*doc);
        let _ = writer.write_record(COLUMNS.iter().map(|c| {
            let value = (c.value)(index, doc, base_url);
            if c.kind == "string" {
                neutralise_formula(value)
            } else {
                value
            }
        }));
    }
    writer.into_inner().unwrap_or_default()
}

/// What a spreadsheet would run as a formula when a text cell starts with it.
const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// A text cell a spreadsheet will show as text: one that starts like a formula gets an
/// apostrophe in front (OWASP's advice for CSV injection), as the Table Schema says.
pub fn neutralise_formula(value: String) -> String {
    if value.starts_with(FORMULA_STARTS) {
        format!("'{value}")
    } else {
        value
    }
}

/// The header row, CRLF-terminated like the rows.
pub fn header() -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let _ = writer.write_record(COLUMNS.iter().map(|c| c.name));
    writer.into_inner().unwrap_or_default()
}

/// The Table Schema of the CSV, with the licence and the date of the last change.
pub fn table_schema(
    base_url: &str,
    last_change: Option<chrono::DateTime<chrono::Utc>>,
) -> serde_json::Value {
    let fields: Vec<serde_json::Value> = COLUMNS
        .iter()
        .map(|c| {
            let mut field = json!({
                "name": c.name,
                "type": c.kind,
                "title": c.title,
                "description": c.description,
            });
            if c.name == "id" {
                field["constraints"] = json!({ "required": true, "unique": true });
            }
            if c.name == "status" {
                field["constraints"] = json!({ "enum": ["ongoing", "completed", "planned", ""] });
            }
            field
        })
        .collect();
    json!({
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": "partenariats",
        "title": "Partenariats de coopération décentralisée",
        "description": FORMULA_NOTE,
        "path": format!("{base_url}/api/v1/partnerships.csv"),
        "fields": fields,
        "primaryKey": ["id"],
        "missingValues": [""],
        "licenses": [{ "name": "etalab-2.0", "title": LICENCE_NAME, "path": LICENCE_URL }],
        "lastModified": last_change.map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
    })
}

#[cfg(test)]
mod tests {
    use super::neutralise_formula;

    #[test]
    fn formula_like_cells_become_text() {
        for (cell, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+33 1 23", "'+33 1 23"),
            ("-1+2", "'-1+2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("Eau et assainissement", "Eau et assainissement"),
            ("", ""),
        ] {
            assert_eq!(neutralise_formula(cell.to_string()), written);
        }
    }
}
