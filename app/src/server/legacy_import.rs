//! Imports pages of the legacy atlas (as text) as published partnerships.
//!
//! The parser (`parse`) is pure; this module resolves what it found against the database's
//! referentials and writes the partnership, so that importing a page twice updates it in place.

pub mod parse;

use crate::models::{EmbassyContact, ForeignContact, PublicationState, Volunteer};
use crate::server::entities::partnership;
use crate::server::services::authorities::{Found, Matcher};
use crate::server::services::partnerships::{self, FundingInput, PartnershipInput};
use crate::server::services::reference_lists;
use crate::server::services::referentials::{fold_name, Lookup};
use parse::{parse_page, LegacyPage, ParseError};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file} : lecture impossible : {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
    #[error("{file} : le fichier n'est pas du texte UTF-8")]
    Encoding { file: String },
    #[error("{file}, {error}")]
    Parse { file: String, error: ParseError },
    #[error("{file} : erreur de base de données : {source}")]
    Db { file: String, source: DbErr },
}

/// Whether a page created a partnership, updated the one it made before, or was left alone
/// because the partnership was changed in the application since.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    Skipped,
}

/// What happened to one imported page.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub file: String,
    pub id: i32,
    pub outcome: Outcome,
    /// Names that did not resolve against the referentials, and other remarks, in French.
    pub warnings: Vec<String>,
}

