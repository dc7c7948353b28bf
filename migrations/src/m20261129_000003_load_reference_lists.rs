//! The working thematic taxonomy and the forms of partnership, shipped as seed data that
//! administrators then edit in the application.

use sea_orm_migration::prelude::*;
use serde::Deserialize;

const THEMES_CSV: &str = include_str!("../data/thematiques.csv");
const FORMS_CSV: &str = include_str!("../data/formes.csv");

#[derive(Deserialize)]
struct ThemeRow {
    code: String,
    parent: String,
    level: i16,
    label_fr: String,
    label_en: String,
}

#[derive(Deserialize)]
struct FormRow {
    code: String,
    label_fr: String,
    label_en: String,
}

fn rows<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> Result<Vec<T>, DbErr> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        .map_err(|e| DbErr::Migration(format!("{name}: {e}")))
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut themes = Query::insert();
        themes.into_table("theme").columns([
            "code",
            "parent_code",
            "level",
            "label_fr",
            "label_en",
            "position",
        ]);
        for (position, row) in rows::<ThemeRow>("thematiques.csv", THEMES_CSV)?
            .into_iter()
            .enumerate()
        {
            let parent = (!row.parent.is_empty()).then_some(row.parent);
            themes.values_panic([
                row.code.into(),
                parent.into(),
                row.level.into(),
                row.label_fr.into(),
                row.label_en.into(),
                (position as i32).into(),
            ]);
        }
        manager.exec_stmt(themes).await?;

        let mut forms = Query::insert();
        forms
            .into_table("partnership_form")
            .columns(["code", "label_fr", "label_en", "position"]);
        for (position, row) in rows::<FormRow>("formes.csv", FORMS_CSV)?
            .into_iter()
            .enumerate()
        {
            forms.values_panic([
                row.code.into(),
                row.label_fr.into(),
                row.label_en.into(),
                (position as i32).into(),
            ]);
        }
        manager.exec_stmt(forms).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .exec_stmt(Query::delete().from_table("partnership_form").to_owned())
            .await?;
        manager
            .exec_stmt(Query::delete().from_table("theme").to_owned())
            .await
    }
}
