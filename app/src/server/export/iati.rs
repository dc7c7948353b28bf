//! IATI 2.03 activities for the published partnerships.
//!
//! The XML is written by hand: the document is a flat list of activities whose shape the
//! schema fixes (`xs:sequence`, so element order matters), and each activity is rendered into
//! a reused buffer then written whole, so a full export never sits in memory.
//!
//! The atlas republishes what French local authorities declare: it reports as a secondary
//! reporter, the authorities are the participating organisations, and every amount is an
//! incoming commitment from the funder named in the declaration.

use super::xml::{datetime, Xml};
use crate::models::{FundingTotals, Partnership, Status};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use std::io::{self, Write};

pub use super::xml::escape;

/// The reporting organisation's identifier, prefix of every activity identifier. Once an
/// activity has been published its identifier must never change, so neither may this.
pub const REPORTING_ORG_REF: &str = "XI-ATLAS-FR";

const REPORTING_ORG_NAME: &str = "Atlas de la coopération décentralisée";
const LICENCE_URL: &str = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/";

// IATI codelist values used below.
const ORG_TYPE_GOVERNMENT: &str = "10";
const ORG_TYPE_LOCAL_GOVERNMENT: &str = "11";
const ROLE_FUNDING: &str = "1";
const ROLE_IMPLEMENTING: &str = "4";
const DATE_PLANNED_START: &str = "1";
const DATE_ACTUAL_START: &str = "2";
const DATE_PLANNED_END: &str = "3";
const DATE_ACTUAL_END: &str = "4";
/// Sector and tag vocabulary "Reporting Organisation": our own thematic tree.
const VOCABULARY_OWN: &str = "99";
const TRANSACTION_INCOMING_COMMITMENT: &str = "11";

/// The stable IATI identifier of a partnership.
pub fn activity_identifier(id: i32) -> String {
    format!("{REPORTING_ORG_REF}-{id}")
}

/// Streams an `<iati-activities>` document: `start`, then `activity` for each partnership,
/// then `finish`. Each activity reaches `out` in a single `write_all`.
///
/// The schema requires at least one activity: a document finished without any is
/// well-formed but not valid.
pub struct IatiWriter<W: Write> {
    out: W,
    /// What "in the future" is measured against: actual dates must not be later.
    today: NaiveDate,
    base_url: String,
    buf: String,
}

impl<W: Write> IatiWriter<W> {
    /// Writes the XML declaration, a comment with the Licence Ouverte 2.0 notice and the
    /// date of the last change to the data, and the `<iati-activities>` opening tag.
    pub fn start(
        mut out: W,
        generated: DateTime<Utc>,
        last_change: DateTime<Utc>,
        base_url: &str,
    ) -> io::Result<Self> {
        let header = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <!-- {REPORTING_ORG_NAME} : partenariats publiés, au format IATI 2.03.\n     \
             Licence Ouverte 2.0 (Etalab) : {LICENCE_URL}\n     \
             Dernière modification des données : {} -->\n\
             <iati-activities version=\"2.03\" generated-datetime=\"{}\">\n",
            datetime(last_change),
            datetime(generated),
        );
        out.write_all(header.as_bytes())?;
        Ok(IatiWriter {
            out,
            today: generated.date_naive(),
            base_url: base_url.trim_end_matches('/').to_string(),
            buf: String::new(),
        })
    }

    pub fn activity(&mut self, p: &Partnership) -> io::Result<()> {
        let mut xml = Xml {
            buf: std::mem::take(&mut self.buf),
            depth: 1,
        };
        xml.buf.clear();
        write_activity(&mut xml, p, self.today, &self.base_url);
        let written = self.out.write_all(xml.buf.as_bytes());
        self.buf = xml.buf;
        written
    }

    /// Closes the document and hands the output back, flushed.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(b"</iati-activities>\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn write_activity(x: &mut Xml, p: &Partnership, today: NaiveDate, base_url: &str) {
    let updated = datetime(p.updated_at);
    x.open(
        "iati-activity",
        &[
            ("xml:lang", "fr"),
            ("default-currency", "EUR"),
            ("last-updated-datetime", &updated),
        ],
    );
    x.text("iati-identifier", &[], &activity_identifier(p.id));

    x.open(
        "reporting-org",
        &[
            ("ref", REPORTING_ORG_REF),
            ("type", ORG_TYPE_GOVERNMENT),
            ("secondary-reporter", "1"),
        ],
    );
    narrative(x, REPORTING_ORG_NAME);
    x.close("reporting-org");

    x.open("title", &[]);
    narrative(x, &p.title);
    x.close("title");

    write_descriptions(x, p);
    write_participants(x, p);

    let status = activity_status(p, today);
    x.empty("activity-status", &[("code", status)]);
    let start = write_dates(x, p, status, today);

    write_countries(x, p);
    write_themes(x, p, base_url);
    write_budgets(x, p);
    // A funding without a year is dated at the start of the activity; a commitment was
    // agreed by the time it was declared, so none is dated after the record's last change.
    let fallback = start.unwrap_or_else(|| p.updated_at.date_naive());
    write_transactions(x, p, fallback.min(p.updated_at.date_naive()));

    let page = format!("{base_url}/partenariats/{}-{}", p.id, p.slug);
    x.open("document-link", &[("url", &page), ("format", "text/html")]);
    x.open("title", &[]);
    narrative(
        x,
        "Fiche du partenariat dans l’Atlas de la coopération décentralisée",
    );
    x.close("title");
    x.empty("category", &[("code", "A12")]);
    x.empty("language", &[("code", "fr")]);
    x.close("document-link");

    x.close("iati-activity");
}

