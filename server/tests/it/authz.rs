//! Every route of the application and every server function, and who may call it: the
//! authorization matrices of the contribution issues (`contribute.rs`, `editing.rs`,
//! `revisions.rs`: who may change which partnership) extended to the whole application.
//!
//! What exists is read from the application itself, not from this file: the OpenAPI document,
//! the registered server functions, the pages' route list, and the form routes in the router's
//! source; each path is then asked with every method, and every method that answers (not 405)
//! must have its line in `ROUTES`. A route added without saying who may call it fails here.
//!
//! Each line is then called by five people, from the least to the most trusted: the ones it is
//! not for are refused (401, 403, or the sign-in page for a form) and change nothing in the
//! database; the ones it is for get past the refusal (whatever the answer then is: the services'
//! own matrices check which partnership or account each may change).

use crate::common;
use crate::contribute::{as_person, ouahigouya, world, Client};
use crate::revisions::published;
use http::{header, Method, StatusCode};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// Who may call a route: everyone from that level up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Anyone signed in (the services then decide on the object).
    SignedIn,
    /// Moderators (an embassy, the ministry) and administrators.
    Moderators,
    /// The ministry's moderators and administrators: the reference lists.
    National,
    /// Administrators: the accounts.
    Admin,
}
use Access::*;

/// The five people, least trusted first, and the level each has.
const PEOPLE: [(&str, Option<&str>, Access); 5] = [
    ("anonymous", None, Public),
    (
        "staff of the authority",
        Some("agent@chambery.fr"),
        SignedIn,
    ),
    (
        "embassy in its country",
        Some("coop@ambafrance-bf.org"),
        Moderators,
    ),
    (
        "national moderator",
        Some("moderation@diplomatie.gouv.fr"),
        National,
    ),
    ("administrator", Some("admin@atlas.fr"), Admin),
];

