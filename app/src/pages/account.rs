//! The contributors' pages: signing in (`/connexion`) and the workspace (`/espace`), where an
//! officer sees her authorities' partnerships by state, with the moderators' comments. The
//! forms post to plain routes of the server, so they work without JavaScript.

use crate::api::account::get_workspace;
use crate::components::labels::month_name;
use crate::components::title::page_title;
use crate::format::long_date;
use crate::i18n::*;
use crate::models::{PublicationState, WorkItem};
use chrono::Datelike;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_query_map;

/// A publication state, in words.
pub fn state_label(state: PublicationState) -> impl IntoView {
    let i18n = use_i18n();
    match state {
        PublicationState::Draft => t!(i18n, state_draft).into_any(),
        PublicationState::Submitted => t!(i18n, state_submitted).into_any(),
        PublicationState::Published => t!(i18n, state_published).into_any(),
        PublicationState::Returned => t!(i18n, state_returned).into_any(),
        PublicationState::Rejected => t!(i18n, state_rejected).into_any(),
        PublicationState::Archived => t!(i18n, state_archived).into_any(),
    }
}

/// `/connexion`: email and password. A refusal comes back as `?erreur=…`.
#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let error = move || query.read().get("erreur");
    let back = move || query.read().get("retour").unwrap_or_default();
    let email = move || query.read().get("email").unwrap_or_default();
    view! {
        {page_title(move || format!("{} — {}", t_string!(i18n, signin_title), t_string!(i18n, site_name)))}
        <Meta name="robots" content="noindex"/>
        <div class="container narrow">
            <h1>{t!(i18n, signin_title)}</h1>
            <p>{t!(i18n, signin_intro)}</p>
            {move || query.read().get("reinitialise").map(|_| view! {
                <p class="notice" role="status">{t!(i18n, signin_reset_done)}</p>
            })}
            {move || error().map(|code| view! {
                <div class="alert" role="alert" id="erreur" tabindex="-1">
                    {match code.as_str() {
                        "trop" => t!(i18n, signin_error_throttled).into_any(),
                        "session" => t!(i18n, signin_error_session).into_any(),
                        _ => t!(i18n, signin_error_credentials).into_any(),
                    }}
                </div>
            })}
            <form method="post" action="/connexion" class="stacked-form">
                <input type="hidden" name="retour" value=back/>
                <div class="field">
                    <label for="email">{t!(i18n, signin_email)}</label>
                    <input
                        id="email"
                        name="email"
                        type="email"
                        autocomplete="username"
                        required
                        value=email
                        aria-describedby=move || error().map(|_| "erreur")
                    />
                </div>
                <div class="field">
                    <label for="password">{t!(i18n, signin_password)}</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                    />
                </div>
                <button type="submit" class="button">{t!(i18n, signin_submit)}</button>
            </form>
            <p>
                <a href="/compte/mot-de-passe-oublie">{t!(i18n, signin_forgot)}</a>
                " · "
                <a href="/compte/demande">{t!(i18n, signin_request)}</a>
            </p>
        </div>
    }
}

/// `/espace`: the signed-in officer's partnerships, grouped by state.
#[component]
pub fn WorkspacePage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| get_workspace());
    view! {
        {page_title(move || format!("{} — {}", t_string!(i18n, workspace_title), t_string!(i18n, site_name)))}
        <Meta name="robots" content="noindex"/>
        <div class="container">
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || data.get().map(|result| match result {
                    Ok(Some(w)) => view! { <WorkspaceView w/> }.into_any(),
                    Ok(None) => view! { <SignInFirst/> }.into_any(),
                    Err(e) => crate::pages::not_found::service_error(e),
                })}
            </Suspense>
        </div>
    }
}

/// What a page for signed-in people shows to others, with the status 401.
#[component]
pub fn SignInFirst() -> impl IntoView {
    crate::pages::not_found::set_status(http::StatusCode::UNAUTHORIZED);
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, workspace_title)}</h1>
        <p>{t!(i18n, workspace_signed_out)}</p>
        <p><a class="button" href="/connexion">{t!(i18n, signin_title)}</a></p>
    }
}

/// What a page shows to a signed-in person it is not for, with the status 403.
#[component]
pub fn Refused(children: Children) -> impl IntoView {
    crate::pages::not_found::set_status(http::StatusCode::FORBIDDEN);
    view! { <p role="alert">{children()}</p> }
}

/// The sign-out button: a form, so it is a `POST` (a link could be followed by anyone).
#[component]
pub fn SignOut() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form method="post" action="/deconnexion" class="inline-form">
            <button type="submit" class="button secondary">{t!(i18n, signout)}</button>
        </form>
    }
}

