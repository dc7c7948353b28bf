//! The legacy importer against a real database.

use crate::common;

use app::models::{CollectivityKind, Duration, EmbassyRole, Status};
use app::server::entities::{foreign_authority, partnership, post_contact};
use app::server::legacy_import::{import_files, ImportError, Outcome};
use app::server::services::partnerships::get_published;
use common::{fixture, TestDb};
use sea_orm::{EntityTrait, PaginatorTrait};

#[tokio::test]
async fn the_seed_page_imports_exactly() {
    let t = TestDb::new().await;
    let outcomes = import_files(&t.db, &[fixture("000_001612c233d2473f.txt")])
        .await
        .unwrap();
    let done = outcomes.into_iter().next().unwrap().expect("seed imports");
    assert_eq!(done.outcome, Outcome::Created);
    assert!(done.warnings.is_empty(), "{:?}", done.warnings);

    let p = get_published(&t.db, done.id).await.unwrap();
    assert_eq!(
        p.title,
        "Accompagnement à la structuration d’un dispositif social de proximité porteur d’un programme territorial d’action sociale"
    );
    assert_eq!(p.first_agreement_year, Some(2005));
    assert_eq!(p.start_year, Some(2019));
    assert_eq!(p.status, Some(Status::Ongoing));
    assert_eq!(p.end_date, chrono::NaiveDate::from_ymd_opt(2021, 12, 31));
    assert_eq!(p.theme.as_deref(), Some("POL.GOV"));
    assert_eq!(p.form.as_deref(), Some("PROJET"));
    assert_eq!(p.duration, Some(Duration::Triennial));
    assert!(p
        .context
        .as_deref()
        .unwrap()
        .starts_with("Les communes doivent établir"));
    assert!(p
        .history
        .as_deref()
        .unwrap()
        .contains("séminaire de capitalisation"));
    assert!(p
        .objectives_local
        .as_deref()
        .unwrap()
        .starts_with("Le projet s’inscrit"));
    assert!(p
        .objectives_france
        .as_deref()
        .unwrap()
        .contains("45 000 habitants"));
    assert!(p
        .description
        .as_deref()
        .unwrap()
        .contains("Yacoub El Mansour"));
    assert!(p.project_managers.is_empty());
    assert_eq!(
        p.project_owners,
        vec!["Mantes la Jolie", "Municipalité de Rabat"]
    );
    assert!(p
        .beneficiaries
        .as_deref()
        .unwrap()
        .starts_with("Les agents des 2 arrondissements"));
    assert!(p.communication_france && p.communication_partners && p.evaluation);

    assert_eq!(p.foreign_partners.len(), 1);
    assert_eq!(p.foreign_partners[0].name, "Municipalité de Rabat");
    assert_eq!(p.foreign_partners[0].country.as_deref(), Some("MA"));
    assert_eq!(
        p.foreign_partners[0].country_name_fr.as_deref(),
        Some("Maroc")
    );

    assert_eq!(p.foreign_contacts.len(), 1);
    let c = &p.foreign_contacts[0];
    assert_eq!(
        (c.last_name.as_str(), c.first_name.as_str()),
        ("BOUCHAM", "Sabah")
    );
    assert_eq!(
        c.role.as_deref(),
        Some("Vice Présidente en charge de l'action sociale")
    );
    assert_eq!(c.email.as_deref(), Some("sabahboucham@gmail.com"));

    assert_eq!(p.french_partners.len(), 1);
    assert_eq!(p.french_partners[0].name, "Mantes la Jolie");
    assert_eq!(p.french_partners[0].code.as_deref(), Some("commune-78361"));
    assert_eq!(p.french_partners[0].official_code.as_deref(), Some("78361"));
    assert_eq!(p.french_partners[0].kind, Some(CollectivityKind::Commune));

    assert_eq!(p.fundings.len(), 9);
    let total: f64 = p.fundings.iter().map(|f| f.amount_eur).sum();
    assert_eq!(total, 113_850.0);
    assert_eq!(p.fundings[3].funder, "Mantes la Jolie");
    assert_eq!(p.fundings[3].amount_eur, 10_000.0);
    assert_eq!(p.fundings[3].year, Some(2019));
    assert!(p.volunteers.is_empty());

    let embassy = p.embassy.expect("embassy attached to Morocco");
    assert_eq!(embassy.post, "Ambassade de France à Rabat");
    assert_eq!(embassy.country, "MA");
    assert_eq!(embassy.contacts.len(), 2);
    assert_eq!(
        embassy.contacts[0].role,
        EmbassyRole::DecentralisedCooperationCorrespondent
    );
    assert_eq!(embassy.contacts[0].name, "Frédérick BOUIN");
    assert_eq!(
        embassy.contacts[0].email.as_deref(),
        Some("frederick.coopdec@gmail.com")
    );
    assert_eq!(embassy.contacts[1].role, EmbassyRole::CooperationCounsellor);
    assert_eq!(
        embassy.contacts[1].email.as_deref(),
        Some("bertrand.commelin@diplomatie.gouv.fr")
    );
    t.drop().await;
}

