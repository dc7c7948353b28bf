//! The reference lists (themes, forms of partnership, embassies) become editable by
//! administrators: each entry gets a version, so that two people editing it are detected, and
//! every change keeps a revision (who, when, what, and the entry as it was written). No foreign
//! key on the revisions: an entry's history outlives it.

use super::index;
use sea_orm_migration::{prelude::*, schema::*};

const VERSIONED: [&str; 3] = ["theme", "partnership_form", "diplomatic_post"];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for table in VERSIONED {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(integer("version").default(1))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("reference_revision")
                    .col(pk_auto("id"))
                    .col(string_len("list", 16))
                    .col(string_len("entry", 32))
                    .col(integer("version"))
                    .col(string_len("action", 16))
                    .col(integer_null("author_id"))
                    .col(text("snapshot"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("reference_revision", &["list", "entry"], false))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("reference_revision").to_owned())
            .await?;
        for table in VERSIONED {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .drop_column("version")
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
