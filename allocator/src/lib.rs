//! The server's allocator: mimalloc, and the call that gives freed memory back to the system.
//!
//! mimalloc gives a freed page back only when it has been free for a second (`purge_delay`)
//! and the allocator is next used: a server that builds its search index, then waits for its
//! first request, keeps everything the build freed (about 90 MB at 130,000 partnerships) until
//! that request. SQLite allocates with the C library's `malloc`, not Rust's: what the build's
//! readers held (their page caches, the values of their rows) stays in glibc's per-thread
//! arenas once freed (about 20 MB at 130,000) until they are trimmed. [`give_back`] does both
//! at once. They are foreign calls, so they live in this small crate; the rest of the
//! workspace forbids `unsafe`.

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
    // SAFETY: `malloc_trim` takes no pointer; glibc locks each arena while it trims it, so
    // any thread may call it at any time.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[allow(unsafe_code)]
    unsafe {
        libc::malloc_trim(0);
    }
}
