//! The in-memory search and facet index. It is built from the database when the server starts
//! and follows the change log (`services::changes`): the partnerships any process wrote are
//! refreshed within the polling interval. A full rebuild remains for changes made behind the
//! log's back (SQL by hand), checked less often.

pub mod index;
pub mod labels;
pub mod load;
pub mod text;

pub use index::{Outcome, SearchIndex};

use crate::server::services::changes;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

/// The index shared by every request. Readers take a snapshot (an `Arc` of the index) that no
/// write changes under them: a write changes a copy when a snapshot is still held (a long
/// export), and a rebuild swaps in a new index.
#[derive(Clone, Debug)]
pub struct Search {
    index: Arc<RwLock<Arc<SearchIndex>>>,
    version: Arc<std::sync::Mutex<(i64, Option<String>)>>,
    /// Bumped on every change of the index, so that what was computed from it (cached pages)
    /// knows it is stale.
    generation: Arc<AtomicU64>,
    /// The generation of the last change that makes everything stale (a rebuild, a reference
    /// list, an embassy), and of each partnership's last change: a partnership's own page is
    /// stale only after these.
    everything: Arc<AtomicU64>,
    changed: Arc<RwLock<std::collections::HashMap<i32, u64>>>,
    /// The last entry of the change log the index reflects.
    applied: Arc<AtomicI32>,
    /// Held while the log is applied: a write's own refresh, the polling loop and a
    /// reference-list change may all ask at once, and one rebuild must not run beside another.
    following: Arc<tokio::sync::Mutex<()>>,
    /// Whether the index was built: a server listens at once and builds it meanwhile; until
    /// then what needs it answers `AppError::Starting` (`/readyz` says when).
    ready: Arc<AtomicBool>,
    /// When the index was last built whole.
    built: Arc<std::sync::Mutex<Option<std::time::Instant>>>,
    /// One permit per core for the searches' computations (`compute`).
    computing: Arc<tokio::sync::Semaphore>,
}

/// Changes read from the log at once.
const FOLLOW_BATCH: u64 = 5_000;
/// Behind by more changes than this, rebuilding is cheaper than refreshing.
const REBUILD_BEHIND: i32 = 20_000;

