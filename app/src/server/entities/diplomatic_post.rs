use sea_orm::entity::prelude::*;

/// The French embassy in a country.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "diplomatic_post")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub country_iso2: String,
    pub name: String,
    /// Bumped by every change, so that two people editing it are detected.
    pub version: i32,
}

plain_entity!();
