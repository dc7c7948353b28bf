//! `/espace/declarations/nouvelle` and `/espace/declarations/{id}/{step}`: the declaration form,
//! in five steps, each a plain form posted to the server (so it works without JavaScript): the
//! server saves the draft through the write path and goes on to the next step, or comes back
//! with what was typed and an error next to each field, listed at the top with links.

use crate::api::account::get_declaration;
use crate::components::field::labelled;
use crate::components::picker::{choice_options, AuthorityPicker, ChoicePicker, ForeignPicker};
use crate::components::title::page_title;
use crate::error::AppError;
use crate::i18n::*;
use crate::models::rows::{add_row, remove_row};
use crate::models::{Choice, Declaration, DeclarationStep, PublicationState};
use crate::pages::account::SignInFirst;
use crate::pages::declaration_live::{Live, LiveStatus};
use crate::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn DeclarationPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    // The page shows the step after a saved one.
    let posted = use_query_map().read_untracked().get("enregistre").is_some();
    let key = move || {
        let p = params.read();
        let id = p.get("id").and_then(|id| id.parse::<i32>().ok());
        let step = p
            .get("step")
            .and_then(|s| s.parse::<u8>().ok())
            .unwrap_or(1);
        (id, step)
    };
    let data = Resource::new(key, |(id, step)| get_declaration(id, step));
    view! {
        {page_title(move || format!("{} — {}", t_string!(i18n, decl_title_new), t_string!(i18n, site_name)))}
        <Meta name="robots" content="noindex"/>
        <div class="container">
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || data.get().map(|result| match result {
                    Ok(Some(d)) => view! { <DeclarationForm d posted/> }.into_any(),
                    Ok(None) => view! { <SignInFirst/> }.into_any(),
                    Err(AppError::NotFound | AppError::Forbidden) => view! { <NotFound/> }.into_any(),
                    Err(e) => crate::pages::not_found::service_error(e),
                })}
            </Suspense>
        </div>
    }
}

fn step_label(step: DeclarationStep) -> AnyView {
    let i18n = use_i18n();
    match step {
        DeclarationStep::Partners => t!(i18n, decl_step_partners).into_any(),
        DeclarationStep::Calendar => t!(i18n, decl_step_calendar).into_any(),
        DeclarationStep::Texts => t!(i18n, decl_step_texts).into_any(),
        DeclarationStep::Means => t!(i18n, decl_step_means).into_any(),
        DeclarationStep::Review => t!(i18n, decl_step_review).into_any(),
    }
}

