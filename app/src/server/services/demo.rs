//! A realistic, deterministic demo data set at the real atlas's scale: real French authorities
//! and countries, plausible French titles and texts, themes, fundings and partners.

use super::partnerships::{self, FundingInput, PartnershipInput};
use crate::models::{Duration, ForeignContact, PublicationState, Status, Volunteer};
use crate::server::entities::{collectivity, country, partnership_form, theme};
use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

/// A small deterministic generator (SplitMix64): the same seed gives the same data set on every
/// machine and every version of the toolchain. The tests draw their random queries with it too.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    fn range(&mut self, low: i32, high: i32) -> i32 {
        low + self.below((high - low + 1) as usize) as i32
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn text(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }
}

/// Countries of the real atlas, weighted by how often French authorities work there, with
/// towns whose authorities are partners.
const COUNTRIES: &[(&str, u32, &[&str])] = &[
    (
        "SN",
        14,
        &[
            "Dakar",
            "Saint-Louis",
            "Ziguinchor",
            "Thiès",
            "Podor",
            "Matam",
            "Kaolack",
        ],
    ),
    (
        "BF",
        12,
        &[
            "Ouagadougou",
            "Bobo-Dioulasso",
            "Koudougou",
            "Ouahigouya",
            "Fada N'Gourma",
            "Réo",
        ],
    ),
    (
        "ML",
        10,
        &["Bamako", "Kayes", "Ségou", "Mopti", "Tombouctou", "Sikasso"],
    ),
    (
        "MA",
        10,
        &[
            "Rabat",
            "Marrakech",
            "Fès",
            "Agadir",
            "Tanger",
            "Oujda",
            "Essaouira",
        ],
    ),
    (
        "MG",
        7,
        &[
            "Antananarivo",
            "Mahajanga",
            "Fianarantsoa",
            "Toamasina",
            "Antsirabe",
        ],
    ),
    (
        "BJ",
        7,
        &["Cotonou", "Porto-Novo", "Abomey", "Parakou", "Ouidah"],
    ),
    ("TN", 6, &["Tunis", "Sfax", "Sousse", "Kairouan", "Bizerte"]),
    ("CM", 5, &["Yaoundé", "Douala", "Dschang", "Bafoussam"]),
    (
        "HT",
        4,
        &["Port-au-Prince", "Cap-Haïtien", "Jacmel", "Les Cayes"],
    ),
    ("VN", 4, &["Hanoï", "Hué", "Da Nang", "Hô-Chi-Minh-Ville"]),
    ("NE", 4, &["Niamey", "Zinder", "Maradi", "Agadez"]),
    ("MR", 3, &["Nouakchott", "Kaédi", "Rosso"]),
    ("TG", 3, &["Lomé", "Kpalimé", "Sokodé"]),
    ("CI", 3, &["Abidjan", "Bouaké", "Yamoussoukro"]),
    ("LB", 3, &["Beyrouth", "Tripoli", "Saïda", "Byblos"]),
    ("PS", 2, &["Naplouse", "Hébron", "Bethléem", "Jéricho"]),
    (
        "DE",
        6,
        &[
            "Stuttgart",
            "Mayence",
            "Brême",
            "Wurtzbourg",
            "Fribourg-en-Brisgau",
        ],
    ),
    ("IT", 4, &["Turin", "Florence", "Bologne", "Pérouse"]),
    ("ES", 3, &["Saragosse", "Valladolid", "Gérone"]),
    ("PL", 3, &["Cracovie", "Poznań", "Wrocław"]),
    ("RO", 3, &["Cluj-Napoca", "Iași", "Sibiu"]),
    ("CA", 3, &["Québec", "Montréal", "Sherbrooke"]),
    ("BR", 2, &["Belo Horizonte", "Curitiba", "Porto Alegre"]),
    ("CN", 3, &["Wuhan", "Chengdu", "Jinan"]),
    ("JP", 2, &["Kyoto", "Kanazawa", "Niigata"]),
    ("IN", 1, &["Pondichéry", "Jaipur"]),
    ("AM", 1, &["Erevan", "Goris"]),
    ("CL", 1, &["Valparaíso", "Concepción"]),
];

