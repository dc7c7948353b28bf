//! The search query and its results, shared by the search page, the maps, the statistics and
//! `GET /api/v1/partnerships`. The query lives in the URL: `from_pairs` reads it, `to_pairs`
//! writes it back, so every view is a link.

use super::vocab::{AmountBand, CollectivityKind, FunderKind, Sort, Status, WorldZone};
use crate::error::FieldError;
use crate::msg;
use serde::{Deserialize, Serialize};

pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;
/// Longest accepted text query, in characters.
pub const MAX_QUERY_LEN: usize = 200;

/// The facets, in the order the search page shows them. Each is also a query parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Facet {
    Country,
    Zone,
    Theme,
    Status,
    Form,
    StartYear,
    AgreementYear,
    AuthorityKind,
    Region,
    Departement,
    FrenchAuthority,
    ForeignPartner,
    Funder,
    Amount,
    Volunteers,
}

impl Facet {
    pub const ALL: &'static [Facet] = &[
        Facet::Country,
        Facet::Zone,
        Facet::Theme,
        Facet::Status,
        Facet::Form,
        Facet::StartYear,
        Facet::AgreementYear,
        Facet::AuthorityKind,
        Facet::Region,
        Facet::Departement,
        Facet::FrenchAuthority,
        Facet::ForeignPartner,
        Facet::Funder,
        Facet::Amount,
        Facet::Volunteers,
    ];

    /// The key of the facet in the API's `facets` object.
    pub fn key(self) -> &'static str {
        match self {
            Facet::Country => "country",
            Facet::Zone => "zone",
            Facet::Theme => "theme",
            Facet::Status => "status",
            Facet::Form => "form",
            Facet::StartYear => "start_year",
            Facet::AgreementYear => "agreement_year",
            Facet::AuthorityKind => "authority_kind",
            Facet::Region => "region",
            Facet::Departement => "departement",
            Facet::FrenchAuthority => "french_authority",
            Facet::ForeignPartner => "foreign_partner",
            Facet::Funder => "funder",
            Facet::Amount => "amount",
            Facet::Volunteers => "volunteers",
        }
    }

    pub fn from_key(key: &str) -> Option<Facet> {
        Facet::ALL.iter().copied().find(|f| f.key() == key)
    }
}

/// A search: the text, the ticked facet values, the order and the page.
///
/// Within a facet the values are ORed, across facets ANDed. Year facets filter by range.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchQuery {
    pub q: String,
    pub country: Vec<String>,
    pub zone: Vec<WorldZone>,
    pub theme: Vec<String>,
    pub status: Vec<Status>,
    pub form: Vec<String>,
    pub start_year_min: Option<i32>,
    pub start_year_max: Option<i32>,
    pub agreement_year_min: Option<i32>,
    pub agreement_year_max: Option<i32>,
    pub authority_kind: Vec<CollectivityKind>,
    pub region: Vec<String>,
    pub departement: Vec<String>,
    /// INSEE code or SIREN of a French authority.
    pub french_authority: Vec<String>,
    /// Id of a foreign authority.
    pub foreign_partner: Vec<i32>,
    pub funder: Vec<FunderKind>,
    pub amount: Vec<AmountBand>,
    pub volunteers: Option<bool>,
    pub sort: Sort,
    pub page: u32,
    pub per_page: u32,
}