/// The form: an island of its own, loaded only on these pages (its code is not in the public
/// pages' bundle).
#[island(lazy)]
fn DeclarationForm(d: Declaration, posted: bool) -> impl IntoView {
    let i18n = use_i18n();
    let title = d.value("title");
    let heading = if d.id.is_some() && !title.is_empty() {
        view! { {t!(i18n, decl_title_edit)} " : " {title} }.into_any()
    } else {
        t!(i18n, decl_title_new).into_any()
    };
    // Hydrated, the form checks and saves as one types; its fields read their errors here.
    let live = Live::new(&d, posted);
    provide_context(live);
    let step = d.step;
    // Said on the form once hydrated (what the browser tests wait for).
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    let steps = DeclarationStep::ALL
        .into_iter()
        .map(|s| {
            let current = (s == step).then_some("step");
            // A new declaration's steps become links once its first save gives it an address.
            move || {
                let label = view! { {s.number()} ". " {step_label(s)} };
                match live.id.get() {
                    Some(id) => view! {
                        <li aria-current=current><a href=s.url(Some(id))>{label}</a></li>
                    }
                    .into_any(),
                    None => view! { <li aria-current=current><span>{label}</span></li> }.into_any(),
                }
            }
        })
        .collect_view();
    let errors = (!d.form.errors.is_empty()).then(|| {
        let items = d
            .form
            .errors
            .iter()
            .map(|e| {
                let on = DeclarationStep::of_field(&e.field);
                let href = if on == d.step {
                    format!("#{}", e.field)
                } else {
                    format!("{}#{}", on.url(d.id), e.field)
                };
                view! { <li><a href=href>{e.text(i18n.get_locale_untracked())}</a></li> }
            })
            .collect_view();
        view! {
            <div class="alert error-summary" role="alert" id="erreurs" tabindex="-1" on:click=move |ev| live.following(&ev)>
                <h2>{t!(i18n, decl_errors_title)}</h2>
                <ul>{items}</ul>
            </div>
        }
    });
    // Shown again when a row is added or removed in place.
    let body = move || {
        let d = live.shown.get();
        match d.step {
            DeclarationStep::Partners => partners_step(&d),
            DeclarationStep::Calendar => calendar_step(&d),
            DeclarationStep::Texts => texts_step(&d),
            DeclarationStep::Means => means_step(&d),
            DeclarationStep::Review => review_step(&d),
        }
    };
    let review = d.step == DeclarationStep::Review;
    let can_submit = d.missing.is_empty()
        && matches!(
            d.state,
            Some(PublicationState::Draft | PublicationState::Returned)
        );
    view! {
        <h1>{heading}</h1>
        <nav aria-label=move || t_string!(i18n, decl_steps).to_string() on:click=move |ev| live.following(&ev)>
            <ol class="steps">{steps}</ol>
        </nav>
        {errors}
        <form method="post" action=move || step.url(live.id.get()) novalidate class="declaration-form"
            node_ref=live.form on:input=move |ev| live.typed(&ev) on:change=move |ev| live.left(&ev)
            on:submit=move |ev| live.posting(&ev) data-hydrated=move || hydrated.get().then_some("true")>
            // The first submit button is what Enter presses: "save and continue".
            <button type="submit" name="action" value="next" class="visually-hidden" tabindex="-1" aria-hidden="true">
                {t!(i18n, decl_next)}
            </button>
            <input type="hidden" name="version" value=d.version.map(|v| v.to_string()).unwrap_or_default()
                prop:value=move || live.version.get().map(|v| v.to_string()).unwrap_or_default()/>
            <h2>{step_label(d.step)}</h2>
            {body}
            <div class="button-row form-actions">
                {(!review).then(|| view! {
                    <button type="submit" name="action" value="next" class="button">{t!(i18n, decl_next)}</button>
                    <button type="submit" name="action" value="save" class="button secondary">{t!(i18n, decl_save)}</button>
                })}
                {(review && can_submit).then(|| view! {
                    <button type="submit" name="action" value="submit" class="button">{t!(i18n, decl_submit)}</button>
                })}
            </div>
            <LiveStatus live/>
        </form>
    }
}

/// A labelled input of the form, its error following the live checks once hydrated.
pub(crate) fn field(
    d: &Declaration,
    name: &str,
    label: impl IntoView + 'static,
    hint: Option<AnyView>,
    input: impl FnOnce(Signal<Option<String>>, Signal<bool>) -> AnyView,
) -> AnyView {
    labelled(name, label, hint, live_error(d, name), input)
}

/// An input's error: the one the page was rendered with, then, hydrated, the latest check's.
fn live_error(d: &Declaration, name: &str) -> Signal<Option<String>> {
    let i18n = use_i18n();
    let rendered = d.error(name, i18n.get_locale_untracked());
    let live = use_context::<Live>();
    let name = name.to_string();
    Signal::derive(move || match live {
        Some(live) => live.error(&name, rendered.clone(), i18n.get_locale()),
        None => rendered.clone(),
    })
}

pub(crate) fn text(
    d: &Declaration,
    name: &str,
    label: impl IntoView + 'static,
    hint: Option<AnyView>,
) -> AnyView {
    let value = d.value(name);
    let n = name.to_string();
    field(d, name, label, hint, move |described, invalid| {
        view! {
            <input type="text" id=n.clone() name=n value=value
                aria-describedby=described aria-invalid=move || invalid.get().then_some("true")/>
        }
        .into_any()
    })
}

