use sea_orm::entity::prelude::*;

/// An account. Never serialised: the password hash stays on the server.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "app_user")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub email: String,
    /// A `Role` code.
    pub role: String,
    /// `active`, `requested` (awaiting a moderator) or `disabled`.
    pub state: String,
    /// What the person does in their authority ("chargée de mission coopération").
    pub function: Option<String>,
    /// argon2id, PHC string format.
    pub password_hash: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

plain_entity!();