impl Default for SearchQuery {
    fn default() -> Self {
        SearchQuery {
            q: String::new(),
            country: Vec::new(),
            zone: Vec::new(),
            theme: Vec::new(),
            status: Vec::new(),
            form: Vec::new(),
            start_year_min: None,
            start_year_max: None,
            agreement_year_min: None,
            agreement_year_max: None,
            authority_kind: Vec::new(),
            region: Vec::new(),
            departement: Vec::new(),
            french_authority: Vec::new(),
            foreign_partner: Vec::new(),
            funder: Vec::new(),
            amount: Vec::new(),
            volunteers: None,
            sort: Sort::Relevance,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

/// The parameters `from_pairs` knows besides the facets.
const OTHER_PARAMS: &[&str] = &[
    "q",
    "start_year_min",
    "start_year_max",
    "agreement_year_min",
    "agreement_year_max",
    "sort",
    "page",
    "per_page",
];

fn push_unique<T: PartialEq>(list: &mut Vec<T>, value: T) {
    if !list.contains(&value) {
        list.push(value);
    }
}

fn parse_code<T>(
    field: &str,
    value: &str,
    from_code: fn(&str) -> Option<T>,
    all: impl Iterator<Item = &'static str>,
) -> Result<T, FieldError> {
    from_code(value).ok_or_else(|| {
        let known: Vec<&str> = all.collect();
        FieldError::new(
            field,
            msg!(err_unknown_value, text = value, list = known.join(", ")),
        )
    })
}

fn parse_year(field: &str, value: &str) -> Result<i32, FieldError> {
    match value.parse::<i32>() {
        Ok(year) if (1900..=2100).contains(&year) => Ok(year),
        _ => Err(FieldError::new(field, msg!(err_query_year, text = value))),
    }
}

fn parse_positive(field: &str, value: &str, max: u32) -> Result<u32, FieldError> {
    match value.parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(FieldError::new(
            field,
            msg!(err_query_integer, text = value, max = max),
        )),
    }
}

/// A code made of ASCII letters and digits (and dots for themes), upper-cased.
fn parse_token(field: &str, value: &str, max_len: usize) -> Result<String, FieldError> {
    let ok = !value.is_empty()
        && value.len() <= max_len
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_');
    if ok {
        Ok(value.to_ascii_uppercase())
    } else {
        Err(FieldError::new(field, msg!(err_query_code, text = value)))
    }
}

impl SearchQuery {
    /// Reads a query string's pairs. Empty values are ignored (a GET form sends them).
    /// With `strict`, an unknown parameter name is an error too (the API); pages ignore them.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
        strict: bool,
    ) -> Result<SearchQuery, Vec<FieldError>> {
        let mut query = SearchQuery::default();
        let mut errors = Vec::new();
        for (key, value) in pairs {
            let (key, value) = (key.as_ref(), value.as_ref().trim());
            if value.is_empty() {
                continue;
            }
            if let Err(e) = query.apply(key, value, strict) {
                errors.push(e);
            }
        }
        if let (Some(min), Some(max)) = (query.start_year_min, query.start_year_max) {
            if min > max {
                errors.push(FieldError::new(
                    "start_year_min",
                    msg!(err_query_start_range, min = min, max = max),
                ));
            }
        }
        if let (Some(min), Some(max)) = (query.agreement_year_min, query.agreement_year_max) {
            if min > max {
                errors.push(FieldError::new(
                    "agreement_year_min",
                    msg!(err_query_year_range, min = min, max = max),
                ));
            }
        }
        if errors.is_empty() {
            Ok(query)
        } else {
            Err(errors)
        }
    }

    fn apply(&mut self, key: &str, value: &str, strict: bool) -> Result<(), FieldError> {
        match key {
            "q" => {
                if value.chars().count() > MAX_QUERY_LEN {
                    return Err(FieldError::new(
                        key,
                        msg!(err_query_long, max = MAX_QUERY_LEN),
                    ));
                }
                self.q = value.to_string();
            }
            "country" => {
                let code = parse_token(key, value, 2)?;
                if code.len() != 2 || !code.chars().all(|c| c.is_ascii_alphabetic()) {
                    return Err(FieldError::new(key, msg!(err_query_country, text = value)));
                }
                push_unique(&mut self.country, code);
            }
            "zone" => push_unique(
                &mut self.zone,
                parse_code(
                    key,
                    value,
                    WorldZone::from_code,
                    WorldZone::ALL.iter().map(|z| z.code()),
                )?,
            ),
            "theme" => push_unique(&mut self.theme, parse_token(key, value, 40)?),
            "status" => push_unique(
                &mut self.status,
                parse_code(
                    key,
                    value,
                    Status::from_code,
                    Status::ALL.iter().map(|s| s.code()),
                )?,
            ),
            "form" => push_unique(&mut self.form, parse_token(key, value, 40)?),
            "start_year_min" => self.start_year_min = Some(parse_year(key, value)?),
            "start_year_max" => self.start_year_max = Some(parse_year(key, value)?),
            "agreement_year_min" => self.agreement_year_min = Some(parse_year(key, value)?),
            "agreement_year_max" => self.agreement_year_max = Some(parse_year(key, value)?),
            "start_year" | "agreement_year" => {
                // A year ticked in the facet list: a range of one year.
                let year = parse_year(key, value)?;
                if key == "start_year" {
                    self.start_year_min = Some(year);
                    self.start_year_max = Some(year);
                } else {
                    self.agreement_year_min = Some(year);
                    self.agreement_year_max = Some(year);
                }
            }
            "authority_kind" => push_unique(
                &mut self.authority_kind,
                parse_code(
                    key,
                    value,
                    CollectivityKind::from_code,
                    CollectivityKind::ALL.iter().map(|k| k.code()),
                )?,
            ),
            "region" => push_unique(&mut self.region, parse_token(key, value, 3)?),
            "departement" => push_unique(&mut self.departement, parse_token(key, value, 3)?),
            "french_authority" => {
                // An identity (`departement-75`), or a bare INSEE code or SIREN.
                let code = match super::authority::AuthorityId::parse(value) {
                    Some(id) => id.to_string(),
                    None => parse_token(key, value, 9)?,
                };
                push_unique(&mut self.french_authority, code)
            }
            "foreign_partner" => {
                let id = value
                    .parse::<i32>()
                    .ok()
                    .filter(|id| *id > 0)
                    .ok_or_else(|| FieldError::new(key, msg!(err_query_id, text = value)))?;
                push_unique(&mut self.foreign_partner, id);
            }
            "funder" => push_unique(
                &mut self.funder,
                parse_code(
                    key,
                    value,
                    FunderKind::from_code,
                    FunderKind::ALL.iter().map(|f| f.code()),
                )?,
            ),
            "amount" => push_unique(
                &mut self.amount,
                parse_code(
                    key,
                    value,
                    AmountBand::from_code,
                    AmountBand::ALL.iter().map(|a| a.code()),
                )?,
            ),
            "volunteers" => {
                self.volunteers = Some(match value {
                    "yes" | "true" | "1" => true,
                    "no" | "false" | "0" => false,
                    _ => return Err(FieldError::new(key, msg!(err_query_yes_no, text = value))),
                })
            }
            "sort" => {
                self.sort = parse_code(
                    key,
                    value,
                    Sort::from_code,
                    Sort::ALL.iter().map(|s| s.code()),
                )?
            }
            "page" => self.page = parse_positive(key, value, 100_000)?,
            "per_page" => self.per_page = parse_positive(key, value, MAX_PER_PAGE)?,
            _ if strict && !OTHER_PARAMS.contains(&key) => {
                return Err(FieldError::new(key, msg!(err_query_unknown_param)))
            }
            _ => {}
        }
        Ok(())
    }

    /// The query as URL pairs, in a stable order, without the defaults.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs: Vec<(&'static str, String)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        pairs.extend(self.country.iter().map(|v| ("country", v.clone())));
        pairs.extend(self.zone.iter().map(|v| ("zone", v.code().to_string())));
        pairs.extend(self.theme.iter().map(|v| ("theme", v.clone())));
        pairs.extend(self.status.iter().map(|v| ("status", v.code().to_string())));
        pairs.extend(self.form.iter().map(|v| ("form", v.clone())));
        let years = [
            ("start_year_min", self.start_year_min),
            ("start_year_max", self.start_year_max),
            ("agreement_year_min", self.agreement_year_min),
            ("agreement_year_max", self.agreement_year_max),
        ];
        pairs.extend(
            years
                .into_iter()
                .filter_map(|(k, v)| v.map(|v| (k, v.to_string()))),
        );
        pairs.extend(
            self.authority_kind
                .iter()
                .map(|v| ("authority_kind", v.code().to_string())),
        );
        pairs.extend(self.region.iter().map(|v| ("region", v.clone())));
        pairs.extend(self.departement.iter().map(|v| ("departement", v.clone())));
        pairs.extend(
            self.french_authority
                .iter()
                .map(|v| ("french_authority", v.clone())),
        );
        pairs.extend(
            self.foreign_partner
                .iter()
                .map(|v| ("foreign_partner", v.to_string())),
        );
        pairs.extend(self.funder.iter().map(|v| ("funder", v.code().to_string())));
        pairs.extend(self.amount.iter().map(|v| ("amount", v.code().to_string())));
        if let Some(v) = self.volunteers {
            pairs.push(("volunteers", if v { "yes" } else { "no" }.to_string()));
        }
        if self.sort != Sort::Relevance {
            pairs.push(("sort", self.sort.code().to_string()));
        }
        if self.page != 1 {
            pairs.push(("page", self.page.to_string()));
        }
        if self.per_page != DEFAULT_PER_PAGE {
            pairs.push(("per_page", self.per_page.to_string()));
        }
        pairs
    }

