//! The overseas collectivities (Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin, the
//! Pacific ones) were loaded twice, as a région and as a département under one code: keep one
//! row of kind `com`, move the partnerships' links to it, drop the other. A database whose
//! referentials are not loaded yet is left as it is (they load with the right kinds).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The région rows that are overseas collectivities: three-digit codes.
const OVERSEAS_REGIONS: &str =
    "SELECT id FROM collectivity WHERE kind = 'region' AND LENGTH(code) = 3";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE collectivity SET kind = 'com', region_code = code \
             WHERE kind = 'departement' AND code IN \
             (SELECT code FROM collectivity WHERE kind = 'region' AND LENGTH(code) = 3)",
        )
        .await?;
        db.execute_unprepared(&format!(
            "UPDATE partnership_french_partner SET collectivity_id = \
             (SELECT com.id FROM collectivity com, collectivity prev \
              WHERE prev.id = partnership_french_partner.collectivity_id \
              AND com.kind = 'com' AND com.code = prev.code) \
             WHERE collectivity_id IN ({OVERSEAS_REGIONS})"
        ))
        .await?;
        db.execute_unprepared(&format!(
            "DELETE FROM collectivity WHERE id IN ({OVERSEAS_REGIONS}) \
             AND code IN (SELECT code FROM collectivity WHERE kind = 'com')"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // The merged rows are the right data; nothing to undo.
        Ok(())
    }
}
