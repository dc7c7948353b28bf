//! The server's allocator: mimalloc, and the one call that gives its freed memory back to the
//! system.
//!
//! mimalloc gives a freed page back only when it has been free for a second (`purge_delay`)
//! and the allocator is next used: a server that builds its search index, then waits for its
//! first request, keeps everything the build freed (about 90 MB at 130,000 partnerships) until
//! that request. [`give_back`] does it at once. It is a foreign call, so it lives in this small
//! crate; the rest of the workspace forbids `unsafe`.

pub use mimalloc::MiMalloc;

/// Returns to the system every page the allocator holds free, whichever thread freed it. It
/// costs a few milliseconds: call it after a large transient use of memory (the search index's
/// build), not per request.
pub fn give_back() {
    // SAFETY: `mi_collect` takes no pointer and only walks the allocator's own free lists and
    // arenas; mimalloc allows it from any thread at any time.
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_collect(true)
    }
}