/// How a route is called: a page or a read, a JSON body, a form, a server function's
/// arguments (form-encoded, or JSON for those that take JSON).
enum Call {
    Read,
    Json(fn(&Ids) -> Value),
    Form(fn(&Ids) -> Vec<(&'static str, String)>),
    FnJson(fn(&Ids) -> Value),
}
use Call::*;

/// Every route: method, path as the router declares it, who may call it, how it is called.
/// Writes that would undo the test's own set-up (deleting the embassy) come last.
const ROUTES: &[(&str, &str, Access, Call)] = &[
    // Health, documents and open data.
    ("GET", "/healthz", Public, Read),
    ("GET", "/readyz", Public, Read),
    ("GET", "/api/v1/openapi.json", Public, Read),
    ("GET", "/api/v1/partnerships", Public, Read),
    ("GET", "/api/v1/partnerships.csv", Public, Read),
    ("GET", "/api/v1/partnerships.atom", Public, Read),
    ("GET", "/api/v1/partnerships.iati.xml", Public, Read),
    ("GET", "/api/v1/schema/partnerships.json", Public, Read),
    ("GET", "/api/v1/themes", Public, Read),
    ("GET", "/api/v1/authorities", Public, Read),
    ("GET", "/api/v1/authorities/{key}", Public, Read),
    ("GET", "/api/v1/authorities/{key}/synergies", Public, Read),
    ("GET", "/api/v1/synergies", Public, Read),
    ("GET", "/api/v1/partnerships/{id}", Public, Read),
    ("GET", "/api/v1/partnerships/{id}/synergies", Public, Read),
    // A partnership's history: everyone sees its published revisions (the services' matrix in
    // revisions.rs says who sees the others).
    ("GET", "/api/v1/partnerships/{id}/history", Public, Read),
    (
        "GET",
        "/api/v1/partnerships/{id}/revisions/{n}",
        Public,
        Read,
    ),
    ("GET", "/carte/{file}", Public, Read),
    ("GET", "/embed/collectivites/{key}", Public, Read),
    ("GET", "/langue/{lang}", Public, Read),
    // Public pages.
    ("GET", "/", Public, Read),
    ("GET", "/partenariats", Public, Read),
    ("GET", "/partenariats/{id}", Public, Read),
    ("GET", "/partenariats/{id}/historique", Public, Read),
    ("GET", "/carte", Public, Read),
    ("GET", "/pays/{iso2}", Public, Read),
    ("GET", "/collectivites/{code}", Public, Read),
    ("GET", "/partenaires/{id}", Public, Read),
    ("GET", "/statistiques", Public, Read),
    ("GET", "/donnees-ouvertes", Public, Read),
    ("GET", "/synergies", Public, Read),
    // Signing in and out, asking for an account, a forgotten password.
    ("GET", "/connexion", Public, Read),
    (
        "POST",
        "/connexion",
        Public,
        Form(|_| vec![("email", "x@y.fr".into())]),
    ),
    ("POST", "/deconnexion", Public, Form(|_| vec![])),
    (
        "POST",
        "/api/v1/auth/login",
        Public,
        Json(|_| json!({"email": "nobody@atlas.fr", "password": "pas le bon mot de passe"})),
    ),
    ("POST", "/api/v1/auth/logout", Public, Json(|_| json!({}))),
    ("GET", "/compte/demande", Public, Read),
    ("POST", "/compte/demande", Public, Form(|_| vec![])),
    ("GET", "/compte/confirmer", Public, Read),
    ("GET", "/compte/mot-de-passe-oublie", Public, Read),
    (
        "POST",
        "/compte/mot-de-passe-oublie",
        Public,
        Form(|_| vec![]),
    ),
    ("GET", "/compte/nouveau-mot-de-passe", Public, Read),
    (
        "POST",
        "/compte/nouveau-mot-de-passe",
        Public,
        Form(|_| vec![]),
    ),
    // One's own account, tokens and workspace.
    ("GET", "/api/v1/auth/me", SignedIn, Read),
    ("GET", "/compte", SignedIn, Read),
    (
        "POST",
        "/compte/mot-de-passe",
        SignedIn,
        Form(|_| {
            vec![
                ("current", "pas le bon mot de passe".into()),
                ("password", "un autre mot de passe long".into()),
                ("confirm", "un autre mot de passe long".into()),
            ]
        }),
    ),
    ("GET", "/api/v1/me/tokens", SignedIn, Read),
    (
        "POST",
        "/api/v1/me/tokens",
        SignedIn,
        Json(|_| json!({"name": "matrice"})),
    ),
    ("DELETE", "/api/v1/me/tokens/{id}", SignedIn, Read),
    (
        "POST",
        "/compte/jetons",
        SignedIn,
        Form(|_| vec![("name", "matrice".into())]),
    ),
    (
        "POST",
        "/compte/jetons/{id}/revoquer",
        SignedIn,
        Form(|_| vec![]),
    ),
    ("GET", "/espace", SignedIn, Read),
    ("GET", "/api/v1/me/partnerships", SignedIn, Read),
    // Declaring and changing partnerships (which one: the services' matrices).
    (
        "POST",
        "/api/v1/partnerships",
        SignedIn,
        Json(|_| ouahigouya()),
    ),
    ("GET", "/espace/declarations/nouvelle", SignedIn, Read),
    (
        "POST",
        "/espace/declarations/nouvelle",
        SignedIn,
        Form(declaration),
    ),
    ("GET", "/espace/declarations/{id}/{step}", SignedIn, Read),
    (
        "POST",
        "/espace/declarations/{id}/{step}",
        SignedIn,
        Form(declaration),
    ),
    ("PUT", "/api/v1/partnerships/{id}", SignedIn, Json(full)),
    (
        "PATCH",
        "/api/v1/partnerships/{id}",
        SignedIn,
        Json(|ids| json!({"version": ids.version, "context": "Un jumelage."})),
    ),
    (
        "POST",
        "/api/v1/partnerships/{id}/submit",
        SignedIn,
        Json(|_| json!({})),
    ),
    (
        "POST",
        "/partenariats/{id}/modifier/{section}",
        SignedIn,
        Form(|ids| {
            vec![
                ("version", ids.version.to_string()),
                ("context", "Un jumelage.".into()),
                ("action", "save".into()),
            ]
        }),
    ),
    // Moderation.
    ("GET", "/moderation", Moderators, Read),
    ("GET", "/api/v1/moderation/queue", Moderators, Read),
    (
        "POST",
        "/api/v1/moderation/{id}/{decision}",
        Moderators,
        Json(|_| json!({})),
    ),
    (
        "POST",
        "/api/v1/moderation/approve",
        Moderators,
        Json(|ids| json!({"ids": [ids.partnership]})),
    ),
    (
        "POST",
        "/moderation/{id}",
        Moderators,
        Form(|_| vec![("decision", "approve".into())]),
    ),
    (
        "POST",
        "/moderation/publier",
        Moderators,
        Form(|ids| vec![("ids", ids.partnership.to_string())]),
    ),
    (
        "POST",
        "/api/v1/partnerships/{id}/revisions/{n}/restore",
        Moderators,
        Json(|ids| json!({"version": ids.version})),
    ),
    (
        "POST",
        "/partenariats/{id}/historique/{n}/retablir",
        Moderators,
        Form(|ids| vec![("version", ids.version.to_string())]),
    ),
    ("GET", "/moderation/comptes", Moderators, Read),
    (
        "POST",
        "/moderation/comptes/{id}",
        Moderators,
        Form(|_| vec![("decision", "refuse".into())]),
    ),
    ("GET", "/administration/ambassades", Moderators, Read),
    (
        "GET",
        "/administration/ambassades/{country}",
        Moderators,
        Read,
    ),
    ("GET", "/api/v1/admin/embassies", Moderators, Read),
    ("GET", "/api/v1/admin/embassies/{country}", Moderators, Read),
    (
        "PUT",
        "/api/v1/admin/embassies/{country}",
        Moderators,
        Json(|_| json!({"name": "Ambassade de France au Burkina Faso", "contacts": []})),
    ),
    (
        "POST",
        "/administration/ambassades/{country}",
        Moderators,
        Form(|_| vec![("name", "Ambassade de France au Burkina Faso".into())]),
    ),
    (
        "POST",
        "/administration/ambassades",
        Moderators,
        Form(|_| vec![("country", "BF".into()), ("name", "Ambassade".into())]),
    ),
    // The reference lists.
    ("GET", "/administration/thematiques", National, Read),
    ("GET", "/administration/thematiques/{code}", National, Read),
    ("GET", "/administration/formes", National, Read),
    ("GET", "/administration/formes/{code}", National, Read),
    ("GET", "/api/v1/admin/themes", National, Read),
    ("POST", "/api/v1/admin/themes", National, Json(new_entry)),
    ("GET", "/api/v1/admin/themes/{code}", National, Read),
    (
        "PUT",
        "/api/v1/admin/themes/{code}",
        National,
        Json(blank_labels),
    ),
    ("DELETE", "/api/v1/admin/themes/{code}", National, Read),
    ("GET", "/api/v1/admin/forms", National, Read),
    ("POST", "/api/v1/admin/forms", National, Json(new_entry)),
    ("GET", "/api/v1/admin/forms/{code}", National, Read),
    (
        "PUT",
        "/api/v1/admin/forms/{code}",
        National,
        Json(blank_labels),
    ),
    ("DELETE", "/api/v1/admin/forms/{code}", National, Read),
    (
        "POST",
        "/administration/thematiques",
        National,
        Form(|_| vec![("code", "ZZ".into())]),
    ),
    (
        "POST",
        "/administration/thematiques/{code}",
        National,
        Form(|_| vec![("label_fr", String::new())]),
    ),
    (
        "POST",
        "/administration/formes",
        National,
        Form(|_| vec![("code", "ZZ".into())]),
    ),
    (
        "POST",
        "/administration/formes/{code}",
        National,
        Form(|_| vec![("label_fr", String::new())]),
    ),
    // Accounts.
    ("GET", "/administration/comptes", Admin, Read),
    ("GET", "/administration/comptes/{id}", Admin, Read),
    ("GET", "/api/v1/admin/accounts", Admin, Read),
    ("GET", "/api/v1/admin/accounts/{id}", Admin, Read),
    (
        "PUT",
        "/api/v1/admin/accounts/{id}",
        Admin,
        Json(|_| json!({"role": "chef", "state": "active", "authorities": [], "countries": []})),
    ),
    (
        "POST",
        "/administration/comptes/{id}",
        Admin,
        Form(|_| vec![("role", "chef".into())]),
    ),
    // Last: it removes the embassy the other lines use.
    (
        "DELETE",
        "/api/v1/admin/embassies/{country}",
        Moderators,
        Read,
    ),
];

/// Every server function: its name, who may call it, its arguments. Those open to everyone
/// serve the public pages; the others answer `null` or refuse to whoever they are not for.
const SERVER_FNS: &[(&str, Access, Call)] = &[
    ("search", Public, FnJson(|_| json!({"query": {}}))),
    ("statistics", Public, FnJson(|_| json!({"query": {}}))),
    (
        "partnership",
        Public,
        Form(|ids| vec![("id", ids.partnership.to_string())]),
    ),
    ("partnerships", Public, Form(|_| vec![("page", "1".into())])),
    (
        "partnership_synergies",
        Public,
        Form(|ids| vec![("id", ids.partnership.to_string())]),
    ),
    (
        "authority_synergies",
        Public,
        Form(|_| vec![("identity", "commune-73065".into())]),
    ),
    ("synergies", Public, FnJson(|_| json!({"query": {}}))),
    ("country", Public, Form(|_| vec![("iso2", "BF".into())])),
    (
        "authority",
        Public,
        Form(|_| vec![("code", "commune-73065".into())]),
    ),
    (
        "partner",
        Public,
        Form(|ids| vec![("id", ids.partner.to_string())]),
    ),
    (
        "history",
        Public,
        Form(|ids| vec![("id", ids.partnership.to_string())]),
    ),
    (
        "find_authorities",
        Public,
        Form(|_| vec![("q", "cham".into())]),
    ),
    (
        "find_foreign_authorities",
        Public,
        Form(|_| vec![("q", "ouah".into())]),
    ),
    ("account_form", Public, Form(|_| vec![])),
    ("me", SignedIn, Form(|_| vec![])),
    ("workspace", SignedIn, Form(|_| vec![])),
    ("api_tokens", SignedIn, Form(|_| vec![])),
    (
        "editing",
        SignedIn,
        Form(|ids| vec![("id", ids.partnership.to_string())]),
    ),
    (
        "declaration",
        SignedIn,
        Form(|ids| vec![("id", ids.partnership.to_string()), ("step", "1".into())]),
    ),
    (
        "declaration_live",
        SignedIn,
        FnJson(|ids| {
            json!({"id": ids.partnership, "step": 1, "version": ids.version,
                   "values": [["title", "Un titre"]], "save": false})
        }),
    ),
    ("moderation_queue", Moderators, Form(|_| vec![])),
    ("account_requests", Moderators, Form(|_| vec![])),
    ("embassies", Moderators, Form(|_| vec![])),
    (
        "embassy",
        Moderators,
        Form(|_| vec![("country", "BF".into())]),
    ),
    (
        "reference_entries",
        National,
        Form(|_| vec![("list", "themes".into())]),
    ),
    (
        "reference_entry",
        National,
        Form(|ids| vec![("list", "themes".into()), ("code", ids.theme.clone())]),
    ),
    ("admin_accounts", Admin, Form(|_| vec![])),
    (
        "admin_account",
        Admin,
        Form(|ids| vec![("id", ids.account.to_string())]),
    ),
];

/// The objects the routes' parameters name.
struct Ids {
    partnership: i64,
    version: i64,
    /// Its published revision.
    revision: i64,
    partner: i64,
    account: i64,
    theme: String,
    form: String,
}

/// A declaration's first step, as its form posts it.
fn declaration(ids: &Ids) -> Vec<(&'static str, String)> {
    vec![
        ("version", ids.version.to_string()),
        ("title", "Un titre".into()),
        ("action", "save".into()),
    ]
}

/// A new entry of a reference list.
fn new_entry(_: &Ids) -> Value {
    json!({"code": "ZZ", "label_fr": "Essai", "label_en": "Test"})
}

/// An entry's labels emptied: refused by the service once past the refusal of people.
fn blank_labels(_: &Ids) -> Value {
    json!({"label_fr": "", "label_en": ""})
}

/// The whole partnership, at the version read.
fn full(ids: &Ids) -> Value {
    let mut body = ouahigouya();
    body["version"] = json!(ids.version);
    body
}

impl Ids {
    /// A path with its parameters filled in.
    fn fill(&self, path: &str) -> String {
        let code = if path.contains("/formes/") || path.contains("/forms/") {
            &self.form
        } else {
            &self.theme
        };
        let id = if path.contains("jetons") || path.contains("tokens") {
            999_999
        } else if path.contains("compte") || path.contains("accounts") {
            self.account
        } else if path.starts_with("/partenaires/") {
            self.partner
        } else {
            self.partnership
        };
        let code = if path.starts_with("/collectivites/") {
            "commune-73065"
        } else {
            code
        };
        path.replace("{id}", &id.to_string())
            .replace("{n}", &self.revision.to_string())
            .replace("{decision}", "approve")
            .replace("{key}", "commune-73065")
            .replace("{code}", code)
            .replace("{file}", "monde.svg")
            .replace("{lang}", "fr")
            .replace("{iso2}", "BF")
            .replace("{country}", "BF")
            .replace("{section}", "contexte")
            .replace("{step}", "1")
    }
}

/// Whether an answer is a refusal: 401, 403, a form sent back to the sign-in page, or a
/// server function's `null` (what the pages show as "sign in first").
fn refused(status: StatusCode, headers: &http::HeaderMap, body: &[u8], server_fn: bool) -> bool {
    let location = headers
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default();
    matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
        || (status.is_redirection() && location.starts_with("/connexion"))
        || (server_fn && status == StatusCode::OK && body == b"null")
}

/// How many rows each table holds, sessions aside (signing in writes one): what a refused
/// request must leave as it was.
async fn row_counts(db: &sea_orm::DatabaseConnection) -> Vec<(String, i64)> {
    let backend = db.get_database_backend();
    let tables = if backend == sea_orm::DbBackend::Postgres {
        "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
    } else {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
    };
    let names = common::sql_strings(db, tables).await;
    let mut counts = Vec::new();
    for name in names.into_iter().filter(|n| !n.contains("session")) {
        let row = db
            .query_one_raw(Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM \"{name}\""),
            ))
            .await
            .unwrap()
            .unwrap();
        counts.push((name, row.try_get::<i64>("", "n").unwrap()));
    }
    counts
}

