//! The `atlas` binary as operators run it, over real sockets: two servers started together on
//! an empty database, a server stopped with SIGTERM while a request is under way, a server
//! killed (SIGKILL) during a stream of writes and started again.

use crate::common::TestDb;
use crate::contribute::ouahigouya;
use app::models::Role;
use app::server::services::{tokens, users};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One `atlas serve` process on a free port of 127.0.0.1.
struct Server {
    child: Child,
    port: u16,
    /// Its working folder (the outbox), removed when it is dropped.
    dir: std::path::PathBuf,
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

impl Server {
    fn start(url: &str) -> Server {
        Server::start_with(url, &[])
    }

    fn start_with(url: &str, settings: &[(&str, &str)]) -> Server {
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("atlas-serve-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_atlas"))
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .env("DATABASE_URL", url)
            .env("ATLAS_OUTBOX", dir.join("outbox"))
            .env("RUST_LOG", "warn")
            .envs(settings.iter().copied())
            .current_dir(&dir)
            .stdout(Stdio::null())
            .spawn()
            .expect("atlas starts");
        Server { child, port, dir }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Waits until `/readyz` answers 200: the database migrated and the index built.
    async fn ready(&mut self) {
        let started = Instant::now();
        let client = reqwest::Client::new();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("atlas stopped before it was ready: {status}");
            }
            if let Ok(response) = client.get(self.url("/readyz")).send().await {
                if response.status() == 200 {
                    return;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "not ready after 2 minutes"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn signal(&self, name: &str) {
        let sent = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
    }

    /// Waits for the process to end by itself.
    async fn exit(&mut self, within: Duration) -> std::process::ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(started.elapsed() < within, "still running after {within:?}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

async fn count(t: &TestDb, sql: &str) -> i64 {
    let row =
        t.db.query_one_raw(Statement::from_string(t.db.get_database_backend(), sql))
            .await
            .unwrap()
            .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

/// An active account of `role` and a personal API token for it.
async fn token(t: &TestDb, email: &str, role: Role, authority: Option<&str>) -> String {
    let id = users::create(
        &t.db,
        users::NewUser {
            email: email.into(),
            role: Some(role),
            function: None,
            authority: authority.map(Into::into),
            country: None,
            password: "un mot de passe assez long".into(),
        },
    )
    .await
    .unwrap();
    let account = app::server::auth::Account::load(&t.db, id)
        .await
        .unwrap()
        .unwrap();
    tokens::create(&t.db, Some(&account), "essai")
        .await
        .unwrap()
        .secret
}

#[tokio::test]
async fn two_servers_started_together_on_an_empty_database_migrate_once_and_both_serve() {
    let t = TestDb::empty().await;
    let mut first = Server::start(&t.url);
    let mut second = Server::start(&t.url);
    first.ready().await;
    second.ready().await;

    let applied = count(&t, "SELECT COUNT(*) FROM seaql_migrations").await;
    use migration::MigratorTrait;
    assert_eq!(applied as usize, migration::Migrator::migrations().len());
    // The referentials loaded once: no country, no authority twice.
    let countries = count(&t, "SELECT COUNT(*) FROM country").await;
    assert!(countries > 190, "{countries} countries");
    assert_eq!(
        countries,
        count(&t, "SELECT COUNT(DISTINCT iso2) FROM country").await
    );
    let authorities = count(&t, "SELECT COUNT(*) FROM collectivity").await;
    assert!(authorities > 30_000, "{authorities} French authorities");
    assert_eq!(
        authorities,
        count(
            &t,
            "SELECT COUNT(DISTINCT kind || '-' || code) FROM collectivity"
        )
        .await
    );
    for server in [&first, &second] {
        let found: Value = reqwest::get(server.url("/api/v1/authorities?q=chambery"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(found.to_string().contains("commune-73065"), "{found}");
    }
    drop((first, second));
    t.drop().await;
}

#[tokio::test]
async fn sigterm_lets_the_request_under_way_finish_then_stops() {
    let t = TestDb::new().await;
    let secret = token(&t, "agent@chambery.fr", Role::Staff, Some("commune-73065")).await;
    let mut server = Server::start(&t.url);
    server.ready().await;

    // A declaration whose body is half sent when the signal comes.
    let body = ouahigouya().to_string();
    let (head, tail) = body.as_bytes().split_at(body.len() / 2);
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    write!(
        stream,
        "POST /api/v1/partnerships HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {secret}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(head).unwrap();
    stream.flush().unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.signal("TERM");

    // No new connection is taken…
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", server.port)).is_ok() {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "still accepting connections 5 s after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "stopped too soon"
    );
    // …the one under way ends with its answer, then the server stops by itself.
    stream.write_all(tail).unwrap();
    let mut answer = String::new();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let status = server.exit(Duration::from_secs(10)).await;
    assert!(status.success(), "{status}");
    assert_eq!(count(&t, "SELECT COUNT(*) FROM partnership").await, 1);
    drop(server);
    t.drop().await;
}

/// A write the server acknowledged: the partnership, the version it answered, the title sent.
#[derive(Debug, Clone)]
struct Acknowledged {
    id: i64,
    version: i64,
    title: String,
    published: bool,
}

/// Declares, edits, submits and (as the moderator) publishes partnerships until a request
/// fails, and says which writes were acknowledged.
async fn writer(
    base: String,
    officer: String,
    moderator: String,
    n: usize,
    acknowledged: std::sync::Arc<std::sync::Mutex<Vec<Acknowledged>>>,
) {
    let client = reqwest::Client::new();
    let call = |method: reqwest::Method, path: String, token: &str, body: Value| {
        let request = client
            .request(method, format!("{base}{path}"))
            .bearer_auth(token)
            .json(&body);
        async move {
            let response = request.send().await.ok()?;
            let status = response.status();
            let body: Value = response.json().await.ok()?;
            assert!(
                status.is_success(),
                "the server refused a valid write: {status} {body}"
            );
            Some(body)
        }
    };
    let ack = |saved: &Value, title: &str| {
        acknowledged.lock().unwrap().push(Acknowledged {
            id: saved["id"].as_i64().unwrap(),
            version: saved["version"].as_i64().unwrap(),
            title: title.into(),
            published: saved["state"] == "published",
        })
    };
    for round in 0.. {
        let mut declared = ouahigouya();
        let title = format!("Écrit {n}-{round}");
        declared["title"] = json!(title);
        let post = reqwest::Method::POST;
        let Some(saved) = call(
            post.clone(),
            "/api/v1/partnerships".into(),
            &officer,
            declared.clone(),
        )
        .await
        else {
            return;
        };
        ack(&saved, &title);
        let id = saved["id"].as_i64().unwrap();
        let title = format!("Écrit {n}-{round}, relu");
        declared["title"] = json!(title);
        declared["version"] = saved["version"].clone();
        let path = format!("/api/v1/partnerships/{id}");
        let Some(saved) = call(reqwest::Method::PUT, path.clone(), &officer, declared).await else {
            return;
        };
        ack(&saved, &title);
        let step = json!({"version": saved["version"]});
        let Some(saved) = call(post.clone(), format!("{path}/submit"), &officer, step).await else {
            return;
        };
        ack(&saved, &title);
        let step = json!({"version": saved["version"]});
        let decided = format!("/api/v1/moderation/{id}/approve");
        let Some(saved) = call(post.clone(), decided, &moderator, step).await else {
            return;
        };
        ack(&saved, &title);
    }
}

#[tokio::test]
async fn a_server_killed_during_writes_loses_no_acknowledged_write() {
    let t = TestDb::new().await;
    let officer = token(&t, "agent@chambery.fr", Role::Staff, Some("commune-73065")).await;
    let moderator = token(&t, "moderation@diplomatie.gouv.fr", Role::Moderator, None).await;
    let mut server = Server::start(&t.url);
    server.ready().await;

    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let writers: Vec<_> = (0..4)
        .map(|n| {
            tokio::spawn(writer(
                server.url(""),
                officer.clone(),
                moderator.clone(),
                n,
                acknowledged.clone(),
            ))
        })
        .collect();
    // Killed in the middle of the stream, once a fair number of writes went through.
    let started = Instant::now();
    while acknowledged.lock().unwrap().len() < 40 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "writes too slow"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    for writer in writers {
        writer.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    drop(server);

    let mut server = Server::start(&t.url);
    server.ready().await;
    let client = reqwest::Client::new();
    // Every acknowledged write is there: its version or a later one, and its title with it.
    for ack in &acknowledged {
        let stored: Value = client
            .get(format!("{}/api/v1/partnerships/{}", server.url(""), ack.id))
            .bearer_auth(&officer)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let version = stored["version"].as_i64().unwrap();
        assert!(version >= ack.version, "{ack:?} lost: {stored}");
        if version == ack.version {
            assert_eq!(stored["title"], ack.title.as_str(), "{ack:?}");
        }
    }
    // Nothing half-written: each partnership has the revision of its version and was
    // recorded in the change log; no revision without its partnership.
    let partnerships = count(&t, "SELECT COUNT(*) FROM partnership").await;
    assert!(partnerships >= acknowledged.iter().filter(|a| a.version == 1).count() as i64);
    assert_eq!(
        count(
            &t,
            "SELECT COUNT(*) FROM partnership p WHERE EXISTS (SELECT 1 FROM partnership_revision r \
             WHERE r.partnership_id = p.id AND r.number = p.version)"
        )
        .await,
        partnerships
    );
    assert_eq!(
        count(
            &t,
            "SELECT COUNT(DISTINCT partnership_id) FROM change_log WHERE partnership_id > 0"
        )
        .await,
        partnerships
    );
    assert_eq!(
        count(
            &t,
            "SELECT COUNT(*) FROM partnership_revision r WHERE NOT EXISTS \
             (SELECT 1 FROM partnership p WHERE p.id = r.partnership_id)"
        )
        .await,
        0
    );
    // The index agrees with the database: every published partnership, and only those, found.
    let published = count(
        &t,
        "SELECT COUNT(*) FROM partnership WHERE publication_state = 'published'",
    )
    .await;
    assert!(
        acknowledged.iter().any(|a| a.published),
        "no publication went through before the kill"
    );
    let found: Value = client
        .get(server.url("/api/v1/partnerships?q=Écrit&per_page=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(found["total"].as_i64(), Some(published), "{found}");
    // The server goes on taking writes where the other stopped.
    let saved = client
        .post(server.url("/api/v1/partnerships"))
        .bearer_auth(&officer)
        .json(&ouahigouya())
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 201);
    drop(server);
    t.drop().await;
}

/// One series of the Prometheus text: the value of the line that starts with `series`.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
}

#[tokio::test]
async fn metrics_are_served_on_their_own_address_only() {
    let t = TestDb::new().await;
    let metrics_port = free_port();
    let metrics_addr = format!("127.0.0.1:{metrics_port}");
    let mut server = Server::start_with(&t.url, &[("ATLAS_METRICS_ADDR", &metrics_addr)]);
    server.ready().await;
    let client = reqwest::Client::new();
    for path in [
        "/api/v1/partnerships?q=eau",
        "/api/v1/partnerships?q=riz",
        "/rien-ici",
    ] {
        client.get(server.url(path)).send().await.unwrap();
    }
    // Not on the public address.
    let public = client.get(server.url("/metrics")).send().await.unwrap();
    assert_eq!(public.status(), 404);

    let scraped = client
        .get(format!("http://{metrics_addr}/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(scraped.status(), 200);
    let text = scraped.text().await.unwrap();
    let searches =
        r#"atlas_http_requests_total{method="GET",route="/api/v1/partnerships",status="200"}"#;
    assert_eq!(sample(&text, searches), Some(2.0), "{text}");
    // What matched no route is one series, whatever the path.
    assert_eq!(
        sample(
            &text,
            r#"atlas_http_requests_total{method="GET",route="(none)",status="404"}"#
        ),
        Some(2.0),
        "the unknown page and the public /metrics: {text}"
    );
    assert_eq!(
        sample(
            &text,
            r#"atlas_http_request_duration_seconds_count{method="GET",route="/api/v1/partnerships"}"#
        ),
        Some(2.0),
        "{text}"
    );
    assert!(text.contains(r#"atlas_http_request_duration_seconds_bucket{method="GET",route="/api/v1/partnerships",le="0.005"}"#), "{text}");
    assert_eq!(sample(&text, "atlas_index_ready"), Some(1.0), "{text}");
    assert_eq!(
        sample(&text, "atlas_index_partnerships"),
        Some(0.0),
        "{text}"
    );
    assert_eq!(sample(&text, "atlas_change_log_lag"), Some(0.0), "{text}");
    assert!(
        sample(&text, "atlas_index_age_seconds").is_some_and(|age| age >= 0.0),
        "{text}"
    );
    assert!(
        sample(&text, "atlas_db_pool_max_connections").is_some_and(|max| max >= 1.0),
        "{text}"
    );
    assert!(
        text.contains(r#"atlas_db_pool_connections{state="idle"}"#),
        "{text}"
    );
    drop(server);
    t.drop().await;
}

#[tokio::test]
async fn concurrent_writers_all_succeed() {
    let t = TestDb::new().await;
    let officer = token(&t, "agent@chambery.fr", Role::Staff, Some("commune-73065")).await;
    let mut server = Server::start(&t.url);
    server.ready().await;
    // Sixteen at once, each reading before it writes: on SQLite a transaction that had read
    // could not wait for the other writer and failed with "database is locked".
    let client = reqwest::Client::new();
    let writes: Vec<_> = (0..16)
        .map(|n| {
            let request = client
                .post(server.url("/api/v1/partnerships"))
                .bearer_auth(&officer)
                .json(&{
                    let mut draft = ouahigouya();
                    draft["title"] = json!(format!("Écrit en même temps {n}"));
                    draft
                });
            tokio::spawn(async move {
                let mut statuses = Vec::new();
                for _ in 0..4 {
                    let response = request.try_clone().unwrap().send().await.unwrap();
                    statuses.push(response.status().as_u16());
                }
                statuses
            })
        })
        .collect();
    for write in writes {
        let statuses = write.await.unwrap();
        assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    }
    assert_eq!(count(&t, "SELECT COUNT(*) FROM partnership").await, 64);
    drop(server);
    t.drop().await;
}

/// The session cookie of a `Set-Cookie` answer, and the whole header.
fn session_cookie(response: &reqwest::Response) -> Option<(String, String)> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("atlas_session="))
        .map(|v| {
            (
                v.split(';').next().unwrap_or_default().to_string(),
                v.to_string(),
            )
        })
}

#[tokio::test]
async fn sessions_forged_writes_and_sign_in_attempts_over_http() {
    let t = TestDb::new().await;
    token(&t, "agent@chambery.fr", Role::Staff, Some("commune-73065")).await;
    let mut server = Server::start(&t.url);
    server.ready().await;
    let client = reqwest::Client::new();
    let origin = server.url("");
    let sign_in = |email: &str, password: &str, cookie: Option<&str>| {
        let mut request = client
            .post(server.url("/api/v1/auth/login"))
            .header("Origin", &origin)
            .json(&json!({"email": email, "password": password}));
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        request.send()
    };
    let me = |cookie: &str| {
        client
            .get(server.url("/api/v1/auth/me"))
            .header("Cookie", cookie)
            .send()
    };

    // Session fixation: a session id planted before signing in is never the one signed in.
    let planted = "atlas_session=AAAAAAAAAAAAAAAAAAAAAA";
    let answer = sign_in(
        "agent@chambery.fr",
        "un mot de passe assez long",
        Some(planted),
    )
    .await
    .unwrap();
    assert_eq!(answer.status(), 200);
    let (session, header) = session_cookie(&answer).expect("a session cookie");
    assert_ne!(session, planted);
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(header.contains(attribute), "{attribute} in {header}");
    }
    assert_eq!(me(planted).await.unwrap().status(), 401);
    assert_eq!(me(&session).await.unwrap().status(), 200);

    // Forged writes: with the session but from another site, or saying nothing of where
    // they come from: refused, nothing written.
    for origin in [Some("https://evil.example"), None] {
        let mut request = client
            .post(server.url("/api/v1/partnerships"))
            .header("Cookie", &session)
            .json(&ouahigouya());
        if let Some(origin) = origin {
            request = request.header("Origin", origin);
        }
        assert_eq!(request.send().await.unwrap().status(), 403, "{origin:?}");
    }
    let signed_out = client
        .post(server.url("/deconnexion"))
        .header("Cookie", &session)
        .header("Origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(signed_out.status(), 403, "a forged sign-out");
    assert_eq!(me(&session).await.unwrap().status(), 200);
    assert_eq!(count(&t, "SELECT COUNT(*) FROM partnership").await, 0);

    // Many attempts from one address, each for another email: refused (429) before long,
    // the right password included.
    let mut statuses = Vec::new();
    for n in 0..40 {
        let answer = sign_in(&format!("personne{n}@nulle.part"), "faux", None)
            .await
            .unwrap();
        statuses.push(answer.status().as_u16());
    }
    assert_eq!(statuses[0], 422);
    assert!(statuses.contains(&429), "{statuses:?}");
    let right = sign_in("agent@chambery.fr", "un mot de passe assez long", None)
        .await
        .unwrap();
    assert_eq!(right.status(), 429);
    drop(server);
    t.drop().await;
}
