use crate::api::editing::get_editing;
use crate::api::partnerships::get_partnership;
use crate::api::synergies::partnership_synergies;
use crate::components::email::Email;
use crate::components::funding_table::FundingTable;
use crate::components::labels::{
    duration_label, kind_label, month_name, role_label, status_label, yes_no,
};
use crate::components::section_edit::section_edit;
use crate::components::synergies::SynergiesPanel;
use crate::components::title::{canonical, page_title};
use crate::error::AppError;
use crate::format::long_date;
use crate::i18n::*;
use crate::models::{Editing, Partnership, Section, Synergies, ThemeRef};
use crate::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The partnership an address under `/partenariats/{id}` is about: the digits of its `id`
/// (a readable slug may follow them).
pub fn partnership_id() -> impl Fn() -> Option<i32> + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params.read().get("id").and_then(|raw| {
            let digits: String = raw.chars().take_while(|c| c.is_ascii_digit()).collect();
            digits.parse::<i32>().ok()
        })
    }
}

/// `/partenariats/{id}`, where a readable slug may follow the id: `/partenariats/12-eau-a-podor`.
#[component]
pub fn PartnershipPage() -> impl IntoView {
    let id = partnership_id();
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_partnership(id).await,
            None => Err(AppError::NotFound),
        }
    });
    // The editing controls, for the people who may change it (nothing for anyone else).
    let editing = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_editing(id).await.ok().flatten(),
            None => None,
        }
    });
    // Who else works there: left out while the search index is being built.
    let synergies = Resource::new(id, |id| async move {
        match id {
            Some(id) => partnership_synergies(id).await.ok(),
            None => None,
        }
    });
    let i18n = use_i18n();
    view! {
        <Suspense fallback=move || view! { <p class="container">{t!(i18n, loading)}</p> }>
            {move || data.get().map(|result| match result {
                Ok(p) => {
                    let editing = editing.get().flatten();
                    let synergies = synergies.get().flatten();
                    view! { <PartnershipView p editing synergies/> }.into_any()
                }
                Err(AppError::NotFound) => view! { <NotFound/> }.into_any(),
                Err(e) => crate::pages::not_found::service_error(e),
            })}
        </Suspense>
    }
}

fn theme_path(
    i18n: leptos_i18n::I18nContext<Locale>,
    theme: &ThemeRef,
) -> impl Fn() -> String + use<> {
    let (fr, en) = (theme.path_fr.join(" › "), theme.path_en.join(" › "));
    move || match i18n.get_locale() {
        Locale::fr => fr.clone(),
        Locale::en => en.clone(),
    }
}

/// Paragraphs of a free text: the legacy atlas puts one paragraph per line.
fn paragraphs(text: &str) -> impl IntoView + use<> {
    text.lines()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| view! { <p>{p.to_string()}</p> })
        .collect_view()
}

/// A section with a heading, shown when it has something to say or someone may write it.
fn text_section(
    id: &'static str,
    title: impl IntoView + 'static,
    text: Option<String>,
    edit: Option<AnyView>,
) -> Option<AnyView> {
    if text.is_none() && edit.is_none() {
        return None;
    }
    let i18n = use_i18n();
    Some(
        view! {
            <section class="block" aria-labelledby=id>
                <h2 id=id>{title}</h2>
                {match text {
                    Some(text) => paragraphs(&text).into_any(),
                    None => view! { <p class="muted">{t!(i18n, p_none)}</p> }.into_any(),
                }}
                {edit}
            </section>
        }
        .into_any(),
    )
}

