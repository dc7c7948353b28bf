#![recursion_limit = "1024"]
//! The browser half: hydrates the server-rendered HTML, nothing else.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_lazy(app::App);
}
