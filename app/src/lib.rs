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
    path, SsrMode,
};
use models::ReferenceList;

/// The HTML document around the application, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options islands=true/>
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
                        <Route
                            path=path!("/partenariats/:id/historique")
                            view=pages::history::HistoryPage
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
                        <Route
                            path=path!("/synergies")
                            view=pages::synergies::SynergiesPage
                            ssr=SsrMode::Async
                        />
                        // Contributors', moderators' and administrators' pages.
                        <Route
                            path=path!("/connexion")
                            view=pages::account::SignInPage
                        />
                        <Route
                            path=path!("/compte")
                            view=pages::my_account::MyAccountPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/compte/demande")
                            view=pages::my_account::RequestAccountPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/compte/mot-de-passe-oublie")
                            view=pages::my_account::ForgotPasswordPage
                        />
                        <Route
                            path=path!("/compte/nouveau-mot-de-passe")
                            view=pages::my_account::NewPasswordPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/administration/comptes")
                            view=pages::admin::AdminAccountsPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/administration/comptes/:id")
                            view=pages::admin::AdminAccountPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/administration/thematiques")
                            view=|| view! { <pages::reference::ReferenceListPage list=ReferenceList::Themes/> }
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/administration/thematiques/:code")
                            view=|| view! { <pages::reference::ReferenceEntryPage list=ReferenceList::Themes/> }
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/administration/formes")
                            view=|| view! { <pages::reference::ReferenceListPage list=ReferenceList::Forms/> }
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/administration/formes/:code")
                            view=|| view! { <pages::reference::ReferenceEntryPage list=ReferenceList::Forms/> }
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/administration/ambassades")
                            view=pages::reference::EmbassiesAdminPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/administration/ambassades/:country")
                            view=pages::reference::EmbassyAdminPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/moderation/comptes")
                            view=pages::my_account::AccountRequestsPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/espace")
                            view=pages::account::WorkspacePage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/espace/declarations/nouvelle")
                            view=pages::declaration::DeclarationPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/espace/declarations/:id/:step")
                            view=pages::declaration::DeclarationPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/moderation")
                            view=pages::moderation::ModerationPage
                            ssr=SsrMode::Async
                        />
                    </Routes>
                </main>
                <SiteFooter/>
            </Router>
        </I18nContextProvider>
    }
}
