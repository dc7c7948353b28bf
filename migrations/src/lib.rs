//! The database schema, identical on SQLite and PostgreSQL, and the small reference lists that
//! ship with it. Migrations never import the application's entities, so they keep running after
//! an entity changes.

pub use sea_orm_migration::prelude::*;

mod m20261129_000001_create_referentials;
mod m20261129_000002_create_partnerships;
mod m20261129_000003_load_reference_lists;
mod m20261130_000001_overseas_collectivities;
mod m20261130_000002_create_change_log;
mod m20261130_000003_create_partnership_revision;
mod m20261130_000004_create_users;
mod m20261130_000005_create_sessions;
mod m20261130_000006_create_account_tokens;
mod m20261130_000007_create_api_tokens;
mod m20261130_000008_index_published_changes;
mod m20261130_000009_version_reference_lists;
mod m20261204_000001_widen_revision_state;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261129_000001_create_referentials::Migration),
            Box::new(m20261129_000002_create_partnerships::Migration),
            Box::new(m20261129_000003_load_reference_lists::Migration),
            Box::new(m20261130_000001_overseas_collectivities::Migration),
            Box::new(m20261130_000002_create_change_log::Migration),
            Box::new(m20261130_000003_create_partnership_revision::Migration),
            Box::new(m20261130_000004_create_users::Migration),
            Box::new(m20261130_000005_create_sessions::Migration),
            Box::new(m20261130_000006_create_account_tokens::Migration),
            Box::new(m20261130_000007_create_api_tokens::Migration),
            Box::new(m20261130_000008_index_published_changes::Migration),
            Box::new(m20261130_000009_version_reference_lists::Migration),
            Box::new(m20261204_000001_widen_revision_state::Migration),
        ]
    }
}

/// A foreign key from `table.column` to `target.id`, removed with its parent row.
fn cascade(
    table: &'static str,
    column: &'static str,
    target: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(target, "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn index(table: &'static str, columns: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("ix_{table}_{}", columns.join("_")))
        .table(table);
    for column in columns {
        stmt.col(*column);
    }
    if unique {
        stmt.unique();
    }
    stmt.to_owned()
}
