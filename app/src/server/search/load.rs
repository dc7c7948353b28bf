//! Builds the search index from the database: the referentials first (so every valid filter
//! value is known and labelled), then the published partnerships in chunks of ids.

use super::index::{
    DocFields, DocInput, Indexer, Interner, SearchIndex, Shared, ValueInfo, WEIGHT_OBJECTIVES,
    WEIGHT_PARTNER, WEIGHT_TEXT, WEIGHT_TITLE,
};
use crate::models::AuthorityId;
use crate::models::{
    AmountBand, CollectivityKind, Facet, FunderKind, PublicationState, Status, WorldZone,
};
use crate::server::entities::{
    collectivity, country, foreign_authority, funding, partnership, partnership_foreign_partner,
    partnership_form, partnership_french_partner, partnership_theme, theme, volunteer,
};
use crate::server::services::authorities::identity;
use crate::server::services::referentials::fold_name;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Partnerships read at once. Each chunk's rows and texts live until they are indexed: with
/// `READERS` chunks read and as many waiting, 1,000 keeps that near 15 MB at 130,000 (5,000
/// left the allocator 40 MB more once built), for the same build time.
const CHUNK: usize = 1_000;
const EXCERPT_SOURCE_CHARS: usize = 600;

/// What the index needs to know of the referentials while it reads partnerships.
struct Referentials {
    /// Zone and names (French, English) of each country.
    countries: HashMap<String, (WorldZone, String, String)>,
    theme_parents: HashMap<String, Option<String>>,
    collectivities: HashMap<i32, collectivity::Model>,
    /// The one copy of each value the documents repeat, shared by the readers.
    names: Interner,
}

/// The columns of a partnership the index keeps or searches (not the history, the people in
/// charge, the beneficiaries, which only its page shows).
#[derive(sea_orm::DerivePartialModel)]
#[sea_orm(entity = "partnership::Entity")]
struct IndexedColumns {
    id: i32,
    title: String,
    first_agreement_year: Option<i32>,
    start_year: Option<i32>,
    status: Option<String>,
    end_date: Option<chrono::NaiveDate>,
    form_code: Option<String>,
    theme_code: Option<String>,
    context: Option<String>,
    objectives_local: Option<String>,
    objectives_france: Option<String>,
    description: Option<String>,
    updated_at: chrono::DateTime<chrono::Utc>,
}

/// Chunks read at once, each on its own connection, while the index takes in those read.
const READERS: usize = 2;