const AUTHORITY_KINDS: &[&str] = &[
    "Commune de",
    "Municipalité de",
    "Ville de",
    "Région de",
    "Conseil de cercle de",
];

/// (theme prefix, title templates)
const TITLES: &[(&str, &[&str])] = &[
    (
        "DUR.EAU",
        &[
            "Accès à l'eau potable et à l'assainissement à {town}",
            "Gestion du service public de l'eau à {town}",
            "Programme Eau et assainissement pour les quartiers de {town}",
        ],
    ),
    (
        "DUR.DEC",
        &[
            "Gestion des déchets ménagers à {town}",
            "Mise en place d'une filière de collecte des déchets à {town}",
        ],
    ),
    (
        "DUR.CLI",
        &[
            "Plan climat territorial de {town}",
            "Électrification solaire des centres de santé de {town}",
        ],
    ),
    (
        "DUR.ENV",
        &["Protection de la biodiversité et des zones humides autour de {town}"],
    ),
    (
        "POL.GOV",
        &[
            "Appui institutionnel aux services municipaux de {town}",
            "Renforcement de l'état civil à {town}",
            "Formation des élus et des agents de {town}",
            "Accompagnement de la décentralisation à {town}",
        ],
    ),
    (
        "POL.HUM",
        &[
            "Aide à la reconstruction après les inondations à {town}",
            "Soutien d'urgence aux populations déplacées de {town}",
        ],
    ),
    (
        "ECO.AGR",
        &[
            "Sécurité alimentaire et filières maraîchères à {town}",
            "Appui aux coopératives agricoles de {town}",
        ],
    ),
    (
        "ECO.TOU",
        &["Développement d'un tourisme responsable à {town}"],
    ),
    (
        "ECO",
        &["Appui à l'économie locale et à l'emploi des jeunes à {town}"],
    ),
    (
        "SOC",
        &[
            "Accès aux soins et prévention à {town}",
            "Structuration de l'action sociale de proximité à {town}",
            "Scolarisation et équipement des écoles de {town}",
        ],
    ),
    (
        "CUL",
        &[
            "Échanges culturels et jumelage entre {french} et {town}",
            "Valorisation du patrimoine de {town}",
        ],
    ),
    (
        "",
        &[
            "Coopération décentralisée entre {french} et {town}",
            "Partenariat pour le développement local de {town}",
        ],
    ),
];

