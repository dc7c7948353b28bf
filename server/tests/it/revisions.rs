//! Changing a published partnership: a staff member's change is proposed and stays off the
//! public record until a moderator publishes it; a moderator's own change publishes at once;
//! an edit from a stale version is refused with what changed meanwhile; the history, its
//! diffs and restoring a revision; who may do each.

use crate::contribute::{as_person, ouahigouya, outbox, world, Client, PEOPLE};
use http::{Method, StatusCode};
use serde_json::{json, Value};

/// Declared by Chambéry, submitted and published by the embassy in Burkina Faso: its id and
/// version.
pub(crate) async fn published(officer: &mut Client, embassy: &mut Client) -> (i64, i64) {
    let (_, saved) = officer.post("/api/v1/partnerships", ouahigouya()).await;
    let id = saved["id"].as_i64().unwrap();
    officer
        .post(&format!("/api/v1/partnerships/{id}/submit"), json!({}))
        .await;
    let (status, saved) = embassy
        .post(&format!("/api/v1/moderation/{id}/approve"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    (id, saved["version"].as_i64().unwrap())
}

/// The change of one field in a list of changes.
fn change<'a>(changes: &'a Value, field: &str) -> &'a Value {
    changes
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == field)
        .unwrap_or_else(|| panic!("no change of {field} in {changes}"))
}

fn pieces(text_change: &Value, kind: &str) -> Vec<String> {
    text_change["pieces"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] == kind)
        .map(|p| p["text"].as_str().unwrap().trim().to_string())
        .collect()
}

