//! The referentials: French authorities and countries from official open data (npm packages
//! `@etalab/decoupage-administratif` and `world-countries`), and the in-memory look-ups the
//! legacy importer resolves names against.

use super::insert_chunked;
use crate::models::{CollectivityKind, ThemeRef, WorldZone};
use crate::server::entities::{collectivity, country, partnership_form, theme};
use crate::server::legacy_import::parse::{Referentials, ThemePath};
use sea_orm::sea_query::Query;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryOrder,
};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where the npm data packages are unpacked, unless `ATLAS_REFERENTIALS_DIR` says otherwise.
pub fn default_data_dir() -> PathBuf {
    std::env::var_os("ATLAS_REFERENTIALS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations/data/node_modules")
        })
}

#[derive(Debug, thiserror::Error)]
pub enum ReferentialError {
    #[error("cannot read {path}: {source} (run `npm ci --prefix migrations/data`)")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not the expected JSON: {source}")]
    Json {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error(transparent)]
    Db(#[from] DbErr),
}

fn read_json<T: for<'de> Deserialize<'de>>(path: PathBuf) -> Result<T, ReferentialError> {
    let bytes = std::fs::read(&path).map_err(|source| ReferentialError::Read {
        path: path.clone(),
        source,
    })?;
    serde_json::from_slice(&bytes).map_err(|source| ReferentialError::Json { path, source })
}

/// Folds a name for matching: ASCII, lowercase, words separated by single spaces.
pub fn fold_name(name: &str) -> String {
    let ascii = deunicode::deunicode(name).to_lowercase();
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Deserialize)]
struct CommuneJson {
    code: String,
    nom: String,
    #[serde(rename = "type")]
    kind: String,
    departement: Option<String>,
    region: Option<String>,
    siren: Option<String>,
    population: Option<i32>,
}

#[derive(Deserialize)]
struct EpciJson {
    code: String,
    nom: String,
    #[serde(rename = "populationTotale")]
    population: Option<i32>,
}

#[derive(Deserialize)]
struct DepartementJson {
    code: String,
    nom: String,
    region: Option<String>,
    zone: Option<String>,
}

#[derive(Deserialize)]
struct RegionJson {
    code: String,
    nom: String,
    zone: Option<String>,
}

/// The `zone` INSEE gives the overseas collectivities, listed both as régions and as
/// départements under one code: they are loaded once, as `CollectivityKind::Com`.
const ZONE_COM: &str = "com";

#[derive(Deserialize)]
struct CountryJson {
    cca2: String,
    cca3: String,
    region: String,
    subregion: Option<String>,
    capital: Option<Vec<String>>,
    name: CountryName,
    translations: HashMap<String, CountryName>,
}

#[derive(Deserialize)]
struct CountryName {
    common: String,
}

struct NewCollectivity {
    kind: CollectivityKind,
    code: String,
    siren: Option<String>,
    name: String,
    departement: Option<String>,
    region: Option<String>,
    population: Option<i32>,
}

/// The ministry's world zone for a country, from the UN M49 region and subregion.
fn world_zone(iso2: &str, region: &str, subregion: Option<&str>) -> WorldZone {
    match (region, subregion) {
        ("Africa", Some("Northern Africa")) => WorldZone::NorthAfricaMiddleEast,
        ("Africa", _) => WorldZone::SubSaharanAfrica,
        ("Americas", _) => WorldZone::Americas,
        ("Europe", _) => WorldZone::Europe,
        ("Asia", Some("Western Asia")) => match iso2 {
            "TR" | "GE" | "AM" | "AZ" | "CY" => WorldZone::Europe,
            _ => WorldZone::NorthAfricaMiddleEast,
        },
        _ => WorldZone::AsiaOceania,
    }
}

/// Loads the countries and the French authorities when their tables are empty; does nothing
/// otherwise, so it is safe at every start.
pub async fn load_if_empty(db: &DatabaseConnection, dir: &Path) -> Result<(), ReferentialError> {
    if country::Entity::find().count(db).await? == 0 {
        load_countries(db, dir).await?;
    }
    if collectivity::Entity::find().count(db).await? == 0 {
        load_collectivities(db, dir).await?;
    }
    Ok(())
}

