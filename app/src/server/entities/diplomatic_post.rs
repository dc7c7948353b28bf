use sea_orm::entity::prelude::*;

/// The French embassy in a country.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "diplomatic_post")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub country_iso2: String,
    pub name: String,
}

plain_entity!();