#[tokio::test]
async fn importing_twice_creates_no_duplicate() {
    let t = TestDb::new().await;
    let files = [fixture("000_001612c233d2473f.txt")];
    let first = import_files(&t.db, &files)
        .await
        .unwrap()
        .remove(0)
        .unwrap();
    let second = import_files(&t.db, &files)
        .await
        .unwrap()
        .remove(0)
        .unwrap();
    assert_eq!(first.outcome, Outcome::Created);
    assert_eq!(second.outcome, Outcome::Updated);
    assert_eq!(first.id, second.id);
    assert_eq!(partnership::Entity::find().count(&t.db).await.unwrap(), 1);
    assert_eq!(
        foreign_authority::Entity::find()
            .count(&t.db)
            .await
            .unwrap(),
        1
    );
    assert_eq!(post_contact::Entity::find().count(&t.db).await.unwrap(), 2);
    let p = get_published(&t.db, first.id).await.unwrap();
    assert_eq!(p.fundings.len(), 9);
    assert_eq!(p.version, 2);
    t.drop().await;
}

#[tokio::test]
async fn a_malformed_file_is_reported_and_the_others_still_import() {
    let t = TestDb::new().await;
    let files = [
        fixture("900_malforme.txt"),
        fixture("000_001612c233d2473f.txt"),
        fixture("does-not-exist.txt"),
    ];
    let outcomes = import_files(&t.db, &files).await.unwrap();
    match &outcomes[0] {
        Err(err @ ImportError::Parse { error, .. }) => {
            let message = err.to_string();
            assert!(message.contains("900_malforme.txt"), "{message}");
            assert!(
                message.contains(&format!("ligne {}", error.line)),
                "{message}"
            );
            assert!(error.line > 1);
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
    assert!(outcomes[1].is_ok());
    assert!(matches!(outcomes[2], Err(ImportError::Read { .. })));
    assert_eq!(partnership::Entity::find().count(&t.db).await.unwrap(), 1);
    t.drop().await;
}

#[tokio::test]
async fn a_page_with_several_partners_water_funding_and_volunteers() {
    let t = TestDb::new().await;
    let outcomes = import_files(
        &t.db,
        &[
            fixture("100_multi_partenaires.txt"),
            fixture("101_volontaires.txt"),
        ],
    )
    .await
    .unwrap();
    let multi = outcomes[0].as_ref().expect("multi imports");
    let p = get_published(&t.db, multi.id).await.unwrap();
    assert_eq!(p.status, Some(Status::Completed));
    assert_eq!(p.foreign_partners.len(), 3);
    let mut countries: Vec<_> = p
        .foreign_partners
        .iter()
        .filter_map(|f| f.country.clone())
        .collect();
    countries.sort();
    countries.dedup();
    assert_eq!(countries.len(), 2, "{countries:?}");
    assert_eq!(p.other_themes.len(), 2);
    assert!(p.other_themes.iter().all(|o| o.priority.is_some()));
    assert_eq!(p.foreign_contacts.len(), 3);
    assert_eq!(p.french_partners.len(), 2);
    assert!(
        p.french_partners.iter().all(|f| f.code.is_some()),
        "{:?}",
        p.french_partners
    );
    assert!(p.fundings.iter().any(|f| f.water_1pct_eur.is_some()));
    assert_eq!(p.volunteers.len(), 2);

    let volunteers = outcomes[1].as_ref().expect("volunteers page imports");
    let v = get_published(&t.db, volunteers.id).await.unwrap();
    assert_eq!(v.status, Some(Status::Planned));
    assert_eq!(v.duration, Some(Duration::MultiYear));
    assert!(v.embassy.is_none());
    assert!(!v.volunteers.is_empty());
    assert!(v
        .volunteers
        .iter()
        .any(|x| x.mission.is_some() && x.field.is_some()));
    t.drop().await;
}

/// The hostile corpus of the browser tests (`hostile.spec.ts`) in a legacy page's text fields:
/// imported as typed, byte for byte, and shown as text on the public page (no markup made of
/// it); a file that is not UTF-8 is refused with its name, and the others still import.
#[tokio::test]
async fn hostile_text_in_a_legacy_page_is_kept_as_typed_and_shown_inert() {
    let t = TestDb::new().await;
    let not_utf8 = std::env::temp_dir().join(format!("atlas_latin1_{}.txt", std::process::id()));
    std::fs::write(&not_utf8, b"Titre\nCoop\xe9ration d\xe9centralis\xe9e\n").unwrap();
    let outcomes = import_files(&t.db, &[not_utf8.clone(), fixture("910_hostile.txt")])
        .await
        .unwrap();
    std::fs::remove_file(&not_utf8).ok();
    match &outcomes[0] {
        Err(err @ ImportError::Encoding { .. }) => {
            let message = err.to_string();
            assert!(message.contains("atlas_latin1_"), "{message}");
            assert!(message.contains("UTF-8"), "{message}");
        }
        other => panic!("expected an encoding error, got {other:?}"),
    }
    let done = outcomes[1].as_ref().expect("the hostile page imports");

    let p = get_published(&t.db, done.id).await.unwrap();
    let script = "<script>window.__pwned = 1</script>";
    let img = "<img src=x onerror=\"window.__pwned = 1\">";
    let svg = "\"><svg onload=\"window.__pwned = 1\"></svg>";
    assert_eq!(
        p.title,
        format!("Page hostile </title>{script} Ouaga\u{202E}exe.tnemucod\u{202C}")
    );
    let starts = |field: &Option<String>, with: &str| {
        assert!(
            field.as_deref().unwrap_or_default().starts_with(with),
            "{field:?} starts with {with}"
        )
    };
    starts(&p.context, &format!("{img} '; DROP TABLE partnership; --"));
    starts(&p.history, svg);
    starts(&p.objectives_local, "javascript:window.__pwned = 1");
    starts(
        &p.objectives_france,
        "data:text/html,<script>window.__pwned = 1</script>",
    );
    starts(&p.description, &"W".repeat(450));
    starts(&p.beneficiaries, "zéro\u{200B}largeur\u{200D}\u{FEFF}");

    // The page shows all of it as text.
    let app = server::router(common::state(&t.db).await);
    let (status, _, html) = common::get(&app, &format!("/partenariats/{}", done.id)).await;
    assert_eq!(status, http::StatusCode::OK);
    for markup in [
        script,
        img,
        "<svg onload",
        "href=\"javascript:",
        "href=\"data:",
    ] {
        assert!(!html.contains(markup), "{markup} is in the page as markup");
    }
    for text in [
        "&lt;/title&gt;&lt;script&gt;window.__pwned = 1&lt;/script&gt;",
        "&lt;img src=x onerror=",
        "&lt;svg onload=",
        "zéro\u{200B}largeur",
    ] {
        assert!(html.contains(text), "{text} is not in the page as text");
    }
    t.drop().await;
}
