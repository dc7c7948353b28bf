use sea_orm::entity::prelude::*;

/// A sign-in session: its data as JSON, and when it expires.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "session")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub data: String,
    pub expiry_date: chrono::DateTime<chrono::Utc>,
}

plain_entity!();