/// General description, objectives, target groups and context (IATI description types 1–4).
/// The schema requires one description: the title stands in when the record has none.
fn write_descriptions(x: &mut Xml, p: &Partnership) {
    let texts = [
        ("1", &p.description),
        ("2", &p.objectives_local),
        ("3", &p.beneficiaries),
        ("4", &p.context),
    ];
    let mut any = false;
    for (kind, text) in texts {
        if let Some(text) = text.as_deref().filter(|t| !t.trim().is_empty()) {
            x.open("description", &[("type", kind)]);
            narrative(x, text);
            x.close("description");
            any = true;
        }
    }
    if !any {
        x.open("description", &[("type", "1")]);
        narrative(x, &p.title);
        x.close("description");
    }
}

/// French authorities fund, foreign authorities implement; other funders named in the
/// fundings are listed as funding too, without a type since the atlas does not know it.
fn write_participants(x: &mut Xml, p: &Partnership) {
    let org = |x: &mut Xml, role: &str, kind: Option<&str>, name: &str, reference: Option<&str>| {
        let mut attrs = vec![("role", role)];
        attrs.extend(reference.map(|r| ("ref", r)));
        attrs.extend(kind.map(|k| ("type", k)));
        x.open("participating-org", &attrs);
        narrative(x, name);
        x.close("participating-org");
    };
    let mut named: Vec<&str> = Vec::new();
    for f in &p.french_partners {
        // INSEE's SIRENE register is the registration agency `FR-INSEE` of IATI's codelist.
        let reference = f.siren.as_ref().map(|s| format!("FR-INSEE-{s}"));
        org(
            x,
            ROLE_FUNDING,
            Some(ORG_TYPE_LOCAL_GOVERNMENT),
            &f.name,
            reference.as_deref(),
        );
        named.push(&f.name);
    }
    for f in &p.fundings {
        if !named.contains(&f.funder.as_str()) {
            org(x, ROLE_FUNDING, None, &f.funder, None);
            named.push(&f.funder);
        }
    }
    for f in &p.foreign_partners {
        org(
            x,
            ROLE_IMPLEMENTING,
            Some(ORG_TYPE_LOCAL_GOVERNMENT),
            &f.name,
            None,
        );
    }
    if p.french_partners.is_empty() && p.fundings.is_empty() && p.foreign_partners.is_empty() {
        org(x, ROLE_IMPLEMENTING, None, "Partenaire non renseigné", None);
    }
}

/// IATI ActivityStatus: 1 pipeline, 2 implementation, 3 completion. The element is required,
/// so an unknown status is read from the dates, implementation when they say nothing.
fn activity_status(p: &Partnership, today: NaiveDate) -> &'static str {
    match p.status {
        Some(Status::Planned) => "1",
        Some(Status::Ongoing) => "2",
        Some(Status::Completed) => "3",
        None if p.end_date.is_some_and(|end| end < today) => "3",
        None if p.start_year.is_some_and(|year| year > today.year()) => "1",
        None => "2",
    }
}