/// A French authority: a plain field, proposing authorities as one types once hydrated.
fn authority(
    d: &Declaration,
    name: &str,
    label: impl IntoView + 'static,
    hint: Option<AnyView>,
) -> AnyView {
    let value = d.value(name);
    let n = name.to_string();
    field(d, name, label, hint, move |described, invalid| {
        view! { <AuthorityPicker name=n value described invalid/> }.into_any()
    })
}

pub(crate) fn number(d: &Declaration, name: &str, label: impl IntoView + 'static) -> AnyView {
    let value = d.value(name);
    let n = name.to_string();
    field(d, name, label, None, move |described, invalid| {
        view! {
            <input type="text" inputmode="decimal" class="short" id=n.clone() name=n value=value
                aria-describedby=described aria-invalid=move || invalid.get().then_some("true")/>
        }
        .into_any()
    })
}

pub(crate) fn area(
    d: &Declaration,
    name: &str,
    label: impl IntoView + 'static,
    hint: Option<AnyView>,
) -> AnyView {
    let value = d.value(name);
    let n = name.to_string();
    field(d, name, label, hint, move |described, invalid| {
        view! {
            <textarea id=n.clone() name=n rows="5"
                aria-describedby=described aria-invalid=move || invalid.get().then_some("true")>{value}</textarea>
        }
        .into_any()
    })
}

/// A select among choices, labelled in the page's language, indented by tree level.
pub(crate) fn select(
    d: &Declaration,
    name: &str,
    label: impl IntoView + 'static,
    choices: Vec<Choice>,
) -> AnyView {
    let i18n = use_i18n();
    let value = d.value(name);
    let n = name.to_string();
    field(d, name, label, None, move |described, invalid| {
        view! {
            <select id=n.clone() name=n aria-describedby=described aria-invalid=move || invalid.get().then_some("true")>
                <option value="">{t!(i18n, decl_choose)}</option>
                {choice_options(&choices, &value)}
            </select>
        }
        .into_any()
    })
}

/// One of a long list (the theme tree, the countries): a select without JavaScript, a
/// combobox that filters as one types once hydrated.
fn choice(
    d: &Declaration,
    name: &str,
    label: impl IntoView + 'static,
    choices: Vec<Choice>,
) -> AnyView {
    choice_into(d, name, label, choices, RwSignal::new(d.value(name)))
}

/// The same, holding its code in `value` (which another field may write).
fn choice_into(
    d: &Declaration,
    name: &str,
    label: impl IntoView + 'static,
    choices: Vec<Choice>,
    value: RwSignal<String>,
) -> AnyView {
    let i18n = use_i18n();
    let n = name.to_string();
    field(d, name, label, None, move |described, invalid| {
        let none = Signal::derive(move || t_string!(i18n, decl_choose).to_string());
        let list_label = Signal::derive(move || t_string!(i18n, picker_choices).to_string());
        view! { <ChoicePicker name=n value choices none list_label described invalid/> }.into_any()
    })
}

pub(crate) fn checkbox(d: &Declaration, name: &str, label: impl IntoView + 'static) -> AnyView {
    let checked = !d.value(name).is_empty();
    view! {
        <div class="check">
            <input type="checkbox" id=name.to_string() name=name.to_string() checked=checked/>
            <label for=name.to_string()>{label}</label>
        </div>
    }
    .into_any()
}

