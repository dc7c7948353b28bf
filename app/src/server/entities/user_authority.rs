use sea_orm::entity::prelude::*;

/// A French authority a staff member works for.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user_authority")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: i32,
    pub collectivity_id: i32,
}

plain_entity!();
