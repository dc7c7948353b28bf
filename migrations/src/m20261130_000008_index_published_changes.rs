//! The date of the last change to a published partnership is read after every write (the
//! exports' notice, the servers' check for changes made behind the log's back): an index makes
//! it a lookup instead of a scan of every partnership.

use super::index;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(index(
                "partnership",
                &["publication_state", "updated_at"],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_partnership_publication_state_updated_at")
                    .table("partnership")
                    .to_owned(),
            )
            .await
    }
}
