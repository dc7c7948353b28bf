//! The write path over HTTP: sign-in, declaring, saving, submitting, moderating; who may do
//! what (the authorization matrix), stale versions, validation errors that name the field,
//! emails in the outbox, and the search following each publication.

use crate::common;

use app::models::Role;
use app::server::services::users::{self, NewUser};
use axum::body::Body;
use common::TestDb;
use http::{header, Method, Request, StatusCode};
use serde_json::{json, Value};

pub(crate) const PASSWORD: &str = "un mot de passe assez long";

/// A browser-like client of the router: keeps the session cookie, says where it comes from.
#[derive(Clone)]
pub(crate) struct Client {
    app: axum::Router,
    cookie: Option<String>,
    origin: &'static str,
    /// A personal API token, sent as `Authorization: Bearer …`.
    bearer: Option<String>,
}

impl Client {
    pub(crate) fn new(app: &axum::Router) -> Client {
        Client {
            app: app.clone(),
            cookie: None,
            origin: "http://atlas.test",
            bearer: None,
        }
    }

    pub(crate) async fn call(
        &mut self,
        method: Method,
        uri: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let body = body.map(|b| ("application/json", b.to_string()));
        let (status, _, bytes) = self.send(method, uri, body).await;
        let value = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        (status, value)
    }

