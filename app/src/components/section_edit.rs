//! The editing control of one section of a partnership's page, for the people who may change
//! it: a disclosure ("Modifier …") that opens in place onto the section's inputs, a plain form
//! posted to `/partenariats/{id}/modifier/{section}` (the declaration's inputs and the same
//! write path), so that it works by keyboard and without JavaScript. After a refusal it is open
//! again, with what was typed, the errors next to their fields and, when someone saved in
//! between, what they changed, above the input kept as it was typed.

use crate::components::changes::Changes;
use crate::i18n::*;
use crate::models::{Editing, Section};
use crate::pages::declaration::{
    area, calendar_step, checkbox, contacts_group, fundings_group, text, volunteers_group,
};
use leptos::prelude::*;

/// The section's name, said after "Modifier" to screen readers.
fn section_name(section: Section) -> AnyView {
    let i18n = use_i18n();
    match section {
        Section::Title => t!(i18n, decl_partnership_title).into_any(),
        Section::Calendar => t!(i18n, decl_step_calendar).into_any(),
        Section::Context => t!(i18n, p_context).into_any(),
        Section::History => t!(i18n, p_history).into_any(),
        Section::Objectives => t!(i18n, p_objectives).into_any(),
        Section::Description => t!(i18n, p_description).into_any(),
        Section::Implementation => t!(i18n, p_implementation).into_any(),
        Section::Contacts => t!(i18n, p_contacts).into_any(),
        Section::Fundings => t!(i18n, p_funding).into_any(),
        Section::Volunteers => t!(i18n, p_volunteers).into_any(),
        Section::Evaluation => t!(i18n, p_evaluation_title).into_any(),
    }
}

fn inputs(editing: &Editing, section: Section) -> AnyView {
    let i18n = use_i18n();
    let d = &editing.declaration;
    match section {
        Section::Title => text(d, "title", t!(i18n, decl_partnership_title), None),
        Section::Calendar => calendar_step(d),
        Section::Context => area(d, "context", t!(i18n, p_context), None),
        Section::History => area(d, "history", t!(i18n, p_history), None),
        Section::Objectives => view! {
            {area(d, "objectives_local", t!(i18n, p_objectives_local), None)}
            {area(d, "objectives_france", t!(i18n, p_objectives_france), None)}
        }
        .into_any(),
        Section::Description => area(d, "description", t!(i18n, p_description), None),
        Section::Implementation => view! {
            {area(d, "beneficiaries", t!(i18n, p_beneficiaries), None)}
            {area(d, "project_managers", t!(i18n, p_project_managers), Some(t!(i18n, decl_lines_hint).into_any()))}
            {area(d, "project_owners", t!(i18n, p_project_owners), Some(t!(i18n, decl_lines_hint).into_any()))}
        }
        .into_any(),
        Section::Evaluation => view! {
            {checkbox(d, "communication_france", t!(i18n, p_communication_france))}
            {checkbox(d, "communication_partners", t!(i18n, p_communication_partners))}
            {checkbox(d, "evaluation", t!(i18n, p_evaluation))}
        }
        .into_any(),
        Section::Contacts => contacts_group(d),
        Section::Fundings => fundings_group(d),
        Section::Volunteers => volunteers_group(d),
    }
}

/// The control of `section`, or nothing for the people who may not change the partnership.
pub fn section_edit(editing: Option<&Editing>, section: Section) -> Option<AnyView> {
    let editing = editing?;
    let i18n = use_i18n();
    let d = &editing.declaration;
    let id = d.id?;
    let code = section.code();
    let open = editing.open == Some(section);
    let errors = open
        .then(|| d.form.errors.clone())
        .filter(|e| !e.is_empty())
        .map(|errors| {
            let locale = i18n.get_locale_untracked();
            view! {
                <div class="alert error-summary" role="alert">
                    <h3>{t!(i18n, decl_errors_title)}</h3>
                    <ul>
                        {errors.into_iter().map(|e| view! {
                            <li><a href=format!("#{}", e.field)>{e.text(locale)}</a></li>
                        }).collect_view()}
                    </ul>
                </div>
            }
        });
    let stale = open.then(|| editing.stale.clone()).flatten().map(|stale| {
        view! {
            <div class="alert conflict" role="alert">
                <h3>{t!(i18n, edit_conflict_title)}</h3>
                <p>{t!(i18n, edit_conflict_text)}</p>
                <Changes changes=stale.changes/>
            </div>
        }
    });
    let hint = if editing.moderator {
        t!(i18n, edit_hint_moderator).into_any()
    } else {
        t!(i18n, edit_hint_staff).into_any()
    };
    Some(
        view! {
            <details class="section-edit" id=format!("modifier-{code}") open=open>
                <summary class="button small secondary">
                    {t!(i18n, workspace_edit)}
                    <span class="visually-hidden">" " {section_name(section)}</span>
                </summary>
                <form method="post" action=format!("/partenariats/{id}/modifier/{code}") class="section-form" novalidate>
                    // The first submit button is what Enter presses: save (not a row's removal).
                    <button type="submit" name="action" value="save" class="visually-hidden" tabindex="-1" aria-hidden="true">
                        {t!(i18n, edit_save)}
                    </button>
                    <input type="hidden" name="version" value=d.version.map(|v| v.to_string()).unwrap_or_default()/>
                    {stale}
                    {errors}
                    {inputs(editing, section)}
                    <p class="hint">{hint}</p>
                    <div class="button-row">
                        <button type="submit" name="action" value="save" class="button">
                            {t!(i18n, edit_save)}
                            <span class="visually-hidden">" " {section_name(section)}</span>
                        </button>
                        <a href=format!("/partenariats/{id}#modifier-{code}") class="button secondary">
                            {t!(i18n, edit_cancel)}
                        </a>
                    </div>
                </form>
            </details>
        }
        .into_any(),
    )
}