const CONTEXTS: &[&str] = &[
    "La croissance démographique de {town} met sous tension des services municipaux encore jeunes, dans un contexte de décentralisation inachevée.",
    "Les élus de {town} ont identifié ce domaine comme une priorité de leur plan communal de développement.",
    "Le transfert de compétences aux collectivités locales n'a pas été accompagné des moyens humains et financiers nécessaires.",
    "Les habitants des quartiers périphériques restent éloignés des services de base, notamment les femmes et les jeunes.",
];
const HISTORIES: &[&str] = &[
    "{french} et {town} sont liées par une convention de coopération depuis {first}. Plusieurs missions d'échange ont permis de construire une relation de confiance entre les élus et les services.",
    "Le partenariat est né d'échanges entre associations de migrants installés à {french} et les autorités de {town}.",
    "Une première phase, achevée avec succès, a permis de poser les bases d'une coopération technique entre les services.",
];
const OBJECTIVES: &[&str] = &[
    "Renforcer la maîtrise d'ouvrage communale et la qualité du service rendu aux habitants.",
    "Former les agents municipaux et doter les services d'outils de pilotage durables.",
    "Impliquer la population dans le suivi des actions et la gestion des équipements.",
];
const OBJECTIVES_FR: &[&str] = &[
    "Sensibiliser les habitants de {french} à la solidarité internationale et valoriser l'engagement des associations locales.",
    "Permettre aux agents de {french} de confronter leurs pratiques et de capitaliser une expérience utile au territoire.",
];
const FIRST_NAMES: &[&str] = &[
    "Aminata", "Moussa", "Fatou", "Ibrahim", "Nadia", "Karim", "Awa", "Jean", "Marie", "Ousmane",
    "Léa", "Hugo", "Mariam", "Thomas", "Claire", "Youssef",
];
const LAST_NAMES: &[&str] = &[
    "DIALLO",
    "TRAORÉ",
    "NDIAYE",
    "OUÉDRAOGO",
    "BENALI",
    "RAKOTO",
    "MARTIN",
    "BERNARD",
    "DUBOIS",
    "KONATÉ",
    "SOW",
    "NGUYEN",
    "HADDAD",
    "PETIT",
    "LEROY",
    "CISSÉ",
];
const ROLES: &[&str] = &[
    "Maire",
    "Secrétaire général",
    "Adjoint au maire chargé de la coopération",
    "Directrice des services techniques",
    "Chargé de mission coopération",
];
const STATE_FUNDERS: &[&str] = &[
    "Ministère de l'Europe et des Affaires étrangères",
    "Agence française de développement",
    "Agence de l'eau Seine-Normandie",
    "Agence de l'eau Loire-Bretagne",
    "Union européenne",
];
const MISSIONS: &[&str] = &[
    "Appui à la coordination du projet",
    "Animation du volet sensibilisation",
    "Suivi technique des chantiers",
];
const FIELDS: &[&str] = &[
    "Eau et assainissement",
    "Éducation",
    "Santé",
    "Gouvernance locale",
    "Culture",
];

/// Creates `count` published partnerships; `progress` is told how many are done as it goes.
/// Returns the ids created.
pub async fn seed(
    db: &DatabaseConnection,
    count: usize,
    seed: u64,
    mut progress: impl FnMut(usize),
) -> Result<Vec<i32>, DbErr> {
    let mut rng = Rng(seed);
    let french = french_pool(db).await?;
    let themes: Vec<String> = theme::Entity::find()
        .order_by_asc(theme::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.code)
        .collect();
    let forms: Vec<String> = partnership_form::Entity::find()
        .order_by_asc(partnership_form::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|f| f.code)
        .collect();
    let authorities = foreign_pool(db).await?;
    if french.is_empty() || themes.is_empty() || forms.is_empty() || authorities.is_empty() {
        return Err(DbErr::Custom(
            "les référentiels (collectivités, pays, thèmes, formes) sont vides".into(),
        ));
    }
    let weights: u32 = COUNTRIES.iter().map(|(_, w, _)| w).sum();

    let mut ids = Vec::with_capacity(count);
    let mut done = 0;
    while done < count {
        let batch = (count - done).min(500);
        let inputs: Vec<PartnershipInput> = (0..batch)
            .map(|_| one(&mut rng, &french, &themes, &forms, &authorities, weights))
            .collect();
        let txn = crate::server::services::write(db).await?;
        ids.extend(partnerships::insert_many(&txn, &inputs, Default::default()).await?);
        txn.commit().await?;
        done += batch;
        progress(done);
    }
    Ok(ids)
}

struct French {
    id: i32,
    name: String,
}

/// The French side: every région and département, the EPCI and communes above 20,000
/// inhabitants (the authorities that run most partnerships).
async fn french_pool(db: &DatabaseConnection) -> Result<Vec<French>, DbErr> {
    let rows = collectivity::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(collectivity::Column::Kind.is_in(["region", "departement"]))
                .add(collectivity::Column::Population.gte(20_000)),
        )
        .order_by_asc(collectivity::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|c| {
            let name = match c.kind.as_str() {
                "region" => format!("Région {}", c.name),
                "departement" => format!("Département {}", c.name),
                _ => c.name,
            };
            French { id: c.id, name }
        })
        .collect())
}

struct Foreign {
    id: i32,
    country: String,
    town: String,
    name: String,
}

