//! Revisions: a whole snapshot of a partnership at each version, with its state, written in
//! the same transaction as the change (who and why come with accounts). No foreign key: a
//! partnership's history outlives it.

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
                    .table("partnership_revision")
                    .col(pk_auto("id"))
                    .col(integer("partnership_id"))
                    .col(integer("number"))
                    .col(string_len("state", 16))
                    .col(integer_null("author_id"))
                    .col(text_null("comment"))
                    .col(text("snapshot"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "partnership_revision",
                &["partnership_id", "number"],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("partnership_revision").to_owned())
            .await
    }
}
