use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "country")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub iso2: String,
    pub iso3: String,
    pub name_fr: String,
    pub name_en: String,
    /// A `WorldZone` code.
    pub zone: String,
    pub capital: Option<String>,
}

plain_entity!();
