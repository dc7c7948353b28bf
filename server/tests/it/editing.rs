//! A published partnership changed on its own page, by the plain forms a browser posts without
//! JavaScript: one section at a time through the write path (the other sections untouched), a
//! staff edit proposed and kept off the public page, a refusal that comes back with what was
//! typed, a late save that shows what changed meanwhile and keeps the input, rows added in
//! place, the history page and a restore from it; and who sees the controls.

use crate::contribute::{as_person, world, Client, PEOPLE};
use crate::revisions::published;
use http::StatusCode;
use serde_json::Value;

/// A page's HTML, as the client sees it.
async fn html(client: &mut Client, uri: &str) -> String {
    let (status, body) = client.get(uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}");
    match body {
        Value::String(html) => html,
        other => panic!("{uri}: not a page: {other}"),
    }
}

#[tokio::test]
async fn a_section_is_changed_in_place_and_a_late_save_keeps_what_was_typed() {
    let w = world().await;
    let mut officer = Client::signed_in(&w.app, "agent@chambery.fr").await;
    let mut embassy = Client::signed_in(&w.app, "coop@ambafrance-bf.org").await;
    let mut other = Client::signed_in(&w.app, "agent@paris.fr").await;
    let mut public = Client::new(&w.app);
    let (id, version) = published(&mut officer, &mut embassy).await;
    let page = format!("/partenariats/{id}");
    let api = format!("/api/v1/partnerships/{id}");

    // Its editors see a control per section; the public and other authorities see none.
    let mine = html(&mut officer, &page).await;
    for code in [
        "titre",
        "calendrier",
        "contexte",
        "financement",
        "volontaires",
    ] {
        assert!(
            mine.contains(&format!("action=\"/partenariats/{id}/modifier/{code}\"")),
            "{code}"
        );
    }
    assert!(!html(&mut public, &page).await.contains("/modifier/"));
    assert!(!html(&mut other, &page).await.contains("/modifier/"));

    // The context, written by the officer: proposed, and only the context (a title posted
    // with it is not this section's).
    let v = version.to_string();
    let (status, to) = officer
        .form(
            &format!("{page}/modifier/contexte"),
            &[
                ("version", &v),
                ("context", "Un jumelage signé en 1991."),
                ("title", "Pas ce titre"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(to.contains("modifie=contexte&propose=1"), "{to}");
    let now = crate::common::json(&w.app, &api).await;
    assert!(
        now["context"].is_null(),
        "the public record keeps the published text"
    );
    let (_, proposed) = officer.get(&api).await;
    assert_eq!(proposed["context"], "Un jumelage signé en 1991.");
    assert_eq!(
        proposed["title"],
        "Chambéry – Ouahigouya : eau et assainissement"
    );
    assert_eq!(proposed["fundings"].as_array().unwrap().len(), 2);
    let mine = html(&mut officer, &format!("{page}?modifie=contexte&propose=1")).await;
    assert!(mine.contains("sera publiée après validation"));
    assert!(
        mine.contains("attend la validation d&#x27;un modérateur")
            || mine.contains("attend la validation d'un modérateur")
    );
    assert!(!html(&mut public, &page).await.contains("Un jumelage signé"));

    // A year in letters: refused, back at the section with the input and the error.
    let proposed_version = proposed["version"].to_string();
    let (_, to) = officer
        .form(
            &format!("{page}/modifier/calendrier"),
            &[
                ("version", &proposed_version),
                ("start_year", "deux mille"),
                ("theme", "DUR.EAU"),
                ("status", "ongoing"),
            ],
        )
        .await;
    assert!(
        to.ends_with("?modifier=calendrier#modifier-calendrier"),
        "{to}"
    );
    let back = html(&mut officer, &to).await;
    assert!(back.contains("value=\"deux mille\""));
    assert!(back.contains("id=\"modifier-calendrier\" open"));
    // Shown once: the next view is the stored text again.
    assert!(!html(&mut officer, &page).await.contains("deux mille"));

    // A row added in place, nothing saved yet.
    let (_, to) = officer
        .form(
            &format!("{page}/modifier/financement"),
            &[
                ("version", &proposed_version),
                ("fundings[0].funder", "Ville de Chambéry"),
                ("fundings[0].amount_eur", "25000,5"),
                ("fundings[0].year", "2019"),
                ("action", "add:fundings"),
            ],
        )
        .await;
    let back = html(&mut officer, &to).await;
    assert!(back.contains("name=\"fundings[1].funder\""));
    assert!(
        !back.contains("value=\"Agence de l'eau"),
        "the second row, left out, is gone from the form"
    );

    // The embassy saves the funding table from the version it read before the proposal: too
    // late. Nothing is written; its input is kept, with what changed meanwhile.
    let (_, to) = embassy
        .form(
            &format!("{page}/modifier/financement"),
            &[
                ("version", &v),
                ("fundings[0].funder", "Ville de Chambéry"),
                ("fundings[0].amount_eur", "31000"),
                ("fundings[0].year", "2020"),
                ("action", "save"),
            ],
        )
        .await;
    assert!(to.contains("modifier=financement"), "{to}");
    let back = html(&mut embassy, &to).await;
    assert!(back.contains("La fiche a été modifiée pendant votre saisie"));
    assert!(
        back.contains("Un jumelage signé en 1991."),
        "what changed meanwhile"
    );
    assert!(back.contains("value=\"31000\""), "its input kept");
    assert!(back.contains(&format!("name=\"version\" value=\"{proposed_version}\"")));
    let (_, unchanged) = embassy.get(&api).await;
    assert_eq!(unchanged["fundings"][0]["amount_eur"], 25000.5);

    // Saved again from the version it was given: a moderator's edit publishes at once.
    let (_, to) = embassy
        .form(
            &format!("{page}/modifier/financement"),
            &[
                ("version", &proposed_version),
                ("fundings[0].funder", "Ville de Chambéry"),
                ("fundings[0].amount_eur", "31000"),
                ("fundings[0].year", "2020"),
                ("action", "save"),
            ],
        )
        .await;
    assert!(
        to.contains("modifie=financement") && !to.contains("propose"),
        "{to}"
    );
    let now = crate::common::json(&w.app, &api).await;
    assert_eq!(now["fundings"].as_array().unwrap().len(), 1);
    assert_eq!(now["fundings"][0]["amount_eur"], 31000.0);
    assert_eq!(
        now["title"],
        "Chambéry – Ouahigouya : eau et assainissement"
    );

    // The history page: the changes, words and rows, for everyone; restore for the moderator.
    let history = format!("{page}/historique");
    let seen = html(&mut public, &history).await;
    assert!(seen.contains("Historique des modifications"));
    assert!(seen.contains("<del>") && seen.contains("<ins>"));
    assert!(!seen.contains("/retablir"));
    assert!(
        !seen.contains("agent@chambery.fr"),
        "no people for the public"
    );
    let seen = html(&mut embassy, &history).await;
    let restore = format!("action=\"/partenariats/{id}/historique/{version}/retablir\"");
    assert!(seen.contains(&restore), "{seen}");
    let current = now["version"].to_string();
    let (_, to) = embassy
        .form(
            &format!("{page}/historique/{version}/retablir"),
            &[("version", &current), ("comment", "montants à vérifier")],
        )
        .await;
    assert!(to.ends_with(&format!("?retabli={version}")), "{to}");
    let now = crate::common::json(&w.app, &api).await;
    assert_eq!(now["fundings"].as_array().unwrap().len(), 2);
    // A restore from a stale version is refused.
    let (_, to) = embassy
        .form(
            &format!("{page}/historique/{version}/retablir"),
            &[("version", &current)],
        )
        .await;
    assert!(to.ends_with("?erreur=conflit"), "{to}");
    // Staff may not restore.
    let (status, _) = officer
        .form(
            &format!("{page}/historique/{version}/retablir"),
            &[("version", &now["version"].to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    w.t.drop().await;
}

#[tokio::test]
async fn the_authorization_matrix_of_the_page_forms_and_server_functions() {
    let w = world().await;
    let people = PEOPLE;
    // (may edit, may restore) per person, in the order above.
    let rights = [
        (false, false),
        (true, false),
        (false, false),
        (true, true),
        (false, false),
        (true, true),
        (true, true),
    ];
    let mut creator = Client::signed_in(&w.app, "agent@chambery.fr").await;
    let mut publisher = Client::signed_in(&w.app, "coop@ambafrance-bf.org").await;
    for ((who, email), (edits, restores)) in people.iter().zip(rights) {
        let mut client = as_person(&w.app, *email).await;
        let (id, version) = published(&mut creator, &mut publisher).await;
        let page = format!("/partenariats/{id}");
        let v = version.to_string();

        // What the page offers: the editing controls' data, the restore forms.
        let (status, editing) = client
            .server_fn("/api/fn/editing", &[("id", &id.to_string())])
            .await;
        assert_eq!(status, StatusCode::OK, "{who}");
        assert_eq!(
            editing.is_object(),
            edits,
            "{who} gets the editing data: {editing}"
        );
        let (status, history) = client
            .server_fn("/api/fn/history", &[("id", &id.to_string())])
            .await;
        assert_eq!(status, StatusCode::OK, "{who}");
        assert_eq!(history["can_restore"], restores, "{who}");
        let shown = html(&mut client, &page).await;
        assert_eq!(
            shown.contains("/modifier/"),
            edits,
            "{who} sees the controls"
        );

        // The forms themselves, refused by the services whatever the page showed.
        let (status, to) = client
            .form(
                &format!("{page}/modifier/contexte"),
                &[("version", &v), ("context", "Contexte"), ("action", "save")],
            )
            .await;
        match (email, edits) {
            (None, _) => assert!(to.starts_with("/connexion"), "{who}: {to}"),
            (Some(_), true) => assert!(to.contains("modifie=contexte"), "{who}: {to}"),
            (Some(_), false) => assert_eq!(status, StatusCode::NOT_FOUND, "{who} edits"),
        }
        let (_, now) = publisher.get(&format!("/api/v1/partnerships/{id}")).await;
        let (status, to) = client
            .form(
                &format!("{page}/historique/{version}/retablir"),
                &[("version", &now["version"].to_string())],
            )
            .await;
        match (email, restores) {
            (None, _) => assert!(to.starts_with("/connexion"), "{who}: {to}"),
            (Some(_), true) => assert!(to.contains("retabli="), "{who}: {to}"),
            (Some(_), false) => assert_eq!(status, StatusCode::FORBIDDEN, "{who} restores"),
        }
    }
    w.t.drop().await;
}

#[tokio::test]
async fn the_partners_section_adds_a_foreign_partner_and_keeps_the_authority() {
    let w = world().await;
    let mut officer = Client::signed_in(&w.app, "agent@chambery.fr").await;
    let mut embassy = Client::signed_in(&w.app, "coop@ambafrance-bf.org").await;
    let (id, version) = published(&mut officer, &mut embassy).await;
    let page = format!("/partenariats/{id}");
    let api = format!("/api/v1/partnerships/{id}");
    let (_, now) = officer.get(&api).await;
    let ouahigouya = now["foreign_partners"][0]["id"].to_string();
    let v = version.to_string();
    let (_, to) = officer
        .form(
            &format!("{page}/modifier/partenaires"),
            &[
                ("version", &v),
                ("french_partners[0]", "commune-73065"),
                ("foreign_partners[0].id", &ouahigouya),
                ("foreign_partners[0].name", "Ouahigouya"),
                ("foreign_partners[0].country", "BF"),
                ("foreign_partners[1].name", "Bobo-Dioulasso"),
                ("foreign_partners[1].country", "BF"),
                ("action", "save"),
            ],
        )
        .await;
    assert!(to.contains("modifie=partenaires&propose=1"), "{to}");
    let (_, proposed) = officer.get(&api).await;
    let names: Vec<&str> = proposed["foreign_partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Ouahigouya", "Bobo-Dioulasso"]);
    assert_eq!(
        proposed["title"], now["title"],
        "the title is another section's"
    );
    // Handing the partnership to another authority is refused by the write path.
    let (status, _) = officer
        .form(
            &format!("{page}/modifier/partenaires"),
            &[
                ("version", &proposed["version"].to_string()),
                ("french_partners[0]", "commune-75056"),
                ("foreign_partners[0].id", &ouahigouya),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    w.t.drop().await;
}