async fn load_countries(db: &DatabaseConnection, dir: &Path) -> Result<(), ReferentialError> {
    let countries: Vec<CountryJson> = read_json(dir.join("world-countries/countries.json"))?;
    let txn = crate::server::services::write(db).await?;
    insert_chunked(
        &txn,
        countries,
        6,
        |stmt, c| {
            let zone = world_zone(&c.cca2, &c.region, c.subregion.as_deref());
            let name_fr = c
                .translations
                .get("fra")
                .map(|n| n.common.clone())
                .unwrap_or_else(|| c.name.common.clone());
            let capital = c.capital.and_then(|caps| caps.into_iter().next());
            stmt.values_panic([
                c.cca2.into(),
                c.cca3.into(),
                name_fr.into(),
                c.name.common.into(),
                zone.code().into(),
                capital.into(),
            ]);
        },
        || {
            Query::insert()
                .into_table("country")
                .columns(["iso2", "iso3", "name_fr", "name_en", "zone", "capital"])
                .to_owned()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn load_collectivities(db: &DatabaseConnection, dir: &Path) -> Result<(), ReferentialError> {
    let base = dir.join("@etalab/decoupage-administratif/data");
    let communes: Vec<CommuneJson> = read_json(base.join("communes.json"))?;
    let epcis: Vec<EpciJson> = read_json(base.join("epci.json"))?;
    let departements: Vec<DepartementJson> = read_json(base.join("departements.json"))?;
    let regions: Vec<RegionJson> = read_json(base.join("regions.json"))?;

    let mut all = Vec::with_capacity(communes.len() + epcis.len() + 200);
    all.extend(
        regions
            .into_iter()
            .filter(|r| r.zone.as_deref() != Some(ZONE_COM))
            .map(|r| NewCollectivity {
                kind: CollectivityKind::Region,
                region: Some(r.code.clone()),
                code: r.code,
                siren: None,
                name: r.nom,
                departement: None,
                population: None,
            }),
    );
    all.extend(departements.into_iter().map(|d| {
        let com = d.zone.as_deref() == Some(ZONE_COM);
        NewCollectivity {
            kind: if com {
                CollectivityKind::Com
            } else {
                CollectivityKind::Departement
            },
            departement: Some(d.code.clone()),
            region: if com { Some(d.code.clone()) } else { d.region },
            code: d.code,
            siren: None,
            name: d.nom,
            population: None,
        }
    }));
    all.extend(epcis.into_iter().map(|e| NewCollectivity {
        kind: CollectivityKind::Epci,
        siren: Some(e.code.clone()),
        code: e.code,
        name: e.nom,
        departement: None,
        region: None,
        population: e.population,
    }));
    all.extend(
        communes
            .into_iter()
            .filter(|c| c.kind == "commune-actuelle")
            .map(|c| NewCollectivity {
                kind: CollectivityKind::Commune,
                code: c.code,
                siren: c.siren,
                name: c.nom,
                departement: c.departement,
                region: c.region,
                population: c.population,
            }),
    );

    let txn = crate::server::services::write(db).await?;
    insert_chunked(
        &txn,
        all,
        8,
        |stmt, c| {
            let search_name = fold_name(&c.name);
            stmt.values_panic([
                c.kind.code().into(),
                c.code.into(),
                c.siren.into(),
                c.name.into(),
                search_name.into(),
                c.departement.into(),
                c.region.into(),
                c.population.into(),
            ]);
        },
        || {
            Query::insert()
                .into_table("collectivity")
                .columns([
                    "kind",
                    "code",
                    "siren",
                    "name",
                    "search_name",
                    "departement_code",
                    "region_code",
                    "population",
                ])
                .to_owned()
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Every theme with the labels of its ancestors, in the taxonomy's order.
pub async fn theme_refs(db: &impl ConnectionTrait) -> Result<Vec<ThemeRef>, DbErr> {
    let rows = theme::Entity::find()
        .order_by_asc(theme::Column::Position)
        .all(db)
        .await?;
    let by_code: HashMap<&str, &theme::Model> = rows.iter().map(|t| (t.code.as_str(), t)).collect();
    Ok(rows
        .iter()
        .map(|t| {
            let mut chain = vec![t];
            // Bounded, so that a cycle an administrator might create cannot loop forever.
            while chain.len() <= rows.len() {
                match chain[0].parent_code.as_deref().and_then(|p| by_code.get(p)) {
                    Some(parent) => chain.insert(0, parent),
                    None => break,
                }
            }
            ThemeRef {
                code: t.code.clone(),
                path_fr: chain.iter().map(|t| t.label_fr.clone()).collect(),
                path_en: chain.iter().map(|t| t.label_en.clone()).collect(),
            }
        })
        .collect())
}

/// The referentials held in memory to resolve the legacy atlas's names.
pub struct Lookup {
    countries: HashMap<String, String>,
    themes: Vec<ThemePath>,
    forms: HashMap<String, String>,
}

impl Lookup {
    pub async fn load(db: &impl ConnectionTrait) -> Result<Self, DbErr> {
        let mut countries = HashMap::new();
        for c in country::Entity::find().all(db).await? {
            countries.insert(fold_name(&c.name_en), c.iso2.clone());
            countries.insert(fold_name(&c.name_fr), c.iso2.clone());
        }
        let themes = theme_refs(db)
            .await?
            .into_iter()
            .map(|t| ThemePath {
                code: t.code,
                labels: t.path_fr,
            })
            .collect();
        let forms = partnership_form::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|f| (fold_name(&f.label_fr), f.code))
            .collect();
        Ok(Lookup {
            countries,
            themes,
            forms,
        })
    }
}

impl Referentials for Lookup {
    fn country_by_name(&self, name: &str) -> Option<String> {
        self.countries.get(&fold_name(name)).cloned()
    }

    fn themes(&self) -> &[ThemePath] {
        &self.themes
    }

    fn form_by_label(&self, label: &str) -> Option<String> {
        self.forms.get(&fold_name(label)).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_accents_case_and_hyphens() {
        assert_eq!(fold_name("Mantes-la-Jolie"), fold_name("Mantes la Jolie"));
        assert_eq!(fold_name("Sénégal"), "senegal");
        assert_eq!(
            fold_name("Département d'Ille-et-Vilaine"),
            "departement d ille et vilaine"
        );
    }

    #[test]
    fn zones_follow_the_ministry_grouping() {
        assert_eq!(
            world_zone("MA", "Africa", Some("Northern Africa")),
            WorldZone::NorthAfricaMiddleEast
        );
        assert_eq!(
            world_zone("SN", "Africa", Some("Western Africa")),
            WorldZone::SubSaharanAfrica
        );
        assert_eq!(
            world_zone("LB", "Asia", Some("Western Asia")),
            WorldZone::NorthAfricaMiddleEast
        );
        assert_eq!(
            world_zone("VN", "Asia", Some("South-Eastern Asia")),
            WorldZone::AsiaOceania
        );
    }
}