/// Creates the foreign authorities of the demo set once (or reuses them).
async fn foreign_pool(db: &DatabaseConnection) -> Result<Vec<Foreign>, DbErr> {
    let known: Vec<String> = country::Entity::find()
        .select_only()
        .column(country::Column::Iso2)
        .into_tuple()
        .all(db)
        .await?;
    let mut pool = Vec::new();
    let txn = crate::server::services::write(db).await?;
    for (iso2, _, towns) in COUNTRIES {
        if !known.iter().any(|k| k == iso2) {
            continue;
        }
        for (i, town) in towns.iter().enumerate() {
            let kind = AUTHORITY_KINDS[i % AUTHORITY_KINDS.len()];
            let name = format!("{kind} {town}");
            let id = partnerships::foreign_authority_id(&txn, &name, Some(iso2), None).await?;
            pool.push(Foreign {
                id,
                country: iso2.to_string(),
                town: town.to_string(),
                name,
            });
        }
    }
    txn.commit().await?;
    Ok(pool)
}

fn pick_country(rng: &mut Rng, weights: u32) -> &'static str {
    let mut roll = rng.below(weights as usize) as u32;
    for (iso2, w, _) in COUNTRIES {
        if roll < *w {
            return iso2;
        }
        roll -= w;
    }
    COUNTRIES[0].0
}

fn fill(template: &str, town: &str, french: &str, first: i32) -> String {
    template
        .replace("{town}", town)
        .replace("{french}", french)
        .replace("{first}", &first.to_string())
}

fn one(
    rng: &mut Rng,
    french: &[French],
    themes: &[String],
    forms: &[String],
    authorities: &[Foreign],
    weights: u32,
) -> PartnershipInput {
    let iso2 = pick_country(rng, weights);
    let local: Vec<&Foreign> = authorities.iter().filter(|a| a.country == iso2).collect();
    let main = if local.is_empty() {
        rng.pick(authorities)
    } else {
        *rng.pick(&local)
    };
    let mut partners = vec![main];
    if rng.chance(15) {
        let other = rng.pick(authorities);
        if other.id != main.id {
            partners.push(other);
        }
    }
    let lead = rng.pick(french);
    let mut french_partners = vec![(Some(lead.id), lead.name.clone())];
    if rng.chance(20) {
        let other = rng.pick(french);
        if other.id != lead.id {
            french_partners.push((Some(other.id), other.name.clone()));
        }
    }

    let theme_code = rng.pick(themes).clone();
    let templates = TITLES
        .iter()
        .find(|(prefix, _)| !prefix.is_empty() && theme_code.starts_with(prefix))
        .map(|(_, t)| *t)
        .unwrap_or(TITLES[TITLES.len() - 1].1);
    let first = rng.range(1985, 2022);
    let start_year = rng.range(first, 2025);
    let status = if start_year >= 2025 {
        Status::Planned
    } else if rng.chance(45) {
        Status::Completed
    } else {
        Status::Ongoing
    };
    let duration = *rng.pick(Duration::ALL);
    let years = match duration {
        Duration::Annual => 1,
        Duration::Biennial => 2,
        Duration::Triennial => 3,
        Duration::MultiYear => rng.range(4, 6),
    };
    let end_year = start_year + years - 1;
    let end_date = NaiveDate::from_ymd_opt(end_year, 12, 31);
    let town = &main.town;
    let fr = &lead.name;

    let mut other_themes = Vec::new();
    for priority in 1..=rng.range(0, 2) {
        let code = rng.pick(themes);
        if *code != theme_code && !other_themes.iter().any(|(c, _)| c == code) {
            other_themes.push((code.clone(), Some(priority)));
        }
    }

    let water = theme_code.starts_with("DUR.EAU");
    let mut fundings = Vec::new();
    for year in start_year..=end_year.min(start_year + 3) {
        let amount = rng.range(20, 400) as i64 * 10_000;
        fundings.push(FundingInput {
            funder: lead.name.clone(),
            amount_cents: amount,
            water_1pct_cents: (water && rng.chance(60)).then_some(amount / 2),
            year: Some(year),
        });
        if rng.chance(60) {
            fundings.push(FundingInput {
                funder: rng.text(STATE_FUNDERS).to_string(),
                amount_cents: rng.range(50, 600) as i64 * 10_000,
                water_1pct_cents: None,
                year: Some(year),
            });
        }
    }

    let contacts = (0..rng.range(0, 2))
        .map(|_| ForeignContact {
            authority: main.name.clone(),
            last_name: rng.text(LAST_NAMES).to_string(),
            first_name: rng.text(FIRST_NAMES).to_string(),
            role: Some(rng.text(ROLES).to_string()),
            email: Some(format!(
                "cooperation.{}@example.org",
                crate::models::slugify(town)
            )),
        })
        .collect();
    let volunteers = if rng.chance(12) {
        vec![Volunteer {
            last_name: rng.text(LAST_NAMES).to_string(),
            first_name: rng.text(FIRST_NAMES).to_string(),
            mission: Some(rng.text(MISSIONS).to_string()),
            field: Some(rng.text(FIELDS).to_string()),
            assigned_entity: Some(main.name.clone()),
        }]
    } else {
        Vec::new()
    };

    PartnershipInput {
        title: fill(rng.text(templates), town, fr, first),
        first_agreement_year: Some(first),
        start_year: Some(start_year),
        status: Some(status),
        end_date,
        form_code: Some(rng.pick(forms).clone()),
        duration: Some(duration),
        theme_code: Some(theme_code),
        other_themes,
        context: Some(fill(rng.text(CONTEXTS), town, fr, first)),
        history: Some(fill(rng.text(HISTORIES), town, fr, first)),
        objectives_local: Some(rng.text(OBJECTIVES).to_string()),
        objectives_france: Some(fill(rng.text(OBJECTIVES_FR), town, fr, first)),
        description: Some(format!(
            "{} {}",
            fill(rng.text(CONTEXTS), town, fr, first),
            rng.text(OBJECTIVES)
        )),
        project_managers: vec![main.name.clone()],
        project_owners: vec![lead.name.clone(), main.name.clone()],
        beneficiaries: Some(format!(
            "Les habitants et les services municipaux de {town}"
        )),
        communication_france: rng.chance(70),
        communication_partners: rng.chance(50),
        evaluation: rng.chance(40),
        publication_state: Some(PublicationState::Published),
        legacy_key: None,
        foreign_authority_ids: partners.iter().map(|p| p.id).collect(),
        foreign_contacts: contacts,
        french_partners,
        fundings,
        volunteers,
    }
}