impl Search {
    /// An index not built yet: `load` builds it.
    pub fn starting() -> Search {
        Search {
            index: Arc::new(RwLock::new(Arc::new(SearchIndex::default()))),
            version: Arc::new(std::sync::Mutex::new((0, None))),
            generation: Arc::new(AtomicU64::new(0)),
            everything: Arc::new(AtomicU64::new(0)),
            changed: Arc::new(RwLock::new(std::collections::HashMap::new())),
            applied: Arc::new(AtomicI32::new(0)),
            following: Arc::new(tokio::sync::Mutex::new(())),
            ready: Arc::new(AtomicBool::new(false)),
            built: Arc::new(std::sync::Mutex::new(None)),
            computing: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, usize::from),
            )),
        }
    }

    /// The index, built before it returns (the commands, the tests).
    pub async fn build(db: &DatabaseConnection) -> Result<Search, DbErr> {
        let search = Search::starting();
        search.load(db).await?;
        Ok(search)
    }

    /// Builds the index and says it is ready; what was written meanwhile is in it, or in the
    /// change log after the position it read first.
    pub async fn load(&self, db: &DatabaseConnection) -> Result<(), DbErr> {
        self.load_then(db, || {}).await
    }

    /// `load`, with `settle` run between the build and saying it is ready (the server gives
    /// the build's freed memory back there: its memory once ready is then what it keeps).
    pub async fn load_then(
        &self,
        db: &DatabaseConnection,
        settle: impl FnOnce(),
    ) -> Result<(), DbErr> {
        let _following = self.following.lock().await;
        self.rebuild(db, load::data_version(db).await?).await?;
        settle();
        self.ready.store(true, Ordering::Release);
        Ok(())
    }

    /// Runs a computation over the index (a search with its facet counts, the ids of an
    /// export) outside the runtime's queue, at most one per core at once. A burst of searches,
    /// each a millisecond or more of CPU, then waits its turn here instead of filling the
    /// runtime's queue ahead of the pages, the writes and the exports: under 200 connections a
    /// page waited 7 s behind them (docs/PERFORMANCE.md, `make load`).
    pub async fn compute<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Arc<SearchIndex>) -> T + Send + 'static,
    ) -> Result<T, crate::error::AppError> {
        let index = self.ready()?;
        let _permit = self
            .computing
            .acquire()
            .await
            .map_err(crate::error::AppError::internal)?;
        // On the server's multi-threaded runtime the work runs on this thread, whose other
        // tasks go to another worker meanwhile: handing it to a blocking thread and waking
        // this task back cost each search two thread switches (p50 over HTTP 10 to 25 % higher
        // at 130,000 partnerships, docs/PERFORMANCE.md). A single-threaded runtime (a test's)
        // cannot hand its tasks over: there, the blocking threads. Either way a computation
        // that panics answers 500, as any internal error, instead of cutting the connection.
        let flavor = tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor());
        if matches!(flavor, Ok(tokio::runtime::RuntimeFlavor::MultiThread)) {
            // The index is only read: a panic leaves nothing half-changed.
            let work = std::panic::AssertUnwindSafe(move || work(&index));
            return std::panic::catch_unwind(|| tokio::task::block_in_place(work)).map_err(|_| {
                crate::error::AppError::internal("a computation over the index panicked")
            });
        }
        tokio::task::spawn_blocking(move || work(&index))
            .await
            .map_err(crate::error::AppError::internal)
    }

    /// Whether the index was built.
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Acquire)
    }

    /// The index, once built; before, `AppError::Starting`.
    pub fn ready(&self) -> Result<Arc<SearchIndex>, crate::error::AppError> {
        if self.is_ready() {
            Ok(self.read())
        } else {
            Err(crate::error::AppError::Starting)
        }
    }

    /// Applies what the change log holds after the last entry applied, whoever wrote it (this
    /// server, another one, the CLI): refreshes the partnerships it names, or rebuilds when far
    /// behind. Returns how many partnerships were refreshed.
    pub async fn follow(&self, db: &DatabaseConnection) -> Result<usize, DbErr> {
        // Whoever waited here finds what the one before applied already done.
        let _following = self.following.lock().await;
        if !self.is_ready() {
            return Ok(0);
        }
        let from = self.applied.load(Ordering::Acquire);
        let last = changes::last_seq(db).await?;
        if last <= from {
            return Ok(0);
        }
        if last - from > REBUILD_BEHIND {
            self.rebuild(db, load::data_version(db).await?).await?;
            return Ok(self.read().len() as usize);
        }
        let (mut ids, upto) = changes::since(db, from, FOLLOW_BATCH).await?;
        if ids.contains(&changes::REFERENCE_LISTS) {
            self.rebuild(db, load::data_version(db).await?).await?;
            return Ok(self.read().len() as usize);
        }
        let pages = ids.contains(&changes::PAGES);
        ids.retain(|id| *id > 0);
        self.refresh(db, &ids).await?;
        if pages {
            self.everything_changed();
        }
        self.applied.store(upto, Ordering::Release);
        Ok(ids.len())
    }

    /// Builds a new index and swaps it in, with the change-log position read before it.
    async fn rebuild(
        &self,
        db: &DatabaseConnection,
        version: (i64, Option<String>),
    ) -> Result<(), DbErr> {
        let applied = changes::last_seq(db).await?;
        let index = load::build(db).await?;
        *self.index.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(index);
        self.everything_changed();
        *self.version.lock().unwrap_or_else(|e| e.into_inner()) = version;
        self.applied.store(applied, Ordering::Release);
        *self.built.lock().unwrap_or_else(|e| e.into_inner()) = Some(std::time::Instant::now());
        Ok(())
    }

    /// When the index was last built whole; `None` before its first build.
    pub fn built_at(&self) -> Option<std::time::Instant> {
        *self.built.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The last change-log entry the index reflects.
    pub fn applied(&self) -> i32 {
        self.applied.load(Ordering::Acquire)
    }

    /// How many times the index changed since the server started.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    fn everything_changed(&self) {
        let now = self.generation.fetch_add(1, Ordering::AcqRel) + 1;
        self.everything.fetch_max(now, Ordering::AcqRel);
    }

    /// Whether what was computed at generation `stamp` still holds: anything computed from the
    /// whole index (`None`) holds until the next change; a partnership's own page until that
    /// partnership changes, or everything does.
    pub fn still_holds(&self, stamp: u64, partnership: Option<i32>) -> bool {
        match partnership {
            None => stamp == self.generation(),
            Some(id) => {
                stamp >= self.everything.load(Ordering::Acquire)
                    && self
                        .changed
                        .read()
                        .unwrap_or_else(|e| e.into_inner())
                        .get(&id)
                        .is_none_or(|changed| stamp >= *changed)
            }
        }
    }

    /// A consistent snapshot of the index, as long as it is held; a poisoned lock still holds
    /// a consistent index (writes swap whole docs).
    pub fn read(&self) -> Arc<SearchIndex> {
        self.index.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Re-reads the partnerships a write touched.
    /// When nothing public changed (a draft), the index and the cached pages stay as they are.
    pub async fn refresh(&self, db: &impl ConnectionTrait, ids: &[i32]) -> Result<(), DbErr> {
        // The index being built reads these from the database, or from the log after.
        if !self.is_ready() {
            return Ok(());
        }
        let changes = load::changes(db, ids).await?;
        if changes.touch(&self.read()) {
            {
                let mut index = self.index.write().unwrap_or_else(|e| e.into_inner());
                changes.apply(Arc::make_mut(&mut index));
            }
            // Held across the bump, so that no page of these partnerships is taken as good
            // in between.
            let mut changed = self.changed.write().unwrap_or_else(|e| e.into_inner());
            let now = self.generation.fetch_add(1, Ordering::AcqRel) + 1;
            for id in ids {
                changed.insert(*id, now);
            }
        }
        *self.version.lock().unwrap_or_else(|e| e.into_inner()) = load::data_version(db).await?;
        Ok(())
    }

    /// Rebuilds the whole index when the data changed behind the server's back.
    pub async fn rebuild_if_changed(&self, db: &DatabaseConnection) -> Result<bool, DbErr> {
        if !self.is_ready() {
            return Ok(false);
        }
        let version = load::data_version(db).await?;
        if *self.version.lock().unwrap_or_else(|e| e.into_inner()) == version {
            return Ok(false);
        }
        self.rebuild(db, version).await?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::Search;
    use crate::error::AppError;
    use std::sync::atomic::Ordering;

    /// A computation's answer, and a panicking one's: a 500, on the runtime it ran on.
    async fn computes_and_a_panic_is_an_internal_error() {
        let search = Search::starting();
        assert_eq!(
            search.compute(|index| index.len()).await,
            Err(AppError::Starting)
        );
        search.ready.store(true, Ordering::Release);
        assert_eq!(search.compute(|index| index.len()).await, Ok(0));
        let panicked = search
            .compute(|_| -> u64 { panic!("a bug in a search") })
            .await;
        assert_eq!(panicked, Err(AppError::Internal));
        // The permits came back: the next computation runs.
        assert_eq!(search.compute(|index| index.len()).await, Ok(0));
    }

    /// The server's runtime: on the worker thread (`block_in_place`).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn on_the_servers_runtime() {
        computes_and_a_panic_is_an_internal_error().await;
    }

    /// A single-threaded runtime: on the blocking threads.
    #[tokio::test]
    async fn on_a_single_thread() {
        computes_and_a_panic_is_an_internal_error().await;
    }
}
