//! The editing control of one section of a partnership's page, for the people who may change
//! it: a disclosure ("Modifier …") that opens in place onto the section's inputs, a plain form
//! posted to `/partenariats/{id}/modifier/{section}` (the declaration's inputs and the same
//! write path), so that it works by keyboard and without JavaScript. After a refusal it is open
//! again, with what was typed, the errors next to their fields and, when someone saved in
//! between, what they changed, above the input kept as it was typed.

use crate::components::changes::Changes;
use crate::components::funding_table::FundingTable;
use crate::i18n::*;
use crate::models::rows::fundings_of;
use crate::models::{Editing, Funding, Section};
use crate::pages::declaration::{
    area, calendar_step, checkbox, contacts_group, fundings_group, partner_groups, text,
    volunteers_group,
};
use leptos::prelude::*;

/// The section's name, said after "Modifier" to screen readers.
fn section_name(section: Section) -> AnyView {
    let i18n = use_i18n();
    match section {
        Section::Title => t!(i18n, decl_partnership_title).into_any(),
        Section::Partners => t!(i18n, p_partners).into_any(),
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
        Section::Partners => partner_groups(d),
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
        Section::Fundings => {
            let initial = fundings_of(&d.form.values);
            let group = fundings_group(d);
            view! { <LiveFundings initial>{group}</LiveFundings> }.into_any()
        }
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
    let fields = inputs(editing, section);
    let version = d.version.map(|v| v.to_string()).unwrap_or_default();
    let hint = if editing.moderator {
        t!(i18n, edit_hint_moderator).into_any()
    } else {
        t!(i18n, edit_hint_staff).into_any()
    };
    Some(
        view! {
            <SectionKeys code=code.to_string()>
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
                    <input type="hidden" name="version" value=version/>
                    {stale}
                    {errors}
                    {fields}
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
            </SectionKeys>
        }
        .into_any(),
    )
}

/// The keyboard around a section's control, once hydrated (an island loaded only on the pages
/// of people who may edit): Escape closes an open form and gives the focus back to its control;
/// after a save the focus is on the control again, after a refusal on the first field refused
/// (or what changed meanwhile).
#[island(lazy)]
fn SectionKeys(code: String, children: Children) -> impl IntoView {
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() != "Escape" {
            return;
        }
        let details = event_target::<leptos::web_sys::Element>(&ev)
            .closest("details.section-edit")
            .ok()
            .flatten();
        if let Some(details) = details.filter(|d| d.has_attribute("open")) {
            ev.prevent_default();
            let _ = details.remove_attribute("open");
            focus(&details, "summary");
        }
    };
    Effect::new({
        let code = code.clone();
        move |_| {
            let Some(document) = leptos::web_sys::window().and_then(|w| w.document()) else {
                return;
            };
            let search = document
                .location()
                .and_then(|l| l.search().ok())
                .unwrap_or_default();
            let Ok(Some(details)) = document.query_selector(&format!("#modifier-{code}")) else {
                return;
            };
            // Someone who already moved on (this island loads after the page) keeps her focus.
            let moved = document
                .active_element()
                .is_some_and(|active| Some(&active) != document.body().as_deref());
            if moved {
                return;
            }
            if search.contains(&format!("modifie={code}")) {
                focus(&details, "summary");
            } else if search.contains(&format!("modifier={code}")) {
                focus(&details, ".alert.conflict, [aria-invalid=\"true\"], .alert, input:not([type=hidden]), textarea");
            }
        }
    });
    // Said once hydrated (what the browser tests wait for).
    let (live, set_live) = signal(false);
    Effect::new(move |_| set_live.set(true));
    view! {
        <div class="section-keys" on:keydown=on_keydown data-live=move || live.get().then_some("true")>
            {children()}
        </div>
    }
}

/// Gives the focus to the first element under `root` that `selector` finds (an alert is made
/// focusable for it).
fn focus(root: &leptos::web_sys::Element, selector: &str) {
    use leptos::wasm_bindgen::JsCast;
    let Ok(Some(target)) = root.query_selector(selector) else {
        return;
    };
    if target.class_list().contains("alert") {
        let _ = target.set_attribute("tabindex", "-1");
    }
    if let Ok(target) = target.dyn_into::<leptos::web_sys::HtmlElement>() {
        let _ = target.focus();
    }
}

/// The funding table's inputs with the totals per year and per funder below them, following
/// what is typed once hydrated (an island loaded only where someone may edit). The totals are
/// drawn on the server from the inputs as shown, so that they are there without JavaScript.
#[island(lazy)]
fn LiveFundings(initial: Vec<Funding>, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let fundings = RwSignal::new(initial);
    let on_input = move |ev: leptos::ev::Event| {
        use leptos::wasm_bindgen::JsCast;
        let form = event_target::<leptos::web_sys::Element>(&ev)
            .closest("form")
            .ok()
            .flatten()
            .and_then(|f| f.dyn_into::<leptos::web_sys::HtmlFormElement>().ok());
        let Some(form) = form else {
            return;
        };
        let Ok(data) = leptos::web_sys::FormData::new_with_form(&form) else {
            return;
        };
        let Ok(Some(entries)) = js_sys::try_iter(&data) else {
            return;
        };
        let pairs = entries
            .flatten()
            .filter_map(|entry| {
                let pair = js_sys::Array::from(&entry);
                Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
            })
            .collect();
        fundings.set(fundings_of(&pairs));
    };
    let total = move || {
        let sum: f64 = fundings.with(|f| f.iter().map(|f| f.amount_eur).sum());
        crate::format::euros(sum, i18n.get_locale())
    };
    let (live, set_live) = signal(false);
    Effect::new(move |_| set_live.set(true));
    view! {
        <div on:input=on_input>{children()}</div>
        <div class="live-totals" data-live=move || live.get().then_some("true")>
            <h3>{t!(i18n, edit_totals)}</h3>
            <p aria-live="polite">{t!(i18n, p_total)} " : " {total}</p>
            {move || view! { <FundingTable fundings=fundings.get()/> }}
        </div>
    }
}