#[tokio::test]
async fn a_staff_change_is_proposed_then_published_by_a_moderator() {
    let w = world().await;
    let mut officer = Client::signed_in(&w.app, "agent@chambery.fr").await;
    let mut embassy = Client::signed_in(&w.app, "coop@ambafrance-bf.org").await;
    let (id, version) = published(&mut officer, &mut embassy).await;
    let uri = format!("/api/v1/partnerships/{id}");

    // The officer changes the title, a word of the description and a funding row.
    let mut edited = ouahigouya();
    edited["version"] = json!(version);
    edited["title"] = json!("Chambéry – Ouahigouya : l'eau d'abord");
    edited["description"] =
        json!("Forages et latrines dans les collèges <script>alert(1)</script>");
    edited["fundings"][0]["amount_eur"] = json!(30000);
    let (status, saved) = officer.put(&uri, edited).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["state"], "published");
    assert_eq!(saved["proposed"], true);
    let proposed = saved["version"].as_i64().unwrap();
    assert_eq!(proposed, version + 1);

    // The public record keeps the published text, in the API, the search and the page.
    let public = crate::common::json(&w.app, &uri).await;
    assert_eq!(
        public["title"],
        "Chambéry – Ouahigouya : eau et assainissement"
    );
    let search = crate::common::json(&w.app, "/api/v1/partnerships?q=abord").await;
    assert_eq!(search["total"], 0, "a proposal is not in the search");
    // Its author reads what she proposed, and that it awaits a moderator.
    let (_, mine) = officer.get(&uri).await;
    assert_eq!(mine["title"], "Chambéry – Ouahigouya : l'eau d'abord");
    assert_eq!(mine["proposal"], "proposed");
    assert_eq!(mine["version"], proposed);
    let (_, dashboard) = officer.get("/api/v1/me/partnerships").await;
    assert_eq!(dashboard[0]["proposal"], "proposed");

    // The moderator sees it in the queue with what it changes: the title, the words, the row.
    let (_, queue) = embassy.get("/api/v1/moderation/queue").await;
    let item = &queue.as_array().unwrap()[0];
    assert_eq!(item["id"], id);
    assert_eq!(item["proposal"], "proposed");
    let title = change(&item["changes"], "title");
    assert_eq!(title["kind"], "value");
    assert_eq!(
        title["before"],
        "Chambéry – Ouahigouya : eau et assainissement"
    );
    assert_eq!(title["after"], "Chambéry – Ouahigouya : l'eau d'abord");
    let description = change(&item["changes"], "description");
    assert_eq!(pieces(description, "removed"), ["écoles"]);
    assert_eq!(pieces(description, "added"), ["collèges"]);
    let fundings = change(&item["changes"], "fundings");
    assert_eq!(fundings["kind"], "rows");
    assert_eq!(fundings["added"], json!([]));
    assert_eq!(fundings["removed"], json!([]));
    let changed = &fundings["changed"][0];
    assert!(changed[0].as_str().unwrap().contains("25"), "{changed}");
    assert!(changed[1].as_str().unwrap().contains("30"), "{changed}");
    assert_eq!(
        item["changes"].as_array().unwrap().len(),
        3,
        "{}",
        item["changes"]
    );

    // Another edit from the version read before the proposal: refused, with what changed.
    let mut late = ouahigouya();
    late["version"] = json!(version);
    late["start_year"] = json!(2020);
    let (status, body) = embassy.put(&uri, late).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["version"], proposed);
    assert_eq!(body["changed"], json!(["title", "description", "fundings"]));
    assert!(body["error"].as_str().unwrap().contains("conservée"));

    // One field changed more, by PATCH: the proposal is replaced, still awaiting.
    let (status, saved) = officer
        .call(
            Method::PATCH,
            &uri,
            Some(json!({"version": proposed, "start_year": 2018})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["proposed"], true);
    let proposed = saved["version"].as_i64().unwrap();
    let (_, mine) = officer.get(&uri).await;
    assert_eq!(mine["start_year"], 2018);
    assert_eq!(
        mine["title"], "Chambéry – Ouahigouya : l'eau d'abord",
        "kept"
    );

    // Published by the moderator: public at once, the officer told by email.
    let mails = outbox(&w.state).len();
    let (status, saved) = embassy
        .post(
            &format!("/api/v1/moderation/{id}/approve"),
            json!({"version": proposed}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let public = crate::common::json(&w.app, &uri).await;
    assert_eq!(public["title"], "Chambéry – Ouahigouya : l'eau d'abord");
    assert_eq!(public["start_year"], 2018);
    let search = crate::common::json(&w.app, "/api/v1/partnerships?q=abord").await;
    assert_eq!(search["total"], 1);
    let mails = &outbox(&w.state)[mails..];
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("To: agent@chambery.fr"));
    let (_, queue) = embassy.get("/api/v1/moderation/queue").await;
    assert_eq!(queue, json!([]));

    // The public history: the two publications, on whose behalf, without people or drafts.
    let history = crate::common::json(&w.app, &format!("{uri}/history")).await;
    let entries = history["entries"].as_array().unwrap();
    assert!(
        entries.iter().all(|e| e["state"] == "published"),
        "{history}"
    );
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|e| e.get("author").is_none()));
    assert_eq!(entries[0]["by"]["kind"], "moderation");
    assert_eq!(
        change(&entries[0]["changes"], "title")["after"],
        "Chambéry – Ouahigouya : l'eau d'abord"
    );
    assert_eq!(history["can_restore"], false);
    // Its author's history: every revision, the proposals and their authors.
    let (_, history) = officer.get(&format!("{uri}/history")).await;
    let states: Vec<&str> = history["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["state"].as_str().unwrap())
        .collect();
    assert_eq!(
        states,
        [
            "published",
            "proposed",
            "proposed",
            "published",
            "submitted",
            "draft"
        ]
    );
    assert_eq!(history["entries"][1]["author"], "agent@chambery.fr");
    assert_eq!(
        history["entries"][1]["by"],
        json!({"kind": "authorities", "names": ["Chambéry"]})
    );

    // A revision as it stood: published ones for everyone (without personal data), the others
    // for insiders only.
    let first = crate::common::json(&w.app, &format!("{uri}/revisions/{version}")).await;
    assert_eq!(
        first["title"],
        "Chambéry – Ouahigouya : eau et assainissement"
    );
    assert!(first["foreign_contacts"][0].get("email").is_none());
    let (status, _) = Client::new(&w.app)
        .get(&format!("{uri}/revisions/{proposed}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = officer.get(&format!("{uri}/revisions/{proposed}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["state"], "proposed");
    assert_eq!(body["foreign_contacts"][0]["email"], "awa@ouahigouya.bf");

    // Restored by a moderator: the first published text again, as a new revision.
    let (_, now) = embassy.get(&uri).await;
    let (status, saved) = embassy
        .post(
            &format!("{uri}/revisions/{version}/restore"),
            json!({"version": now["version"], "comment": "retour au texte signé"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["state"], "published");
    let public = crate::common::json(&w.app, &uri).await;
    assert_eq!(
        public["title"],
        "Chambéry – Ouahigouya : eau et assainissement"
    );
    assert_eq!(public["start_year"], 2019);
    let (_, history) = officer.get(&format!("{uri}/history")).await;
    assert_eq!(history["entries"][0]["state"], "published");
    assert_eq!(
        history["entries"][0]["comment"],
        format!("Révision {version} rétablie : retour au texte signé")
    );
    w.t.drop().await;
}

#[tokio::test]
async fn a_proposal_returned_is_corrected_and_a_rejected_one_leaves_the_published_text() {
    let w = world().await;
    let mut officer = Client::signed_in(&w.app, "agent@chambery.fr").await;
    let mut embassy = Client::signed_in(&w.app, "coop@ambafrance-bf.org").await;
    let (id, version) = published(&mut officer, &mut embassy).await;
    let uri = format!("/api/v1/partnerships/{id}");

    let mut edited = ouahigouya();
    edited["version"] = json!(version);
    edited["context"] = json!("Un jumelage ancien.");
    let (_, saved) = officer.put(&uri, edited).await;
    let (status, body) = embassy
        .post(&format!("/api/v1/moderation/{id}/return"), json!({}))
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a comment is required: {body}"
    );
    let (status, answer) = embassy
        .post(
            &format!("/api/v1/moderation/{id}/return"),
            json!({"comment": "précisez l'année du jumelage", "version": saved["version"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    // Returned: she still has her text to correct, and the comment.
    let (_, mine) = officer.get(&uri).await;
    assert_eq!(mine["proposal"], "proposal_returned");
    assert_eq!(mine["context"], "Un jumelage ancien.");
    let (_, dashboard) = officer.get("/api/v1/me/partnerships").await;
    assert_eq!(dashboard[0]["comment"], "précisez l'année du jumelage");
    // And on the partnership's page, where she corrects it.
    let (_, page) = officer.get(&format!("/partenariats/{id}")).await;
    let page = page.as_str().unwrap().to_string();
    assert!(
        page.contains("précisez l&#x27;année du jumelage")
            || page.contains("précisez l'année du jumelage")
    );
    assert!(page.contains("La modération a renvoyé la modification proposée"));
    let (_, queue) = embassy.get("/api/v1/moderation/queue").await;
    assert_eq!(queue, json!([]), "no longer awaiting a moderator");

    // Corrected and proposed again, then rejected: the published text stays, nothing open.
    let (status, saved) = officer
        .call(
            Method::PATCH,
            &uri,
            Some(json!({"version": mine["version"], "context": "Un jumelage depuis 1967."})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let (status, _) = embassy
        .post(
            &format!("/api/v1/moderation/{id}/reject"),
            json!({"comment": "hors sujet"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, mine) = officer.get(&uri).await;
    assert!(mine.get("proposal").is_none(), "{mine}");
    assert!(mine["context"].is_null());
    let public = crate::common::json(&w.app, &uri).await;
    assert!(public["context"].is_null());

    // A moderator's own change publishes at once.
    let mut edited = ouahigouya();
    edited["version"] = mine["version"].clone();
    edited["context"] = json!("Jumelage signé en 1991.");
    let (status, saved) = embassy.put(&uri, edited).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert!(saved.get("proposed").is_none());
    let public = crate::common::json(&w.app, &uri).await;
    assert_eq!(public["context"], "Jumelage signé en 1991.");

    // A proposal must stay publishable: what publication needs is checked at once.
    let mut incomplete = ouahigouya();
    incomplete["version"] = saved["version"].clone();
    incomplete["theme"] = Value::Null;
    let (status, body) = officer.put(&uri, incomplete).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["errors"]["theme"].is_array(), "{body}");
    w.t.drop().await;
}

#[tokio::test]
async fn the_authorization_matrix_of_changes_and_history() {
    let w = world().await;
    let people = PEOPLE;
    use StatusCode as S;
    // (expected per person, in the order above)
    let change = [
        S::UNAUTHORIZED,
        S::OK,
        S::FORBIDDEN,
        S::OK,
        S::FORBIDDEN,
        S::OK,
        S::OK,
    ];
    let history = [S::OK; 7];
    let restore = [
        S::UNAUTHORIZED,
        S::FORBIDDEN,
        S::FORBIDDEN,
        S::OK,
        S::FORBIDDEN,
        S::OK,
        S::OK,
    ];
    // A draft's history is its authors' and moderators' only.
    let draft_history = [
        S::NOT_FOUND,
        S::OK,
        S::NOT_FOUND,
        S::OK,
        S::NOT_FOUND,
        S::OK,
        S::OK,
    ];
    let mut creator = Client::signed_in(&w.app, "agent@chambery.fr").await;
    let mut publisher = Client::signed_in(&w.app, "coop@ambafrance-bf.org").await;
    for (i, (who, email)) in people.iter().enumerate() {
        let mut client = as_person(&w.app, *email).await;
        let (id, version) = published(&mut creator, &mut publisher).await;
        let uri = format!("/api/v1/partnerships/{id}");
        let mut edited = ouahigouya();
        edited["version"] = json!(version);
        edited["context"] = json!("Contexte");
        let (status, body) = client.put(&uri, edited).await;
        assert_eq!(status, change[i], "{who} changes a published one: {body}");

        let (id, version) = published(&mut creator, &mut publisher).await;
        let uri = format!("/api/v1/partnerships/{id}");
        let (status, body) = client
            .call(
                Method::PATCH,
                &uri,
                Some(json!({"version": version, "context": "Contexte"})),
            )
            .await;
        assert_eq!(status, change[i], "{who} patches: {body}");
        let (status, body) = client.get(&format!("{uri}/history")).await;
        assert_eq!(status, history[i], "{who} reads the history: {body}");
        let (status, body) = client.get(&format!("{uri}/revisions/{version}")).await;
        assert_eq!(status, history[i], "{who} reads a revision: {body}");
        let (status, body) = client
            .post(&format!("{uri}/revisions/1/restore"), json!({}))
            .await;
        assert_eq!(status, restore[i], "{who} restores: {body}");

        let (_, saved) = creator.post("/api/v1/partnerships", ouahigouya()).await;
        let draft = saved["id"].as_i64().unwrap();
        let (status, body) = client
            .get(&format!("/api/v1/partnerships/{draft}/history"))
            .await;
        assert_eq!(
            status, draft_history[i],
            "{who} reads a draft's history: {body}"
        );
        let (status, body) = client
            .get(&format!("/api/v1/partnerships/{draft}/revisions/1"))
            .await;
        assert_eq!(
            status, draft_history[i],
            "{who} reads a draft's revision: {body}"
        );
    }
    w.t.drop().await;
}
