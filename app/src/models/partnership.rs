//! A published partnership as readers and the REST API see it.

use super::vocab::{Duration, EmbassyRole, Status};
use serde::{Deserialize, Serialize};

/// A node of the thematic tree, with its ancestors' labels so it can be shown as a path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThemeRef {
    pub code: String,
    /// Labels from the root to this node, French.
    pub path_fr: Vec<String>,
    /// Labels from the root to this node, English.
    pub path_en: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OtherTheme {
    pub code: String,
    pub priority: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub theme: Option<ThemeRef>,
}

/// A label in both languages, for referential values shown on pages.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Labelled {
    pub code: String,
    pub label_fr: String,
    pub label_en: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ForeignPartner {
    pub id: i32,
    pub name: String,
    /// ISO 3166 alpha-2, `None` when the legacy country name could not be resolved.
    pub country: Option<String>,
    pub country_name_fr: Option<String>,
    pub country_name_en: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ForeignContact {
    pub authority: String,
    /// Empty, and absent from the JSON, in the open data (see `Partnership::without_personal_data`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub last_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub first_name: String,
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FrenchPartner {
    pub name: String,
    /// The authority's identity, `{kind}-{code}` (see `AuthorityId`); `None` when the name
    /// matched no authority of the referential.
    pub code: Option<String>,
    /// Its INSEE code (commune, département, région) or SIREN (EPCI).
    pub official_code: Option<String>,
    /// Its SIREN when the referential has it (communes, EPCI): the IATI export's organisation
    /// identifier (`FR-INSEE-{siren}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub siren: Option<String>,
    pub kind: Option<super::vocab::CollectivityKind>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Funding {
    pub funder: String,
    pub amount_eur: f64,
    /// Part of the amount raised under the "1 % Eau" law (loi Oudin-Santini).
    pub water_1pct_eur: Option<f64>,
    pub year: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Volunteer {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub last_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub first_name: String,
    pub mission: Option<String>,
    pub field: Option<String>,
    pub assigned_entity: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmbassyContact {
    pub role: EmbassyRole,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Embassy {
    pub post: String,
    pub country: String,
    pub contacts: Vec<EmbassyContact>,
}

/// Everything the partnership page and `GET /api/v1/partnerships/{id}` show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Partnership {
    pub id: i32,
    pub slug: String,
    pub title: String,
    pub status: Option<Status>,
    pub first_agreement_year: Option<i32>,
    pub start_year: Option<i32>,
    pub end_date: Option<chrono::NaiveDate>,
    pub form: Option<String>,
    pub duration: Option<Duration>,
    pub theme: Option<String>,
    pub other_themes: Vec<OtherTheme>,
    pub context: Option<String>,
    pub history: Option<String>,
    pub objectives_local: Option<String>,
    pub objectives_france: Option<String>,
    pub description: Option<String>,
    pub project_managers: Vec<String>,
    pub project_owners: Vec<String>,
    pub beneficiaries: Option<String>,
    pub communication_france: bool,
    pub communication_partners: bool,
    pub evaluation: bool,
    pub foreign_partners: Vec<ForeignPartner>,
    pub foreign_contacts: Vec<ForeignContact>,
    pub french_partners: Vec<FrenchPartner>,
    pub fundings: Vec<Funding>,
    pub volunteers: Vec<Volunteer>,
    pub embassy: Option<Embassy>,
    pub version: i32,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// Labels of the coded fields, so the page needs no second round trip.
    pub labels: PartnershipLabels,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PartnershipLabels {
    pub theme: Option<ThemeRef>,
    pub form: Option<Labelled>,
}

/// Funding totals, per year and per funder, in the order they first appear.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FundingTotals {
    pub by_year: Vec<(Option<i32>, f64)>,
    pub by_funder: Vec<(String, f64)>,
    pub water_1pct: f64,
    pub total: f64,
}

impl FundingTotals {
    pub fn of(fundings: &[Funding]) -> Self {
        let mut totals = FundingTotals::default();
        for f in fundings {
            add_to(&mut totals.by_year, f.year, f.amount_eur);
            add_to(&mut totals.by_funder, f.funder.clone(), f.amount_eur);
            totals.water_1pct += f.water_1pct_eur.unwrap_or(0.0);
            totals.total += f.amount_eur;
        }
        totals.by_year.sort_by_key(|(year, _)| *year);
        totals
    }
}

fn add_to<K: PartialEq>(list: &mut Vec<(K, f64)>, key: K, amount: f64) {
    match list.iter_mut().find(|(k, _)| *k == key) {
        Some((_, sum)) => *sum += amount,
        None => list.push((key, amount)),
    }
}

impl Embassy {
    /// Replaces its contacts' emails by their concealed form, for pages whose data is embedded
    /// in the HTML.
    pub fn conceal_emails(&mut self) {
        for c in &mut self.contacts {
            c.email = c.email.as_deref().map(conceal_email);
        }
    }
}

impl Partnership {
    /// Replaces every email by its concealed form, for pages whose data is embedded in the HTML.
    pub fn conceal_emails(mut self) -> Self {
        for c in &mut self.foreign_contacts {
            c.email = c.email.as_deref().map(conceal_email);
        }
        if let Some(embassy) = &mut self.embassy {
            embassy.conceal_emails();
        }
        self
    }
}

impl Partnership {
    /// The partnership as the open data gives it to anyone: the people (contacts abroad,
    /// embassy agents, volunteers) keep their role, authority and mission but lose their names
    /// and emails, which the pages show to readers, concealed from harvesters.
    pub fn without_personal_data(mut self) -> Self {
        for c in &mut self.foreign_contacts {
            c.last_name.clear();
            c.first_name.clear();
            c.email = None;
        }
        for v in &mut self.volunteers {
            v.last_name.clear();
            v.first_name.clear();
        }
        self.embassy = self.embassy.map(Embassy::without_personal_data);
        self
    }
}

impl Embassy {
    /// The embassy as the open data gives it: its agents keep their role, not their names or
    /// emails.
    pub fn without_personal_data(mut self) -> Self {
        for c in &mut self.contacts {
            c.name.clear();
            c.email = None;
        }
        self
    }
}

/// Hex-encodes an email so that no address appears whole in a page's HTML or hydration data.
pub fn conceal_email(email: &str) -> String {
    email.bytes().map(|b| format!("{b:02x}")).collect()
}

/// The address behind `conceal_email`; `None` when the text is not such an encoding.
pub fn reveal_email(concealed: &str) -> Option<String> {
    let bytes = concealed.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let decoded = bytes
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    String::from_utf8(decoded).ok()
}

/// A URL-friendly version of a title: lowercase ASCII words joined by hyphens.
pub fn slugify(title: &str) -> String {
    let ascii = deunicode::deunicode(title).to_lowercase();
    let words: Vec<&str> = ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(12)
        .collect();
    words.join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_drops_accents_and_punctuation() {
        assert_eq!(
            slugify("Accompagnement à la structuration d’un dispositif social"),
            "accompagnement-a-la-structuration-d-un-dispositif-social"
        );
    }

    #[test]
    fn concealed_emails_come_back_whole() {
        let hidden = conceal_email("frederick.coopdec@gmail.com");
        assert!(!hidden.contains('@'));
        assert_eq!(
            reveal_email(&hidden).as_deref(),
            Some("frederick.coopdec@gmail.com")
        );
        assert_eq!(reveal_email("zz"), None);
    }

    #[test]
    fn totals_group_by_year_and_funder() {
        let f = |funder: &str, amount: f64, year| Funding {
            funder: funder.into(),
            amount_eur: amount,
            water_1pct_eur: None,
            year: Some(year),
        };
        let t = FundingTotals::of(&[f("A", 10.0, 2020), f("B", 5.0, 2019), f("A", 1.0, 2019)]);
        assert_eq!(t.by_year, vec![(Some(2019), 6.0), (Some(2020), 10.0)]);
        assert_eq!(t.by_funder, vec![("A".into(), 11.0), ("B".into(), 5.0)]);
        assert_eq!(t.total, 16.0);
    }
}

/// A line of a list of partnerships.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartnershipSummary {
    pub id: i32,
    pub slug: String,
    pub title: String,
    pub start_year: Option<i32>,
    pub status: Option<Status>,
}