/// A path with its parameters unnamed (`/carte/{map}` and `/carte/{file}` are one route).
fn unnamed(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// What the application says exists: (method, path) for every route that answers.
async fn what_exists(app: &axum::Router) -> BTreeSet<(String, String)> {
    let mut paths = BTreeSet::new();
    // The API, from its description.
    let doc = common::json(app, "/api/v1/openapi.json").await;
    paths.extend(doc["paths"].as_object().unwrap().keys().cloned());
    // The pages, from the application's route list.
    for route in leptos_axum::generate_route_list(app::App) {
        paths.insert(route.path().to_string());
    }
    // The forms, from the router's source (its route literals) and the reference lists.
    for source in [
        include_str!("../../src/routes.rs"),
        include_str!("../../src/routes/reference.rs"),
    ] {
        let source = source.split("#[cfg(test)]").next().unwrap();
        for piece in source.split('"').skip(1).step_by(2) {
            if piece.starts_with('/') && !piece.starts_with("/api/fn") && piece.len() > 1 {
                paths.insert(piece.to_string());
            }
        }
    }
    for list in [
        app::models::ReferenceList::Themes,
        app::models::ReferenceList::Forms,
    ] {
        paths.insert(list.path().to_string());
        paths.insert(format!("{}/{{code}}", list.path()));
    }
    // Each path, asked with every method by someone signed out, with an empty body.
    let mut exists = BTreeSet::new();
    let mut anonymous = Client::new(app);
    for path in paths {
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            let uri = path.replace(['{', '}', '*'], "");
            let (status, _, _) = anonymous
                .send(
                    method.parse().unwrap(),
                    &uri,
                    Some(("application/json", "{}".into())),
                )
                .await;
            if status != StatusCode::METHOD_NOT_ALLOWED {
                exists.insert((method.to_string(), path.clone()));
            }
        }
    }
    exists
}