/// Imports each file independently: a malformed one is reported and the others still import.
pub async fn import_files(
    db: &DatabaseConnection,
    files: &[impl AsRef<Path>],
) -> Result<Vec<Result<Imported, ImportError>>, DbErr> {
    let lookup = Lookup::load(db).await?;
    let matcher = Matcher::load(db).await?;
    let mut outcomes = Vec::with_capacity(files.len());
    for path in files {
        let path = path.as_ref();
        let file = path.display().to_string();
        let outcome = match std::fs::read(path) {
            Err(source) => Err(ImportError::Read { file, source }),
            Ok(bytes) => match String::from_utf8(bytes) {
                Err(_) => Err(ImportError::Encoding { file }),
                Ok(text) => import_text(db, &lookup, &matcher, &file, &text).await,
            },
        };
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// Parses and stores one page; `file` names it in errors and warnings.
pub async fn import_text(
    db: &DatabaseConnection,
    lookup: &Lookup,
    matcher: &Matcher,
    file: &str,
    text: &str,
) -> Result<Imported, ImportError> {
    let page = parse_page(text, lookup).map_err(|error| ImportError::Parse {
        file: file.to_string(),
        error,
    })?;
    store(db, matcher, file, page)
        .await
        .map_err(|source| ImportError::Db {
            file: file.to_string(),
            source,
        })
}

/// The identity of a legacy page: its title, start year and first French partner, folded.
fn legacy_key(page: &LegacyPage) -> String {
    format!(
        "{}|{}|{}",
        fold_name(&page.title),
        page.start_year.map(|y| y.to_string()).unwrap_or_default(),
        page.french_partners
            .first()
            .map(|n| fold_name(n))
            .unwrap_or_default()
    )
}

async fn store(
    db: &DatabaseConnection,
    matcher: &Matcher,
    file: &str,
    page: LegacyPage,
) -> Result<Imported, DbErr> {
    let mut warnings: Vec<String> = page
        .warnings
        .iter()
        .map(|w| format!("{file}, ligne {} : {}", w.line, w.message))
        .collect();
    let txn = crate::server::services::write(db).await?;

    let mut foreign_authority_ids = Vec::new();
    for partner in &page.foreign_partners {
        let country_name = partner
            .country
            .is_none()
            .then_some(partner.country_name.as_str());
        foreign_authority_ids.push(
            partnerships::foreign_authority_id(
                &txn,
                &partner.name,
                partner.country.as_deref(),
                country_name,
            )
            .await?,
        );
    }

    let mut french_partners = Vec::new();
    for name in &page.french_partners {
        let id = match matcher.resolve(name) {
            Found::One((id, _)) => Some(id),
            Found::Several(candidates) => {
                let listed: Vec<String> = candidates
                    .iter()
                    .map(|(_, c)| format!("{} ({c})", matcher.name_of(c).unwrap_or_default()))
                    .collect();
                warnings.push(format!(
                    "{file} : collectivité « {name} » ambiguë, gardée par son nom sans rattachement ; candidates : {}",
                    listed.join(", ")
                ));
                None
            }
            Found::None => {
                warnings.push(format!(
                    "{file} : collectivité « {name} » introuvable dans le référentiel, gardée par son nom"
                ));
                None
            }
        };
        french_partners.push((id, name.clone()));
    }

    if let Some(embassy) = &page.embassy {
        match page
            .foreign_partners
            .iter()
            .find_map(|p| p.country.as_deref())
        {
            Some(iso2) => {
                let contacts: Vec<EmbassyContact> = embassy
                    .contacts
                    .iter()
                    .map(|c| EmbassyContact {
                        role: c.role,
                        name: c.name.clone(),
                        email: c.email.clone(),
                    })
                    .collect();
                reference_lists::merge_embassy(&txn, iso2, &embassy.post, &contacts).await?;
            }
            None => warnings.push(format!(
                "{file} : poste « {} » non rattaché : aucun pays partenaire reconnu",
                embassy.post
            )),
        }
    }

    let key = legacy_key(&page);
    let input = PartnershipInput {
        title: page.title,
        first_agreement_year: page.first_agreement_year,
        start_year: page.start_year,
        status: page.status,
        end_date: page.end_date,
        form_code: page.form,
        duration: page.duration,
        theme_code: page.theme,
        other_themes: page.other_themes,
        context: page.context,
        history: page.history,
        objectives_local: page.objectives_local,
        objectives_france: page.objectives_france,
        description: page.description,
        project_managers: page.project_managers,
        project_owners: page.project_owners,
        beneficiaries: page.beneficiaries,
        communication_france: page.communication_france,
        communication_partners: page.communication_partners,
        evaluation: page.evaluation,
        publication_state: Some(PublicationState::Published),
        legacy_key: Some(key.clone()),
        foreign_authority_ids,
        foreign_contacts: page
            .foreign_contacts
            .into_iter()
            .map(|c| ForeignContact {
                authority: c.authority,
                last_name: c.last_name,
                first_name: c.first_name,
                role: c.role,
                email: c.email,
            })
            .collect(),
        french_partners,
        fundings: page
            .fundings
            .into_iter()
            .map(|f| FundingInput {
                funder: f.funder,
                amount_cents: f.amount_cents,
                water_1pct_cents: f.water_1pct_cents,
                year: f.year,
            })
            .collect(),
        volunteers: page
            .volunteers
            .into_iter()
            .map(|v| Volunteer {
                last_name: v.last_name,
                first_name: v.first_name,
                mission: v.mission,
                field: v.field,
                assigned_entity: v.assigned_entity,
            })
            .collect(),
    };

    let existing = partnership::Entity::find()
        .filter(partnership::Column::LegacyKey.eq(key))
        .one(&txn)
        .await?;
    let (id, outcome) = match existing {
        Some(existing) if partnerships::edited_in_app(&txn, existing.id).await? => {
            warnings.push(format!(
                "{file} : la fiche n° {} a été modifiée dans l'application depuis son import ; \
                 la page n'a pas été réimportée, pour ne rien écraser",
                existing.id
            ));
            (existing.id, Outcome::Skipped)
        }
        Some(existing) => {
            partnerships::replace(&txn, &existing, &input, Default::default()).await?;
            (existing.id, Outcome::Updated)
        }
        None => (
            partnerships::insert_many(&txn, &[input], Default::default()).await?[0],
            Outcome::Created,
        ),
    };
    txn.commit().await?;
    Ok(Imported {
        file: file.to_string(),
        id,
        outcome,
        warnings,
    })
}