    /// `?a=b&…`, or the empty string for the default query.
    pub fn to_query_string(&self) -> String {
        let pairs = self.to_pairs();
        if pairs.is_empty() {
            return String::new();
        }
        let encoded: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", crate::format::url_encode(v)))
            .collect();
        format!("?{}", encoded.join("&"))
    }

    /// The same filters on another page.
    pub fn with_page(&self, page: u32) -> SearchQuery {
        SearchQuery {
            page,
            ..self.clone()
        }
    }

    /// The filters only: what the maps and the statistics follow.
    pub fn filters_only(&self) -> SearchQuery {
        SearchQuery {
            sort: Sort::Relevance,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            ..self.clone()
        }
    }

    /// Whether a facet value is ticked. Year facets are ticked when the range is that one year.
    /// The values a facet's filter names, as codes; empty for the year ranges, which are
    /// bounds, not values.
    pub fn codes(&self, facet: Facet) -> Vec<String> {
        let codes = |values: &[String]| values.to_vec();
        match facet {
            Facet::Country => codes(&self.country),
            Facet::Zone => self.zone.iter().map(|v| v.code().to_string()).collect(),
            Facet::Theme => codes(&self.theme),
            Facet::Status => self.status.iter().map(|v| v.code().to_string()).collect(),
            Facet::Form => codes(&self.form),
            Facet::StartYear | Facet::AgreementYear => Vec::new(),
            Facet::AuthorityKind => self
                .authority_kind
                .iter()
                .map(|v| v.code().to_string())
                .collect(),
            Facet::Region => codes(&self.region),
            Facet::Departement => codes(&self.departement),
            Facet::FrenchAuthority => codes(&self.french_authority),
            Facet::ForeignPartner => self.foreign_partner.iter().map(|v| v.to_string()).collect(),
            Facet::Funder => self.funder.iter().map(|v| v.code().to_string()).collect(),
            Facet::Amount => self.amount.iter().map(|v| v.code().to_string()).collect(),
            Facet::Volunteers => self
                .volunteers
                .map(|v| if v { "yes" } else { "no" }.to_string())
                .into_iter()
                .collect(),
        }
    }

