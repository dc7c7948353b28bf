//! The change log: one row per write to a partnership, in the write's own transaction (the
//! "transactional outbox"). Every running server follows it by sequence number to refresh its
//! search index and page cache, whatever process made the change.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("change_log")
                    .col(pk_auto("seq"))
                    .col(integer("partnership_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("change_log").to_owned())
            .await
    }
}
