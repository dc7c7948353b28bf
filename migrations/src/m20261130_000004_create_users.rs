//! Accounts: people who declare (staff of a French authority), moderate (the ministry, an
//! embassy for its countries) or administer. A password is stored only as an argon2id hash.

use super::{cascade, index};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("app_user")
                    .col(pk_auto("id"))
                    .col(string_len("email", 254))
                    .col(string_len("role", 16))
                    .col(string_len("state", 16))
                    .col(string_null("function"))
                    .col(string_null("password_hash"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("app_user", &["email"], true))
            .await?;
        // The authorities a staff member works for.
        manager
            .create_table(
                Table::create()
                    .table("user_authority")
                    .col(pk_auto("id"))
                    .col(integer("user_id"))
                    .col(integer("collectivity_id"))
                    .foreign_key(&mut cascade("user_authority", "user_id", "app_user"))
                    .to_owned(),
            )
            .await?;
        // The countries an embassy moderator moderates (none: every country).
        manager
            .create_table(
                Table::create()
                    .table("user_country")
                    .col(pk_auto("id"))
                    .col(integer("user_id"))
                    .col(char_len("country_iso2", 2))
                    .foreign_key(&mut cascade("user_country", "user_id", "app_user"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["user_country", "user_authority", "app_user"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
