//! The `atlas` commands.

use crate::config::{leptos_options, open_database, prepare_sqlite_dir, DEFAULT_DATABASE_URL};
use crate::{router, AppState};
use app::server::legacy_import;
use app::server::services::{changes, demo, referentials};
use clap::{Parser, Subcommand};
use sea_orm::DatabaseConnection;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The legacy atlas page the demo data set always contains.
pub const SEED_PAGE: &str = include_str!("../fixtures/legacy/000_001612c233d2473f.txt");

#[derive(Parser, Debug)]
#[command(
    name = "atlas",
    version,
    about = "Atlas de la coopération décentralisée"
)]
pub struct Cli {
    /// Database URL: sqlite://… (embedded) or postgres://…
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,

    /// Folder holding the npm referential packages (@etalab/decoupage-administratif,
    /// world-countries).
    #[arg(long, env = "ATLAS_REFERENTIALS_DIR", global = true)]
    pub referentials_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the atlas (the default).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000")]
        addr: SocketAddr,
        /// Seed the demo data set when the atlas is empty.
        #[arg(long)]
        seed_demo_if_empty: bool,
    },
    /// Apply the migrations and load the referentials.
    Migrate,
    /// Write a backup of the database into FILE (SQLite: a consistent copy, taken while
    /// servers run; PostgreSQL: pg_dump's custom format).
    Backup { file: PathBuf },
    /// Put the backup FILE in place of the database (SQLite: stop the servers first; the
    /// replaced file is kept beside it. PostgreSQL: pg_restore).
    Restore { file: PathBuf },
    /// Import pages of the legacy atlas, as text.
    ImportLegacy {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Create a realistic, deterministic demo data set.
    SeedDemo {
        #[arg(long, default_value_t = 13_000)]
        count: usize,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Find a French authority by identity, INSEE code, SIREN or name, as the import does.
    Authority {
        /// `departement-75`, `75056`, `217500016`, `75` or a name ("Grand Chambéry").
        text: String,
    },
    /// Time the search index in-process (no HTTP) on the query strings of a file, one per line
    /// (`country=SN&theme=DUR.EAU`, or an `/api/v1/partnerships?...` path), with the API's facets.
    /// With `ATLAS_COUNTING_COSTS=1`, each facet's counting timed both ways under each query.
    BenchSearch {
        file: PathBuf,
        /// How many times each query runs.
        #[arg(long, default_value_t = 200)]
        rounds: usize,
        /// Count every facet, as the search page does, not only the API's.
        #[arg(long)]
        all_facets: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create an active account; the password is read from standard input (its first line).
    Create {
        #[arg(long)]
        email: String,
        /// admin, moderator or staff.
        #[arg(long)]
        role: String,
        /// The authority of a staff member: its identity (`commune-73065`), a commune's INSEE
        /// code or a SIREN.
        #[arg(long)]
        authority: Option<String>,
        /// The country of an embassy moderator (ISO 3166 alpha-2).
        #[arg(long)]
        country: Option<String>,
        /// What the person does ("chargée de mission coopération").
        #[arg(long)]
        function: Option<String>,
    },
}

pub type CliError = Box<dyn std::error::Error + Send + Sync>;

/// Connects, migrates and loads the referentials: every command starts here.
pub async fn connect(cli: &Cli) -> Result<DatabaseConnection, CliError> {
    prepare_sqlite_dir(&cli.database_url)?;
    let db = open_database(&cli.database_url).await?;
    let dir = cli
        .referentials_dir
        .clone()
        .unwrap_or_else(referentials::default_data_dir);
    crate::migrate::migrate(&db, &cli.database_url, &dir).await?;
    Ok(db)
}

pub async fn run(cli: Cli) -> Result<(), CliError> {
    // A restore replaces the database: it must not open (nor migrate) it first.
    if let Some(Command::Restore { file }) = &cli.command {
        let kept = crate::backup::restore(&cli.database_url, file).await?;
        println!("Base restaurée depuis {}.", file.display());
        if let Some(kept) = kept {
            println!("L'ancienne base est gardée dans {}.", kept.display());
        }
        return Ok(());
    }
    let db = connect(&cli).await?;
    match cli.command {
        None => serve(db, "127.0.0.1:3000".parse()?, false).await,
        Some(Command::Serve {
            addr,
            seed_demo_if_empty,
        }) => serve(db, addr, seed_demo_if_empty).await,
        Some(Command::Migrate) => {
            println!("Base à jour.");
            Ok(())
        }
        Some(Command::Backup { file }) => {
            crate::backup::backup(&db, &cli.database_url, &file).await?;
            println!("Sauvegarde écrite dans {}.", file.display());
            Ok(())
        }
        // Done above, before any connection.
        Some(Command::Restore { .. }) => Ok(()),
        Some(Command::ImportLegacy { files }) => import(&db, &files).await,
        Some(Command::SeedDemo { count, seed }) => seed_demo(&db, count, seed).await,
        Some(Command::Authority { text }) => authority(&db, &text).await,
        Some(Command::User {
            command:
                UserCommand::Create {
                    email,
                    role,
                    authority,
                    country,
                    function,
                },
        }) => {
            let new = app::server::services::users::NewUser {
                email,
                role: app::models::Role::from_code(&role),
                function,
                authority,
                country,
                password: String::new(),
            };
            create_user(&db, new).await
        }
        Some(Command::BenchSearch {
            file,
            rounds,
            all_facets,
        }) => bench_search(&db, &file, rounds, all_facets).await,
    }
}

async fn serve(db: DatabaseConnection, addr: SocketAddr, seed: bool) -> Result<(), CliError> {
    if seed && demo::published_count(&db).await? == 0 {
        seed_demo(&db, 13_000, 2026).await?;
    }
    let mailer = crate::config::mailer().map_err(sea_orm::DbErr::Custom)?;
    let search = app::server::search::Search::starting();
    let state = AppState::with_search(db, leptos_options(addr), mailer, search);
    // Listening comes first: the index is built meanwhile, and until it is, `/readyz` says so
    // and what needs it answers 503.
    let indexing = state.clone();
    tokio::spawn(async move {
        build_index(&indexing).await;
        follow_changes(indexing).await
    });
    tokio::spawn(sweep_sessions(app::server::auth::DbSessions::new(
        state.db.clone(),
    )));
    if let Some(metrics) = crate::metrics::address().map_err(sea_orm::DbErr::Custom)? {
        crate::metrics::serve(state.clone(), metrics).await?;
    }
    let app = router(state);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("Atlas en ligne sur http://{addr}");
    println!("Atlas en ligne sur http://{addr}");
    let stopping = std::sync::Arc::new(tokio::sync::Notify::new());
    let signalled = stopping.clone();
    let serving = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        stop_signal().await;
        tracing::info!("stopping: no new connections, finishing the requests under way");
        signalled.notify_one();
    });
    tokio::select! {
        served = serving => served?,
        () = async {
            stopping.notified().await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => {
            tracing::warn!(
                seconds = SHUTDOWN_GRACE.as_secs(),
                "stopping: requests still under way after the grace period are cut"
            );
        }
    }
    tracing::info!("Atlas arrêté");
    Ok(())
}

/// How long a stopping server waits for the requests under way (a large export, a slow
/// client) before it ends anyway.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(30);

/// SIGTERM (what systemd, Docker and Kubernetes send) or Ctrl-C.
async fn stop_signal() {
    let interrupt = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(%err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(%err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

/// Builds the search index, trying again while the database fails.
async fn build_index(state: &AppState) {
    let started = std::time::Instant::now();
    loop {
        // What the build freed (its rows, words and buffers, SQLite's caches) goes back to the
        // system before the server says it is ready, not at the first request: a few
        // milliseconds, and the memory once ready is what the server keeps.
        match state
            .search
            .load_then(&state.db, allocator::give_back)
            .await
        {
            Ok(()) => break,
            Err(err) => {
                tracing::error!(%err, "search index: could not be built, trying again");
                tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            }
        }
    }
    tracing::info!(
        partnerships = state.search.read().len(),
        seconds = started.elapsed().as_secs_f64(),
        "search index built"
    );
}

/// Removes expired sessions every hour.
async fn sweep_sessions(sessions: app::server::auth::DbSessions) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tick.tick().await;
        match sessions.sweep().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(sessions = n, "expired sessions removed"),
            Err(err) => tracing::error!(%err, "could not remove expired sessions"),
        }
    }
}

/// How often a server reads the change log: a write anywhere shows within this. On
/// PostgreSQL a notification wakes the server at once and this is only the safety net.
const FOLLOW_EVERY: std::time::Duration = std::time::Duration::from_millis(200);
const FOLLOW_EVERY_NOTIFIED: std::time::Duration = std::time::Duration::from_secs(1);
/// How often to check for changes made behind the log's back.
const REBUILD_CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(15);

/// Listens to the change log's notifications on PostgreSQL; `None` on SQLite, or when the
/// listening connection cannot be made (the poll still works).
async fn listen(db: &DatabaseConnection) -> Option<sea_orm::sqlx::postgres::PgListener> {
    if db.get_database_backend() != sea_orm::DbBackend::Postgres {
        return None;
    }
    let pool = db.get_postgres_connection_pool();
    let listening = async {
        let mut listener = sea_orm::sqlx::postgres::PgListener::connect_with(pool).await?;
        listener.listen(changes::CHANNEL).await?;
        Ok::<_, sea_orm::sqlx::Error>(listener)
    };
    match listening.await {
        Ok(listener) => Some(listener),
        Err(err) => {
            tracing::error!(%err, "change log: cannot listen for notifications, polling only");
            None
        }
    }
}

/// The next notification, or never when there is no listener.
async fn notified(listener: &mut Option<sea_orm::sqlx::postgres::PgListener>) {
    let Some(active) = listener else {
        return std::future::pending().await;
    };
    // `recv` reconnects by itself after a lost connection; an error here is rare and the
    // poll covers what it misses.
    if let Err(err) = active.recv().await {
        tracing::warn!(%err, "change log: notification lost, polling meanwhile");
        tokio::time::sleep(FOLLOW_EVERY_NOTIFIED).await;
    }
}

/// Follows the change log for as long as the server runs, so that what any process writes
/// (another server, an import, the demo seeding) is in this server's search and pages within
/// a fraction of a second: woken by PostgreSQL's notifications, or polling SQLite's log; now
/// and then, also checks for changes the log did not see.
pub async fn follow_changes(state: AppState) {
    let mut listener = listen(&state.db).await;
    let every = if listener.is_some() {
        FOLLOW_EVERY_NOTIFIED
    } else {
        FOLLOW_EVERY
    };
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut checked = std::time::Instant::now();
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            () = notified(&mut listener) => {}
        }
        match state.search.follow(&state.db).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(partnerships = n, "search index: changes applied"),
            Err(err) => tracing::error!(%err, "search index: could not read the change log"),
        }
        if checked.elapsed() >= REBUILD_CHECK_EVERY {
            checked = std::time::Instant::now();
            match state.search.rebuild_if_changed(&state.db).await {
                Ok(true) => {
                    allocator::give_back();
                    tracing::info!("search index rebuilt after a change outside the log");
                }
                Ok(false) => {}
                Err(err) => tracing::error!(%err, "search index: could not check for changes"),
            }
        }
    }
}

