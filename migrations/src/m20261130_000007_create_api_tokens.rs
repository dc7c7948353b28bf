//! Personal API tokens: an authority's own tools act as the person who made the token, until it
//! expires or is revoked. Only a hash of each token is kept; it is shown once, when made.

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
                    .table("api_token")
                    .col(pk_auto("id"))
                    .col(integer("user_id"))
                    .col(string_len("name", 80))
                    .col(string_len("token_hash", 64))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("last_used_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(&mut cascade("api_token", "user_id", "app_user"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("api_token", &["token_hash"], true))
            .await?;
        manager
            .create_index(index("api_token", &["user_id"], false))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("api_token").to_owned())
            .await
    }
}
