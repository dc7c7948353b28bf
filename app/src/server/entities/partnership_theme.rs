use sea_orm::entity::prelude::*;

/// A secondary theme of a partnership.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "partnership_theme")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub partnership_id: i32,
    pub theme_code: String,
    pub priority: Option<i32>,
}

plain_entity!();
