//! The reference lists over HTTP: who keeps the themes, the forms and the embassies; each change
//! checked, versioned, kept as a revision and seen by every server through the change log; the
//! plain forms of the administration pages.

use crate::common;
use crate::contribute::{as_person, ouahigouya, world, Client, PEOPLE};

use app::server::entities::reference_revision;
use http::{Method, StatusCode};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};

fn errors_on(body: &Value, field: &str) -> String {
    body["errors"][field]
        .as_array()
        .map(|m| {
            m.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(" ; ")
        })
        .unwrap_or_default()
}

/// The theme `code` as a server's index knows it (`/api/v1/themes`).
async fn indexed_theme(client: &mut Client, code: &str) -> Option<Value> {
    let (status, themes) = client.get("/api/v1/themes").await;
    assert_eq!(status, StatusCode::OK);
    themes["items"]
        .as_array()
        .expect("a list of themes")
        .iter()
        .find(|t| t["code"] == code)
        .cloned()
}

#[tokio::test]
async fn who_keeps_which_list() {
    let w = world().await;
    let mut admin = Client::signed_in(&w.app, "admin@atlas.fr").await;
    let (status, body) = admin
        .put(
            "/api/v1/admin/embassies/BF",
            json!({"name": "Ambassade de France à Ouagadougou", "contacts": []}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    use StatusCode as S;
    // (what, expected status per person, in the order of PEOPLE)
    let lists = [
        S::UNAUTHORIZED,
        S::FORBIDDEN,
        S::FORBIDDEN,
        S::FORBIDDEN,
        S::FORBIDDEN,
        S::OK,
        S::OK,
    ];
    let add = [
        S::UNAUTHORIZED,
        S::FORBIDDEN,
        S::FORBIDDEN,
        S::FORBIDDEN,
        S::FORBIDDEN,
        S::CREATED,
        S::CREATED,
    ];
    let embassy_bf = [
        S::UNAUTHORIZED,
        S::FORBIDDEN,
        S::FORBIDDEN,
        S::OK,
        S::FORBIDDEN,
        S::OK,
        S::OK,
    ];
    let embassies = [
        S::UNAUTHORIZED,
        S::FORBIDDEN,
        S::FORBIDDEN,
        S::OK,
        S::OK,
        S::OK,
        S::OK,
    ];
    for (i, (who, email)) in PEOPLE.iter().enumerate() {
        let mut client = as_person(&w.app, *email).await;
        for api in ["/api/v1/admin/themes", "/api/v1/admin/forms"] {
            let (status, body) = client.get(api).await;
            assert_eq!(status, lists[i], "{who} reads {api}: {body}");
        }
        let code = format!("DUR.EAU.T{i}");
        let (status, body) = client
            .post(
                "/api/v1/admin/themes",
                json!({"code": code, "parent": "DUR.EAU", "label_fr": "Essai", "label_en": "Trial"}),
            )
            .await;
        assert_eq!(status, add[i], "{who} adds a theme: {body}");
        let (status, body) = client
            .post(
                "/api/v1/admin/forms",
                json!({"code": format!("FORME{i}"), "label_fr": "Essai", "label_en": "Trial"}),
            )
            .await;
        assert_eq!(status, add[i], "{who} adds a form: {body}");
        let (status, body) = client
            .put(
                "/api/v1/admin/themes/DUR.EAU",
                json!({"label_fr": "Eau et assainissement", "label_en": "Water and sanitation",
                       "version": 999}),
            )
            .await;
        let stale = if add[i] == S::CREATED {
            S::CONFLICT
        } else {
            add[i]
        };
        assert_eq!(status, stale, "{who} changes a theme: {body}");

        let (status, body) = client.get("/api/v1/admin/embassies/BF").await;
        assert_eq!(
            status, embassy_bf[i],
            "{who} reads the embassy in BF: {body}"
        );
        let (status, body) = client
            .put(
                "/api/v1/admin/embassies/BF",
                json!({"name": "Ambassade de France à Ouagadougou", "contacts": [], "version": 999}),
            )
            .await;
        let stale = if embassy_bf[i] == S::OK {
            S::CONFLICT
        } else {
            embassy_bf[i]
        };
        assert_eq!(status, stale, "{who} changes the embassy in BF: {body}");
        let (status, body) = client.get("/api/v1/admin/embassies").await;
        assert_eq!(status, embassies[i], "{who} lists the embassies: {body}");
        if status == S::OK {
            let countries: Vec<&str> = body
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|e| e["country"].as_str())
                .collect();
            let expected: &[&str] = if *who == "embassy outside it" {
                &[]
            } else {
                &["BF"]
            };
            assert_eq!(countries, expected, "{who} sees their embassies only");
        }
    }
    w.t.drop().await;
}

#[tokio::test]
async fn a_theme_is_checked_versioned_kept_and_seen_by_every_server() {
    let w = world().await;
    let mut keeper = Client::signed_in(&w.app, "moderation@diplomatie.gouv.fr").await;
    let mut officer = Client::signed_in(&w.app, "agent@chambery.fr").await;
    // A second server on the same database.
    let other_state = common::state(&w.t.db).await;
    let other_app = server::router(other_state.clone());
    let mut other = Client::new(&other_app);

    // Each mistake named by its field, in French.
    let (status, body) = keeper
        .post(
            "/api/v1/admin/themes",
            json!({"code": "eau de pluie", "parent": "DUR.EAU"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(errors_on(&body, "code").contains("majuscules"), "{body}");
    assert!(
        errors_on(&body, "label_fr").contains("obligatoire"),
        "{body}"
    );
    assert!(
        errors_on(&body, "label_en").contains("obligatoire"),
        "{body}"
    );
    let (status, body) = keeper
        .post(
            "/api/v1/admin/themes",
            json!({"code": "DUR.PLUIE", "parent": "DUR.EAU", "label_fr": "Eaux de pluie",
                   "label_en": "Rainwater"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(errors_on(&body, "code").contains("DUR.EAU."), "{body}");
    let (status, body) = keeper
        .post(
            "/api/v1/admin/themes",
            json!({"code": "DUR.EAU.POT.X", "parent": "DUR.EAU.POT", "label_fr": "Trop profond",
                   "label_en": "Too deep"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(errors_on(&body, "parent").contains("niveaux"), "{body}");
    let (status, body) = keeper
        .post(
            "/api/v1/admin/themes",
            json!({"code": "DUR.EAU.POT", "parent": "DUR.EAU", "label_fr": "Doublon",
                   "label_en": "Twice"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(errors_on(&body, "code").contains("existe déjà"), "{body}");

    // Added: under its parent, after its siblings, at version 1.
    let (status, added) = keeper
        .post(
            "/api/v1/admin/themes",
            json!({"code": "dur.eau.pluie", "parent": "DUR.EAU", "label_fr": "Eaux de pluie",
                   "label_en": "Rainwater"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    assert_eq!(added["code"], "DUR.EAU.PLUIE");
    assert_eq!(added["level"], 3);
    assert_eq!(added["version"], 1);
    let (_, list) = keeper.get("/api/v1/admin/themes").await;
    let codes: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["code"].as_str())
        .collect();
    let at = codes.iter().position(|c| *c == "DUR.EAU.PLUIE").unwrap();
    assert_eq!(
        codes[at - 1],
        "DUR.EAU.GIR",
        "after its siblings: {codes:?}"
    );

    // Every server sees it through the change log, this one and the other.
    w.state.search.follow(&w.t.db).await.unwrap();
    other_state.search.follow(&other_state.db).await.unwrap();
    let theme = indexed_theme(&mut other, "DUR.EAU.PLUIE").await;
    assert!(
        theme.is_some(),
        "the other server's index has the new theme"
    );

    // An officer can now declare with it.
    let mut draft = ouahigouya();
    draft["theme"] = json!("DUR.EAU.PLUIE");
    let (status, body) = officer.post("/api/v1/partnerships", draft).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // Relabelled at the version read; the same version again is a conflict.
    let change = json!({"label_fr": "Récupération des eaux de pluie", "label_en": "Rainwater harvesting",
                        "version": 1});
    let (status, saved) = keeper
        .put("/api/v1/admin/themes/DUR.EAU.PLUIE", change.clone())
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], 2);
    assert_eq!(saved["used"], 1);
    let (status, body) = keeper
        .put("/api/v1/admin/themes/DUR.EAU.PLUIE", change)
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    other_state.search.follow(&other_state.db).await.unwrap();
    let theme = indexed_theme(&mut other, "DUR.EAU.PLUIE").await.unwrap();
    assert_eq!(
        theme["label_fr"].as_str(),
        Some("Récupération des eaux de pluie"),
        "{theme}"
    );

    // Nothing in use is deleted, nor a theme with sub-themes.
    let (status, body) = keeper
        .call(
            Method::DELETE,
            "/api/v1/admin/themes/DUR.EAU.PLUIE?version=2",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(errors_on(&body, "code").contains("1 partenariat"), "{body}");
    let (status, body) = keeper
        .call(
            Method::DELETE,
            "/api/v1/admin/themes/DUR.EAU?version=1",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(errors_on(&body, "code").contains("sous-thème"), "{body}");

    // An unused one is, at its version; then it is gone from every index.
    let (status, body) = keeper
        .post(
            "/api/v1/admin/themes",
            json!({"code": "DUR.EAU.BREF", "parent": "DUR.EAU", "label_fr": "Éphémère",
                   "label_en": "Short-lived"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, _) = keeper
        .call(
            Method::DELETE,
            "/api/v1/admin/themes/DUR.EAU.BREF?version=7",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, body) = keeper
        .call(
            Method::DELETE,
            "/api/v1/admin/themes/DUR.EAU.BREF?version=1",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, _) = keeper.get("/api/v1/admin/themes/DUR.EAU.BREF").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    other_state.search.follow(&other_state.db).await.unwrap();
    assert!(indexed_theme(&mut other, "DUR.EAU.BREF").await.is_none());

    // Every change kept, with who made it and what it wrote.
    let revisions = reference_revision::Entity::find()
        .filter(reference_revision::Column::List.eq("themes"))
        .order_by_asc(reference_revision::Column::Id)
        .all(&w.t.db)
        .await
        .unwrap();
    let story: Vec<(&str, &str, i32)> = revisions
        .iter()
        .map(|r| (r.entry.as_str(), r.action.as_str(), r.version))
        .collect();
    assert_eq!(
        story,
        [
            ("DUR.EAU.PLUIE", "created", 1),
            ("DUR.EAU.PLUIE", "updated", 2),
            ("DUR.EAU.BREF", "created", 1),
            ("DUR.EAU.BREF", "deleted", 2),
        ]
    );
    assert!(revisions.iter().all(|r| r.author_id.is_some()));
    assert!(revisions[1]
        .snapshot
        .contains("Récupération des eaux de pluie"));
    // The entry's page shows its history, newest first: by whom, its labels then.
    let (status, page) = keeper
        .get("/administration/thematiques/DUR.EAU.PLUIE")
        .await;
    assert_eq!(status, StatusCode::OK);
    let page = page.as_str().unwrap();
    let history = &page[page.find("Historique").expect("a history")..];
    assert!(history.contains("moderation@diplomatie.gouv.fr"));
    let (changed, added) = (
        history.find("Récupération des eaux de pluie").unwrap(),
        history.find("Eaux de pluie").unwrap(),
    );
    assert!(changed < added, "newest first");

    // The forms of partnership, the same way.
    let (status, form) = keeper
        .post(
            "/api/v1/admin/forms",
            json!({"code": "CONVENTION", "label_fr": "Convention-cadre", "label_en": "Framework agreement"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{form}");
    let (status, form) = keeper
        .put(
            "/api/v1/admin/forms/CONVENTION",
            json!({"label_fr": "Convention-cadre pluriannuelle", "label_en": "Multi-year framework agreement",
                   "position": 0, "version": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{form}");
    let (_, forms) = keeper.get("/api/v1/admin/forms").await;
    assert_eq!(
        forms[0]["code"], "CONVENTION",
        "position 0 comes first: {forms}"
    );
    let (status, body) = keeper
        .call(
            Method::DELETE,
            "/api/v1/admin/forms/JUMELAGE?version=1",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "in use: {body}");
    w.t.drop().await;
}

#[tokio::test]
async fn embassies_are_kept_by_their_moderators_and_shown_on_the_pages() {
    let w = world().await;
    let mut embassy = Client::signed_in(&w.app, "coop@ambafrance-bf.org").await;
    let mut national = Client::signed_in(&w.app, "moderation@diplomatie.gouv.fr").await;

    // A national moderator adds it; an embassy moderator cannot add one elsewhere.
    let (status, body) = embassy
        .put(
            "/api/v1/admin/embassies/ML",
            json!({"name": "Ambassade de France à Bamako"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = national
        .put("/api/v1/admin/embassies/ZZ", json!({"name": "Nulle part"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(errors_on(&body, "country").contains("ZZ"), "{body}");
    let (status, added) = national
        .put(
            "/api/v1/admin/embassies/bf",
            json!({"name": "Ambassade de France à Ouagadougou"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    assert_eq!(added["country"], "BF");
    assert_eq!(added["version"], 1);
    let (status, body) = national
        .put(
            "/api/v1/admin/embassies/BF",
            json!({"name": "Ambassade de France à Ouagadougou"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "exists: {body}");

    // The embassy moderator keeps its contacts; each mistake named by its row.
    let (status, body) = embassy
        .put(
            "/api/v1/admin/embassies/BF",
            json!({"name": "Ambassade de France à Ouagadougou", "version": 1, "contacts": [
                {"role": "coopdec_correspondent", "name": "Awa Sawadogo", "email": "awa.sawadogo"},
                {"role": "other", "name": ""},
            ]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        errors_on(&body, "contacts[0].email").contains("awa.sawadogo"),
        "{body}"
    );
    assert!(
        errors_on(&body, "contacts[1].name").contains("obligatoire"),
        "{body}"
    );
    let before = w.state.search.generation();
    let (status, saved) = embassy
        .put(
            "/api/v1/admin/embassies/BF",
            json!({"name": "Ambassade de France au Burkina Faso", "version": 1, "contacts": [
                {"role": "coopdec_correspondent", "name": "Awa Sawadogo",
                 "email": "awa.sawadogo@diplomatie.gouv.fr"},
            ]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], 2);
    assert_eq!(saved["contacts"][0]["name"], "Awa Sawadogo");

    // Every server forgets its cached pages, without rebuilding its index.
    w.state.search.follow(&w.t.db).await.unwrap();
    assert!(
        w.state.search.generation() > before,
        "cached pages are stale"
    );

    // The partnership page shows the new post; its contact's email only to people.
    let mut officer = Client::signed_in(&w.app, "agent@chambery.fr").await;
    let (_, created) = officer.post("/api/v1/partnerships", ouahigouya()).await;
    let id = created["id"].as_i64().unwrap();
    officer
        .post(&format!("/api/v1/partnerships/{id}/submit"), json!({}))
        .await;
    let (status, body) = national
        .post(&format!("/api/v1/moderation/{id}/approve"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, page) = Client::new(&w.app)
        .get(&format!("/api/v1/partnerships/{id}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let text = page.to_string();
    assert!(
        text.contains("Ambassade de France au Burkina Faso"),
        "{text}"
    );
    assert!(
        !text.contains("awa.sawadogo@"),
        "no email for harvesters: {text}"
    );

    // Deleted at its version, kept in the history.
    let (status, _) = embassy
        .call(Method::DELETE, "/api/v1/admin/embassies/BF?version=1", None)
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, body) = embassy
        .call(Method::DELETE, "/api/v1/admin/embassies/BF?version=2", None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let actions: Vec<String> = reference_revision::Entity::find()
        .filter(reference_revision::Column::List.eq("embassies"))
        .order_by_asc(reference_revision::Column::Id)
        .all(&w.t.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert_eq!(actions, ["created", "updated", "deleted"]);
    w.t.drop().await;
}

#[tokio::test]
async fn the_administration_forms_work_without_javascript() {
    let w = world().await;
    let mut admin = Client::signed_in(&w.app, "admin@atlas.fr").await;

    // A refusal goes back to the form; an addition to the new entry's page.
    let (status, to) = admin
        .form(
            "/administration/formes",
            &[
                ("code", "convention"),
                ("label_fr", ""),
                ("label_en", "Agreement"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/administration/formes#ajouter");
    let (_, page) = admin.get("/administration/formes").await;
    let page = page.as_str().unwrap_or_default().to_string();
    assert!(
        page.contains("le libellé en français est obligatoire"),
        "the error is shown"
    );
    assert!(
        page.contains("value=\"convention\""),
        "what was typed is kept"
    );
    let (status, to) = admin
        .form(
            "/administration/formes",
            &[
                ("code", "convention"),
                ("label_fr", "Convention-cadre"),
                ("label_en", "Framework agreement"),
                ("position", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(to, "/administration/formes/CONVENTION?ajoute=1");

    // A stale save comes back with what was typed beside what is saved.
    let (status, to) = admin
        .form(
            "/administration/formes/CONVENTION",
            &[
                ("action", "save"),
                ("version", "1"),
                ("label_fr", "Convention-cadre (v2)"),
                ("label_en", "Framework agreement"),
            ],
        )
        .await;
    assert_eq!(
        (status, to.as_str()),
        (
            StatusCode::SEE_OTHER,
            "/administration/formes/CONVENTION?enregistre=1"
        )
    );
    let (status, to) = admin
        .form(
            "/administration/formes/CONVENTION",
            &[
                ("action", "save"),
                ("version", "1"),
                ("label_fr", "Convention (autre onglet)"),
                ("label_en", "Framework agreement"),
            ],
        )
        .await;
    assert_eq!(
        (status, to.as_str()),
        (StatusCode::SEE_OTHER, "/administration/formes/CONVENTION")
    );
    let (_, page) = admin.get("/administration/formes/CONVENTION").await;
    let page = page.as_str().unwrap_or_default().to_string();
    assert!(
        page.contains("modifiée entre-temps"),
        "the conflict is said"
    );
    assert!(
        page.contains("value=\"Convention (autre onglet)\""),
        "nothing typed is lost"
    );
    assert!(
        page.contains("Convention-cadre (v2)"),
        "what was saved meanwhile is shown"
    );

    // Deleted from its page.
    let (status, to) = admin
        .form(
            "/administration/formes/CONVENTION",
            &[("action", "delete"), ("version", "2")],
        )
        .await;
    assert_eq!(
        (status, to.as_str()),
        (
            StatusCode::SEE_OTHER,
            "/administration/formes?supprime=CONVENTION"
        )
    );

    // An embassy: added, then its contacts; errors name the row as the form shows it.
    let (_, to) = admin
        .form(
            "/administration/ambassades",
            &[
                ("country", "BF"),
                ("name", "Ambassade de France à Ouagadougou"),
            ],
        )
        .await;
    assert_eq!(to, "/administration/ambassades/BF?ajoute=1");
    let (_, to) = admin
        .form(
            "/administration/ambassades/BF",
            &[
                ("action", "save"),
                ("version", "1"),
                ("name", "Ambassade de France à Ouagadougou"),
                ("contacts[0].role", "coopdec_correspondent"),
                ("contacts[0].name", ""),
                ("contacts[0].email", ""),
                ("contacts[1].role", "other"),
                ("contacts[1].name", "SCAC"),
                ("contacts[1].email", "pas une adresse"),
            ],
        )
        .await;
    assert_eq!(to, "/administration/ambassades/BF");
    let (_, page) = admin.get("/administration/ambassades/BF").await;
    let page = page.as_str().unwrap_or_default().to_string();
    assert!(
        page.contains("id=\"contacts-1-email-erreur\""),
        "the error is on the second row, where it was typed"
    );
    assert!(!page.contains("id=\"contacts-0-email-erreur\""));
    w.t.drop().await;
}