/// A repeatable group: a fieldset per row with its remove button, then an add button. Without
/// JavaScript both post the form (nothing is saved; the rows come back one more or one fewer);
/// hydrated, the row is added or removed in place and the focus goes to the new row (or to
/// the add button).
pub(crate) fn group(
    d: &Declaration,
    name: &'static str,
    legend: impl IntoView + 'static,
    min: usize,
    row_legend: impl Fn(usize) -> AnyView,
    row: impl Fn(&Declaration, usize) -> AnyView,
    add: impl IntoView + 'static,
) -> AnyView {
    let i18n = use_i18n();
    let live = use_context::<Live>();
    let count = d.rows(name, min);
    let add_id = format!("{name}-ajouter");
    let rows = (0..count)
        .map(|i| {
            let add_id = add_id.clone();
            let remove = move |ev: leptos::ev::MouseEvent| {
                if let Some(live) = live {
                    ev.prevent_default();
                    live.change_rows(|pairs| remove_row(pairs, name, i), add_id.clone());
                }
            };
            view! {
                <fieldset class="row" id=format!("{name}-ligne-{i}")>
                    <legend>{row_legend(i)}</legend>
                    {row(d, i)}
                    <button type="submit" name="action" value=format!("remove:{name}:{i}") class="button small secondary"
                        on:click=remove>
                        {t!(i18n, decl_remove)} <span class="visually-hidden">" " {row_legend(i)}</span>
                    </button>
                </fieldset>
            }
        })
        .collect_view();
    let add_row_here = move |ev: leptos::ev::MouseEvent| {
        if let Some(live) = live {
            ev.prevent_default();
            // Every row shown is in the form's values (blank ones too): the new one comes next.
            live.change_rows(
                |pairs| add_row(pairs, name),
                format!("{name}-ligne-{count}"),
            );
        }
    };
    view! {
        <fieldset class="group" id=name>
            <legend>{legend}</legend>
            {let error = live_error(d, name);
                move || error.get().map(|m| view! { <p class="field-error" id=format!("{name}-erreur")>{m}</p> })}
            {rows}
            <button type="submit" name="action" value=format!("add:{name}") class="button small secondary"
                id=add_id.clone() on:click=add_row_here>
                {add}
            </button>
        </fieldset>
    }
    .into_any()
}

fn partners_step(d: &Declaration) -> AnyView {
    let i18n = use_i18n();
    view! {
        {text(d, "title", t!(i18n, decl_partnership_title), Some(t!(i18n, decl_partnership_title_hint).into_any()))}
        {partner_groups(d)}
    }
    .into_any()
}

/// The French authorities and the foreign partners of a partnership.
pub(crate) fn partner_groups(d: &Declaration) -> AnyView {
    let i18n = use_i18n();
    let countries = d.countries.clone();
    view! {
        {group(d, "french_partners", t!(i18n, p_partners_france), 1,
            |i| view! { {t!(i18n, decl_french_partner)} " " {i + 1} }.into_any(),
            |d, i| {
                let name = format!("french_partners[{i}]");
                let found = d.value(&format!("{name}.label"));
                let hint = view! {
                    {t!(i18n, decl_french_partner_hint)}
                    {(!found.is_empty()).then(|| view! { " " <strong>{found.clone()}</strong> })}
                }.into_any();
                view! {
                    {authority(d, &name, t!(i18n, p_authority), Some(hint))}
                    {(!found.is_empty()).then(|| view! {
                        <input type="hidden" name=format!("{name}.label") value=found.clone()/>
                    })}
                }.into_any()
            },
            t!(i18n, decl_add_french))}
        {group(d, "foreign_partners", t!(i18n, p_partners_abroad), 1,
            |i| view! { {t!(i18n, decl_foreign_partner)} " " {i + 1} }.into_any(),
            move |d, i| {
                let base = format!("foreign_partners[{i}]");
                if d.existing_foreign(i) {
                    let (id, name, country) = (d.value(&format!("{base}.id")), d.value(&format!("{base}.name")), d.value(&format!("{base}.country")));
                    view! {
                        <input type="hidden" name=format!("{base}.id") value=id/>
                        <input type="hidden" name=format!("{base}.name") value=name.clone()/>
                        <input type="hidden" name=format!("{base}.country") value=country.clone()/>
                        <p>{name} " (" {country} ")"</p>
                    }.into_any()
                } else {
                    let name = format!("{base}.name");
                    let value = d.value(&name);
                    let country = RwSignal::new(d.value(&format!("{base}.country")));
                    let picker = {
                        let (name, id_name) = (name.clone(), format!("{base}.id"));
                        move |described, invalid| view! {
                            <ForeignPicker name id_name value country described invalid/>
                        }.into_any()
                    };
                    view! {
                        {field(d, &name, t!(i18n, decl_foreign_partner_name), None, picker)}
                        {choice_into(d, &format!("{base}.country"), t!(i18n, p_country), countries.clone(), country)}
                    }.into_any()
                }
            },
            t!(i18n, decl_add_foreign))}
    }
    .into_any()
}

