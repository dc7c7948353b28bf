use sea_orm::entity::prelude::*;

/// Amounts are kept in euro cents so that sums are exact.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "funding")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub partnership_id: i32,
    pub funder: String,
    pub amount_cents: i64,
    pub water_1pct_cents: Option<i64>,
    pub year: Option<i32>,
    pub position: i32,
}

plain_entity!();
