//! Referentials: themes, forms, countries, French authorities, diplomatic posts, foreign
//! authorities.

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
                    .table("theme")
                    .col(string_len("code", 32).primary_key())
                    .col(string_len_null("parent_code", 32))
                    .col(small_integer("level"))
                    .col(string("label_fr"))
                    .col(string("label_en"))
                    .col(integer("position"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("partnership_form")
                    .col(string_len("code", 32).primary_key())
                    .col(string("label_fr"))
                    .col(string("label_en"))
                    .col(integer("position"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("country")
                    .col(char_len("iso2", 2).primary_key())
                    .col(char_len_uniq("iso3", 3))
                    .col(string("name_fr"))
                    .col(string("name_en"))
                    .col(string_len("zone", 32))
                    .col(string_null("capital"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("collectivity")
                    .col(pk_auto("id"))
                    .col(string_len("kind", 16))
                    .col(string_len("code", 16))
                    .col(string_len_null("siren", 9))
                    .col(string("name"))
                    .col(string("search_name"))
                    .col(string_len_null("departement_code", 3))
                    .col(string_len_null("region_code", 3))
                    .col(integer_null("population"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("collectivity", &["kind", "code"], true))
            .await?;
        manager
            .create_index(index("collectivity", &["search_name"], false))
            .await?;
        manager
            .create_index(index("collectivity", &["siren"], false))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("diplomatic_post")
                    .col(pk_auto("id"))
                    .col(char_len_uniq("country_iso2", 2))
                    .col(string("name"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("post_contact")
                    .col(pk_auto("id"))
                    .col(integer("post_id"))
                    .col(string_len("role", 32))
                    .col(string("name"))
                    .col(string_null("email"))
                    .col(integer("position"))
                    .foreign_key(&mut cascade("post_contact", "post_id", "diplomatic_post"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("foreign_authority")
                    .col(pk_auto("id"))
                    .col(string("name"))
                    .col(char_len_null("country_iso2", 2))
                    .col(string_null("country_name"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("foreign_authority", &["name", "country_iso2"], false))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "foreign_authority",
            "post_contact",
            "diplomatic_post",
            "collectivity",
            "country",
            "partnership_form",
            "theme",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
