//! What changed from one revision of a partnership to another, as the history, the moderation
//! queue and a refused edit show it: each field by its label, short values before and after,
//! long texts word by word, tables row by row. Removed and added text are `<del>` and `<ins>`,
//! each with a hidden word for screen readers (which do not announce those elements).

use crate::components::labels::{duration_label, status_label, yes_no};
use crate::i18n::*;
use crate::models::{Change, Duration, FieldChange, PieceKind, Status};
use leptos::prelude::*;

/// A field's label, as the partnership page names it.
pub fn field_label(field: &str) -> AnyView {
    let i18n = use_i18n();
    match field {
        "title" => t!(i18n, decl_partnership_title).into_any(),
        "status" => t!(i18n, p_status).into_any(),
        "first_agreement_year" => t!(i18n, p_first_agreement).into_any(),
        "start_year" => t!(i18n, p_start_year).into_any(),
        "end_date" => t!(i18n, p_end_date).into_any(),
        "form" => t!(i18n, p_form).into_any(),
        "duration" => t!(i18n, p_duration).into_any(),
        "theme" => t!(i18n, p_theme).into_any(),
        "other_themes" => t!(i18n, p_other_themes).into_any(),
        "communication_france" => t!(i18n, p_communication_france).into_any(),
        "communication_partners" => t!(i18n, p_communication_partners).into_any(),
        "evaluation" => t!(i18n, p_evaluation).into_any(),
        "context" => t!(i18n, p_context).into_any(),
        "history" => t!(i18n, p_history).into_any(),
        "objectives_local" => t!(i18n, p_objectives_local).into_any(),
        "objectives_france" => t!(i18n, p_objectives_france).into_any(),
        "description" => t!(i18n, p_description).into_any(),
        "beneficiaries" => t!(i18n, p_beneficiaries).into_any(),
        "project_owners" => t!(i18n, p_project_owners).into_any(),
        "project_managers" => t!(i18n, p_project_managers).into_any(),
        "french_partners" => t!(i18n, p_partners_france).into_any(),
        "foreign_partners" => t!(i18n, p_partners_abroad).into_any(),
        "foreign_contacts" => t!(i18n, p_contacts).into_any(),
        "fundings" => t!(i18n, p_funding).into_any(),
        "volunteers" => t!(i18n, p_volunteers).into_any(),
        other => other.to_string().into_any(),
    }
}

/// A short value as the reader reads it: statuses, durations and yes/no in her language.
fn value_text(field: &str, value: Option<String>) -> AnyView {
    let i18n = use_i18n();
    let Some(value) = value.filter(|v| !v.is_empty()) else {
        return view! { <em>{t!(i18n, ch_empty)}</em> }.into_any();
    };
    match field {
        "status" => match Status::from_code(&value) {
            Some(s) => status_label(s).into_any(),
            None => value.into_any(),
        },
        "duration" => match Duration::from_code(&value) {
            Some(d) => duration_label(d).into_any(),
            None => value.into_any(),
        },
        "communication_france" | "communication_partners" | "evaluation" => {
            yes_no(value == "true").into_any()
        }
        _ => value.into_any(),
    }
}

fn removed(text: impl IntoView + 'static) -> impl IntoView {
    let i18n = use_i18n();
    view! { <del><span class="visually-hidden">{t!(i18n, ch_removed)} " "</span>{text}</del> }
}

fn added(text: impl IntoView + 'static) -> impl IntoView {
    let i18n = use_i18n();
    view! { <ins><span class="visually-hidden">{t!(i18n, ch_added)} " "</span>{text}</ins> }
}

fn change_view(field: String, change: Change) -> AnyView {
    let i18n = use_i18n();
    match change {
        Change::Value { before, after } => view! {
            <p class="value-diff">
                {removed(value_text(&field, before))}
                <span aria-hidden="true">" → "</span>
                {added(value_text(&field, after))}
            </p>
        }
        .into_any(),
        Change::Text { pieces } => view! {
            <p class="text-diff">
                {pieces.into_iter().map(|p| match p.kind {
                    PieceKind::Same => p.text.into_any(),
                    PieceKind::Added => added(p.text).into_any(),
                    PieceKind::Removed => removed(p.text).into_any(),
                }).collect_view()}
            </p>
        }
        .into_any(),
        Change::Rows {
            added: new,
            removed: gone,
            changed,
        } => view! {
            <ul class="rows-diff">
                {changed.into_iter().map(|(before, after)| view! {
                    <li class="row-changed">
                        {removed(before)} <span aria-hidden="true">" → "</span> {added(after)}
                    </li>
                }).collect_view()}
                {gone.into_iter().map(|row| view! { <li class="row-removed">{removed(row)}</li> }).collect_view()}
                {new.into_iter().map(|row| view! { <li class="row-added">{added(row)}</li> }).collect_view()}
            </ul>
        }
        .into_any(),
        Change::Hidden => view! { <p><em>{t!(i18n, ch_hidden)}</em></p> }.into_any(),
    }
}

/// The changes of a revision, or a line saying there were none.
#[component]
pub fn Changes(changes: Vec<FieldChange>) -> impl IntoView {
    let i18n = use_i18n();
    if changes.is_empty() {
        return view! { <p class="muted">{t!(i18n, ch_none)}</p> }.into_any();
    }
    view! {
        <dl class="changes">
            {changes.into_iter().map(|c| view! {
                <div>
                    <dt>{field_label(&c.field)}</dt>
                    <dd>{change_view(c.field.clone(), c.change)}</dd>
                </div>
            }).collect_view()}
        </dl>
    }
    .into_any()
}