pub(crate) fn calendar_step(d: &Declaration) -> AnyView {
    let i18n = use_i18n();
    let themes = d.themes.clone();
    let statuses = [
        ("ongoing", "En cours", "Ongoing"),
        ("planned", "En projet", "Planned"),
        ("completed", "Terminé", "Completed"),
    ];
    let durations = [
        ("annual", "Annuelle", "Annual"),
        ("biennial", "Biennale", "Biennial"),
        ("triennial", "Triennale", "Triennial"),
        ("multi_year", "Pluriannuelle", "Multi-year"),
    ];
    let vocab = |items: &[(&str, &str, &str)]| {
        items
            .iter()
            .map(|(code, fr, en)| Choice {
                code: code.to_string(),
                label_fr: fr.to_string(),
                label_en: en.to_string(),
                level: 1,
            })
            .collect::<Vec<_>>()
    };
    view! {
        {choice(d, "theme", t!(i18n, p_theme), themes.clone())}
        {group(d, "other_themes", t!(i18n, p_other_themes), 0,
            |i| view! { {t!(i18n, decl_other_theme)} " " {i + 1} }.into_any(),
            move |d, i| choice(d, &format!("other_themes[{i}].code"), t!(i18n, p_theme), themes.clone()),
            t!(i18n, decl_add_theme))}
        {select(d, "form", t!(i18n, p_form), d.forms.clone())}
        {select(d, "status", t!(i18n, p_status), vocab(&statuses))}
        {select(d, "duration", t!(i18n, p_duration), vocab(&durations))}
        {number(d, "first_agreement_year", t!(i18n, p_first_agreement))}
        {number(d, "start_year", t!(i18n, p_start_year))}
        {field(d, "end_date", t!(i18n, p_end_date), None, {
            let value = d.value("end_date");
            move |described, invalid| view! {
                <input type="date" id="end_date" name="end_date" value=value
                    aria-describedby=described aria-invalid=move || invalid.get().then_some("true")/>
            }.into_any()
        })}
    }
    .into_any()
}

fn texts_step(d: &Declaration) -> AnyView {
    let i18n = use_i18n();
    view! {
        {area(d, "context", t!(i18n, p_context), None)}
        {area(d, "history", t!(i18n, p_history), None)}
        {area(d, "objectives_local", t!(i18n, p_objectives_local), None)}
        {area(d, "objectives_france", t!(i18n, p_objectives_france), None)}
        {area(d, "description", t!(i18n, p_description), None)}
        {area(d, "beneficiaries", t!(i18n, p_beneficiaries), None)}
        {area(d, "project_managers", t!(i18n, p_project_managers), Some(t!(i18n, decl_lines_hint).into_any()))}
        {area(d, "project_owners", t!(i18n, p_project_owners), Some(t!(i18n, decl_lines_hint).into_any()))}
        <fieldset class="group">
            <legend>{t!(i18n, p_evaluation_title)}</legend>
            {checkbox(d, "communication_france", t!(i18n, p_communication_france))}
            {checkbox(d, "communication_partners", t!(i18n, p_communication_partners))}
            {checkbox(d, "evaluation", t!(i18n, p_evaluation))}
        </fieldset>
    }
    .into_any()
}

fn means_step(d: &Declaration) -> AnyView {
    view! {
        {contacts_group(d)}
        {fundings_group(d)}
        {volunteers_group(d)}
    }
    .into_any()
}

