use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "theme")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub parent_code: Option<String>,
    pub level: i16,
    pub label_fr: String,
    pub label_en: String,
    pub position: i32,
    /// Bumped by every change, so that two people editing it are detected.
    pub version: i32,
}

plain_entity!();
