use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "partnership")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub title: String,
    pub first_agreement_year: Option<i32>,
    pub start_year: Option<i32>,
    pub status: Option<String>,
    pub end_date: Option<Date>,
    pub form_code: Option<String>,
    pub duration: Option<String>,
    pub theme_code: Option<String>,
    pub context: Option<String>,
    pub history: Option<String>,
    pub objectives_local: Option<String>,
    pub objectives_france: Option<String>,
    pub description: Option<String>,
    /// One name per line.
    pub project_managers: String,
    /// One name per line.
    pub project_owners: String,
    pub beneficiaries: Option<String>,
    pub communication_france: bool,
    pub communication_partners: bool,
    pub evaluation: bool,
    pub publication_state: String,
    /// Incremented on every change, so concurrent edits are detected.
    pub version: i32,
    /// Identifies a partnership imported from the legacy atlas, so a re-import updates it.
    pub legacy_key: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

plain_entity!();
