//! The pages only contributors, moderators and administrators use, each loaded on its own: the
//! public pages' hydration bundle holds none of their code. On the server a lazy route renders
//! like any other; in the browser its code is a separate WebAssembly chunk (built by
//! `cargo leptos build --split`), fetched when the route is first shown (preloaded by the page
//! that the server rendered).

use crate::models::ReferenceList;
use crate::pages::{account, admin, declaration, moderation, my_account, reference};
use leptos::prelude::*;

/// One lazy route per page: `$route` names it (and its chunk), `$view` is the page.
macro_rules! lazy_pages {
    ($($(#[$doc:meta])* $route:ident => $view:expr;)*) => {$(
        $(#[$doc])*
        pub struct $route;

        #[leptos_router::lazy_route]
        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $view.into_any()
            }
        }
    )*};
}

lazy_pages! {
    /// `/connexion`.
    SignInRoute => view! { <account::SignInPage/> };
    /// `/espace`.
    WorkspaceRoute => view! { <account::WorkspacePage/> };
    /// `/espace/declarations/nouvelle` and `/espace/declarations/{id}/{step}`.
    DeclarationRoute => view! { <declaration::DeclarationPage/> };
    /// `/moderation`.
    ModerationRoute => view! { <moderation::ModerationPage/> };
    /// `/moderation/comptes`.
    AccountRequestsRoute => view! { <my_account::AccountRequestsPage/> };
    /// `/compte`.
    MyAccountRoute => view! { <my_account::MyAccountPage/> };
    /// `/compte/demande`.
    RequestAccountRoute => view! { <my_account::RequestAccountPage/> };
    /// `/compte/mot-de-passe-oublie`.
    ForgotPasswordRoute => view! { <my_account::ForgotPasswordPage/> };
    /// `/compte/nouveau-mot-de-passe`.
    NewPasswordRoute => view! { <my_account::NewPasswordPage/> };
    /// `/administration/comptes`.
    AdminAccountsRoute => view! { <admin::AdminAccountsPage/> };
    /// `/administration/comptes/{id}`.
    AdminAccountRoute => view! { <admin::AdminAccountPage/> };
    /// `/administration/thematiques`.
    ThemesRoute => view! { <reference::ReferenceListPage list=ReferenceList::Themes/> };
    /// `/administration/thematiques/{code}`.
    ThemeRoute => view! { <reference::ReferenceEntryPage list=ReferenceList::Themes/> };
    /// `/administration/formes`.
    FormsRoute => view! { <reference::ReferenceListPage list=ReferenceList::Forms/> };
    /// `/administration/formes/{code}`.
    FormRoute => view! { <reference::ReferenceEntryPage list=ReferenceList::Forms/> };
    /// `/administration/ambassades`.
    EmbassiesRoute => view! { <reference::EmbassiesAdminPage/> };
    /// `/administration/ambassades/{country}`.
    EmbassyRoute => view! { <reference::EmbassyAdminPage/> };
}
