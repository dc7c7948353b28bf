use sea_orm::entity::prelude::*;

/// A French partner, linked to the referential when its name resolved, kept by name otherwise.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "partnership_french_partner")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub partnership_id: i32,
    pub collectivity_id: Option<i32>,
    pub name: String,
    pub position: i32,
}

plain_entity!();
