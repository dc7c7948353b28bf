#![recursion_limit = "1024"]
//! The browser half. The pages are server HTML; only their islands (`#[island]` in the `app`
//! crate) are hydrated, each from the props the server wrote beside it. The islands only
//! contributors use are `#[island(lazy)]`: their code is a chunk of its own, fetched when a page
//! holds one, so the public pages' bundle does not carry it.

use wasm_bindgen::prelude::wasm_bindgen;

/// Called by Leptos's island loader once the module is ready, before it hydrates the islands.
#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    app::components::layout::mark_hydrated();
}
