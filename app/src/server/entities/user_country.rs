use sea_orm::entity::prelude::*;

/// A country an embassy moderator moderates.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user_country")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: i32,
    pub country_iso2: String,
}

plain_entity!();
