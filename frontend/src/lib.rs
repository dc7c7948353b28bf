#![recursion_limit = "1024"]
//! The browser half. The pages are server HTML; only their islands (`#[island]` in the `app`
//! crate) are hydrated, each from the props the server wrote beside it. The islands only
//! contributors use are `#[island(lazy)]`: their code is a chunk of its own, fetched when a page
//! holds one, so the public pages' bundle does not carry it.

use wasm_bindgen::prelude::wasm_bindgen;

/// Room for wasm-split in the read-only data. cargo-leptos 0.3.11 splits with
/// wasm_split_cli_support 0.2.3, which lays each module's share of the data out anew, each
/// share aligned; when that makes the segment longer than the linker's, it gives up and keeps
/// the whole segment in the main module, every lazy island's texts with it (26 KiB brotli more
/// on every page, docs/PERFORMANCE.md). The linker keeps these bytes (`#[used]`) but no code
/// reads them, so no module takes them and their room absorbs the shares' alignment.
#[used]
static SPLIT_ROOM: [u8; 512] = [0x5a; 512];

/// Called by Leptos's island loader once the module is ready, before it hydrates the islands.
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    app::components::layout::mark_hydrated();
}