    pub fn is_selected(&self, facet: Facet, value: &str) -> bool {
        let year = |min: Option<i32>, max: Option<i32>| {
            min.is_some() && min == max && min.map(|y| y.to_string()).as_deref() == Some(value)
        };
        match facet {
            Facet::Country => self.country.iter().any(|v| v == value),
            Facet::Zone => self.zone.iter().any(|v| v.code() == value),
            Facet::Theme => self.theme.iter().any(|v| v == value),
            Facet::Status => self.status.iter().any(|v| v.code() == value),
            Facet::Form => self.form.iter().any(|v| v == value),
            Facet::StartYear => year(self.start_year_min, self.start_year_max),
            Facet::AgreementYear => year(self.agreement_year_min, self.agreement_year_max),
            Facet::AuthorityKind => self.authority_kind.iter().any(|v| v.code() == value),
            Facet::Region => self.region.iter().any(|v| v == value),
            Facet::Departement => self.departement.iter().any(|v| v == value),
            Facet::FrenchAuthority => self.french_authority.iter().any(|v| v == value),
            Facet::ForeignPartner => self.foreign_partner.iter().any(|v| v.to_string() == value),
            Facet::Funder => self.funder.iter().any(|v| v.code() == value),
            Facet::Amount => self.amount.iter().any(|v| v.code() == value),
            Facet::Volunteers => {
                self.volunteers.map(|v| if v { "yes" } else { "no" }) == Some(value)
            }
        }
    }

