use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "post_contact")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub post_id: i32,
    /// An `EmbassyRole` code.
    pub role: String,
    pub name: String,
    pub email: Option<String>,
    pub position: i32,
}

plain_entity!();