/// The whole index, from the database. Reading the partnerships (SQLite or PostgreSQL, then
/// shaping each document) costs about three times what indexing them does: `READERS` tasks
/// read chunks side by side while this one indexes them, in the order of their ids.
pub async fn build(db: &DatabaseConnection) -> Result<SearchIndex, DbErr> {
    let started = std::time::Instant::now();
    let mut index = SearchIndex::default();
    let refs = Arc::new(register_referentials(db, &mut index).await?);
    let referentials = started.elapsed();
    let ids: Vec<i32> = partnership::Entity::find()
        .select_only()
        .column(partnership::Column::Id)
        .filter(partnership::Column::PublicationState.eq(PublicationState::Published.code()))
        .order_by_asc(partnership::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let chunks: Vec<Vec<i32>> = ids.chunks(CHUNK).map(<[i32]>::to_vec).collect();
    let count = chunks.len();
    let reading = readers(db).await;
    let queue = Arc::new(std::sync::Mutex::new(chunks.into_iter().enumerate()));
    let (sender, mut received) = tokio::sync::mpsc::channel(READERS);
    for _ in 0..READERS {
        let (db, refs, queue, sender) =
            (reading.clone(), refs.clone(), queue.clone(), sender.clone());
        tokio::spawn(async move {
            loop {
                let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
                let Some((n, chunk)) = next else { break };
                let docs = load_docs(&db, &refs, &chunk).await;
                let failed = docs.is_err();
                // The receiver gone (an error elsewhere), or this one failed: stop.
                if sender.send((n, docs)).await.is_err() || failed {
                    break;
                }
            }
        });
    }
    drop(sender);
    let mut indexer = Indexer::default();
    // Chunks come in any order; each is indexed in its turn.
    let mut waiting: std::collections::BTreeMap<usize, Vec<DocInput>> = Default::default();
    let mut indexing = std::time::Duration::ZERO;
    for turn in 0..count {
        while !waiting.contains_key(&turn) {
            let Some((n, docs)) = received.recv().await else {
                return Err(DbErr::Custom("search index: a reader stopped".into()));
            };
            waiting.insert(n, docs?);
        }
        let start = std::time::Instant::now();
        for input in waiting.remove(&turn).unwrap_or_default() {
            index.upsert(input, &mut indexer);
        }
        indexing += start.elapsed();
    }
    let finishing = std::time::Instant::now();
    index.last_change = last_change(db).await?;
    index.finish();
    index.shrink_to_fit();
    tracing::debug!(
        partnerships = index.len(),
        seconds = started.elapsed().as_secs_f64(),
        referentials = referentials.as_secs_f64(),
        indexing = indexing.as_secs_f64(),
        finishing = finishing.elapsed().as_secs_f64(),
        "search index: built"
    );
    Ok(index)
}

/// The connections the readers share. On SQLite, sea-orm's pool holds one connection (which
/// keeps writes in their order): the build opens `READERS` read-only ones of its own, closed
/// when it ends; PostgreSQL's pool has several already.
async fn readers(db: &DatabaseConnection) -> DatabaseConnection {
    if db.get_database_backend() != sea_orm::DbBackend::Sqlite {
        return db.clone();
    }
    let options = db.get_sqlite_connection_pool().connect_options();
    if options.get_filename().as_os_str().is_empty()
        || options
            .get_filename()
            .to_string_lossy()
            .contains(":memory:")
    {
        return db.clone();
    }
    let pool = sea_orm::sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(READERS as u32)
        .connect_with(
            // The pool's own options, the rows its threads read ahead included
            // (`server/src/config.rs`).
            (*options).clone().read_only(true),
        )
        .await;
    match pool {
        Ok(pool) => pool.into(),
        Err(err) => {
            tracing::warn!(%err, "search index: no read-only connections, reading on one");
            db.clone()
        }
    }
}

/// What a write changed, read from the database, to apply to the index.
pub struct Changes {
    pub upserts: Vec<DocInput>,
    pub removals: Vec<i32>,
    pub last_change: Option<chrono::DateTime<chrono::Utc>>,
}

impl Changes {
    /// Whether applying these changes would alter the index: a draft saved, submitted or
    /// returned changes nothing public.
    pub fn touch(&self, index: &SearchIndex) -> bool {
        !self.upserts.is_empty()
            || self.removals.iter().any(|id| index.position(*id).is_some())
            || self.last_change != index.last_change
    }

    pub fn apply(self, index: &mut SearchIndex) {
        for id in self.removals {
            index.remove(id);
        }
        let mut indexer = Indexer::default();
        for input in self.upserts {
            index.upsert(input, &mut indexer);
        }
        index.last_change = self.last_change;
        index.finish();
    }
}

/// Re-reads some partnerships (after a write): published ones are to be replaced, the others
/// removed.
pub async fn changes(db: &impl ConnectionTrait, ids: &[i32]) -> Result<Changes, DbErr> {
    let published: Vec<i32> = partnership::Entity::find()
        .select_only()
        .column(partnership::Column::Id)
        .filter(partnership::Column::PublicationState.eq(PublicationState::Published.code()))
        .filter(partnership::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    // Only the French authorities these partnerships name: the whole referential (36,000
    // rows) would cost a write hundreds of milliseconds.
    let named: Vec<i32> = partnership_french_partner::Entity::find()
        .select_only()
        .column(partnership_french_partner::Column::CollectivityId)
        .filter(partnership_french_partner::Column::PartnershipId.is_in(published.iter().copied()))
        .filter(partnership_french_partner::Column::CollectivityId.is_not_null())
        .into_tuple::<Option<i32>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
        .collect();
    let refs = referentials(db, Some(&named)).await?;
    Ok(Changes {
        removals: ids
            .iter()
            .copied()
            .filter(|id| !published.contains(id))
            .collect(),
        upserts: load_docs(db, &refs, &published).await?,
        last_change: last_change(db).await?,
    })
}

/// The date of the most recent change to a published partnership, for the exports' notice
/// (drafts are nobody's business).
pub async fn last_change(
    db: &impl ConnectionTrait,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, DbErr> {
    let latest: Option<Option<chrono::DateTime<chrono::Utc>>> = partnership::Entity::find()
        .select_only()
        .filter(partnership::Column::PublicationState.eq(PublicationState::Published.code()))
        .column_as(partnership::Column::UpdatedAt.max(), "latest")
        .into_tuple()
        .one(db)
        .await?;
    Ok(latest.flatten())
}

/// A fingerprint of the published data: when it changes, another process wrote.
pub async fn data_version(db: &impl ConnectionTrait) -> Result<(i64, Option<String>), DbErr> {
    let count: Option<i64> = partnership::Entity::find()
        .select_only()
        .column_as(partnership::Column::Id.count(), "n")
        .into_tuple()
        .one(db)
        .await?;
    let latest = last_change(db).await?;
    Ok((count.unwrap_or(0), latest.map(|d| d.to_rfc3339())))
}

/// The countries, the themes and the French authorities (all of them, or those with these ids).
async fn referentials(
    db: &impl ConnectionTrait,
    only: Option<&[i32]>,
) -> Result<Referentials, DbErr> {
    let countries = country::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| {
            let zone = WorldZone::from_code(&c.zone).unwrap_or(WorldZone::Europe);
            (c.iso2, (zone, c.name_fr, c.name_en))
        })
        .collect();
    let theme_parents = theme::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.code, t.parent_code))
        .collect();
    let collectivities = match only {
        Some(ids) => collectivity::Entity::find()
            .filter(collectivity::Column::Id.is_in(ids.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect(),
        None => all_collectivities(db).await?,
    };
    Ok(Referentials {
        countries,
        theme_parents,
        collectivities,
        names: Interner::default(),
    })
}

/// Every French authority (36,000 rows), read a page at a time. Read at once, SQLite's copies
/// of every row's values (C memory, outside the Rust allocator) peaked at 34 MB, which the C
/// allocator then kept for the life of the server.
async fn all_collectivities(
    db: &impl ConnectionTrait,
) -> Result<HashMap<i32, collectivity::Model>, DbErr> {
    const PAGE: u64 = 2_000;
    let mut all = HashMap::new();
    let mut after = i32::MIN;
    loop {
        let page = collectivity::Entity::find()
            .filter(collectivity::Column::Id.gt(after))
            .order_by_asc(collectivity::Column::Id)
            .limit(PAGE)
            .all(db)
            .await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        let full = page.len() as u64 == PAGE;
        all.extend(page.into_iter().map(|c| (c.id, c)));
        if !full {
            break;
        }
    }
    Ok(all)
}

/// Registers every value a filter may name, with its labels, in the order facets list them.
async fn register_referentials(
    db: &impl ConnectionTrait,
    index: &mut SearchIndex,
) -> Result<Referentials, DbErr> {
    let label = ValueInfo::new;
    for c in country::Entity::find()
        .order_by_asc(country::Column::NameFr)
        .all(db)
        .await?
    {
        index.register(
            Facet::Country,
            label(&c.iso2, &c.name_fr, Some(&c.name_en), None),
        );
    }
    for zone in WorldZone::ALL {
        let (fr, en) = super::labels::zone(*zone);
        index.register(Facet::Zone, label(zone.code(), &fr, Some(&en), None));
    }
    // Depth-first, so each theme follows its parent.
    let themes = theme::Entity::find()
        .order_by_asc(theme::Column::Level)
        .order_by_asc(theme::Column::Position)
        .all(db)
        .await?;
    fn walk(index: &mut SearchIndex, themes: &[theme::Model], parent: Option<&str>, depth: u8) {
        if depth > 4 {
            return;
        }
        for t in themes.iter().filter(|t| t.parent_code.as_deref() == parent) {
            index.register(
                Facet::Theme,
                ValueInfo::new(
                    &t.code,
                    &t.label_fr,
                    Some(&t.label_en),
                    t.parent_code.as_deref(),
                ),
            );
            walk(index, themes, Some(&t.code), depth + 1);
        }
    }
    walk(index, &themes, None, 0);
    for status in Status::ALL {
        let (fr, en) = super::labels::status(*status);
        index.register(Facet::Status, label(status.code(), &fr, Some(&en), None));
    }
    for f in partnership_form::Entity::find()
        .order_by_asc(partnership_form::Column::Position)
        .all(db)
        .await?
    {
        index.register(
            Facet::Form,
            label(&f.code, &f.label_fr, Some(&f.label_en), None),
        );
    }
    for kind in CollectivityKind::ALL {
        let (fr, en) = super::labels::kind(*kind);
        index.register(
            Facet::AuthorityKind,
            label(kind.code(), &fr, Some(&en), None),
        );
    }
    for kind in FunderKind::ALL {
        let (fr, en) = super::labels::funder(*kind);
        index.register(Facet::Funder, label(kind.code(), &fr, Some(&en), None));
    }
    for band in AmountBand::ALL {
        let (fr, en) = super::labels::amount(*band);
        index.register(Facet::Amount, label(band.code(), &fr, Some(&en), None));
    }
    index.register(Facet::Volunteers, label("yes", "Oui", Some("Yes"), None));
    index.register(Facet::Volunteers, label("no", "Non", Some("No"), None));

    let refs = referentials(db, None).await?;
    let mut sorted: Vec<(&collectivity::Model, AuthorityId)> = refs
        .collectivities
        .values()
        .filter_map(|c| Some((c, identity(c)?)))
        .collect();
    sorted.sort_by(|a, b| (&a.0.code, a.1.kind).cmp(&(&b.0.code, b.1.kind)));
    for (c, id) in &sorted {
        for facet in geography(id.kind) {
            index.register(*facet, label(&c.code, &c.name, None, None));
        }
        let (fr, en) = authority_labels(c, id.kind);
        index.register(
            Facet::FrenchAuthority,
            label(&id.to_string(), &fr, Some(&en), None),
        );
    }
    // The codes people used before identities: a SIREN (a bare INSEE code is tried under
    // each kind by the index itself).
    for (c, id) in &sorted {
        if let Some(siren) = &c.siren {
            index.alias(Facet::FrenchAuthority, siren, &id.to_string());
        }
    }
    Ok(refs)
}

/// How an authority is listed among others: namesakes told apart by their kind ("Paris
/// (département)") or, for communes, their département ("Saint-Denis (93)").
fn authority_labels(c: &collectivity::Model, kind: CollectivityKind) -> (String, String) {
    match kind {
        CollectivityKind::Commune => {
            let label = match &c.departement_code {
                Some(dep) => format!("{} ({dep})", c.name),
                None => c.name.clone(),
            };
            (label.clone(), label)
        }
        CollectivityKind::Epci => (c.name.clone(), c.name.clone()),
        _ => {
            let (fr, en) = super::labels::kind(kind);
            (
                format!("{} ({})", c.name, fr.to_lowercase()),
                format!("{} ({})", c.name, en.to_lowercase()),
            )
        }
    }
}

/// The geographic facets an authority of this kind is itself a value of: a région of the
/// région facet, a département of the département facet, an overseas collectivity of both
/// (INSEE uses its code as both).
fn geography(kind: CollectivityKind) -> &'static [Facet] {
    match kind {
        CollectivityKind::Region => &[Facet::Region],
        CollectivityKind::Departement => &[Facet::Departement],
        CollectivityKind::Com => &[Facet::Region, Facet::Departement],
        CollectivityKind::Commune | CollectivityKind::Epci => &[],
    }
}

/// Sorts children rows by partnership.
fn group<T>(rows: Vec<T>, key: impl Fn(&T) -> i32) -> HashMap<i32, Vec<T>> {
    let mut map: HashMap<i32, Vec<T>> = HashMap::new();
    for row in rows {
        map.entry(key(&row)).or_default().push(row);
    }
    map
}

async fn load_docs(
    db: &impl ConnectionTrait,
    refs: &Referentials,
    ids: &[i32],
) -> Result<Vec<DocInput>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let id_list = || ids.iter().copied();
    let rows = partnership::Entity::find()
        .filter(partnership::Column::Id.is_in(id_list()))
        .order_by_asc(partnership::Column::Id)
        .into_partial_model::<IndexedColumns>()
        .all(db)
        .await?;
    let mut themes = group(
        partnership_theme::Entity::find()
            .filter(partnership_theme::Column::PartnershipId.is_in(id_list()))
            .all(db)
            .await?,
        |r| r.partnership_id,
    );
    let foreign_links = partnership_foreign_partner::Entity::find()
        .filter(partnership_foreign_partner::Column::PartnershipId.is_in(id_list()))
        .order_by_asc(partnership_foreign_partner::Column::Position)
        .all(db)
        .await?;
    let authority_ids: HashSet<i32> = foreign_links
        .iter()
        .map(|l| l.foreign_authority_id)
        .collect();
    let authorities: HashMap<i32, foreign_authority::Model> = foreign_authority::Entity::find()
        .filter(foreign_authority::Column::Id.is_in(authority_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let mut foreign = group(foreign_links, |r| r.partnership_id);
    let mut french = group(
        partnership_french_partner::Entity::find()
            .filter(partnership_french_partner::Column::PartnershipId.is_in(id_list()))
            .order_by_asc(partnership_french_partner::Column::Position)
            .all(db)
            .await?,
        |r| r.partnership_id,
    );
    let mut fundings = group(
        funding::Entity::find()
            .select_only()
            .columns([
                funding::Column::PartnershipId,
                funding::Column::Funder,
                funding::Column::AmountCents,
                funding::Column::Year,
            ])
            .filter(funding::Column::PartnershipId.is_in(id_list()))
            .order_by_asc(funding::Column::Position)
            .into_tuple::<(i32, String, i64, Option<i32>)>()
            .all(db)
            .await?,
        |r| r.0,
    );
    // A funder's name is folded and sorted once a chunk: a few thousand names for 20,000 lines.
    let mut funder_kinds: HashMap<String, (String, FunderKind)> = HashMap::new();
    let with_volunteers: HashSet<i32> = volunteer::Entity::find()
        .select_only()
        .column(volunteer::Column::PartnershipId)
        .filter(volunteer::Column::PartnershipId.is_in(id_list()))
        .into_tuple::<i32>()
        .all(db)
        .await?
        .into_iter()
        .collect();

    let mut out = Vec::with_capacity(rows.len());
    for p in rows {
        let mut facets: Vec<(Facet, String)> = Vec::new();
        let mut texts: Vec<(u16, String)> = vec![(WEIGHT_TITLE, p.title.clone())];

        if let Some(status) = &p.status {
            facets.push((Facet::Status, status.clone()));
        }
        if let Some(form) = &p.form_code {
            facets.push((Facet::Form, form.clone()));
        }
        if let Some(year) = p.start_year {
            facets.push((Facet::StartYear, year.to_string()));
        }
        if let Some(year) = p.first_agreement_year {
            facets.push((Facet::AgreementYear, year.to_string()));
        }
        let mut theme_codes: Vec<&str> = p.theme_code.iter().map(String::as_str).collect();
        let secondary = themes.remove(&p.id).unwrap_or_default();
        let other_themes: Vec<Shared> = secondary
            .iter()
            .map(|t| refs.names.get(&t.theme_code))
            .collect();
        theme_codes.extend(secondary.iter().map(|t| t.theme_code.as_str()));
        let mut theme_values: HashSet<String> = HashSet::new();
        for code in theme_codes {
            // A theme counts for its ancestors too: ticking a parent includes its children.
            let mut current = Some(code.to_string());
            let mut depth = 0;
            while let (Some(code), true) = (current, depth < 5) {
                current = refs.theme_parents.get(&code).cloned().flatten();
                theme_values.insert(code);
                depth += 1;
            }
        }
        facets.extend(theme_values.into_iter().map(|c| (Facet::Theme, c)));

        let mut countries: Vec<Shared> = Vec::new();
        let mut foreign_names = Vec::new();
        for link in foreign.remove(&p.id).unwrap_or_default() {
            let Some(authority) = authorities.get(&link.foreign_authority_id) else {
                continue;
            };
            foreign_names.push(refs.names.get(&authority.name));
            texts.push((WEIGHT_PARTNER, authority.name.clone()));
            facets.push((Facet::ForeignPartner, authority.id.to_string()));
            if let Some(iso2) = &authority.country_iso2 {
                if !countries.iter().any(|c| **c == **iso2) {
                    countries.push(refs.names.get(iso2));
                }
            }
        }
        for iso2 in &countries {
            facets.push((Facet::Country, iso2.to_string()));
            if let Some((zone, name_fr, name_en)) = refs.countries.get(&**iso2) {
                facets.push((Facet::Zone, zone.code().to_string()));
                // Readers search by country name, in either language.
                texts.push((WEIGHT_PARTNER, format!("{name_fr} {name_en}")));
            }
        }

        let mut french_names = Vec::new();
        let mut french_codes = Vec::new();
        let mut french_folded = Vec::new();
        for partner in french.remove(&p.id).unwrap_or_default() {
            texts.push((WEIGHT_PARTNER, partner.name.clone()));
            french_folded.push(fold_name(&partner.name));
            french_names.push(refs.names.get(&partner.name));
            let collectivity = partner
                .collectivity_id
                .and_then(|id| refs.collectivities.get(&id));
            let id = collectivity.and_then(identity);
            let code = id.as_ref().map(AuthorityId::to_string);
            french_codes.push(code.as_deref().map(|code| refs.names.get(code)));
            let (Some(c), Some(id), Some(code)) = (collectivity, id, code) else {
                continue;
            };
            facets.push((Facet::FrenchAuthority, code));
            facets.push((Facet::AuthorityKind, c.kind.clone()));
            if let Some(region) = &c.region_code {
                facets.push((Facet::Region, region.clone()));
            }
            if let Some(dep) = &c.departement_code {
                facets.push((Facet::Departement, dep.clone()));
            }
            for facet in geography(id.kind) {
                facets.push((*facet, c.code.clone()));
            }
        }

        let mut total_cents = 0;
        let mut funding_lines = Vec::new();
        let mut funders: Vec<Shared> = Vec::new();
        for (_, funder, amount_cents, year) in fundings.remove(&p.id).unwrap_or_default() {
            if !funder_kinds.contains_key(&funder) {
                let folded = fold_name(&funder);
                let kind = funder_kind_by_name(&folded);
                funder_kinds.insert(funder.clone(), (folded, kind));
            }
            let (folded, by_name) = &funder_kinds[&funder];
            let kind = if french_folded.contains(folded) {
                FunderKind::FrenchAuthority
            } else {
                *by_name
            };
            if !funders.iter().any(|f| **f == *funder) {
                funders.push(refs.names.get(&funder));
            }
            facets.push((Facet::Funder, kind.code().to_string()));
            total_cents += amount_cents;
            funding_lines.push((year, kind, amount_cents));
        }
        facets.push((
            Facet::Amount,
            AmountBand::of_cents(total_cents).code().to_string(),
        ));
        let volunteers = with_volunteers.contains(&p.id);
        let yes_no = if volunteers { "yes" } else { "no" };
        facets.push((Facet::Volunteers, yes_no.to_string()));
        facets.sort();
        facets.dedup();

        let excerpt_source: String = p
            .description
            .as_deref()
            .or(p.context.as_deref())
            .unwrap_or("")
            .chars()
            .take(EXCERPT_SOURCE_CHARS)
            .collect();
        for (weight, text) in [
            (WEIGHT_OBJECTIVES, p.objectives_local),
            (WEIGHT_OBJECTIVES, p.objectives_france),
            (WEIGHT_TEXT, p.context),
            (WEIGHT_TEXT, p.description),
        ] {
            if let Some(text) = text {
                texts.push((weight, text));
            }
        }

        out.push(DocInput {
            doc: DocFields {
                id: p.id,
                title: p.title.into(),
                status: p.status.as_deref().and_then(Status::from_code),
                start_year: p.start_year,
                first_agreement_year: p.first_agreement_year,
                end_date: p.end_date,
                form: p.form_code.as_deref().map(|f| refs.names.get(f)),
                theme: p.theme_code.as_deref().map(|t| refs.names.get(t)),
                other_themes,
                countries,
                foreign_partners: foreign_names,
                french_codes,
                french_partners: french_names,
                funders,
                volunteers,
                total_cents,
                fundings: funding_lines,
                excerpt_source: excerpt_source.into(),
                updated_at: p.updated_at,
            },
            facets,
            texts,
        });
    }
    Ok(out)
}

/// Sorts a funder's name into the kinds the statistics compare.
pub fn classify_funder(name: &str, french_partners_folded: &[String]) -> FunderKind {
    let folded = fold_name(name);
    if french_partners_folded.contains(&folded) {
        FunderKind::FrenchAuthority
    } else {
        funder_kind_by_name(&folded)
    }
}

/// The kind a funder's folded name says, whoever the partnership's French partners are.
fn funder_kind_by_name(folded: &str) -> FunderKind {
    let has = |needle: &str| folded.contains(needle);
    if has("agence francaise de developpement") || folded == "afd" {
        FunderKind::Afd
    } else if has("agence de l eau") {
        FunderKind::WaterAgency
    } else if has("union europeenne") || has("commission europeenne") || has("europeaid") {
        FunderKind::EuropeanUnion
    } else if has("ministere")
        || has("ambassade")
        || has("prefecture")
        || folded == "etat"
        || folded.starts_with("etat ")
    {
        FunderKind::State
    } else if [
        "commune",
        "ville",
        "mairie",
        "departement",
        "conseil departemental",
        "conseil general",
        "region",
        "conseil regional",
        "communaute",
        "metropole",
        "syndicat",
    ]
    .iter()
    .any(|p| folded.starts_with(p))
    {
        FunderKind::FrenchAuthority
    } else {
        FunderKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn funders_fall_into_kinds() {
        let partners = vec![fold_name("Mantes-la-Jolie")];
        assert_eq!(
            classify_funder("Mantes-la-Jolie", &partners),
            FunderKind::FrenchAuthority
        );
        assert_eq!(
            classify_funder(
                "Ministère de l'Europe et des Affaires étrangères",
                &partners
            ),
            FunderKind::State
        );
        assert_eq!(
            classify_funder("Agence de l'eau Seine-Normandie", &partners),
            FunderKind::WaterAgency
        );
        assert_eq!(
            classify_funder("Agence française de développement", &partners),
            FunderKind::Afd
        );
        assert_eq!(
            classify_funder("Union européenne", &partners),
            FunderKind::EuropeanUnion
        );
        assert_eq!(
            classify_funder("Fondation Machin", &partners),
            FunderKind::Other
        );
    }
}
