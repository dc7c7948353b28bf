use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OpenData() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || format!("{} — {}", t_string!(i18n, open_data_title), t_string!(i18n, site_name))/>
        <div class="container prose">
            <h1>{t!(i18n, open_data_title)}</h1>
            <p>{t!(i18n, open_data_intro)}</p>
            <ul><li><code>{t!(i18n, open_data_one)}</code></li></ul>
        </div>
    }
}