    /// Ticks or unticks a facet value, back on the first page.
    pub fn toggled(&self, facet: Facet, value: &str) -> SearchQuery {
        let mut next = self.with_page(1);
        let selected = self.is_selected(facet, value);
        if selected {
            next.remove(facet, value);
        } else {
            // The value came from our own facet list, so it parses; a bad one is ignored.
            let _ = next.apply(facet.key(), value, false);
        }
        next
    }

    fn remove(&mut self, facet: Facet, value: &str) {
        match facet {
            Facet::Country => self.country.retain(|v| v != value),
            Facet::Zone => self.zone.retain(|v| v.code() != value),
            Facet::Theme => self.theme.retain(|v| v != value),
            Facet::Status => self.status.retain(|v| v.code() != value),
            Facet::Form => self.form.retain(|v| v != value),
            Facet::StartYear => {
                self.start_year_min = None;
                self.start_year_max = None;
            }
            Facet::AgreementYear => {
                self.agreement_year_min = None;
                self.agreement_year_max = None;
            }
            Facet::AuthorityKind => self.authority_kind.retain(|v| v.code() != value),
            Facet::Region => self.region.retain(|v| v != value),
            Facet::Departement => self.departement.retain(|v| v != value),
            Facet::FrenchAuthority => self.french_authority.retain(|v| v != value),
            Facet::ForeignPartner => self.foreign_partner.retain(|v| v.to_string() != value),
            Facet::Funder => self.funder.retain(|v| v.code() != value),
            Facet::Amount => self.amount.retain(|v| v.code() != value),
            Facet::Volunteers => self.volunteers = None,
        }
    }

    /// The active filters as (facet, value) pairs, for the removable chips.
    pub fn active_filters(&self) -> Vec<(Facet, String)> {
        let mut active = Vec::new();
        for (key, value) in self.to_pairs() {
            let facet = match key {
                "start_year_min" | "start_year_max" => Some(Facet::StartYear),
                "agreement_year_min" | "agreement_year_max" => Some(Facet::AgreementYear),
                other => Facet::from_key(other),
            };
            if let Some(facet) = facet {
                let entry = match facet {
                    Facet::StartYear | Facet::AgreementYear => (facet, String::new()),
                    _ => (facet, value),
                };
                if !active.contains(&entry) {
                    active.push(entry);
                }
            }
        }
        active
    }

    /// Whether any filter or text is set.
    pub fn is_filtered(&self) -> bool {
        !self.active_filters().is_empty() || !self.q.is_empty()
    }

    /// Removes a chip: a value, or a whole year range when `value` is empty.
    pub fn without(&self, facet: Facet, value: &str) -> SearchQuery {
        let mut next = self.with_page(1);
        next.remove(facet, value);
        next
    }

    /// No text, no filter; the order and page size are kept.
    pub fn cleared(&self) -> SearchQuery {
        SearchQuery {
            sort: self.sort,
            per_page: self.per_page,
            ..SearchQuery::default()
        }
    }
}

/// One value of a facet and how many partnerships it would give.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FacetValue {
    pub value: String,
    /// French label (the API's language).
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub label_en: Option<String>,
    pub count: u64,
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub selected: bool,
    /// For the theme tree: the parent value.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub parent: Option<String>,
}

/// A piece of text, and whether it matched the searched words (shown highlighted).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fragment {
    pub text: String,
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub hit: bool,
}

/// A partnership in a result list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchItem {
    pub id: i32,
    pub slug: String,
    pub title: String,
    pub status: Option<Status>,
    pub start_year: Option<i32>,
    pub theme: Option<String>,
    pub theme_label: Option<String>,
    pub theme_label_en: Option<String>,
    /// ISO alpha-2 codes of the partners' countries.
    pub countries: Vec<String>,
    pub country_names: Vec<String>,
    pub country_names_en: Vec<String>,
    pub foreign_partners: Vec<String>,
    pub french_partners: Vec<String>,
    pub total_amount_eur: f64,
    /// The title cut where the words matched.
    pub title_fragments: Vec<Fragment>,
    /// A passage of the texts around the first match.
    pub excerpt: Vec<Fragment>,
}

