//! `/partenariats/{id}/historique`: who changed a partnership, when, and what, newest first.
//! Everyone sees its publications and on whose behalf they were made; the people who may change
//! or moderate it also see the drafts, the proposed changes and the decisions, with their
//! authors and comments; a moderator brings back an earlier revision (a plain form, posted).

use crate::api::editing::get_history;
use crate::components::changes::Changes;
use crate::components::labels::month_name;
use crate::components::title::page_title;
use crate::error::AppError;
use crate::format::long_date;
use crate::i18n::*;
use crate::models::{By, History, HistoryEntry, PublicationState};
use crate::pages::not_found::NotFound;
use crate::pages::partnership::partnership_id;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_query_map;

#[component]
pub fn HistoryPage() -> impl IntoView {
    let id = partnership_id();
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_history(id).await,
            None => Err(AppError::NotFound),
        }
    });
    let i18n = use_i18n();
    view! {
        <Suspense fallback=move || view! { <p class="container">{t!(i18n, loading)}</p> }>
            {move || data.get().map(|result| match result {
                Ok(history) => view! { <HistoryView history/> }.into_any(),
                Err(AppError::NotFound) => view! { <NotFound/> }.into_any(),
                Err(e) => crate::pages::not_found::service_error(e),
            })}
        </Suspense>
    }
}

/// A revision's state as a reader names it: a publication state, or a step of a proposed change.
pub fn revision_state(state: &str) -> AnyView {
    let i18n = use_i18n();
    match state {
        "proposed" => t!(i18n, hist_proposed).into_any(),
        "proposal_returned" => t!(i18n, hist_proposal_returned).into_any(),
        "proposal_rejected" => t!(i18n, hist_proposal_rejected).into_any(),
        other => match PublicationState::from_code(other) {
            Some(PublicationState::Draft) => t!(i18n, hist_draft).into_any(),
            Some(PublicationState::Submitted) => t!(i18n, hist_submitted).into_any(),
            Some(PublicationState::Published) => t!(i18n, hist_published).into_any(),
            Some(PublicationState::Returned) => t!(i18n, hist_returned).into_any(),
            Some(PublicationState::Rejected) => t!(i18n, hist_rejected).into_any(),
            Some(PublicationState::Archived) => t!(i18n, hist_archived).into_any(),
            None => other.to_string().into_any(),
        },
    }
}

fn by_line(by: By) -> AnyView {
    let i18n = use_i18n();
    match by {
        By::Authorities { names } if !names.is_empty() => {
            view! { {t!(i18n, hist_by_authorities)} " " {names.join(", ")} }.into_any()
        }
        By::Authorities { .. } => t!(i18n, hist_by_staff).into_any(),
        By::Moderation => t!(i18n, hist_by_moderation).into_any(),
        By::Import => t!(i18n, hist_by_import).into_any(),
    }
}

#[component]
fn HistoryView(history: History) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = format!("/partenariats/{}-{}", history.id, history.slug);
    let title = history.title.clone();
    // The version the partnership is at: its newest revision.
    let current = history.entries.first().map(|e| e.number);
    let oldest = history.entries.last().map(|e| e.number);
    let entries = history
        .entries
        .into_iter()
        .map(|entry| {
            let restore = (history.can_restore && Some(entry.number) != current)
                .then_some((history.id, current));
            let first = Some(entry.number) == oldest;
            view! { <Entry entry restore first/> }
        })
        .collect_view();
    view! {
        {page_title(move || format!("{} — {} — {}", t_string!(i18n, hist_title), title, t_string!(i18n, site_name)))}
        <Meta name="robots" content="noindex"/>
        <div class="container history">
            <nav class="breadcrumb" aria-label=move || t_string!(i18n, p_breadcrumb).to_string()>
                <ol>
                    <li><a href="/">{t!(i18n, nav_home)}</a></li>
                    <li><a href="/partenariats">{t!(i18n, nav_partnerships)}</a></li>
                    <li><a href=page.clone()>{history.title.clone()}</a></li>
                    <li aria-current="page">{t!(i18n, hist_title)}</li>
                </ol>
            </nav>
            <h1>{t!(i18n, hist_title)} " : " {history.title.clone()}</h1>
            <p class="muted">{t!(i18n, hist_intro)}</p>
            {move || query.read().get("retabli").map(|n| view! {
                <p class="notice" role="status">{t!(i18n, hist_restored)} " " {n}</p>
            })}
            {move || query.read().get("erreur").map(|code| view! {
                <div class="alert" role="alert">
                    {match code.as_str() {
                        "conflit" => t!(i18n, hist_error_conflict).into_any(),
                        "invalide" => t!(i18n, hist_error_invalid).into_any(),
                        _ => t!(i18n, moderation_error_other).into_any(),
                    }}
                </div>
            })}
            <ol class="history-list">{entries}</ol>
            <p><a href=page>{t!(i18n, hist_back)}</a></p>
        </div>
    }
}

#[component]
fn Entry(entry: HistoryEntry, restore: Option<(i32, Option<i32>)>, first: bool) -> impl IntoView {
    let i18n = use_i18n();
    let heading = format!("revision-{}", entry.number);
    let date = entry.created_at.date_naive();
    let time = entry.created_at.format("%H:%M UTC").to_string();
    let number = entry.number;
    view! {
        <li class="history-entry">
            <article aria-labelledby=heading.clone()>
                <h2 id=heading.clone()>
                    {t!(i18n, hist_version)} " " {number} " — " {revision_state(&entry.state)}
                </h2>
                <p class="muted">
                    <time datetime=entry.created_at.to_rfc3339()>
                        {move || long_date(date, &month_name(i18n, { use chrono::Datelike; date.month() }))}
                        " " {time.clone()}
                    </time>
                    " · " {by_line(entry.by)}
                    {entry.author.map(|a| view! { " (" {a} ")" })}
                </p>
                {entry.comment.map(|c| view! {
                    <p class="comment"><strong>{t!(i18n, workspace_comment)}</strong> " " {c}</p>
                })}
                {if first && entry.changes.is_empty() {
                    view! { <p class="muted">{t!(i18n, hist_first)}</p> }.into_any()
                } else {
                    view! { <Changes changes=entry.changes/> }.into_any()
                }}
                {restore.map(|(id, version)| {
                    let comment_id = format!("restore-comment-{number}");
                    view! {
                        <form method="post" action=format!("/partenariats/{id}/historique/{number}/retablir") class="restore-form">
                            <input type="hidden" name="version" value=version.map(|v| v.to_string()).unwrap_or_default()/>
                            <div class="field">
                                <label for=comment_id.clone()>{t!(i18n, hist_restore_comment)}</label>
                                <input type="text" id=comment_id name="comment"/>
                            </div>
                            <button type="submit" class="button secondary">
                                {t!(i18n, hist_restore)} " " {number}
                            </button>
                        </form>
                    }
                })}
            </article>
        </li>
    }
}
