use sea_orm::entity::prelude::*;

/// A reference-list entry (a theme, a form of partnership, an embassy) as one change wrote it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reference_revision")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `themes`, `forms` or `embassies`.
    pub list: String,
    /// The entry's code (a theme's, a form's, an embassy's country).
    pub entry: String,
    /// The entry's version after the change.
    pub version: i32,
    /// `created`, `updated` or `deleted`.
    pub action: String,
    pub author_id: Option<i32>,
    /// The entry as JSON, as written (as it was, for a deletion).
    pub snapshot: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

plain_entity!();
