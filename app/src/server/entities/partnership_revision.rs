use sea_orm::entity::prelude::*;

/// A partnership as it stood at one version: a JSON snapshot of the whole of it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "partnership_revision")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub partnership_id: i32,
    /// The partnership's version this revision is.
    pub number: i32,
    /// A `PublicationState` code.
    pub state: String,
    pub author_id: Option<i32>,
    pub comment: Option<String>,
    /// The `Partnership` wire type as JSON.
    pub snapshot: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

plain_entity!();