#[tokio::test]
async fn every_route_and_server_function_says_who_may_call_it() {
    let w = world().await;
    let db = &w.t.db;

    // Everything that exists has its line, and every line exists.
    let exists: BTreeSet<(String, String)> = what_exists(&w.app)
        .await
        .into_iter()
        .map(|(m, p)| (m, unnamed(&p)))
        .collect();
    let declared: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p, _, _)| (m.to_string(), unnamed(p)))
        .collect();
    let missing: Vec<_> = exists.difference(&declared).collect();
    assert!(
        missing.is_empty(),
        "routes without a line in ROUTES: {missing:?}"
    );
    let gone: Vec<_> = declared.difference(&exists).collect();
    assert!(
        gone.is_empty(),
        "lines of ROUTES that no route answers: {gone:?}"
    );
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/fn/").to_string())
        .collect();
    let listed: BTreeSet<String> = SERVER_FNS.iter().map(|(n, _, _)| n.to_string()).collect();
    assert_eq!(
        registered, listed,
        "every server function has its line in SERVER_FNS"
    );

    // The objects the lines name: a published partnership of Chambéry with Ouahigouya
    // (Burkina Faso), its foreign partner, an account, the partnership's theme and form.
    let mut officer = Client::signed_in(&w.app, "agent@chambery.fr").await;
    let mut embassy = Client::signed_in(&w.app, "coop@ambafrance-bf.org").await;
    let (partnership, version) = published(&mut officer, &mut embassy).await;
    let (_, shown) = officer
        .get(&format!("/api/v1/partnerships/{partnership}"))
        .await;
    let mut admin = Client::signed_in(&w.app, "admin@atlas.fr").await;
    let (_, accounts) = admin.get("/api/v1/admin/accounts?q=agent@paris.fr").await;
    let (_, history) = officer
        .get(&format!("/api/v1/partnerships/{partnership}/history"))
        .await;
    let revision = history["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["state"] == "published")
        .and_then(|e| e["number"].as_i64())
        .unwrap();
    let mut ids = Ids {
        partnership,
        version,
        revision,
        partner: shown["foreign_partners"][0]["id"].as_i64().unwrap(),
        account: accounts[0]["id"].as_i64().unwrap(),
        theme: shown["theme"].as_str().unwrap().to_string(),
        form: shown["form"].as_str().unwrap().to_string(),
    };

    let mut people = Vec::new();
    for (who, email, level) in PEOPLE {
        people.push((who, as_person(&w.app, email).await, level));
    }
    let mut failures = Vec::new();
    let calls = ROUTES
        .iter()
        .map(|(m, p, a, c)| (m.parse::<Method>().unwrap(), p.to_string(), *a, c, false))
        .chain(
            SERVER_FNS
                .iter()
                .map(|(name, a, c)| (Method::POST, format!("/api/fn/{name}"), *a, c, true)),
        )
        .collect::<Vec<_>>();
    for (method, path, access, call, server_fn) in calls {
        // A public route is checked signed out only: signing in or out as someone would
        // lose their session.
        for (who, client, level) in people.iter_mut() {
            if access == Public && *level != Public {
                continue;
            }
            let uri = ids.fill(&path);
            let body = match call {
                Read => None,
                Json(f) | FnJson(f) => Some(("application/json", f(&ids).to_string())),
                Form(f) => Some((
                    "application/x-www-form-urlencoded",
                    form_urlencoded::Serializer::new(String::new())
                        .extend_pairs(f(&ids))
                        .finish(),
                )),
            };
            let before = row_counts(db).await;
            let (status, headers, bytes) = client.send(method.clone(), &uri, body).await;
            let is_refused = refused(status, &headers, &bytes, server_fn);
            if *level >= access {
                if is_refused {
                    failures.push(format!("{method} {uri}: {who} refused ({status})"));
                }
            } else if !is_refused {
                failures.push(format!(
                    "{method} {uri}: {who} not refused ({status}: {})",
                    String::from_utf8_lossy(&bytes)
                        .chars()
                        .take(200)
                        .collect::<String>()
                ));
            } else if row_counts(db).await != before {
                failures.push(format!(
                    "{method} {uri}: {who} refused, but something was written"
                ));
            }
        }
        // A write may have moved the partnership on: the next lines use its version now.
        let (_, now) = officer
            .get(&format!("/api/v1/partnerships/{partnership}"))
            .await;
        ids.version = now["version"].as_i64().unwrap_or(ids.version);
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    w.t.drop().await;
}