#[component]
fn WorkspaceView(w: crate::models::Workspace) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let submitted = move || query.read().get("soumis");
    let is_moderator = w.me.role != crate::models::Role::Staff;
    let keeps_embassies = is_moderator;
    let keeps_lists = w.me.role == crate::models::Role::Admin
        || (w.me.role == crate::models::Role::Moderator && w.me.countries.is_empty());
    let groups = [
        PublicationState::Returned,
        PublicationState::Draft,
        PublicationState::Submitted,
        PublicationState::Published,
        PublicationState::Rejected,
        PublicationState::Archived,
    ]
    .into_iter()
    .filter_map(|state| {
        let items: Vec<WorkItem> = w
            .items
            .iter()
            .filter(|i| i.state == state)
            .cloned()
            .collect();
        (!items.is_empty()).then(|| view! { <StateGroup state items/> })
    })
    .collect_view();
    let authorities = w
        .me
        .authorities
        .iter()
        .map(|a| view! { <li><a href=format!("/collectivites/{}", a.code)>{a.name.clone()}</a></li> })
        .collect_view();
    view! {
        <div class="workspace-head">
            <h1>{t!(i18n, workspace_title)}</h1>
            <SignOut/>
        </div>
        <p class="muted">{t!(i18n, workspace_signed_in_as)} " " <strong>{w.me.email.clone()}</strong></p>
        {(!w.me.authorities.is_empty()).then(|| view! {
            <section aria-labelledby="mes-collectivites">
                <h2 id="mes-collectivites">{t!(i18n, workspace_authorities)}</h2>
                <ul>{authorities}</ul>
            </section>
        })}
        <p class="button-row">
            <a class="button secondary" href="/compte">{t!(i18n, account_title)}</a>
            {is_moderator.then(|| view! {
                <a class="button" href="/moderation">{t!(i18n, moderation_title)}</a>
                <a class="button secondary" href="/moderation/comptes">{t!(i18n, requests_title)}</a>
            })}
            {(w.me.role == crate::models::Role::Admin).then(|| view! {
                <a class="button secondary" href="/administration/comptes">{t!(i18n, admin_accounts_title)}</a>
            })}
            {keeps_lists.then(|| view! {
                <a class="button secondary" href="/administration/thematiques">{t!(i18n, ref_themes_title)}</a>
                <a class="button secondary" href="/administration/formes">{t!(i18n, ref_forms_title)}</a>
            })}
            {keeps_embassies.then(|| view! {
                <a class="button secondary" href="/administration/ambassades">{t!(i18n, ref_embassies_title)}</a>
            })}
        </p>
        {move || submitted().map(|_| view! {
            <p class="notice" role="status">{t!(i18n, workspace_submitted)}</p>
        })}
        <section aria-labelledby="mes-partenariats">
            <h2 id="mes-partenariats">{t!(i18n, workspace_partnerships)}</h2>
            {(!w.me.authorities.is_empty()).then(|| view! {
                <p><a class="button" href="/espace/declarations/nouvelle">{t!(i18n, workspace_new)}</a></p>
            })}
            {if w.items.is_empty() {
                view! { <p>{t!(i18n, workspace_empty)}</p> }.into_any()
            } else {
                groups.into_any()
            }}
        </section>
    }
}

#[component]
fn StateGroup(state: PublicationState, items: Vec<WorkItem>) -> impl IntoView {
    let id = format!("etat-{}", state.code());
    let count = items.len();
    view! {
        <section class="state-group" aria-labelledby=id.clone()>
            <h3 id=id.clone()>{state_label(state)} " (" {count} ")"</h3>
            <ul class="work-list">
                {items.into_iter().map(|item| view! { <WorkRow item/> }).collect_view()}
            </ul>
        </section>
    }
}

/// One partnership in a list of work.
#[component]
fn WorkRow(item: WorkItem) -> impl IntoView {
    view! { <li class="work-item"><WorkSummary item/></li> }
}

/// A partnership's title, partners, last change and moderator's comment.
#[component]
pub fn WorkSummary(item: WorkItem) -> impl IntoView {
    let i18n = use_i18n();
    let title = item.title.clone();
    let heading = if item.state == PublicationState::Published {
        view! { <a href=format!("/partenariats/{}", item.id)>{title}</a> }.into_any()
    } else {
        view! { <span>{title}</span> }.into_any()
    };
    let date = item.updated_at.date_naive();
    let editable = matches!(
        item.state,
        PublicationState::Draft | PublicationState::Returned
    );
    // A published partnership is changed on its own page, section by section.
    let edit_href = if editable {
        Some(format!("/espace/declarations/{}/1", item.id))
    } else {
        (item.state == PublicationState::Published).then(|| format!("/partenariats/{}", item.id))
    };
    let proposal = item.proposal.clone().map(|p| {
        let text = if p == "proposed" {
            t!(i18n, workspace_proposal_pending).into_any()
        } else {
            t!(i18n, workspace_proposal_returned).into_any()
        };
        view! { <p class="badge proposal">{text}</p> }
    });
    let edit = edit_href.map(|href| {
        view! {
            <a href=href class="button small secondary">
                {t!(i18n, workspace_edit)}
                <span class="visually-hidden">" " {item.title.clone()}</span>
            </a>
        }
    });
    view! {
            <p class="work-title">{heading}</p>
            <p class="muted">
                {item.french_partners.join(", ")}
                {(!item.countries.is_empty()).then(|| format!(" · {}", item.countries.join(", ")))}
                " · " {t!(i18n, workspace_updated)} " " {move || long_date(date, &month_name(i18n, date.month()))}
            </p>
            {proposal}
            {item.comment.clone().map(|comment| view! {
                <p class="comment"><strong>{t!(i18n, workspace_comment)}</strong> " " {comment}</p>
            })}
            {edit}
    }
}
