use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "foreign_contact")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub partnership_id: i32,
    pub authority: String,
    pub last_name: String,
    pub first_name: String,
    pub role: Option<String>,
    pub email: Option<String>,
    pub position: i32,
}

plain_entity!();