/// Registers the embassy of each demo country, with its two usual contacts.
pub async fn seed_embassies(db: &DatabaseConnection) -> Result<(), DbErr> {
    let txn = crate::server::services::write(db).await?;
    let countries = country::Entity::find()
        .filter(country::Column::Iso2.is_in(COUNTRIES.iter().map(|(c, _, _)| *c)))
        .all(&txn)
        .await?;
    for c in countries {
        let capital = c.capital.clone().unwrap_or_else(|| c.name_fr.clone());
        let slug = crate::models::slugify(&capital);
        let contacts = [
            crate::models::EmbassyContact {
                role: crate::models::EmbassyRole::DecentralisedCooperationCorrespondent,
                name: "Correspondant coopération décentralisée".into(),
                email: Some(format!("coopdec.{slug}@example.org")),
            },
            crate::models::EmbassyContact {
                role: crate::models::EmbassyRole::CooperationCounsellor,
                name: "Service de coopération et d'action culturelle".into(),
                email: Some(format!("scac.{slug}@example.org")),
            },
        ];
        super::reference_lists::merge_embassy(
            &txn,
            &c.iso2,
            &format!("Ambassade de France à {capital}"),
            &contacts,
        )
        .await?;
    }
    txn.commit().await
}

/// Counts published partnerships; the CLI seeds the demo set only into an empty atlas.
pub async fn published_count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    crate::server::entities::partnership::Entity::find()
        .filter(
            crate::server::entities::partnership::Column::PublicationState
                .eq(PublicationState::Published.code()),
        )
        .count(db)
        .await
}
