//! What the country, authority, partner and statistics pages show: figures taken from the
//! search index under a filter, and the first partnerships.

use super::partnership::Embassy;
use super::search::{FacetValue, SearchItem};
use super::vocab::{CollectivityKind, FunderKind};
use serde::{Deserialize, Serialize};

/// A partner country.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountryOverview {
    pub iso2: String,
    pub name_fr: String,
    pub name_en: String,
    pub total: u64,
    pub themes: Vec<FacetValue>,
    pub french_authorities: Vec<FacetValue>,
    pub foreign_partners: Vec<FacetValue>,
    pub embassy: Option<Embassy>,
    pub items: Vec<SearchItem>,
}

/// What an address under `/collectivites/` leads to: an authority, or the authorities a
/// shared code may mean (`/collectivites/75`: the département of Paris and Nouvelle-Aquitaine).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum AuthorityAnswer {
    Found(Box<AuthorityOverview>),
    Several {
        code: String,
        candidates: Vec<super::authority::AuthorityCandidate>,
    },
}

/// A French local authority.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuthorityOverview {
    /// The identity, `{kind}-{code}`.
    pub id: String,
    /// The INSEE code, or the SIREN of an EPCI.
    pub code: String,
    pub siren: Option<String>,
    pub name: String,
    pub kind: Option<CollectivityKind>,
    pub total: u64,
    pub countries: Vec<FacetValue>,
    pub foreign_partners: Vec<FacetValue>,
    /// Funding of its partnerships per year, in euros.
    pub funding_by_year: Vec<(i32, f64)>,
    pub items: Vec<SearchItem>,
}

/// A local authority abroad.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartnerOverview {
    pub id: i32,
    pub name: String,
    pub country: Option<String>,
    pub country_name_fr: Option<String>,
    pub country_name_en: Option<String>,
    pub total: u64,
    pub french_authorities: Vec<FacetValue>,
    pub items: Vec<SearchItem>,
}

/// The statistics of a selection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Statistics {
    pub total: u64,
    pub by_start_year: Vec<(i32, u64)>,
    /// Top-level themes.
    pub by_theme: Vec<FacetValue>,
    pub top_countries: Vec<FacetValue>,
    /// Euros per year, all funders.
    pub funding_by_year: Vec<(i32, f64)>,
    /// Euros per kind of funder, all years.
    pub funding_by_funder: Vec<(FunderKind, f64)>,
}

impl CountryOverview {
    /// Conceals the embassy contacts' emails, since the result is embedded in the page.
    pub fn conceal_emails(mut self) -> Self {
        if let Some(embassy) = &mut self.embassy {
            embassy.conceal_emails();
        }
        self
    }
}
