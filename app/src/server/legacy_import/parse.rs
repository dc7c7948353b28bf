// TEMPORARY placeholder until the parser lands (being written in parallel).
use crate::models::{Duration, EmbassyRole, Status};
pub struct ThemePath {
    pub code: String,
    pub labels: Vec<String>,
}
pub trait Referentials {
    fn country_by_name(&self, name: &str) -> Option<String>;
    fn themes(&self) -> &[ThemePath];
    fn form_by_label(&self, label: &str) -> Option<String>;
}
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}
impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ligne {} : {}", self.line, self.message)
    }
}
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub line: usize,
    pub message: String,
}
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LegacyPage {
    pub embassy: Option<LegacyEmbassy>,
    pub title: String,
    pub first_agreement_year: Option<i32>,
    pub theme: Option<String>,
    pub theme_labels: Vec<String>,
    pub other_themes: Vec<(String, Option<i32>)>,
    pub start_year: Option<i32>,
    pub status: Option<Status>,
    pub end_date: Option<chrono::NaiveDate>,
    pub context: Option<String>,
    pub history: Option<String>,
    pub objectives_local: Option<String>,
    pub objectives_france: Option<String>,
    pub description: Option<String>,
    pub form: Option<String>,
    pub form_label: Option<String>,
    pub project_managers: Vec<String>,
    pub project_owners: Vec<String>,
    pub beneficiaries: Option<String>,
    pub foreign_partners: Vec<LegacyForeignPartner>,
    pub foreign_contacts: Vec<LegacyContact>,
    pub french_partners: Vec<String>,
    pub duration: Option<Duration>,
    pub fundings: Vec<LegacyFunding>,
    pub communication_france: bool,
    pub communication_partners: bool,
    pub evaluation: bool,
    pub volunteers: Vec<LegacyVolunteer>,
    pub warnings: Vec<Warning>,
}
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LegacyEmbassy {
    pub post: String,
    pub contacts: Vec<LegacyEmbassyContact>,
}
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyEmbassyContact {
    pub role: EmbassyRole,
    pub role_label: String,
    pub name: String,
    pub email: Option<String>,
}
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LegacyForeignPartner {
    pub name: String,
    pub country_name: String,
    pub country: Option<String>,
}
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LegacyContact {
    pub authority: String,
    pub last_name: String,
    pub first_name: String,
    pub role: Option<String>,
    pub email: Option<String>,
}
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LegacyFunding {
    pub funder: String,
    pub amount_cents: i64,
    pub water_1pct_cents: Option<i64>,
    pub year: Option<i32>,
}
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LegacyVolunteer {
    pub last_name: String,
    pub first_name: String,
    pub mission: Option<String>,
    pub field: Option<String>,
    pub assigned_entity: Option<String>,
}
pub fn parse_page(_text: &str, _refs: &dyn Referentials) -> Result<LegacyPage, ParseError> {
    Err(ParseError {
        line: 1,
        message: "placeholder".into(),
    })
}
