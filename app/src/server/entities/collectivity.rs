use sea_orm::entity::prelude::*;

/// A French local authority from the official referential.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "collectivity")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// A `CollectivityKind` code.
    pub kind: String,
    /// INSEE code for communes, départements and régions; SIREN for EPCI.
    pub code: String,
    pub siren: Option<String>,
    pub name: String,
    /// The name folded for matching: lowercase ASCII, hyphens and apostrophes as spaces.
    pub search_name: String,
    pub departement_code: Option<String>,
    pub region_code: Option<String>,
    pub population: Option<i32>,
}

plain_entity!();