pub(crate) fn contacts_group(d: &Declaration) -> AnyView {
    let i18n = use_i18n();
    group(
        d,
        "foreign_contacts",
        t!(i18n, p_contacts),
        0,
        |i| view! { {t!(i18n, decl_contact)} " " {i + 1} }.into_any(),
        |d, i| {
            let f = |n: &str| format!("foreign_contacts[{i}].{n}");
            view! {
                {text(d, &f("authority"), t!(i18n, p_authority), None)}
                {text(d, &f("last_name"), t!(i18n, p_last_name), None)}
                {text(d, &f("first_name"), t!(i18n, p_first_name), None)}
                {text(d, &f("role"), t!(i18n, p_role), None)}
                {text(d, &f("email"), t!(i18n, p_email), None)}
            }
            .into_any()
        },
        t!(i18n, decl_add_contact),
    )
}

pub(crate) fn fundings_group(d: &Declaration) -> AnyView {
    let i18n = use_i18n();
    group(
        d,
        "fundings",
        t!(i18n, p_funding),
        0,
        |i| view! { {t!(i18n, decl_funding)} " " {i + 1} }.into_any(),
        |d, i| {
            let f = |n: &str| format!("fundings[{i}].{n}");
            view! {
                {text(d, &f("funder"), t!(i18n, p_funder), None)}
                {number(d, &f("amount_eur"), t!(i18n, decl_amount_eur))}
                {number(d, &f("water_1pct_eur"), t!(i18n, p_water))}
                {number(d, &f("year"), t!(i18n, p_year))}
            }
            .into_any()
        },
        t!(i18n, decl_add_funding),
    )
}

pub(crate) fn volunteers_group(d: &Declaration) -> AnyView {
    let i18n = use_i18n();
    group(
        d,
        "volunteers",
        t!(i18n, p_volunteers),
        0,
        |i| view! { {t!(i18n, decl_volunteer)} " " {i + 1} }.into_any(),
        |d, i| {
            let f = |n: &str| format!("volunteers[{i}].{n}");
            view! {
                {text(d, &f("last_name"), t!(i18n, p_last_name), None)}
                {text(d, &f("first_name"), t!(i18n, p_first_name), None)}
                {text(d, &f("mission"), t!(i18n, p_mission), None)}
                {text(d, &f("field"), t!(i18n, p_field), None)}
                {text(d, &f("assigned_entity"), t!(i18n, p_assigned_entity), None)}
            }
            .into_any()
        },
        t!(i18n, decl_add_volunteer),
    )
}

fn review_step(d: &Declaration) -> AnyView {
    let i18n = use_i18n();
    let rows = |group: &str| d.rows(group, 0);
    let summary = view! {
        <dl class="facts">
            <dt>{t!(i18n, decl_partnership_title)}</dt><dd>{d.value("title")}</dd>
            <dt>{t!(i18n, p_partners_france)}</dt><dd>{rows("french_partners")}</dd>
            <dt>{t!(i18n, p_partners_abroad)}</dt><dd>{rows("foreign_partners")}</dd>
            <dt>{t!(i18n, p_theme)}</dt><dd>{d.value("theme")}</dd>
            <dt>{t!(i18n, p_funding)}</dt><dd>{rows("fundings")}</dd>
        </dl>
    };
    let id = d.id;
    let missing = (!d.missing.is_empty()).then(|| {
        let items = d
            .missing
            .iter()
            .map(|e| {
                let href = format!(
                    "{}#{}",
                    DeclarationStep::of_field(&e.field).url(id),
                    e.field
                );
                view! { <li><a href=href>{e.text(i18n.get_locale_untracked())}</a></li> }
            })
            .collect_view();
        view! {
            <div class="alert">
                <h3>{t!(i18n, decl_missing_title)}</h3>
                <ul>{items}</ul>
            </div>
        }
    });
    let state_note = match d.state {
        Some(PublicationState::Submitted) => Some(t!(i18n, decl_already_submitted).into_any()),
        Some(PublicationState::Draft | PublicationState::Returned) if d.missing.is_empty() => {
            Some(t!(i18n, decl_complete).into_any())
        }
        _ => None,
    };
    view! {
        {summary}
        {missing}
        {state_note.map(|n| view! { <p>{n}</p> })}
    }
    .into_any()
}