/// The page of results and every facet's counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    pub items: Vec<SearchItem>,
    /// Keyed by `Facet::key`, in the order of `Facet::ALL`.
    pub facets: Vec<(Facet, Vec<FacetValue>)>,
}

impl SearchResults {
    pub fn facet(&self, facet: Facet) -> &[FacetValue] {
        self.facets
            .iter()
            .find(|(f, _)| *f == facet)
            .map(|(_, values)| values.as_slice())
            .unwrap_or(&[])
    }

    pub fn page_count(&self) -> u32 {
        (self.total.div_ceil(self.per_page.max(1) as u64)).max(1) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_string_round_trips() {
        let pairs = [
            ("q", "eau potable"),
            ("country", "sn"),
            ("country", "ML"),
            ("theme", "DUR.EAU"),
            ("start_year_min", "2015"),
            ("status", "ongoing"),
            ("sort", "title"),
            ("page", "2"),
            ("utm_source", "x"),
        ];
        let query = SearchQuery::from_pairs(pairs, false).unwrap();
        assert_eq!(query.country, vec!["SN", "ML"]);
        assert_eq!(query.start_year_min, Some(2015));
        let again = SearchQuery::from_pairs(query.to_pairs(), true).unwrap();
        assert_eq!(again, query);
        assert!(query
            .to_query_string()
            .starts_with("?q=eau%20potable&country=SN"));
    }

    #[test]
    fn bad_values_name_the_parameter() {
        let errors = SearchQuery::from_pairs(
            [
                ("country", "France"),
                ("status", "done"),
                ("per_page", "500"),
                ("start_year_min", "2020"),
                ("start_year_max", "2010"),
                ("colour", "red"),
            ],
            true,
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["country", "status", "per_page", "colour", "start_year_min"]
        );
        assert!(errors[1].message.contains("ongoing"));
    }

    #[test]
    fn toggling_and_chips() {
        let query = SearchQuery::default()
            .toggled(Facet::Country, "SN")
            .toggled(Facet::StartYear, "2018")
            .with_page(3);
        assert!(query.is_selected(Facet::StartYear, "2018"));
        assert_eq!(
            query.active_filters(),
            vec![
                (Facet::Country, "SN".to_string()),
                (Facet::StartYear, String::new())
            ]
        );
        let fewer = query.without(Facet::StartYear, "");
        assert_eq!(fewer.start_year_min, None);
        assert_eq!(fewer.page, 1);
        assert_eq!(query.toggled(Facet::Country, "SN").country.len(), 0);
        assert!(!query.cleared().is_filtered());
    }

    /// The search's query string as anyone may type it (`make fuzz` runs many more cases):
    /// read or refused, each refusal naming a parameter that was sent, and what is read
    /// written back reads the same.
    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn name() -> impl Strategy<Value = String> {
            let known: Vec<String> = OTHER_PARAMS
                .iter()
                .copied()
                .chain(Facet::ALL.iter().map(|f| f.key()))
                .map(String::from)
                .collect();
            prop_oneof![
                4 => proptest::sample::select(known),
                1 => "\\PC{0,12}",
            ]
        }

        fn value() -> impl Strategy<Value = String> {
            prop_oneof![
                "\\PC{0,24}",
                "-?[0-9]{1,12}",
                "[A-Za-z]{2}",
                "[A-Z]{3}\\.[A-Z]{3}",
                Just("ongoing".to_string()),
                Just("title".to_string()),
            ]
        }

        proptest! {
            #[test]
            fn any_query_string_is_read_or_refused_by_name(
                pairs in proptest::collection::vec((name(), value()), 0..12),
                strict in any::<bool>(),
            ) {
                match SearchQuery::from_pairs(pairs.clone(), strict) {
                    Ok(query) => {
                        let again = SearchQuery::from_pairs(query.to_pairs(), true);
                        prop_assert_eq!(again.as_ref(), Ok(&query));
                    }
                    Err(errors) => {
                        prop_assert!(!errors.is_empty());
                        for error in errors {
                            prop_assert!(
                                pairs.iter().any(|(name, _)| *name == error.field),
                                "{} was not sent", error.field
                            );
                        }
                    }
                }
            }
        }
    }
}
