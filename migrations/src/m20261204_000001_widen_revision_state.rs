//! A revision's state also names the steps of a change proposed to a published partnership
//! (`proposal_returned`, `proposal_rejected`), longer than the 16 characters first allowed.
//! SQLite does not enforce a `varchar` length (and cannot alter a column): only PostgreSQL
//! needs the change.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        state_length(manager, 32).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        state_length(manager, 16).await
    }
}

async fn state_length(manager: &SchemaManager<'_>, length: u32) -> Result<(), DbErr> {
    if manager.get_database_backend() != sea_orm_migration::sea_orm::DatabaseBackend::Postgres {
        return Ok(());
    }
    manager
        .alter_table(
            Table::alter()
                .table("partnership_revision")
                .modify_column(ColumnDef::new("state").string_len(length).not_null())
                .to_owned(),
        )
        .await
}
