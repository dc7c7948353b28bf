//! One-use tokens sent by email: confirming an address, resetting a password. Only a hash of
//! each token is kept; it expires and is used once.

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
                    .table("account_token")
                    .col(pk_auto("id"))
                    .col(integer("user_id"))
                    .col(string_len("purpose", 16))
                    .col(string_len("token_hash", 64))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("used_at"))
                    .foreign_key(&mut cascade("account_token", "user_id", "app_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("account_token", &["token_hash"], true))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("account_token").to_owned())
            .await
    }
}