#[component]
fn PartnershipView(
    p: Partnership,
    editing: Option<Editing>,
    synergies: Option<Vec<Synergies>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let edit = |section| section_edit(editing.as_ref(), section);
    let history_href = format!("/partenariats/{}/historique", p.id);
    let moderator = editing.as_ref().is_some_and(|e| e.moderator);
    let pending = editing
        .as_ref()
        .and_then(|e| e.proposal.clone())
        .map(|proposal| {
            let text = if proposal == "proposed" && moderator {
                t!(i18n, edit_pending_moderator).into_any()
            } else if proposal == "proposed" {
                t!(i18n, edit_pending).into_any()
            } else {
                t!(i18n, edit_pending_returned).into_any()
            };
            let comment = editing.as_ref().and_then(|e| e.comment.clone()).map(|c| {
                view! { <br/><strong>{t!(i18n, workspace_comment)}</strong> " " {c} }
            });
            view! { <p class="notice pending">{text} {comment}</p> }
        });
    let saved = query.read_untracked().get("modifie").map(|_| {
        let text = if query.read_untracked().get("propose").is_some() {
            t!(i18n, edit_saved_proposed).into_any()
        } else {
            t!(i18n, edit_saved_published).into_any()
        };
        view! { <p class="notice" role="status">{text}</p> }
    });
    let title = p.title.clone();
    let description = p
        .context
        .clone()
        .or_else(|| p.description.clone())
        .unwrap_or_default();
    let description: String = description.chars().take(200).collect();
    let theme = p.labels.theme.as_ref().map(|t| theme_path(i18n, t));
    let form = p.labels.form.clone();
    let end_date = p.end_date;
    let json_href = format!("/api/v1/partnerships/{}", p.id);
    let canonical_path = format!("/partenariats/{}-{}", p.id, p.slug);
    let other_themes = p.other_themes.clone();
    let has_objectives = p.objectives_local.is_some() || p.objectives_france.is_some();
    let updated = p.updated_at.date_naive();
    view! {
        {page_title(move || format!("{} — Atlas", title))}
        <Meta name="description" content=description/>
        {canonical(canonical_path)}
        <article class="container partnership">
            <nav class="breadcrumb" aria-label=move || t_string!(i18n, p_breadcrumb).to_string()>
                <ol>
                    <li><a href="/">{t!(i18n, nav_home)}</a></li>
                    <li><a href="/partenariats">{t!(i18n, nav_partnerships)}</a></li>
                    <li aria-current="page">{p.title.clone()}</li>
                </ol>
            </nav>
            <header class="partnership-header">
                {theme.map(|path| view! { <p class="kicker">{path}</p> })}
                <h1>{p.title.clone()}</h1>
                {edit(Section::Title)}
                <p class="partners-line">
                    {p.french_partners.iter().map(|f| f.name.clone()).collect::<Vec<_>>().join(", ")}
                    {(!p.foreign_partners.is_empty()).then_some(" ⇄ ")}
                    {p.foreign_partners.iter().map(|f| f.name.clone()).collect::<Vec<_>>().join(", ")}
                </p>
            </header>
            {saved}
            {pending}

            {view! {
            <section class="summary" aria-labelledby="en-bref">
                <h2 id="en-bref" class="visually-hidden">{t!(i18n, p_summary)}</h2>
                <dl class="facts">
                    {p.status.map(|s| view! {
                        <div><dt>{t!(i18n, p_status)}</dt><dd><span class=format!("badge status-{}", s.code())>{status_label(s)}</span></dd></div>
                    })}
                    {p.start_year.map(|y| view! {
                        <div><dt>{t!(i18n, p_start_year)}</dt><dd>{y}</dd></div>
                    })}
                    {end_date.map(|d| view! {
                        <div><dt>{t!(i18n, p_end_date)}</dt><dd><time datetime=d.to_string()>{move || {
                            use chrono::Datelike;
                            long_date(d, &month_name(i18n, d.month()))
                        }}</time></dd></div>
                    })}
                    {p.first_agreement_year.map(|y| view! {
                        <div><dt>{t!(i18n, p_first_agreement)}</dt><dd>{y}</dd></div>
                    })}
                    {form.map(|f| view! {
                        <div><dt>{t!(i18n, p_form)}</dt><dd>{move || match i18n.get_locale() {
                            Locale::fr => f.label_fr.clone(),
                            Locale::en => f.label_en.clone(),
                        }}</dd></div>
                    })}
                    {p.duration.map(|d| view! {
                        <div><dt>{t!(i18n, p_duration)}</dt><dd>{duration_label(d)}</dd></div>
                    })}
                </dl>
                {(!other_themes.is_empty()).then(|| view! {
                    <div class="other-themes">
                        <h3>{t!(i18n, p_other_themes)}</h3>
                        <ul>
                            {other_themes.into_iter().map(|o| {
                                let label = o.theme.as_ref().map(|t| theme_path(i18n, t));
                                let code = o.code.clone();
                                view! {
                                    <li>
                                        {move || label.as_ref().map(|l| l()).unwrap_or_else(|| code.clone())}
                                        {o.priority.map(|n| view! { " (" {t!(i18n, p_priority)} " " {n} ")" })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </div>
                })}
                {edit(Section::Calendar)}
            </section>
            }.into_any()}

            {text_section("contexte", t!(i18n, p_context), p.context.clone(), edit(Section::Context))}
            {text_section("historique", t!(i18n, p_history), p.history.clone(), edit(Section::History))}
            {(has_objectives || editing.is_some()).then(|| view! {
                <section class="block" aria-labelledby="objectifs">
                    <h2 id="objectifs">{t!(i18n, p_objectives)}</h2>
                    {p.objectives_local.clone().map(|t| view! {
                        <h3>{t!(i18n, p_objectives_local)}</h3>
                        {paragraphs(&t)}
                    })}
                    {p.objectives_france.clone().map(|t| view! {
                        <h3>{t!(i18n, p_objectives_france)}</h3>
                        {paragraphs(&t)}
                    })}
                    {(!has_objectives).then(|| view! { <p class="muted">{t!(i18n, p_none)}</p> })}
                    {edit(Section::Objectives)}
                </section>
            })}
            {text_section("description-detaillee", t!(i18n, p_description), p.description.clone(), edit(Section::Description))}

            {view! {
            <section class="block" aria-labelledby="mise-en-oeuvre">
                <h2 id="mise-en-oeuvre">{t!(i18n, p_implementation)}</h2>
                <dl class="facts wide">
                    <div><dt>{t!(i18n, p_project_owners)}</dt><dd>{names_or_none(i18n, &p.project_owners)}</dd></div>
                    <div><dt>{t!(i18n, p_project_managers)}</dt><dd>{names_or_none(i18n, &p.project_managers)}</dd></div>
                    <div><dt>{t!(i18n, p_beneficiaries)}</dt><dd>{p.beneficiaries.clone().map(|b| b.into_any()).unwrap_or_else(|| t!(i18n, p_none).into_any())}</dd></div>
                </dl>
                {edit(Section::Implementation)}
            </section>
            }.into_any()}

            {view! {
            <section class="block" aria-labelledby="partenaires">
                <h2 id="partenaires">{t!(i18n, p_partners)}</h2>
                <div class="two-columns">
                    <div>
                        <h3>{t!(i18n, p_partners_abroad)}</h3>
                        <ul class="partner-list">
                            {p.foreign_partners.iter().cloned().map(|f| view! {
                                <li>
                                    <strong>{f.name}</strong>
                                    {(f.country_name_fr.is_some()).then(|| {
                                        let (fr, en) = (f.country_name_fr.clone().unwrap_or_default(), f.country_name_en.clone().unwrap_or_default());
                                        view! { " — " <span>{move || match i18n.get_locale() { Locale::fr => fr.clone(), Locale::en => en.clone() }}</span> }
                                    })}
                                </li>
                            }).collect_view()}
                        </ul>
                    </div>
                    <div>
                        <h3>{t!(i18n, p_partners_france)}</h3>
                        <ul class="partner-list">
                            {p.french_partners.iter().cloned().map(|f| view! {
                                <li>
                                    {match (f.kind, f.code, f.official_code) {
                                        (Some(kind), Some(id), Some(code)) => view! {
                                            <strong><a href=format!("/collectivites/{id}")>{f.name}</a></strong>
                                            " — " {kind_label(kind)} " " <span class="code">{code}</span>
                                        }.into_any(),
                                        _ => view! { <strong>{f.name}</strong> " — " <em>{t!(i18n, p_unresolved)}</em> }.into_any(),
                                    }}
                                </li>
                            }).collect_view()}
                        </ul>
                    </div>
                </div>
                {edit(Section::Partners)}
                {(!p.foreign_contacts.is_empty()).then(|| view! {
                    <div class="table-scroll">
                        <table class="data">
                            <caption>{t!(i18n, p_contacts)}</caption>
                            <thead><tr>
                                <th scope="col">{t!(i18n, p_authority)}</th>
                                <th scope="col">{t!(i18n, p_last_name)}</th>
                                <th scope="col">{t!(i18n, p_first_name)}</th>
                                <th scope="col">{t!(i18n, p_role)}</th>
                                <th scope="col">{t!(i18n, p_email)}</th>
                            </tr></thead>
                            <tbody>
                                {p.foreign_contacts.iter().cloned().map(|c| view! {
                                    <tr>
                                        <td>{c.authority}</td>
                                        <th scope="row">{c.last_name}</th>
                                        <td>{c.first_name}</td>
                                        <td>{c.role}</td>
                                        <td>{c.email.map(|address| view! { <Email concealed=address/> })}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                })}
                {edit(Section::Contacts)}
            </section>
            }.into_any()}

            {(!p.fundings.is_empty() || editing.is_some()).then(|| view! {
                <section class="block" aria-labelledby="financement">
                    <h2 id="financement">{t!(i18n, p_funding)}</h2>
                    {if p.fundings.is_empty() {
                        view! { <p class="muted">{t!(i18n, p_none)}</p> }.into_any()
                    } else {
                        view! { <FundingTable fundings=p.fundings.clone()/> }.into_any()
                    }}
                    {edit(Section::Fundings)}
                </section>
            }.into_any())}

            {(!p.volunteers.is_empty() || editing.is_some()).then(|| view! {
                <section class="block" aria-labelledby="volontaires">
                    <h2 id="volontaires">{t!(i18n, p_volunteers)}</h2>
                    {(!p.volunteers.is_empty()).then(|| view! {
                    <div class="table-scroll">
                        <table class="data">
                            <caption>{t!(i18n, p_volunteers_caption)}</caption>
                            <thead><tr>
                                <th scope="col">{t!(i18n, p_last_name)}</th>
                                <th scope="col">{t!(i18n, p_first_name)}</th>
                                <th scope="col">{t!(i18n, p_mission)}</th>
                                <th scope="col">{t!(i18n, p_field)}</th>
                                <th scope="col">{t!(i18n, p_assigned_entity)}</th>
                            </tr></thead>
                            <tbody>
                                {p.volunteers.iter().cloned().map(|v| view! {
                                    <tr>
                                        <th scope="row">{v.last_name}</th>
                                        <td>{v.first_name}</td>
                                        <td>{v.mission}</td>
                                        <td>{v.field}</td>
                                        <td>{v.assigned_entity}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    })}
                    {p.volunteers.is_empty().then(|| view! { <p class="muted">{t!(i18n, p_none)}</p> })}
                    {edit(Section::Volunteers)}
                </section>
            }.into_any())}

            {view! {
            <section class="block" aria-labelledby="evaluation-communication">
                <h2 id="evaluation-communication">{t!(i18n, p_evaluation_title)}</h2>
                <dl class="facts wide">
                    <div><dt>{t!(i18n, p_communication_france)}</dt><dd>{yes_no(p.communication_france)}</dd></div>
                    <div><dt>{t!(i18n, p_communication_partners)}</dt><dd>{yes_no(p.communication_partners)}</dd></div>
                    <div><dt>{t!(i18n, p_evaluation)}</dt><dd>{yes_no(p.evaluation)}</dd></div>
                </dl>
                {edit(Section::Evaluation)}
            </section>
            }.into_any()}

            {synergies.filter(|groups| !groups.is_empty()).map(|groups| view! {
                <SynergiesPanel
                    groups
                    theme=p.theme.clone()
                    embassy_country=p.embassy.as_ref().map(|e| e.country.clone())/>
            })}

            {p.embassy.clone().map(|e| view! {
                <section class="block embassy" aria-labelledby="ambassade">
                    <h2 id="ambassade">{t!(i18n, p_embassy)}</h2>
                    <p><strong>{e.post}</strong></p>
                    <ul class="contact-cards">
                        {e.contacts.into_iter().map(|c| view! {
                            <li>
                                <span class="role">{role_label(c.role)}</span>
                                <span class="name">{c.name}</span>
                                {c.email.map(|address| view! { <Email concealed=address/> })}
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            }.into_any())}

            <footer class="record-footer">
                <p>
                    {t!(i18n, p_updated)} " "
                    <time datetime=updated.to_string()>{move || {
                        use chrono::Datelike;
                        long_date(updated, &month_name(i18n, updated.month()))
                    }}</time>
                    " · " <a href=history_href>{t!(i18n, p_history_link)}</a>
                    " · " <a href=json_href>{t!(i18n, p_json)}</a>
                </p>
            </footer>
        </article>
    }
}

fn names_or_none(i18n: leptos_i18n::I18nContext<Locale>, names: &[String]) -> AnyView {
    if names.is_empty() {
        t!(i18n, p_none).into_any()
    } else {
        names.join(", ").into_any()
    }
}
