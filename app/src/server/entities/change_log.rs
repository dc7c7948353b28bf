use sea_orm::entity::prelude::*;

/// One write to a partnership, recorded in the write's transaction.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "change_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i32,
    pub partnership_id: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

plain_entity!();
