//! Sign-in sessions, kept in the database so that every server knows them and a restart signs
//! nobody out; a session's data is JSON, its expiry a timestamp that the sweep compares.

use super::index;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("session")
                    .col(string_len("id", 64).primary_key())
                    .col(text("data"))
                    .col(timestamp_with_time_zone("expiry_date"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("session", &["expiry_date"], false))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("session").to_owned())
            .await
    }
}