async fn import(db: &DatabaseConnection, files: &[PathBuf]) -> Result<(), CliError> {
    let outcomes = legacy_import::import_files(db, files).await?;
    let mut failed = 0;
    for outcome in outcomes {
        match outcome {
            Ok(done) => {
                let verb = match done.outcome {
                    legacy_import::Outcome::Created => "créé",
                    legacy_import::Outcome::Updated => "mis à jour",
                    legacy_import::Outcome::Skipped => "laissé tel quel",
                };
                println!("{} : partenariat {} {verb}", done.file, done.id);
                for warning in done.warnings {
                    println!("  attention : {warning}");
                }
            }
            Err(err) => {
                failed += 1;
                eprintln!("erreur : {err}");
            }
        }
    }
    if failed > 0 {
        return Err(format!("{failed} fichier(s) en erreur").into());
    }
    Ok(())
}

async fn seed_demo(db: &DatabaseConnection, count: usize, seed: u64) -> Result<(), CliError> {
    let started = std::time::Instant::now();
    demo::seed_embassies(db).await?;
    let lookup = referentials::Lookup::load(db).await?;
    let matcher = app::server::services::authorities::Matcher::load(db).await?;
    legacy_import::import_text(db, &lookup, &matcher, "000_001612c233d2473f.txt", SEED_PAGE)
        .await?;
    let bar = indicatif::ProgressBar::new(count as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} partenariats ({eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    demo::seed(db, count, seed, |done| bar.set_position(done as u64)).await?;
    bar.finish();
    println!(
        "{count} partenariats de démonstration créés en {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Creates an account with the password read from standard input's first line; each refused
/// field is printed with its message.
async fn create_user(
    db: &DatabaseConnection,
    mut new: app::server::services::users::NewUser,
) -> Result<(), CliError> {
    let mut password = String::new();
    std::io::stdin().read_line(&mut password)?;
    new.password = password.trim_end_matches(['\r', '\n']).to_string();
    match app::server::services::users::create(db, new).await {
        Ok(id) => {
            println!("Compte {id} créé.");
            Ok(())
        }
        Err(app::error::AppError::Invalid { fields }) => {
            for f in &fields {
                eprintln!("{} : {}", f.field, f.message);
            }
            Err("compte non créé".into())
        }
        Err(other) => Err(other.to_string().into()),
    }
}

/// Prints what a code or a name designates: one authority, the candidates, or nothing.
async fn authority(db: &DatabaseConnection, text: &str) -> Result<(), CliError> {
    use app::server::services::authorities::{self, Found, Matcher};
    let line = |c: &app::server::entities::collectivity::Model| {
        let id = authorities::identity(c).map(|id| id.to_string());
        format!("{}\t{}", id.unwrap_or_default(), c.name)
    };
    match authorities::find(db, text).await? {
        Found::One(c) => println!("{}", line(&c)),
        Found::Several(rows) => {
            println!("« {text} » désigne plusieurs collectivités :");
            for c in &rows {
                println!("{}", line(c));
            }
        }
        Found::None => {
            let matcher = Matcher::load(db).await?;
            match matcher.resolve(text) {
                Found::One((_, id)) => {
                    println!("{id}\t{}", matcher.name_of(&id).unwrap_or_default())
                }
                Found::Several(candidates) => {
                    println!("« {text} » est ambigu ; candidates :");
                    for (_, id) in candidates {
                        println!("{id}\t{}", matcher.name_of(&id).unwrap_or_default());
                    }
                }
                Found::None => return Err(format!("aucune collectivité pour « {text} »").into()),
            }
        }
    }
    Ok(())
}

async fn bench_search(
    db: &DatabaseConnection,
    file: &Path,
    rounds: usize,
    all_facets: bool,
) -> Result<(), CliError> {
    let facets = if all_facets {
        app::models::Facet::ALL
    } else {
        &crate::routes::search::API_FACETS
    };
    let started = std::time::Instant::now();
    let search = app::server::search::Search::build(db).await?;
    allocator::give_back();
    let index = search.read();
    println!(
        "index: {} partnerships, built in {:.1} s",
        index.len(),
        started.elapsed().as_secs_f64()
    );
    let footprint = index.footprint();
    let mb = |bytes: usize| bytes as f64 / 1e6;
    println!(
        "footprint: about {:.0} MB (excerpts are part of the documents' text)",
        mb(footprint
            .iter()
            .filter(|(part, _)| !part.starts_with("of which"))
            .map(|(_, b)| b)
            .sum())
    );
    for (part, bytes) in &footprint {
        println!("  {:>8.1} MB  {part}", mb(*bytes));
    }
    if let (Some(rss), Some(peak)) = (memory_kb("VmRSS"), memory_kb("VmHWM")) {
        println!(
            "process memory once built: RSS {:.0} MB, peak {:.0} MB",
            rss as f64 / 1024.0,
            peak as f64 / 1024.0
        );
    }
    println!("{:>9} {:>9} {:>9}  query", "p50 µs", "p99 µs", "max µs");
    for line in std::fs::read_to_string(file)?.lines() {
        let raw = line.trim().rsplit('?').next().unwrap_or_default();
        if line.trim().is_empty() {
            continue;
        }
        let query = crate::routes::search::parse_query(Some(raw)).map_err(|e| format!("{e:?}"))?;
        let mut times: Vec<u128> = (0..rounds.max(1))
            .map(|_| {
                let start = std::time::Instant::now();
                let outcome = index.search(&query, facets);
                let body = serde_json::to_vec(&outcome.map(|o| (o.items, o.facets)).ok());
                std::hint::black_box(body.map(|b| b.len()).unwrap_or(0));
                start.elapsed().as_micros()
            })
            .collect();
        let [p50, p99, max] = quantiles(&mut times);
        println!("{p50:>9} {p99:>9} {max:>9}  {raw}");
        if std::env::var_os("ATLAS_COUNTING_COSTS").is_some() {
            for line in index.counting_costs(&query) {
                println!("    {line}");
            }
        }
    }
    bench_synergies(&index);
    Ok(())
}

/// Times the "Qui d'autre ?" panel of a partnership's page (what the index computes for it, as
/// `services::synergies::of_partnership` asks, serialised) on partnerships spread over the
/// index.
fn bench_synergies(index: &app::server::search::SearchIndex) {
    use app::server::services::synergies::ON_A_PARTNERSHIP;
    const SAMPLE: u64 = 2_000;
    let step = (index.len() / SAMPLE).max(1) as usize;
    let mut times: Vec<u128> = (0..index.len() as u32)
        .step_by(step)
        .map(|doc| {
            let start = std::time::Instant::now();
            let groups: Vec<_> = index
                .peers_of_partnership(doc, ON_A_PARTNERSHIP)
                .into_iter()
                .map(|(_, found)| found.peers)
                .collect();
            let body = serde_json::to_vec(&groups);
            std::hint::black_box(body.map(|b| b.len()).unwrap_or(0));
            start.elapsed().as_micros()
        })
        .collect();
    if times.is_empty() {
        return;
    }
    let [p50, p99, max] = quantiles(&mut times);
    println!(
        "{p50:>9} {p99:>9} {max:>9}  who else works there, a partnership's panel ({} partnerships)",
        times.len()
    );
}

/// The median, 99th percentile and largest of some timings (at least one), sorting them.
fn quantiles(times: &mut [u128]) -> [u128; 3] {
    times.sort_unstable();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    [at(0.5), at(0.99), at(1.0)]
}

/// A line of `/proc/self/status` in KiB (`VmRSS`, `VmHWM`), where there is one (Linux).
fn memory_kb(field: &str) -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}
