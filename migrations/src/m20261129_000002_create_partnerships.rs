//! Partnerships and what hangs off them.

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
                    .table("partnership")
                    .col(pk_auto("id"))
                    .col(text("title"))
                    .col(integer_null("first_agreement_year"))
                    .col(integer_null("start_year"))
                    .col(string_len_null("status", 16))
                    .col(date_null("end_date"))
                    .col(string_len_null("form_code", 32))
                    .col(string_len_null("duration", 16))
                    .col(string_len_null("theme_code", 32))
                    .col(text_null("context"))
                    .col(text_null("history"))
                    .col(text_null("objectives_local"))
                    .col(text_null("objectives_france"))
                    .col(text_null("description"))
                    .col(text("project_managers"))
                    .col(text("project_owners"))
                    .col(text_null("beneficiaries"))
                    .col(boolean("communication_france"))
                    .col(boolean("communication_partners"))
                    .col(boolean("evaluation"))
                    .col(string_len("publication_state", 16))
                    .col(integer("version"))
                    .col(text_null("legacy_key"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("partnership", &["legacy_key"], true))
            .await?;
        manager
            .create_index(index("partnership", &["publication_state"], false))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("partnership_theme")
                    .col(pk_auto("id"))
                    .col(integer("partnership_id"))
                    .col(string_len("theme_code", 32))
                    .col(integer_null("priority"))
                    .foreign_key(&mut cascade(
                        "partnership_theme",
                        "partnership_id",
                        "partnership",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("partnership_foreign_partner")
                    .col(pk_auto("id"))
                    .col(integer("partnership_id"))
                    .col(integer("foreign_authority_id"))
                    .col(integer("position"))
                    .foreign_key(&mut cascade(
                        "partnership_foreign_partner",
                        "partnership_id",
                        "partnership",
                    ))
                    .foreign_key(&mut cascade(
                        "partnership_foreign_partner",
                        "foreign_authority_id",
                        "foreign_authority",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("partnership_french_partner")
                    .col(pk_auto("id"))
                    .col(integer("partnership_id"))
                    .col(integer_null("collectivity_id"))
                    .col(string("name"))
                    .col(integer("position"))
                    .foreign_key(&mut cascade(
                        "partnership_french_partner",
                        "partnership_id",
                        "partnership",
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from("partnership_french_partner", "collectivity_id")
                            .to("collectivity", "id")
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("foreign_contact")
                    .col(pk_auto("id"))
                    .col(integer("partnership_id"))
                    .col(string("authority"))
                    .col(string("last_name"))
                    .col(string("first_name"))
                    .col(string_null("role"))
                    .col(string_null("email"))
                    .col(integer("position"))
                    .foreign_key(&mut cascade(
                        "foreign_contact",
                        "partnership_id",
                        "partnership",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("funding")
                    .col(pk_auto("id"))
                    .col(integer("partnership_id"))
                    .col(string("funder"))
                    .col(big_integer("amount_cents"))
                    .col(big_integer_null("water_1pct_cents"))
                    .col(integer_null("year"))
                    .col(integer("position"))
                    .foreign_key(&mut cascade("funding", "partnership_id", "partnership"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("volunteer")
                    .col(pk_auto("id"))
                    .col(integer("partnership_id"))
                    .col(string("last_name"))
                    .col(string("first_name"))
                    .col(string_null("mission"))
                    .col(string_null("field"))
                    .col(string_null("assigned_entity"))
                    .col(integer("position"))
                    .foreign_key(&mut cascade("volunteer", "partnership_id", "partnership"))
                    .to_owned(),
            )
            .await?;
        for table in [
            "partnership_theme",
            "partnership_foreign_partner",
            "partnership_french_partner",
            "foreign_contact",
            "funding",
            "volunteer",
        ] {
            manager
                .create_index(index(table, &["partnership_id"], false))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "volunteer",
            "funding",
            "foreign_contact",
            "partnership_french_partner",
            "partnership_foreign_partner",
            "partnership_theme",
            "partnership",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
