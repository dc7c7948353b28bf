use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "partnership_foreign_partner")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub partnership_id: i32,
    pub foreign_authority_id: i32,
    pub position: i32,
}

plain_entity!();
