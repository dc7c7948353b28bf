//! `/moderation`: the queue of submissions a moderator may decide on (an embassy moderator sees
//! its countries'), filtered by state, country, authority and how long it has waited; each submission with its
//! decision form (publish, return or reject with a comment), posted to the server so that it
//! works without JavaScript.

use crate::api::account::get_moderation_queue;
use crate::components::changes::Changes;
use crate::components::title::page_title;
use crate::error::AppError;
use crate::i18n::*;
use crate::models::{PublicationState, WorkItem};
use crate::pages::account::{state_label, Refused, SignInFirst, SignOut, WorkSummary};
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ModerationPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filters = move || {
        let q = query.read();
        let waited = q.get("attente").and_then(|d| d.parse::<i64>().ok());
        (q.get("etat"), q.get("pays"), q.get("collectivite"), waited)
    };
    let data = Resource::new(filters, |(state, country, authority, waited)| {
        get_moderation_queue(state, country, authority, waited)
    });
    view! {
        {page_title(move || format!("{} — {}", t_string!(i18n, moderation_title), t_string!(i18n, site_name)))}
        <Meta name="robots" content="noindex"/>
        <div class="container">
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || data.get().map(|result| match result {
                    Ok(Some(queue)) => view! { <QueueView items=queue.items/> }.into_any(),
                    Ok(None) => view! { <SignInFirst/> }.into_any(),
                    Err(AppError::Forbidden) => view! {
                        <h1>{t!(i18n, moderation_title)}</h1>
                        <Refused>{t!(i18n, moderation_forbidden)}</Refused>
                    }.into_any(),
                    Err(e) => crate::pages::not_found::service_error(e),
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn QueueView(items: Vec<WorkItem>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let done = move || query.read().get("fait");
    let current = move |name: &str| query.read().get(name).unwrap_or_default();
    let states = [
        PublicationState::Submitted,
        PublicationState::Returned,
        PublicationState::Rejected,
        PublicationState::Published,
    ];
    let count = items.len();
    let any_submitted = items.iter().any(|i| i.state == PublicationState::Submitted);
    view! {
        <div class="workspace-head">
            <h1>{t!(i18n, moderation_title)}</h1>
            <SignOut/>
        </div>
        {move || done().map(|_| view! {
            <p class="notice" role="status">{t!(i18n, moderation_done)}</p>
        })}
        {move || query.read().get("erreur").map(|code| view! {
            <div class="alert" role="alert">
                {match code.as_str() {
                    "commentaire" => t!(i18n, moderation_error_comment).into_any(),
                    "conflit" => t!(i18n, moderation_error_conflict).into_any(),
                    _ => t!(i18n, moderation_error_other).into_any(),
                }}
            </div>
        })}
        <form method="get" action="/moderation" class="filters-row" role="search">
            <div class="field">
                <label for="etat">{t!(i18n, moderation_filter_state)}</label>
                <select id="etat" name="etat">
                    {states.into_iter().map(|s| {
                        let code = s.code();
                        view! {
                            <option value=code selected=move || current("etat") == code>
                                {state_label(s)}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="pays">{t!(i18n, moderation_filter_country)}</label>
                <input id="pays" name="pays" size="4" maxlength="2" value=move || current("pays")/>
            </div>
            <div class="field">
                <label for="collectivite">{t!(i18n, moderation_filter_authority)}</label>
                <input id="collectivite" name="collectivite" value=move || current("collectivite")/>
            </div>
            <div class="field">
                <label for="attente">{t!(i18n, moderation_filter_waited)}</label>
                <select id="attente" name="attente">
                    <option value="">{t!(i18n, moderation_waited_any)}</option>
                    {[7, 30, 90].into_iter().map(|days| {
                        let code = days.to_string();
                        let selected = {
                            let code = code.clone();
                            move || current("attente") == code
                        };
                        view! {
                            <option value=code selected=selected>
                                {t!(i18n, moderation_waited_more)} " " {days} " " {t!(i18n, moderation_waited_days)}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button secondary">{t!(i18n, moderation_filter_apply)}</button>
        </form>
        <p aria-live="polite">{count} " " {t!(i18n, moderation_count)}</p>
        // The checkboxes of the items belong to this form (`form="bulk"`), since each item
        // has its own decision form and forms cannot nest.
        {any_submitted.then(|| view! {
            <form id="bulk" method="post" action="/moderation/publier" class="button-row">
                <button type="submit" class="button">{t!(i18n, moderation_bulk)}</button>
            </form>
        })}
        <ul class="work-list">
            {items.into_iter().map(|item| view! { <QueueItem item/> }).collect_view()}
        </ul>
    }
}

#[component]
fn QueueItem(item: WorkItem) -> impl IntoView {
    let i18n = use_i18n();
    let id = item.id;
    let version = item.version;
    let submitted = item.state == PublicationState::Submitted;
    // A published partnership's proposed change is decided on as a submission is.
    let proposed = item.proposal.as_deref() == Some("proposed");
    let changes = (proposed && !item.changes.is_empty()).then(|| item.changes.clone());
    let comment_id = format!("commentaire-{id}");
    view! {
        <li class="queue-item">
            {submitted.then(|| {
                let check = format!("choisir-{id}");
                view! {
                    <div class="check">
                        <input type="checkbox" form="bulk" name="ids" value=id id=check.clone()/>
                        <label for=check>{t!(i18n, moderation_select)} <span class="visually-hidden">" " {item.title.clone()}</span></label>
                    </div>
                }
            })}
            <WorkSummary item/>
            {changes.map(|changes| view! {
                <details class="proposal-changes" open>
                    <summary>{t!(i18n, moderation_proposal)}</summary>
                    <Changes changes/>
                </details>
            })}
            {(submitted || proposed).then(|| view! {
                <form method="post" action=format!("/moderation/{id}") class="decision-form">
                    <input type="hidden" name="version" value=version/>
                    <div class="field">
                        <label for=comment_id.clone()>{t!(i18n, moderation_comment)}</label>
                        <textarea id=comment_id name="comment" rows="2"></textarea>
                    </div>
                    <div class="button-row">
                        <button type="submit" name="decision" value="approve" class="button">
                            {t!(i18n, moderation_approve)}
                        </button>
                        <button type="submit" name="decision" value="return" class="button secondary">
                            {t!(i18n, moderation_return)}
                        </button>
                        <button type="submit" name="decision" value="reject" class="button danger">
                            {t!(i18n, moderation_reject)}
                        </button>
                    </div>
                </form>
            })}
        </li>
    }
}
