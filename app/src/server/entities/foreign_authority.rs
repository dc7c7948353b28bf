use sea_orm::entity::prelude::*;

/// A local authority abroad. `country_iso2` is `None` when the legacy country name did not
/// resolve; the name as written is then kept in `country_name`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "foreign_authority")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    pub country_iso2: Option<String>,
    pub country_name: Option<String>,
}

plain_entity!();