/// The start (planned, or actual once it is past and the activity is under way) and the end
/// (actual only for a completed activity). The atlas knows start years, not days: the date is
/// 1 January and the narrative gives the year, as IATI suggests for less specific dates.
/// Returns the start date.
fn write_dates(x: &mut Xml, p: &Partnership, status: &str, today: NaiveDate) -> Option<NaiveDate> {
    let first_funding = p.fundings.iter().filter_map(|f| f.year).min();
    let start = p
        .start_year
        .map(|y| (y, String::new()))
        .or_else(|| first_funding.map(|y| (y, " (année du premier financement)".to_string())))
        .or_else(|| {
            p.first_agreement_year
                .map(|y| (y, " (année du premier accord de coopération)".to_string()))
        })
        .and_then(|(year, note)| Some((NaiveDate::from_ymd_opt(year, 1, 1)?, year, note)));

    if let Some((date, year, note)) = &start {
        let kind = if status != "1" && *date <= today {
            DATE_ACTUAL_START
        } else {
            DATE_PLANNED_START
        };
        let iso = iso_date(*date);
        x.open("activity-date", &[("type", kind), ("iso-date", &iso)]);
        narrative(x, &format!("{year}{note}"));
        x.close("activity-date");
    }
    if let Some(end) = p.end_date {
        let kind = if status == "3" && end <= today {
            DATE_ACTUAL_END
        } else {
            DATE_PLANNED_END
        };
        x.empty(
            "activity-date",
            &[("type", kind), ("iso-date", &iso_date(end))],
        );
    }
    if start.is_none() && p.end_date.is_none() {
        // The schema requires a date; the record's last change is the only one there is.
        let iso = iso_date(p.updated_at.date_naive());
        x.open(
            "activity-date",
            &[("type", DATE_PLANNED_START), ("iso-date", &iso)],
        );
        narrative(
            x,
            "Date de début non renseignée ; date de la dernière mise à jour de la fiche",
        );
        x.close("activity-date");
    }
    start.map(|(date, _, _)| date)
}

/// The foreign partners' countries, each with an equal share; the shares add up to 100.
fn write_countries(x: &mut Xml, p: &Partnership) {
    let mut countries: Vec<(&str, Option<&str>)> = Vec::new();
    for f in &p.foreign_partners {
        if let Some(iso2) = f.country.as_deref() {
            if !countries.iter().any(|(c, _)| *c == iso2) {
                countries.push((iso2, f.country_name_fr.as_deref()));
            }
        }
    }
    for ((iso2, name), share) in countries.iter().zip(percentages(countries.len())) {
        let attrs = [("code", *iso2), ("percentage", share.as_str())];
        match name {
            Some(name) => {
                x.open("recipient-country", &attrs);
                narrative(x, name);
                x.close("recipient-country");
            }
            None => x.empty("recipient-country", &attrs),
        }
    }
}

/// The main theme is the sector; the other themes, which carry no share of the money, are
/// tags. Both use the atlas's own vocabulary, published by the API.
fn write_themes(x: &mut Xml, p: &Partnership, base_url: &str) {
    let uri = format!("{base_url}/api/v1/themes");
    if let Some(code) = p.theme.as_deref() {
        x.open(
            "sector",
            &[
                ("vocabulary", VOCABULARY_OWN),
                ("vocabulary-uri", &uri),
                ("code", code),
                ("percentage", "100"),
            ],
        );
        let label = p.labels.theme.as_ref().map(|t| t.path_fr.join(" › "));
        narrative(
            x,
            label.as_deref().filter(|l| !l.is_empty()).unwrap_or(code),
        );
        x.close("sector");
    }
    for other in &p.other_themes {
        x.open(
            "tag",
            &[
                ("vocabulary", VOCABULARY_OWN),
                ("vocabulary-uri", &uri),
                ("code", &other.code),
            ],
        );
        let label = other.theme.as_ref().map(|t| t.path_fr.join(" › "));
        narrative(
            x,
            label
                .as_deref()
                .filter(|l| !l.is_empty())
                .unwrap_or(&other.code),
        );
        x.close("tag");
    }
}