    /// Any request as this client sends it (its session or token, its origin), with a body of
    /// the given content type: the answer's status, headers and body.
    pub(crate) async fn send(
        &mut self,
        method: Method,
        uri: &str,
        body: Option<(&str, String)>,
    ) -> (StatusCode, http::HeaderMap, axum::body::Bytes) {
        let mut request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, "atlas.test")
            .header(header::ORIGIN, self.origin);
        if let Some(cookie) = &self.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        if let Some(token) = &self.bearer {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let request = match body {
            Some((content_type, body)) => request
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body)),
            None => request.body(Body::empty()),
        }
        .unwrap();
        let (status, headers, bytes) = common::send(&self.app, request).await;
        if let Some(set) = headers.get(header::SET_COOKIE) {
            let pair = set.to_str().unwrap().split(';').next().unwrap().to_string();
            self.cookie = Some(pair);
        }
        (status, headers, bytes)
    }

    /// A form posted from this site, form-encoded, with the session.
    fn form_request(&self, uri: &str, fields: &[(&str, &str)]) -> Request<Body> {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let mut request = Request::post(uri)
            .header(header::HOST, "atlas.test")
            .header(header::ORIGIN, self.origin)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(cookie) = &self.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        request.body(Body::from(body)).unwrap()
    }

    /// Posts a form as a browser without JavaScript does: the status and where it leads.
    pub(crate) async fn form(
        &mut self,
        uri: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, String) {
        let request = self.form_request(uri, fields);
        let (status, headers, _) = common::send(&self.app, request).await;
        if let Some(set) = headers.get(header::SET_COOKIE) {
            self.cookie = Some(set.to_str().unwrap().split(';').next().unwrap().to_string());
        }
        let location = headers
            .get(header::LOCATION)
            .map(|l| l.to_str().unwrap().to_string())
            .unwrap_or_default();
        (status, location)
    }

    /// Calls a server function as the pages do (fields form-encoded): its status and JSON.
    pub(crate) async fn server_fn(
        &mut self,
        uri: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        let request = self.form_request(uri, fields);
        let (status, _, bytes) = common::send(&self.app, request).await;
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    pub(crate) async fn get(&mut self, uri: &str) -> (StatusCode, Value) {
        self.call(Method::GET, uri, None).await
    }

    pub(crate) async fn post(&mut self, uri: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, uri, Some(body)).await
    }

    pub(crate) async fn put(&mut self, uri: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::PUT, uri, Some(body)).await
    }

    pub(crate) async fn signed_in(app: &axum::Router, email: &str) -> Client {
        let mut client = Client::new(app);
        let (status, me) = client
            .post(
                "/api/v1/auth/login",
                json!({"email": email, "password": PASSWORD}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{email}: {me}");
        assert!(client.cookie.is_some(), "a session cookie");
        client
    }
}

async fn account(
    t: &TestDb,
    email: &str,
    role: Role,
    authority: Option<&str>,
    country: Option<&str>,
) {
    users::create(
        &t.db,
        NewUser {
            email: email.into(),
            role: Some(role),
            function: None,
            authority: authority.map(Into::into),
            country: country.map(Into::into),
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap();
}

/// Chambéry's declaration of its partnership with Ouahigouya (Burkina Faso).
pub(crate) fn ouahigouya() -> Value {
    json!({
        "title": "Chambéry – Ouahigouya : eau et assainissement",
        "status": "ongoing",
        "start_year": 2019,
        "first_agreement_year": 1991,
        "form": "JUMELAGE",
        "theme": "DUR.EAU",
        "description": "Forages et latrines dans les écoles <script>alert(1)</script>",
        "french_partners": ["commune-73065"],
        "foreign_partners": [{"name": "Ouahigouya", "country": "BF"}],
        "foreign_contacts": [{"authority": "Mairie de Ouahigouya", "last_name": "Ouédraogo",
                              "first_name": "Awa", "role": "Chargée de coopération",
                              "email": "awa@ouahigouya.bf"}],
        "fundings": [{"funder": "Ville de Chambéry", "amount_eur": 25000.5, "year": 2019},
                     {"funder": "Agence de l'eau Rhône Méditerranée Corse", "amount_eur": 40000,
                      "water_1pct_eur": 40000, "year": 2019}],
        "volunteers": [],
    })
}

/// The first step of the declaration as the hydrated form sends it to `declaration_live`:
/// the inputs as named in the page.
fn live_step(id: Option<i64>, version: i32, save: bool) -> Value {
    json!({
        "id": id,
        "step": 1,
        "version": id.map(|_| version),
        "values": [
            ["title", "Chambéry – Ouahigouya : eau et assainissement"],
            ["french_partners[0]", "commune-73065"],
            ["foreign_partners[0].name", "Ouahigouya"],
            ["foreign_partners[0].country", "BF"],
        ],
        "save": save,
    })
}

pub(crate) struct World {
    pub t: TestDb,
    pub app: axum::Router,
    pub state: server::AppState,
}

pub(crate) async fn world() -> World {
    let t = TestDb::new().await;
    account(
        &t,
        "agent@chambery.fr",
        Role::Staff,
        Some("commune-73065"),
        None,
    )
    .await;
    account(
        &t,
        "agent@paris.fr",
        Role::Staff,
        Some("commune-75056"),
        None,
    )
    .await;
    account(
        &t,
        "coop@ambafrance-bf.org",
        Role::Moderator,
        None,
        Some("BF"),
    )
    .await;
    account(
        &t,
        "coop@ambafrance-ma.org",
        Role::Moderator,
        None,
        Some("MA"),
    )
    .await;
    account(
        &t,
        "moderation@diplomatie.gouv.fr",
        Role::Moderator,
        None,
        None,
    )
    .await;
    account(&t, "admin@atlas.fr", Role::Admin, None, None).await;
    let state = common::state(&t.db).await;
    let app = server::router(state.clone());
    World { t, app, state }
}

#[tokio::test]
async fn an_officer_declares_submits_and_a_moderator_publishes() {
    let w = world().await;
    let mut officer = Client::signed_in(&w.app, "agent@chambery.fr").await;
    let (status, me) = officer.get("/api/v1/auth/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["authorities"][0]["code"], "commune-73065");
    assert_eq!(me["role"], "staff");

    // Declared: a draft, not public; the index and the cached pages are left alone.
    let generation = w.state.search.generation();
    let (status, saved) = officer.post("/api/v1/partnerships", ouahigouya()).await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    assert_eq!(saved["state"], "draft");
    assert_eq!(saved["version"], 1);
    let id = saved["id"].as_i64().unwrap();
    let (status, _) = Client::new(&w.app)
        .get(&format!("/api/v1/partnerships/{id}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a draft is not public");
    let search = common::json(&w.app, "/api/v1/partnerships?q=Ouahigouya").await;
    assert_eq!(search["total"], 0, "drafts stay out of the search");
    assert_eq!(w.state.search.generation(), generation);

    // Its author reads it back whole, with its state and the contact's email; typed text is
    // stored as typed.
    let (status, mine) = officer.get(&format!("/api/v1/partnerships/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(mine["state"], "draft");
    assert_eq!(mine["foreign_contacts"][0]["email"], "awa@ouahigouya.bf");
    assert!(mine["description"]
        .as_str()
        .unwrap()
        .ends_with("<script>alert(1)</script>"));
    assert_eq!(mine["foreign_partners"][0]["country"], "BF");
    assert_eq!(mine["fundings"][0]["amount_eur"], 25000.5);

    // Saved again at version 1: version 2. Saved again at version 1: refused, nothing lost.
    let mut edited = ouahigouya();
    edited["version"] = json!(1);
    edited["title"] = json!("Chambéry – Ouahigouya : l'eau d'abord");
    let (status, saved) = officer
        .put(&format!("/api/v1/partnerships/{id}"), edited.clone())
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], 2);
    edited["title"] = json!("Une autre version");
    let (status, body) = officer
        .put(&format!("/api/v1/partnerships/{id}"), edited)
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (_, mine) = officer.get(&format!("/api/v1/partnerships/{id}")).await;
    assert_eq!(mine["title"], "Chambéry – Ouahigouya : l'eau d'abord");

    // Submitted; the moderator of Morocco does not see it, the one of Burkina Faso does.
    let (status, saved) = officer
        .post(
            &format!("/api/v1/partnerships/{id}/submit"),
            json!({"version": 2}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["state"], "submitted");
    let mut morocco = Client::signed_in(&w.app, "coop@ambafrance-ma.org").await;
    let (_, queue) = morocco.get("/api/v1/moderation/queue").await;
    assert_eq!(queue, json!([]));
    let mut burkina = Client::signed_in(&w.app, "coop@ambafrance-bf.org").await;
    let (status, queue) = burkina.get("/api/v1/moderation/queue?country=BF").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(queue[0]["id"], id);
    assert_eq!(queue[0]["countries"], json!(["BF"]));
    // The queue's page filters by how long a submission has waited.
    let (_, page) = burkina.get("/moderation").await;
    assert!(page.as_str().unwrap().contains("Chambéry – Ouahigouya"));
    let (_, page) = burkina.get("/moderation?attente=30").await;
    let page = page.as_str().unwrap();
    assert!(page.contains("En attente depuis"));
    assert!(
        !page.contains("Chambéry – Ouahigouya"),
        "submitted today: not among those waiting for more than 30 days"
    );

    // Returned with a comment: the officer is told by email and sees it on her dashboard.
    let (status, saved) = burkina
        .post(
            &format!("/api/v1/moderation/{id}/return"),
            json!({"comment": "ajoutez le financement 2018"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["state"], "returned");
    let mails = outbox(&w.state);
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("To: agent@chambery.fr"), "{}", mails[0]);
    assert!(mails[0].contains("ajoutez le financement 2018"));
    let (_, dashboard) = officer.get("/api/v1/me/partnerships").await;
    assert_eq!(dashboard[0]["state"], "returned");
    assert_eq!(dashboard[0]["comment"], "ajoutez le financement 2018");

    // Fixed, submitted again, published: in the search at once, without personal data.
    let mut fixed = ouahigouya();
    fixed["version"] = json!(4);
    fixed["fundings"]
        .as_array_mut()
        .unwrap()
        .push(json!({"funder": "Ville de Chambéry", "amount_eur": 12000, "year": 2018}));
    let (status, saved) = officer
        .put(&format!("/api/v1/partnerships/{id}"), fixed)
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    officer
        .post(&format!("/api/v1/partnerships/{id}/submit"), json!({}))
        .await;
    let (status, saved) = burkina
        .post(&format!("/api/v1/moderation/{id}/approve"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["state"], "published");
    assert!(w.state.search.generation() > generation);
    let search = common::json(&w.app, "/api/v1/partnerships?q=Ouahigouya").await;
    assert_eq!(search["total"], 1);
    let public = common::json(&w.app, &format!("/api/v1/partnerships/{id}")).await;
    assert_eq!(public["fundings"].as_array().unwrap().len(), 3);
    assert!(public["foreign_contacts"][0].get("email").is_none());
    assert_eq!(outbox(&w.state).len(), 2);

    // Every step kept a revision with its author; the moderator's with the comment.
    let revisions = common::sql_strings(
        &w.t.db,
        &format!(
            "SELECT state || ':' || COALESCE(comment, '') FROM partnership_revision \
             WHERE partnership_id = {id} AND author_id IS NOT NULL ORDER BY number"
        ),
    )
    .await;
    assert_eq!(
        revisions,
        [
            "draft:",
            "draft:",
            "submitted:",
            "returned:ajoutez le financement 2018",
            "returned:",
            "submitted:",
            "published:"
        ]
    );
    w.t.drop().await;
}

/// Undoes quoted-printable, as a mail reader does.
fn unquote(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The emails in a server's outbox, oldest first, decoded.
pub(crate) fn outbox(state: &server::AppState) -> Vec<String> {
    let dir = state.mailer.outbox_dir().expect("an outbox");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    files.sort_by_key(|p| std::fs::metadata(p).unwrap().modified().unwrap());
    files
        .iter()
        .map(|p| unquote(&std::fs::read_to_string(p).unwrap()))
        .collect()
}

#[tokio::test]
async fn bad_content_is_a_422_that_names_each_field() {
    let w = world().await;
    let mut officer = Client::signed_in(&w.app, "agent@chambery.fr").await;
    let mut bad = ouahigouya();
    bad["title"] = json!("  ");
    bad["start_year"] = json!(1492);
    bad["theme"] = json!("NOPE");
    bad["french_partners"] = json!(["commune-73065", "75"]);
    bad["foreign_partners"] = json!([{"name": "Ouahigouya"}]);
    bad["fundings"][0]["amount_eur"] = json!(-5);
    bad["foreign_contacts"][0]["email"] = json!("pas une adresse");
    let (status, body) = officer.post("/api/v1/partnerships", bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let errors = body["errors"].as_object().unwrap();
    for field in [
        "title",
        "start_year",
        "theme",
        "french_partners[1]",
        "foreign_partners[0].country",
        "fundings[0].amount_eur",
        "foreign_contacts[0].email",
    ] {
        assert!(errors.contains_key(field), "{field} in {body}");
    }
    assert!(errors["french_partners[1]"][0]
        .as_str()
        .unwrap()
        .contains("departement-75"));

    // A draft may be incomplete; submitting asks for what publication needs.
    let (status, saved) = officer
        .post(
            "/api/v1/partnerships",
            json!({"title": "Esquisse", "french_partners": ["73065"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    let (status, body) = officer
        .post(
            &format!("/api/v1/partnerships/{}/submit", saved["id"]),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["errors"]["theme"].is_array(), "{body}");
    assert!(body["errors"]["foreign_partners"].is_array(), "{body}");

    // A body that cannot even be read: the same JSON answer, the field named where there is
    // one, in French and English.
    let raw = |content_type: Option<&str>, text: &str| {
        let mut request = Request::post("/api/v1/partnerships")
            .header(header::HOST, "atlas.test")
            .header(header::ORIGIN, "http://atlas.test")
            .header(header::COOKIE, officer.cookie.clone().unwrap());
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        request.body(Body::from(text.to_string())).unwrap()
    };
    for (request, field, words) in [
        (
            raw(Some("application/json"), r#"{"title": 5}"#),
            "title",
            "valeur refusée",
        ),
        (
            raw(
                Some("application/json"),
                r#"{"fundings": [{"amount_eur": "beaucoup"}]}"#,
            ),
            "fundings[0].amount_eur",
            "valeur refusée",
        ),
        // Cut short: named where it stops.
        (
            raw(Some("application/json"), r#"{"title": "#),
            "title",
            "JSON mal formé",
        ),
        (
            raw(Some("application/json"), r#""""#),
            "body",
            "valeur refusée",
        ),
        (
            raw(Some("application/json"), r#"{} {}"#),
            "body",
            "JSON mal formé",
        ),
        (
            raw(None, r#"{"title": "x"}"#),
            "body",
            "Content-Type: application/json",
        ),
        (
            raw(Some("text/plain"), r#"{"title": "x"}"#),
            "body",
            "doit être du JSON",
        ),
        // Bytes that are not UTF-8 (Latin-1's é) in a string: named where they are.
        (
            {
                let mut request = raw(Some("application/json"), "");
                *request.body_mut() = Body::from(b"{\"title\": \"Coop\xe9ration\"}".to_vec());
                request
            },
            "title",
            "JSON mal formé",
        ),
    ] {
        let (status, _, bytes) = common::send(&w.app, request).await;
        let body: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let message = body["errors"][field][0].as_str().unwrap_or_default();
        assert!(message.contains(words), "{field}: {body}");
        assert!(body["fields"][0]["message_en"].is_string(), "{body}");
    }
    // A query parameter that cannot be read: a 400 naming it.
    let mut moderator = Client::signed_in(&w.app, "moderation@diplomatie.gouv.fr").await;
    let (status, body) = moderator
        .get("/api/v1/moderation/queue?older_than_days=longtemps")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["errors"]["older_than_days"].is_array(), "{body}");
    w.t.drop().await;
}

/// Every kind of person of the authorization matrices, and the account each signs in with.
pub(crate) const PEOPLE: [(&str, Option<&str>); 7] = [
    ("anonymous", None),
    ("staff of the authority", Some("agent@chambery.fr")),
    ("staff of another", Some("agent@paris.fr")),
    ("embassy in its country", Some("coop@ambafrance-bf.org")),
    ("embassy outside it", Some("coop@ambafrance-ma.org")),
    ("national moderator", Some("moderation@diplomatie.gouv.fr")),
    ("administrator", Some("admin@atlas.fr")),
];

/// Signed in as one of `PEOPLE` (anonymous: not signed in).
pub(crate) async fn as_person(app: &axum::Router, email: Option<&str>) -> Client {
    match email {
        Some(email) => Client::signed_in(app, email).await,
        None => Client::new(app),
    }
}

/// Who may do what: every state-changing route × every kind of person.
#[tokio::test]
async fn the_authorization_matrix() {
    let w = world().await;
    let people = PEOPLE;
    let mut officer = Client::signed_in(&w.app, "agent@chambery.fr").await;
    let mut national = Client::signed_in(&w.app, "moderation@diplomatie.gouv.fr").await;

    // A fresh draft, or a fresh submission, for each attempt.
    let creator = officer.clone();
    let fresh = |submitted: bool| {
        let mut officer = creator.clone();
        async move {
            let (_, saved) = officer.post("/api/v1/partnerships", ouahigouya()).await;
            let id = saved["id"].as_i64().unwrap();
            if submitted {
                let (status, _) = officer
                    .post(&format!("/api/v1/partnerships/{id}/submit"), json!({}))
                    .await;
                assert_eq!(status, StatusCode::OK);
            }
            id
        }
    };

    // (route, expected status per person, in the order above)
    use StatusCode as S;
    let create = [
        S::UNAUTHORIZED,
        S::CREATED,
        S::FORBIDDEN,
        S::CREATED,
        S::FORBIDDEN,
        S::CREATED,
        S::CREATED,
    ];
    let save = [
        S::UNAUTHORIZED,
        S::OK,
        S::FORBIDDEN,
        S::OK,
        S::FORBIDDEN,
        S::OK,
        S::OK,
    ];
    let submit = save;
    // Through the hydrated form, a draft one may not see is not found at all.
    let autosave = [
        S::UNAUTHORIZED,
        S::OK,
        S::NOT_FOUND,
        S::OK,
        S::NOT_FOUND,
        S::OK,
        S::OK,
    ];
    let approve = [
        S::UNAUTHORIZED,
        S::FORBIDDEN,
        S::FORBIDDEN,
        S::OK,
        S::FORBIDDEN,
        S::OK,
        S::OK,
    ];
    let queue = [
        S::UNAUTHORIZED,
        S::FORBIDDEN,
        S::FORBIDDEN,
        S::OK,
        S::OK,
        S::OK,
        S::OK,
    ];

    let admin_only = [
        S::UNAUTHORIZED,
        S::FORBIDDEN,
        S::FORBIDDEN,
        S::FORBIDDEN,
        S::FORBIDDEN,
        S::FORBIDDEN,
        S::OK,
    ];
    let (_, paris) = Client::signed_in(&w.app, "admin@atlas.fr")
        .await
        .get("/api/v1/admin/accounts?q=agent@paris.fr")
        .await;
    let paris = paris[0]["id"].as_i64().unwrap();

    for (i, (who, email)) in people.iter().enumerate() {
        let mut client = as_person(&w.app, *email).await;
        let (status, body) = client.post("/api/v1/partnerships", ouahigouya()).await;
        assert_eq!(status, create[i], "{who} creates: {body}");

        let id = fresh(false).await;
        let mut draft = ouahigouya();
        draft["version"] = json!(1);
        let (status, body) = client
            .put(&format!("/api/v1/partnerships/{id}"), draft)
            .await;
        assert_eq!(status, save[i], "{who} saves: {body}");

        // The hydrated form's autosave: the same write path, the same answer.
        let id = fresh(false).await;
        let (status, body) = client
            .post("/api/fn/declaration_live", live_step(Some(id), 1, true))
            .await;
        assert_eq!(status, autosave[i], "{who} autosaves: {body}");

        let id = fresh(false).await;
        let (status, body) = client
            .post(&format!("/api/v1/partnerships/{id}/submit"), json!({}))
            .await;
        assert_eq!(status, submit[i], "{who} submits: {body}");

        for decision in ["approve", "return", "reject"] {
            let id = fresh(true).await;
            let (status, body) = client
                .post(
                    &format!("/api/v1/moderation/{id}/{decision}"),
                    json!({"comment": "à revoir"}),
                )
                .await;
            assert_eq!(status, approve[i], "{who} {decision}: {body}");
        }

        let (status, body) = client.get("/api/v1/moderation/queue").await;
        assert_eq!(status, queue[i], "{who} reads the queue: {body}");

        let (status, body) = client.get("/api/v1/admin/accounts").await;
        assert_eq!(status, admin_only[i], "{who} lists the accounts: {body}");
        let (status, body) = client
            .put(
                &format!("/api/v1/admin/accounts/{paris}"),
                json!({"role": "staff", "state": "active", "authorities": ["commune-75056"]}),
            )
            .await;
        assert_eq!(status, admin_only[i], "{who} changes an account: {body}");

        // Everyone signed in has tokens of their own; nobody else.
        let signed_in = if email.is_some() {
            S::OK
        } else {
            S::UNAUTHORIZED
        };
        let (status, body) = client.get("/api/v1/me/tokens").await;
        assert_eq!(status, signed_in, "{who} lists their tokens: {body}");
        let (status, body) = client
            .post("/api/v1/me/tokens", json!({"name": "outil"}))
            .await;
        let made = if email.is_some() {
            S::CREATED
        } else {
            S::UNAUTHORIZED
        };
        assert_eq!(status, made, "{who} makes a token: {body}");
    }

    // Staff never hand a partnership to another authority.
    let id = fresh(false).await;
    let mut handed = ouahigouya();
    handed["version"] = json!(1);
    handed["french_partners"] = json!(["commune-75056"]);
    let (status, _) = officer
        .put(&format!("/api/v1/partnerships/{id}"), handed)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Who may act comes before what is missing: staff without a comment are refused.
    let id = fresh(true).await;
    let (status, _) = officer
        .post(&format!("/api/v1/moderation/{id}/return"), json!({}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A decision on something not submitted is a conflict, not a success.
    let id = fresh(false).await;
    let (status, _) = national
        .post(&format!("/api/v1/moderation/{id}/approve"), json!({}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    w.t.drop().await;
}

#[tokio::test]
async fn sessions_are_rotated_ended_and_never_cross_sites() {
    let w = world().await;
    let mut client = Client::new(&w.app);
    // A wrong password and an unknown email get the same answer.
    let (status_a, body_a) = client
        .post(
            "/api/v1/auth/login",
            json!({"email": "agent@chambery.fr", "password": "faux"}),
        )
        .await;
    let (status_b, body_b) = client
        .post(
            "/api/v1/auth/login",
            json!({"email": "personne@nulle.part", "password": "faux"}),
        )
        .await;
    assert_eq!(status_a, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!((status_a, body_a), (status_b, body_b));

    // Signing in gives a new session id, HttpOnly and SameSite.
    let mut officer = Client::signed_in(&w.app, "agent@chambery.fr").await;
    let first = officer.cookie.clone().unwrap();
    assert!(first.starts_with("atlas_session="));
    let again = Client::signed_in(&w.app, "agent@chambery.fr").await;
    assert_ne!(again.cookie.unwrap(), first);

    // From another site, with the session: refused before anything runs.
    let mut forged = officer.clone();
    forged.origin = "https://evil.example";
    let (status, _) = forged.post("/api/v1/partnerships", ouahigouya()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        common::sql_strings(&w.t.db, "SELECT title FROM partnership")
            .await
            .len(),
        0
    );

    // Signed out: the old cookie opens nothing any more.
    let (status, _) = officer
        .call(Method::POST, "/api/v1/auth/logout", None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let mut stale = Client::new(&w.app);
    stale.cookie = Some(first);
    let (status, _) = stale.get("/api/v1/auth/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Too many attempts for one email: 429, whether the password is right or not.
    let mut last = StatusCode::OK;
    for _ in 0..12 {
        let (status, _) = Client::new(&w.app)
            .post(
                "/api/v1/auth/login",
                json!({"email": "admin@atlas.fr", "password": "faux"}),
            )
            .await;
        last = status;
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    let (status, _) = Client::new(&w.app)
        .post(
            "/api/v1/auth/login",
            json!({"email": "admin@atlas.fr", "password": PASSWORD}),
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    w.t.drop().await;
}

#[tokio::test]
async fn a_reimport_never_overwrites_what_was_edited_in_the_application() {
    let w = world().await;
    let id = common::import_seed(&w.t.db).await;
    // Read whole by a moderator, with its state.
    let mut national = Client::signed_in(&w.app, "moderation@diplomatie.gouv.fr").await;
    let (status, before) = national.get(&format!("/api/v1/partnerships/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(before["state"], "published");
    // An authored revision, as any application change leaves.
    use app::server::services::partnerships::{self, Author};
    use sea_orm::EntityTrait;
    let row = app::server::entities::partnership::Entity::find_by_id(id as i32)
        .one(&w.t.db)
        .await
        .unwrap()
        .unwrap();
    partnerships::set_state(
        &w.t.db,
        &row,
        app::models::PublicationState::Published,
        Author {
            user: Some(1),
            comment: Some("relu"),
        },
    )
    .await
    .unwrap();
    let again = app::server::legacy_import::import_files(
        &w.t.db,
        &[common::fixture("000_001612c233d2473f.txt")],
    )
    .await
    .unwrap()
    .remove(0)
    .unwrap();
    assert_eq!(again.outcome, app::server::legacy_import::Outcome::Skipped);
    assert!(again
        .warnings
        .iter()
        .any(|w| w.contains("modifiée dans l'application")));
    w.t.drop().await;
}

/// Two servers on one database (PostgreSQL under `ATLAS_TEST_DATABASE_URL`): a publication
/// through one is in the other's search and pages within a second; drafts never are.
#[tokio::test]
async fn a_publication_through_one_server_is_in_the_others_search_within_a_second() {
    let w = world().await;
    let other_db = common::connect_again(&w.t).await;
    let other_state = common::state(&other_db).await;
    let other = server::router(other_state.clone());
    let follower = tokio::spawn(server::cli::follow_changes(other_state.clone()));

    let mut officer = Client::signed_in(&w.app, "agent@chambery.fr").await;
    let mut national = Client::signed_in(&w.app, "moderation@diplomatie.gouv.fr").await;
    let (_, saved) = officer.post("/api/v1/partnerships", ouahigouya()).await;
    let id = saved["id"].as_i64().unwrap();
    officer
        .post(&format!("/api/v1/partnerships/{id}/submit"), json!({}))
        .await;
    const QUERY: &str = "/api/v1/partnerships?q=Ouahigouya";
    assert_eq!(common::json(&other, QUERY).await["total"], 0);
    let (status, _) = national
        .post(&format!("/api/v1/moderation/{id}/approve"), json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let published = std::time::Instant::now();
    loop {
        if common::json(&other, QUERY).await["total"] == 1 {
            break;
        }
        assert!(
            published.elapsed() < std::time::Duration::from_secs(1),
            "not in the other server's search a second later"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let (status, _, html) = common::get(&other, &format!("/partenariats/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Ouahigouya"));
    follower.abort();
    w.t.drop().await;
}

/// The declaration form without JavaScript: a step posted with a year in letters comes back
/// with what was typed and the error; a good one is saved through the write path.
#[tokio::test]
async fn the_declaration_form_saves_through_the_write_path() {
    let w = world().await;
    let mut officer = Client::signed_in(&w.app, "agent@chambery.fr").await;
    let post = |client: &Client, uri: &str, body: &str| {
        let mut request = Request::post(uri)
            .header(header::HOST, "atlas.test")
            .header(header::ORIGIN, "http://atlas.test")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(cookie) = &client.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let request = request.body(Body::from(body.to_string())).unwrap();
        let app = client.app.clone();
        async move { common::send(&app, request).await }
    };
    let (status, headers, _) = post(
        &officer,
        "/espace/declarations/nouvelle",
        "action=next&title=Eau+%C3%A0+Ouahigouya&french_partners%5B0%5D=Chamb%C3%A9ry\
         &foreign_partners%5B0%5D.name=Ouahigouya&foreign_partners%5B0%5D.country=BF",
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers[header::LOCATION].to_str().unwrap().to_string();
    assert!(location.ends_with("/2?enregistre=1"), "{location}");
    let id: i64 = location.split('/').nth(3).unwrap().parse().unwrap();
    let (_, stored) = officer.get(&format!("/api/v1/partnerships/{id}")).await;
    assert_eq!(
        stored["french_partners"][0]["code"], "commune-73065",
        "found by name"
    );
    assert_eq!(stored["version"], 1);

    let (status, headers, _) = post(
        &officer,
        &format!("/espace/declarations/{id}/2"),
        "action=next&version=1&theme=DUR.EAU&start_year=deux+mille",
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        headers[header::LOCATION],
        format!("/espace/declarations/{id}/2").as_str()
    );
    let (_, stored) = officer.get(&format!("/api/v1/partnerships/{id}")).await;
    assert_eq!(stored["version"], 1, "nothing saved");

    // A stale version is a conflict, never an overwrite.
    let (_, headers, _) = post(
        &officer,
        &format!("/espace/declarations/{id}/2"),
        "action=next&version=1&theme=DUR.EAU&start_year=2019",
    )
    .await;
    assert!(headers[header::LOCATION]
        .to_str()
        .unwrap()
        .ends_with("/3?enregistre=1"));
    let (_, headers, _) = post(
        &officer,
        &format!("/espace/declarations/{id}/2"),
        "action=next&version=1&theme=POL&start_year=2020",
    )
    .await;
    assert_eq!(
        headers[header::LOCATION],
        format!("/espace/declarations/{id}/2").as_str()
    );
    let (_, stored) = officer.get(&format!("/api/v1/partnerships/{id}")).await;
    assert_eq!(
        (stored["theme"].as_str(), stored["start_year"].as_i64()),
        (Some("DUR.EAU"), Some(2019))
    );

    // Someone else's staff cannot post to it.
    let stranger = Client::signed_in(&w.app, "agent@paris.fr").await;
    let (status, _, _) = post(
        &stranger,
        &format!("/espace/declarations/{id}/2"),
        "action=next&version=2&theme=POL",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    w.t.drop().await;
}

/// The link an email carries to this path, as a path with its query.
fn link(mail: &str, path: &str) -> String {
    let start = mail.find(path).expect("the link");
    mail[start..].split_whitespace().next().unwrap().to_string()
}

#[tokio::test]
async fn an_account_is_asked_confirmed_approved_and_its_password_reset() {
    let w = world().await;
    let mut visitor = Client::new(&w.app);
    let request = [
        ("kind", "staff"),
        ("email", "Officer@Chambery.fr"),
        ("authority", "Chambéry"),
        ("country", ""),
        ("function", "Chargée de mission coopération"),
        ("password", PASSWORD),
    ];
    let (status, to) = visitor.form("/compte/demande", &request).await;
    assert_eq!(
        (status, to.as_str()),
        (StatusCode::SEE_OTHER, "/compte/demande?envoyee=1")
    );
    // The same answer for an address that has an account; that email says so.
    let mut again = request;
    again[1] = ("email", "agent@paris.fr");
    let (_, to) = Client::new(&w.app).form("/compte/demande", &again).await;
    assert_eq!(to, "/compte/demande?envoyee=1");
    let mails = outbox(&w.state);
    assert_eq!(mails.len(), 2);
    assert!(mails[1].contains("Un compte existe déjà"), "{}", mails[1]);
    assert!(mails[1].contains("To: agent@paris.fr"));
    // A bad request names its fields and keeps nothing.
    let (_, to) = Client::new(&w.app)
        .form(
            "/compte/demande",
            &[("kind", "staff"), ("email", "x"), ("password", "court")],
        )
        .await;
    assert_eq!(to, "/compte/demande");

    // Not yet: the email is not confirmed, no moderator has approved.
    let (status, _) = Client::new(&w.app)
        .post(
            "/api/v1/auth/login",
            json!({"email": "officer@chambery.fr", "password": PASSWORD}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let confirm = link(&mails[0], "/compte/confirmer");
    let (status, _) = visitor.get(&confirm).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, to) = visitor.form("/compte/demande", &[]).await;
    assert_eq!(to, "/compte/demande", "an empty request is refused");

    // An embassy moderator may approve staff; the approval is emailed.
    let mut moderator = Client::signed_in(&w.app, "coop@ambafrance-bf.org").await;
    let pending = app::server::services::users::pending(
        &w.t.db,
        Some(&account_of(&w, "coop@ambafrance-bf.org").await),
    )
    .await
    .unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].authorities, ["Chambéry (commune-73065)"]);
    let mut officer_client = Client::new(&w.app);
    let (status, _) = officer_client
        .form(
            &format!("/moderation/comptes/{}", pending[0].id),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "anonymous is sent to sign in"
    );
    let (_, to) = moderator
        .form(
            &format!("/moderation/comptes/{}", pending[0].id),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(to, "/moderation/comptes?fait=1");
    assert!(outbox(&w.state).last().unwrap().contains("/connexion"));
    let mut officer = Client::signed_in(&w.app, "officer@chambery.fr").await;
    let (_, me) = officer.get("/api/v1/auth/me").await;
    assert_eq!(me["authorities"][0]["code"], "commune-73065");

    // Forgotten password: the link works once; unknown addresses get the same answer.
    let (_, to) = Client::new(&w.app)
        .form(
            "/compte/mot-de-passe-oublie",
            &[("email", "personne@nulle.part")],
        )
        .await;
    assert_eq!(to, "/compte/mot-de-passe-oublie?envoye=1");
    let before = outbox(&w.state).len();
    let (_, to) = Client::new(&w.app)
        .form(
            "/compte/mot-de-passe-oublie",
            &[("email", "officer@chambery.fr")],
        )
        .await;
    assert_eq!(to, "/compte/mot-de-passe-oublie?envoye=1");
    let mails = outbox(&w.state);
    assert_eq!(
        mails.len(),
        before + 1,
        "one email, for the real address only"
    );
    let reset = link(mails.last().unwrap(), "/compte/nouveau-mot-de-passe");
    let token = reset.split("jeton=").nth(1).unwrap().to_string();
    let new_password = "un tout nouveau mot de passe";
    let (_, to) = Client::new(&w.app)
        .form(
            "/compte/nouveau-mot-de-passe",
            &[("jeton", &token), ("password", new_password)],
        )
        .await;
    assert_eq!(to, "/connexion?reinitialise=1");
    let (_, to) = Client::new(&w.app)
        .form(
            "/compte/nouveau-mot-de-passe",
            &[
                ("jeton", &token),
                ("password", "encore un autre mot de passe"),
            ],
        )
        .await;
    assert!(
        to.starts_with("/compte/nouveau-mot-de-passe"),
        "used once: {to}"
    );
    // The old session ended with the old password.
    let (status, _) = officer.get("/api/v1/auth/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = Client::new(&w.app)
        .post(
            "/api/v1/auth/login",
            json!({"email": "officer@chambery.fr", "password": new_password}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // My account: the current password is asked to change it.
    let mut officer = Client::new(&w.app);
    officer
        .post(
            "/api/v1/auth/login",
            json!({"email": "officer@chambery.fr", "password": new_password}),
        )
        .await;
    let (_, to) = officer
        .form(
            "/compte/mot-de-passe",
            &[
                ("current", "pas le bon"),
                ("password", "encore un autre mot de passe"),
            ],
        )
        .await;
    assert_eq!(to, "/compte");
    let (_, to) = officer
        .form(
            "/compte/mot-de-passe",
            &[
                ("current", new_password),
                ("password", "encore un autre mot de passe"),
            ],
        )
        .await;
    assert_eq!(to, "/compte?modifie=1");
    let (status, _) = officer.get("/api/v1/auth/me").await;
    assert_eq!(status, StatusCode::OK, "still signed in after changing it");
    w.t.drop().await;
}

async fn account_of(w: &World, email: &str) -> app::server::auth::Account {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let user = app::server::entities::app_user::Entity::find()
        .filter(app::server::entities::app_user::Column::Email.eq(email))
        .one(&w.t.db)
        .await
        .unwrap()
        .unwrap();
    app::server::auth::Account::load(&w.t.db, user.id)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn moderators_publish_several_submissions_at_once() {
    let w = world().await;
    let mut officer = Client::signed_in(&w.app, "agent@chambery.fr").await;
    let mut ids = Vec::new();
    for submit in [true, true, false] {
        let (_, saved) = officer.post("/api/v1/partnerships", ouahigouya()).await;
        let id = saved["id"].as_i64().unwrap();
        if submit {
            officer
                .post(&format!("/api/v1/partnerships/{id}/submit"), json!({}))
                .await;
        }
        ids.push(id);
    }
    let (status, _) = officer
        .post("/api/v1/moderation/approve", json!({"ids": ids}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut burkina = Client::signed_in(&w.app, "coop@ambafrance-bf.org").await;
    let (status, body) = burkina
        .post("/api/v1/moderation/approve", json!({"ids": ids}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["published"].as_array().unwrap().len(), 2);
    assert_eq!(body["refused"], json!([{"id": ids[2], "status": 409}]));
    assert_eq!(
        common::json(&w.app, "/api/v1/partnerships?q=Ouahigouya").await["total"],
        2
    );
    // The queue's form does the same without JavaScript.
    let (_, saved) = officer.post("/api/v1/partnerships", ouahigouya()).await;
    let id = saved["id"].as_i64().unwrap().to_string();
    officer
        .post(&format!("/api/v1/partnerships/{id}/submit"), json!({}))
        .await;
    let (status, to) = burkina.form("/moderation/publier", &[("ids", &id)]).await;
    assert_eq!(
        (status, to.as_str()),
        (StatusCode::SEE_OTHER, "/moderation?fait=1")
    );
    w.t.drop().await;
}

#[tokio::test]
async fn personal_api_tokens_act_for_their_owner_until_revoked() {
    let w = world().await;
    let mut officer = Client::signed_in(&w.app, "agent@chambery.fr").await;

    // Made with a session; the secret is in the answer once, and only its hash is kept.
    let (status, body) = officer
        .post("/api/v1/me/tokens", json!({"name": " "}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["errors"]["name"][0].as_str().unwrap().contains("nom"));
    let (status, made) = officer
        .post("/api/v1/me/tokens", json!({"name": "SIG de la ville"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let secret = made["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("atlas_") && secret.len() > 60);
    let (status, listed) = officer.get("/api/v1/me/tokens").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed[0]["name"], "SIG de la ville");
    assert!(listed[0].get("secret").is_none());
    let stored = common::sql_strings(&w.t.db, "SELECT token_hash FROM api_token").await;
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].contains(&secret[6..]));

    // A tool with the token, no cookie, from anywhere: acts as the officer, with her rights.
    let mut tool = Client::new(&w.app);
    tool.origin = "https://sig.chambery.fr";
    tool.bearer = Some(secret.clone());
    let (status, me) = tool.get("/api/v1/auth/me").await;
    assert_eq!(
        (status, me["email"].as_str()),
        (StatusCode::OK, Some("agent@chambery.fr"))
    );
    let (status, saved) = tool.post("/api/v1/partnerships", ouahigouya()).await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    let id = saved["id"].as_i64().unwrap();
    assert!(tool.cookie.is_none(), "no session is made for a token");
    // …and no more than her rights: a token cannot make tokens.
    let (status, _) = tool
        .post("/api/v1/me/tokens", json!({"name": "encore"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Another authority's officer with her own token cannot touch it.
    let mut paris = Client::signed_in(&w.app, "agent@paris.fr").await;
    let (_, theirs) = paris
        .post("/api/v1/me/tokens", json!({"name": "script"}))
        .await;
    let mut other_tool = Client::new(&w.app);
    other_tool.bearer = Some(theirs["secret"].as_str().unwrap().to_string());
    let mut draft = ouahigouya();
    draft["version"] = saved["version"].clone();
    let (status, _) = other_tool
        .put(&format!("/api/v1/partnerships/{id}"), draft)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Nor revoke hers.
    let (status, _) = paris
        .call(
            Method::DELETE,
            &format!("/api/v1/me/tokens/{}", made["id"]),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A made-up token is refused, not taken for an anonymous visitor.
    let mut forger = Client::new(&w.app);
    forger.bearer = Some(format!("atlas_{}", "0".repeat(64)));
    let (status, body) = forger.get("/api/v1/themes").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");

    // Revoked: refused at once.
    let (status, _) = officer
        .call(
            Method::DELETE,
            &format!("/api/v1/me/tokens/{}", made["id"]),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = tool.get("/api/v1/auth/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, listed) = officer.get("/api/v1/me/tokens").await;
    assert_eq!(listed.as_array().unwrap().len(), 0);

    // The page's form: the secret is shown on "my account" once, then never again.
    let (status, location) = officer.form("/compte/jetons", &[("name", "Tableur")]).await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/compte#jetons")
    );
    let (_, page) = officer.get("/compte").await;
    let page = page.as_str().unwrap().to_string();
    let at = page
        .find("id=\"nouveau-jeton\"")
        .expect("the new token on the page");
    let at = at + page[at..].find('>').unwrap() + 1;
    let secret = &page[at..at + 70];
    assert!(secret.starts_with("atlas_"), "{secret}");
    let (_, again) = officer.get("/compte").await;
    let again = again.as_str().unwrap();
    assert!(again.contains("Tableur"));
    assert!(!again.contains(secret));
    w.t.drop().await;
}

#[tokio::test]
async fn administrators_manage_accounts_and_a_suspension_takes_effect_at_once() {
    let w = world().await;
    let mut admin = Client::signed_in(&w.app, "admin@atlas.fr").await;
    let mut paris = Client::signed_in(&w.app, "agent@paris.fr").await;
    let (_, token) = paris
        .post("/api/v1/me/tokens", json!({"name": "script"}))
        .await;
    let mut tool = Client::new(&w.app);
    tool.bearer = Some(token["secret"].as_str().unwrap().to_string());

    // Only administrators.
    let (status, _) = Client::new(&w.app).get("/api/v1/admin/accounts").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    for email in ["agent@chambery.fr", "moderation@diplomatie.gouv.fr"] {
        let (status, _) = Client::signed_in(&w.app, email)
            .await
            .get("/api/v1/admin/accounts")
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{email}");
    }
    let (status, found) = admin.get("/api/v1/admin/accounts?q=PARIS&role=staff").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    let id = found[0]["id"].as_i64().unwrap();
    assert_eq!(found[0]["authority_codes"], json!(["commune-75056"]));

    // Every field checked at once, named.
    let (status, body) = admin
        .put(
            &format!("/api/v1/admin/accounts/{id}"),
            json!({"role": "staff", "state": "active", "authorities": [],
                   "countries": ["XX"]}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["authorities", "countries[0]"] {
        assert!(body["errors"][field].is_array(), "{field}: {body}");
    }

    // Paris's officer also works for Chambéry now: her very next request may use it.
    let (status, body) = admin
        .put(
            &format!("/api/v1/admin/accounts/{id}"),
            json!({"role": "staff", "state": "active", "function": "Chargée de mission",
                   "authorities": ["commune-75056", "73065"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["authority_codes"].as_array().unwrap().len(),
        2,
        "{body}"
    );
    let (status, _) = paris.post("/api/v1/partnerships", ouahigouya()).await;
    assert_eq!(status, StatusCode::CREATED);

    // Suspended: her session and her token are refused from the next request.
    let (status, _) = admin
        .put(
            &format!("/api/v1/admin/accounts/{id}"),
            json!({"role": "staff", "state": "disabled", "authorities": ["commune-75056"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        paris.get("/api/v1/auth/me").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        tool.get("/api/v1/auth/me").await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, _) = Client::new(&w.app)
        .post(
            "/api/v1/auth/login",
            json!({"email": "agent@paris.fr", "password": PASSWORD}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // An administrator cannot take away their own rights.
    let me = admin.get("/api/v1/auth/me").await.1["id"].as_i64().unwrap();
    let (status, body) = admin
        .put(
            &format!("/api/v1/admin/accounts/{me}"),
            json!({"role": "moderator", "state": "active"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["errors"]["role"][0]
        .as_str()
        .unwrap()
        .contains("propres droits"));

    // The page's form, without JavaScript: a refusal comes back with the error by its field.
    let page = format!("/administration/comptes/{id}");
    let (status, location) = admin
        .form(
            &page,
            &[
                ("role", "moderator"),
                ("state", "active"),
                ("countries", "BF ZZ"),
            ],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, page.as_str())
    );
    let (_, html) = admin.get(&page).await;
    let html = html.as_str().unwrap().to_string();
    assert!(
        html.contains("pays inconnu « ZZ »"),
        "the error on the page"
    );
    assert!(html.contains("BF ZZ"), "what was typed, kept");
    let (status, location) = admin
        .form(
            &page,
            &[
                ("role", "moderator"),
                ("state", "active"),
                ("countries", "BF, ML"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.ends_with("?enregistre=1"), "{location}");
    let (_, listed) = admin
        .get("/api/v1/admin/accounts?role=moderator&q=paris")
        .await;
    assert_eq!(listed[0]["countries"], json!(["BF", "ML"]));
    assert_eq!(listed[0]["state"], "active");
    let (_, html) = admin.get("/administration/comptes?q=paris").await;
    assert!(html.as_str().unwrap().contains("agent@paris.fr"));
    let (_, html) = Client::signed_in(&w.app, "agent@chambery.fr")
        .await
        .get("/administration/comptes")
        .await;
    assert!(html
        .as_str()
        .unwrap()
        .contains("réservée aux administrateurs"));
    w.t.drop().await;
}

#[tokio::test]
async fn the_hydrated_form_checks_and_saves_through_the_write_path() {
    let w = world().await;
    let mut officer = Client::signed_in(&w.app, "agent@chambery.fr").await;
    const LIVE: &str = "/api/fn/declaration_live";

    // The first save of a new declaration creates the draft.
    let (status, body) = officer.post(LIVE, live_step(None, 0, true)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["errors"], json!([]));
    assert_eq!(body["saved"]["state"], "draft");
    assert_eq!(body["saved"]["version"], 1);
    let id = body["saved"]["id"].as_i64().unwrap();
    let (_, mine) = officer.get(&format!("/api/v1/partnerships/{id}")).await;
    assert_eq!(mine["foreign_partners"][0]["country"], "BF");

    // Checking writes nothing, and names the inputs as typed in the page: the error of the
    // third funding row (two blank rows before it) is the third row's.
    let check = json!({
        "id": id, "step": 4, "version": 1, "save": false,
        "values": [
            ["fundings[0].funder", ""], ["fundings[1].funder", " "],
            ["fundings[2].funder", "Ville de Chambéry"], ["fundings[2].amount_eur", "beaucoup"],
        ],
    });
    let (status, body) = officer.post(LIVE, check).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["saved"], Value::Null);
    assert_eq!(body["errors"][0]["field"], "fundings[2].amount_eur");
    assert_eq!(
        body["errors"][0]["message"],
        "« beaucoup » n'est pas un montant en euros"
    );
    let (_, mine) = officer.get(&format!("/api/v1/partnerships/{id}")).await;
    assert_eq!(mine["version"], 1, "a check writes nothing");

    // A save the write path refuses writes nothing and says why.
    let (status, body) = officer
        .post(
            LIVE,
            json!({"id": id, "step": 2, "version": 1, "save": true,
                   "values": [["start_year", "1492"]]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["saved"], Value::Null);
    assert_eq!(body["errors"][0]["field"], "start_year");

    // Saved at the version read; a save at an older one is refused, nothing overwritten.
    let (status, body) = officer
        .post(
            LIVE,
            json!({"id": id, "step": 2, "version": 1, "save": true,
                   "values": [["start_year", "2019"]]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["saved"]["version"], 2);
    let (status, body) = officer
        .post(
            LIVE,
            json!({"id": id, "step": 2, "version": 1, "save": true,
                   "values": [["start_year", "2020"]]}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (_, mine) = officer.get(&format!("/api/v1/partnerships/{id}")).await;
    assert_eq!(mine["start_year"], 2019);
    assert_eq!(
        mine["title"],
        "Chambéry – Ouahigouya : eau et assainissement"
    );
    w.t.drop().await;
}
