#![recursion_limit = "512"]
//! The Atlas application: the pages, shared wire types and server functions, rendered on the
//! server and hydrated in the browser.

pub mod api;
pub mod components;
pub mod error;
pub mod format;
pub mod models;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

use crate::i18n::*;
use components::layout::{SiteFooter, SiteHeader};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet};
use leptos_router::{
    components::{Route, Router, Routes},
    path, Lazy, SsrMode,
};
use pages::lazy;

/// The HTML document around the application, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <I18nContextProvider>
            <Stylesheet id="leptos" href="/pkg/atlas.css"/>
            <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
            <Meta name="color-scheme" content="light"/>
            <Router>
                <SiteHeader/>
                <main id="contenu" tabindex="-1">
                    <Routes fallback=pages::not_found::NotFound>
                        <Route path=path!("/") view=pages::search::SearchPage ssr=SsrMode::Async/>
                        <Route
                            path=path!("/partenariats")
                            view=pages::search::SearchPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/partenariats/:id")
                            view=pages::partnership::PartnershipPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/carte") view=pages::map::MapPage ssr=SsrMode::Async/>
                        <Route path=path!("/pays/:iso2") view=pages::places::CountryPage ssr=SsrMode::Async/>
                        <Route
                            path=path!("/collectivites/:code")
                            view=pages::places::AuthorityPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/partenaires/:id") view=pages::places::PartnerPage ssr=SsrMode::Async/>
                        <Route
                            path=path!("/statistiques")
                            view=pages::statistics::StatisticsPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/donnees-ouvertes") view=pages::open_data::OpenData/>
                        // Contributors', moderators' and administrators' pages: loaded on their own (pages/lazy.rs).
                        <Route
                            path=path!("/connexion")
                            view={Lazy::<lazy::SignInRoute>::new()}
                        />
                        <Route
                            path=path!("/compte")
                            view={Lazy::<lazy::MyAccountRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/compte/demande")
                            view={Lazy::<lazy::RequestAccountRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/compte/mot-de-passe-oublie")
                            view={Lazy::<lazy::ForgotPasswordRoute>::new()}
                        />
                        <Route
                            path=path!("/compte/nouveau-mot-de-passe")
                            view={Lazy::<lazy::NewPasswordRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/administration/comptes")
                            view={Lazy::<lazy::AdminAccountsRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/administration/comptes/:id")
                            view={Lazy::<lazy::AdminAccountRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/administration/thematiques")
                            view={Lazy::<lazy::ThemesRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/administration/thematiques/:code")
                            view={Lazy::<lazy::ThemeRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/administration/formes")
                            view={Lazy::<lazy::FormsRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/administration/formes/:code")
                            view={Lazy::<lazy::FormRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/administration/ambassades")
                            view={Lazy::<lazy::EmbassiesRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/administration/ambassades/:country")
                            view={Lazy::<lazy::EmbassyRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/moderation/comptes")
                            view={Lazy::<lazy::AccountRequestsRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/espace")
                            view={Lazy::<lazy::WorkspaceRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/espace/declarations/nouvelle")
                            view={Lazy::<lazy::DeclarationRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/espace/declarations/:id/:step")
                            view={Lazy::<lazy::DeclarationRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/moderation")
                            view={Lazy::<lazy::ModerationRoute>::new()}
                            ssr=SsrMode::Async
                        />
                    </Routes>
                </main>
                <SiteFooter/>
            </Router>
        </I18nContextProvider>
    }
}