/// One indicative budget per calendar year of funding; fundings without a year have none.
fn write_budgets(x: &mut Xml, p: &Partnership) {
    let totals = FundingTotals::of(&p.fundings);
    for (year, amount) in totals.by_year {
        let Some(year) = year else { continue };
        let (Some(first), Some(last)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            continue;
        };
        let Some(value) = decimal(amount) else {
            continue;
        };
        let first = iso_date(first);
        x.open("budget", &[("type", "1"), ("status", "1")]);
        x.empty("period-start", &[("iso-date", &first)]);
        x.empty("period-end", &[("iso-date", &iso_date(last))]);
        x.text(
            "value",
            &[("currency", "EUR"), ("value-date", &first)],
            &value,
        );
        x.close("budget");
    }
}

/// One incoming commitment per funding line, from the funder it names.
fn write_transactions(x: &mut Xml, p: &Partnership, undated: NaiveDate) {
    let latest = p.updated_at.date_naive();
    for f in &p.fundings {
        let Some(value) = decimal(f.amount_eur) else {
            continue;
        };
        let date = f
            .year
            .and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1))
            .map_or(undated, |d| d.min(latest));
        let date = iso_date(date);
        x.open("transaction", &[]);
        x.empty(
            "transaction-type",
            &[("code", TRANSACTION_INCOMING_COMMITMENT)],
        );
        x.empty("transaction-date", &[("iso-date", &date)]);
        x.text(
            "value",
            &[("currency", "EUR"), ("value-date", &date)],
            &value,
        );
        let mut notes = vec![match f.year {
            Some(year) => format!("Financement de l’année {year}"),
            None => "Année du financement non renseignée".to_string(),
        }];
        if let Some(water) = f.water_1pct_eur.and_then(decimal) {
            notes.push(format!(
                "dont {water} EUR au titre du 1 % Eau (loi Oudin-Santini)"
            ));
        }
        x.open("description", &[]);
        narrative(x, &notes.join(", "));
        x.close("description");
        let french = p.french_partners.iter().any(|fp| fp.name == f.funder);
        let mut attrs = Vec::new();
        if french {
            attrs.push(("type", ORG_TYPE_LOCAL_GOVERNMENT));
        }
        x.open("provider-org", &attrs);
        narrative(x, &f.funder);
        x.close("provider-org");
        x.close("transaction");
    }
}

/// `n` equal shares of 100 with two decimals that add up to exactly 100, the remainder going
/// to the first ones.
fn percentages(n: usize) -> Vec<String> {
    if n == 0 {
        return Vec::new();
    }
    let base = 10_000 / n;
    let extra = 10_000 % n;
    (0..n)
        .map(|i| {
            let hundredths = base + usize::from(i < extra);
            if hundredths.is_multiple_of(100) {
                (hundredths / 100).to_string()
            } else {
                format!("{}.{:02}", hundredths / 100, hundredths % 100)
            }
        })
        .collect()
}

/// An amount as `xs:decimal` (never in exponent notation), to the cent; `None` when it is
/// not a number.
fn decimal(amount: f64) -> Option<String> {
    if !amount.is_finite() {
        return None;
    }
    let text = format!("{amount:.2}");
    Some(match text.strip_suffix(".00") {
        Some(whole) if whole != "-0" => whole.to_string(),
        Some(_) => "0".to_string(),
        None => text,
    })
}

fn iso_date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// An IATI narrative, in French.
fn narrative(x: &mut Xml, text: &str) {
    x.text("narrative", &[("xml:lang", "fr")], text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_forbidden_characters_are_escaped() {
        assert_eq!(
            escape("Eau & <assainissement> \"Podor\" l'été\u{1}\n"),
            "Eau &amp; &lt;assainissement&gt; &quot;Podor&quot; l&apos;été\n"
        );
    }

    #[test]
    fn amounts_are_plain_decimals() {
        assert_eq!(decimal(113_850.0).as_deref(), Some("113850"));
        assert_eq!(decimal(1234.5).as_deref(), Some("1234.50"));
        assert_eq!(decimal(1e21).as_deref(), Some("1000000000000000000000"));
        assert_eq!(decimal(-0.0).as_deref(), Some("0"));
        assert_eq!(decimal(f64::NAN), None);
    }

    #[test]
    fn shares_add_up_to_a_hundred() {
        assert_eq!(percentages(1), ["100"]);
        assert_eq!(percentages(2), ["50", "50"]);
        assert_eq!(percentages(3), ["33.34", "33.33", "33.33"]);
        assert!(percentages(0).is_empty());
    }
}
