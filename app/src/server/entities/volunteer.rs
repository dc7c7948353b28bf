use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "volunteer")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub partnership_id: i32,
    pub last_name: String,
    pub first_name: String,
    pub mission: Option<String>,
    pub field: Option<String>,
    pub assigned_entity: Option<String>,
    pub position: i32,
}

plain_entity!();
