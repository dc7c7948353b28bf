//! The reference lists' administration pages: the themes (`/administration/thematiques`) and
//! the forms of partnership (`/administration/formes`), each entry on its own page
//! (`…/{code}`), and the embassies with their contacts (`/administration/ambassades`,
//! `…/{country}`). Plain forms posted to the server, working without JavaScript; a refusal
//! comes back with what was typed and the errors next to their fields, and a change made by
//! someone else meanwhile is shown beside what was typed.

use crate::api::reference::{
    get_embassies, get_embassy, get_reference_entries, get_reference_entry,
};
use crate::components::labels::role_label;
use crate::components::title::page_title;
use crate::error::AppError;
use crate::i18n::*;
use crate::models::{
    EmbassiesPage, EmbassyContact, EmbassyEntry, EmbassyRole, FormEcho, ReferenceEntry,
    ReferenceList, ReferenceRevision,
};
use crate::pages::account::{Refused, SignInFirst};
use crate::pages::admin::field;
use crate::pages::my_account::errors_summary;
use crate::pages::not_found::{NotFound, ServiceError};
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Blank contact rows offered after the existing ones, to add people without JavaScript.
const BLANK_CONTACTS: usize = 2;

fn list_title(i18n: leptos_i18n::I18nContext<Locale>, list: ReferenceList) -> String {
    match list {
        ReferenceList::Themes => t_string!(i18n, ref_themes_title).to_string(),
        ReferenceList::Forms => t_string!(i18n, ref_forms_title).to_string(),
    }
}

/// What a list page shows when it cannot show the list.
fn refusal(err: AppError, forbidden: AnyView) -> AnyView {
    match err {
        AppError::Forbidden => view! { <Refused>{forbidden}</Refused> }.into_any(),
        AppError::NotFound => view! { <NotFound/> }.into_any(),
        _ => view! { <ServiceError/> }.into_any(),
    }
}

/// A notice from the query string (`?ajoute=1`, `?enregistre=1`, `?supprime=CODE`).
fn notice(name: &'static str, text: impl Fn() -> AnyView + Send + Sync + 'static) -> impl IntoView {
    let query = use_query_map();
    move || {
        query
            .read()
            .get(name)
            .map(|_| view! { <p class="notice" role="status">{text()}</p> })
    }
}

/// The message of a change made meanwhile, where the summary's link lands.
fn conflict(echo: &FormEcho) -> Option<impl IntoView> {
    let locale = use_i18n().get_locale_untracked();
    echo.error("version", locale).map(
        |message| view! { <p class="alert" id="version" tabindex="-1" role="alert">{message}</p> },
    )
}

/// Under a field, what is saved now when someone else changed it meanwhile and it differs
/// from what was typed.
fn saved_meanwhile(echo: &FormEcho, name: &str, saved: &str) -> Option<impl IntoView> {
    let i18n = use_i18n();
    let differs = echo.errors.iter().any(|e| e.field == "version") && echo.value(name) != saved;
    differs.then(|| {
        let saved = saved.to_string();
        view! { <p class="hint saved-meanwhile">{t!(i18n, ref_saved_meanwhile)} " " <q>{saved}</q></p> }
    })
}

#[component]
pub fn ReferenceListPage(list: ReferenceList) -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(
        || (),
        move |_| get_reference_entries(list.code().to_string()),
    );
    view! {
        {page_title(move || format!("{} — {}", list_title(i18n, list), t_string!(i18n, site_name)))}
        <Meta name="robots" content="noindex"/>
        <div class="container">
            <h1>{move || list_title(i18n, list)}</h1>
            <p>{t!(i18n, ref_intro)}</p>
            {notice("supprime", move || t!(i18n, ref_deleted).into_any())}
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || data.get().map(|result| match result {
                    Ok(Some((entries, echo))) => view! {
                        <EntriesTable list entries=entries.clone()/>
                        <AddEntry list entries echo/>
                    }.into_any(),
                    Ok(None) => view! { <SignInFirst/> }.into_any(),
                    Err(err) => refusal(err, t!(i18n, ref_forbidden).into_any()),
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn EntriesTable(list: ReferenceList, entries: Vec<ReferenceEntry>) -> impl IntoView {
    let i18n = use_i18n();
    let count = entries.len();
    let rows = entries
        .into_iter()
        .map(|e| {
            view! {
                <tr>
                    <th scope="row" class=format!("level-{}", e.level)>
                        <a href=format!("{}/{}", list.path(), e.code)>{e.code.clone()}</a>
                    </th>
                    <td>{e.label_fr.clone()}</td>
                    <td lang="en">{e.label_en.clone()}</td>
                    <td class="num">{e.position}</td>
                    <td class="num">{e.used}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p role="status">{count} " " {t!(i18n, ref_count)}</p>
        <table class="data">
            <caption class="visually-hidden">{move || list_title(i18n, list)}</caption>
            <thead><tr>
                <th scope="col">{t!(i18n, ref_code)}</th>
                <th scope="col">{t!(i18n, ref_label_fr)}</th>
                <th scope="col">{t!(i18n, ref_label_en)}</th>
                <th scope="col">{t!(i18n, ref_position)}</th>
                <th scope="col">{t!(i18n, ref_used)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}

/// A text input for a field of an echoed form.
fn text_input(name: &'static str, value: String) -> impl Fn(Option<String>) -> AnyView {
    move |described| {
        view! { <input type="text" id=name name=name value=value.clone() aria-describedby=described/> }
            .into_any()
    }
}

#[component]
fn AddEntry(list: ReferenceList, entries: Vec<ReferenceEntry>, echo: FormEcho) -> impl IntoView {
    let i18n = use_i18n();
    let summary = errors_summary(&echo);
    let parent = echo.value("parent");
    let parents = entries
        .into_iter()
        .filter(|e| e.level < 3)
        .map(|e| {
            let label = format!(
                "{}{} — {}",
                "· ".repeat(e.level as usize - 1),
                e.code,
                e.label_fr
            );
            let selected = parent == e.code;
            view! { <option value=e.code selected=selected>{label}</option> }
        })
        .collect_view();
    let parent_field = (list == ReferenceList::Themes).then(|| {
        field(
            &echo,
            "parent",
            t!(i18n, ref_parent).into_any(),
            None,
            move |described| {
                let parents = parents.clone();
                view! {
                    <select id="parent" name="parent" aria-describedby=described>
                        <option value="">{t!(i18n, ref_parent_none)}</option>
                        {parents}
                    </select>
                }
                .into_any()
            },
        )
    });
    let code_hint = (list == ReferenceList::Themes).then(|| t!(i18n, ref_code_hint).into_any());
    view! {
        <section aria-labelledby="ajouter">
            <h2 id="ajouter" tabindex="-1">{t!(i18n, ref_add_title)}</h2>
            {summary}
            <form method="post" action=list.path() class="stacked-form">
                {parent_field}
                {field(&echo, "code", t!(i18n, ref_code).into_any(), code_hint, text_input("code", echo.value("code")))}
                {field(&echo, "label_fr", t!(i18n, ref_label_fr).into_any(), None, text_input("label_fr", echo.value("label_fr")))}
                {field(&echo, "label_en", t!(i18n, ref_label_en).into_any(), None, text_input("label_en", echo.value("label_en")))}
                {field(&echo, "position", t!(i18n, ref_position).into_any(), Some(t!(i18n, ref_position_hint).into_any()), text_input("position", echo.value("position")))}
                <button type="submit" class="button">{t!(i18n, ref_add)}</button>
            </form>
        </section>
    }
    .into_any()
}

#[component]
pub fn ReferenceEntryPage(list: ReferenceList) -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let data = Resource::new(code, move |code| {
        get_reference_entry(list.code().to_string(), code)
    });
    view! {
        {page_title(move || format!("{} {} — {}", list_title(i18n, list), code(), t_string!(i18n, site_name)))}
        <Meta name="robots" content="noindex"/>
        <div class="container narrow">
            <p><a href=list.path()>{t!(i18n, ref_back)}</a></p>
            {notice("ajoute", move || t!(i18n, ref_added).into_any())}
            {notice("enregistre", move || t!(i18n, ref_saved).into_any())}
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || data.get().map(|result| match result {
                    Ok(Some((entry, echo, history))) => view! {
                        <EntryForm list entry echo/>
                        <History history/>
                    }.into_any(),
                    Ok(None) => view! { <SignInFirst/> }.into_any(),
                    Err(err) => refusal(err, t!(i18n, ref_forbidden).into_any()),
                })}
            </Suspense>
        </div>
    }
}

/// What was written to an entry, newest first.
#[component]
fn History(history: Vec<ReferenceRevision>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = history
        .into_iter()
        .map(|r| {
            let action = match r.action.as_str() {
                "created" => t!(i18n, ref_history_created).into_any(),
                "deleted" => t!(i18n, ref_history_deleted).into_any(),
                _ => t!(i18n, ref_history_updated).into_any(),
            };
            let at = r.at.format("%Y-%m-%d %H:%M UTC").to_string();
            let author = match r.author {
                Some(email) => email.into_any(),
                None => t!(i18n, ref_history_system).into_any(),
            };
            let (fr, en) = (r.label_fr, r.label_en);
            view! {
                <tr>
                    <td>{r.version}</td>
                    <td><time datetime=r.at.to_rfc3339()>{at}</time></td>
                    <td>{author}</td>
                    <td>{action}</td>
                    <td lang="fr">{fr}</td>
                    <td lang="en">{en}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="historique">
            <h2 id="historique">{t!(i18n, ref_history_title)}</h2>
            <table class="data">
                <caption class="visually-hidden">{t!(i18n, ref_history_title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, ref_history_version)}</th>
                        <th scope="col">{t!(i18n, ref_history_at)}</th>
                        <th scope="col">{t!(i18n, ref_history_author)}</th>
                        <th scope="col">{t!(i18n, ref_history_action)}</th>
                        <th scope="col">{t!(i18n, ref_label_fr)}</th>
                        <th scope="col">{t!(i18n, ref_label_en)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

#[component]
fn EntryForm(list: ReferenceList, entry: ReferenceEntry, echo: FormEcho) -> impl IntoView {
    let i18n = use_i18n();
    let typed = !echo.values.is_empty();
    let value = |name: &str, saved: String| if typed { echo.value(name) } else { saved };
    let label_fr = value("label_fr", entry.label_fr.clone());
    let label_en = value("label_en", entry.label_en.clone());
    let position = value("position", entry.position.to_string());
    let action = format!("{}/{}", list.path(), entry.code);
    let deletable = entry.used == 0 && entry.children == 0;
    let meanwhile = |name: &str, saved: &str| saved_meanwhile(&echo, name, saved);
    let (fr_saved, en_saved, position_saved) = (
        meanwhile("label_fr", &entry.label_fr),
        meanwhile("label_en", &entry.label_en),
        meanwhile("position", &entry.position.to_string()),
    );
    view! {
        <h1>{move || list_title(i18n, list)} " " <code>{entry.code.clone()}</code></h1>
        <dl class="facts">
            {entry.parent.clone().map(|p| view! {
                <div><dt>{t!(i18n, ref_parent)}</dt><dd><a href=format!("{}/{p}", list.path())>{p.clone()}</a></dd></div>
            })}
            {(list == ReferenceList::Themes).then(|| view! {
                <div><dt>{t!(i18n, ref_level)}</dt><dd>{entry.level}</dd></div>
                <div><dt>{t!(i18n, ref_children)}</dt><dd>{entry.children}</dd></div>
            })}
            <div><dt>{t!(i18n, ref_used)}</dt><dd>{entry.used}</dd></div>
        </dl>
        {errors_summary(&echo)}
        {conflict(&echo)}
        <form method="post" action=action.clone() class="stacked-form">
            <input type="hidden" name="action" value="save"/>
            <input type="hidden" name="version" value=entry.version/>
            {field(&echo, "label_fr", t!(i18n, ref_label_fr).into_any(), None, text_input("label_fr", label_fr))}
            {fr_saved}
            {field(&echo, "label_en", t!(i18n, ref_label_en).into_any(), None, text_input("label_en", label_en))}
            {en_saved}
            {field(&echo, "position", t!(i18n, ref_position).into_any(), Some(t!(i18n, ref_position_hint).into_any()), text_input("position", position))}
            {position_saved}
            <button type="submit" class="button">{t!(i18n, ref_save)}</button>
        </form>
        <section aria-labelledby="supprimer">
            <h2 id="supprimer">{t!(i18n, ref_delete_title)}</h2>
            {if deletable {
                view! {
                    <p class="hint">{t!(i18n, ref_delete_hint)}</p>
                    <form method="post" action=action>
                        <input type="hidden" name="action" value="delete"/>
                        <input type="hidden" name="version" value=entry.version/>
                        <button type="submit" class="button danger">{t!(i18n, ref_delete)}</button>
                    </form>
                }.into_any()
            } else {
                view! { <p>{t!(i18n, ref_cannot_delete)}</p> }.into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
pub fn EmbassiesAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| get_embassies());
    view! {
        {page_title(move || format!("{} — {}", t_string!(i18n, ref_embassies_title), t_string!(i18n, site_name)))}
        <Meta name="robots" content="noindex"/>
        <div class="container">
            <h1>{t!(i18n, ref_embassies_title)}</h1>
            <p>{t!(i18n, ref_intro)}</p>
            {notice("supprime", move || t!(i18n, ref_deleted).into_any())}
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || data.get().map(|result| match result {
                    Ok(Some(page)) => view! { <EmbassiesList page/> }.into_any(),
                    Ok(None) => view! { <SignInFirst/> }.into_any(),
                    Err(err) => refusal(err, t!(i18n, ref_embassies_forbidden).into_any()),
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn EmbassiesList(page: EmbassiesPage) -> impl IntoView {
    let i18n = use_i18n();
    let EmbassiesPage {
        embassies,
        countries,
        echo,
    } = page;
    let rows = embassies
        .iter()
        .map(|e| {
            view! {
                <tr>
                    <th scope="row"><a href=format!("/administration/ambassades/{}", e.country)>{e.country_name.clone()}</a></th>
                    <td>{e.name.clone()}</td>
                    <td class="num">{e.contacts.len()}</td>
                </tr>
            }
        })
        .collect_view();
    let table = if embassies.is_empty() {
        view! { <p>{t!(i18n, ref_embassies_none)}</p> }.into_any()
    } else {
        view! {
            <p role="status">{embassies.len()} " " {t!(i18n, ref_count)}</p>
            <table class="data">
                <caption class="visually-hidden">{t!(i18n, ref_embassies_title)}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, ref_country_name)}</th>
                    <th scope="col">{t!(i18n, ref_post_name)}</th>
                    <th scope="col">{t!(i18n, ref_contacts)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };
    let add = (!countries.is_empty()).then(|| {
        let chosen = echo.value("country");
        let options = countries
            .into_iter()
            .map(|c| {
                let selected = c.code == chosen;
                view! { <option value=c.code selected=selected>{c.label_fr}</option> }
            })
            .collect_view();
        view! {
            <section aria-labelledby="ajouter">
                <h2 id="ajouter" tabindex="-1">{t!(i18n, ref_add_title)}</h2>
                <p class="hint">{t!(i18n, ref_embassy_add_hint)}</p>
                {errors_summary(&echo)}
                <form method="post" action="/administration/ambassades" class="stacked-form">
                    {field(&echo, "country", t!(i18n, ref_country_name).into_any(), None, move |described| {
                        let options = options.clone();
                        view! {
                            <select id="country" name="country" aria-describedby=described>
                                <option value="">"—"</option>
                                {options}
                            </select>
                        }.into_any()
                    })}
                    {field(&echo, "name", t!(i18n, ref_post_name).into_any(), None, text_input("name", echo.value("name")))}
                    <button type="submit" class="button">{t!(i18n, ref_add)}</button>
                </form>
            </section>
        }
    });
    view! { {table} {add} }.into_any()
}

#[component]
pub fn EmbassyAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let country = move || params.read().get("country").unwrap_or_default();
    let data = Resource::new(country, get_embassy);
    view! {
        {page_title(move || format!("{} {} — {}", t_string!(i18n, ref_embassy_title), country(), t_string!(i18n, site_name)))}
        <Meta name="robots" content="noindex"/>
        <div class="container narrow">
            <p><a href="/administration/ambassades">{t!(i18n, ref_back)}</a></p>
            {notice("ajoute", move || t!(i18n, ref_added).into_any())}
            {notice("enregistre", move || t!(i18n, ref_saved).into_any())}
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || data.get().map(|result| match result {
                    Ok(Some((embassy, echo))) => view! { <EmbassyForm embassy echo/> }.into_any(),
                    Ok(None) => view! { <SignInFirst/> }.into_any(),
                    Err(err) => refusal(err, t!(i18n, ref_embassies_forbidden).into_any()),
                })}
            </Suspense>
        </div>
    }
}

/// The contact rows as typed, each where it was (when the form came back: the errors name
/// rows by their place), or as saved followed by blank ones. Each says whether it is a saved
/// contact and whether it was marked for removal.
fn contact_rows(embassy: &EmbassyEntry, echo: &FormEcho) -> Vec<(EmbassyContact, bool, bool)> {
    if echo.values.is_empty() {
        let blank = EmbassyContact {
            role: EmbassyRole::DecentralisedCooperationCorrespondent,
            name: String::new(),
            email: None,
        };
        return embassy
            .contacts
            .iter()
            .map(|c| (c.clone(), true, false))
            .chain(std::iter::repeat_n((blank, false, false), BLANK_CONTACTS))
            .collect();
    }
    (0..)
        .map_while(|i| {
            let key = |name: &str| format!("contacts[{i}].{name}");
            let prefix = format!("contacts[{i}].");
            echo.values
                .iter()
                .any(|(k, _)| k.starts_with(&prefix))
                .then(|| {
                    let contact = EmbassyContact {
                        role: EmbassyRole::from_code(&echo.value(&key("role")))
                            .unwrap_or(EmbassyRole::Other),
                        name: echo.value(&key("name")),
                        email: Some(echo.value(&key("email"))).filter(|e| !e.is_empty()),
                    };
                    let known = !echo.value(&key("known")).is_empty();
                    let removed = !echo.value(&key("remove")).is_empty();
                    (contact, known, removed)
                })
        })
        .collect()
}

#[component]
fn EmbassyForm(embassy: EmbassyEntry, echo: FormEcho) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let typed = !echo.values.is_empty();
    let name = if typed {
        echo.value("name")
    } else {
        embassy.name.clone()
    };
    let action = format!("/administration/ambassades/{}", embassy.country);
    let name_saved = saved_meanwhile(&echo, "name", &embassy.name);
    let rows = contact_rows(&embassy, &echo)
        .into_iter()
        .enumerate()
        .map(|(i, (contact, known, removed))| {
            let id = |name: &str| format!("contacts-{i}-{name}");
            let key = |name: &str| format!("contacts[{i}].{name}");
            let error = |name: &str| echo.error(&key(name), locale);
            let (role_error, name_error, email_error) = (error("role"), error("name"), error("email"));
            let described = |name: &str, err: &Option<String>| err.as_ref().map(|_| format!("{}-erreur", id(name)));
            let roles = EmbassyRole::ALL
                .iter()
                .map(|r| view! { <option value=r.code() selected=*r == contact.role>{role_label(*r)}</option> })
                .collect_view();
            view! {
                <fieldset class="row">
                    <legend>{t!(i18n, ref_contact)} " " {i + 1}</legend>
                    {known.then(|| view! { <input type="hidden" name=key("known") value="1"/> })}
                    <div class="field" class:has-error=role_error.is_some()>
                        <label for=id("role")>{t!(i18n, ref_contact_role)}</label>
                        {role_error.clone().map(|m| view! { <p class="field-error" id=format!("{}-erreur", id("role"))>{m}</p> })}
                        <select id=id("role") name=key("role") aria-describedby=described("role", &role_error)>{roles}</select>
                    </div>
                    <div class="field" class:has-error=name_error.is_some()>
                        <label for=id("name")>{t!(i18n, ref_contact_name)}</label>
                        {name_error.clone().map(|m| view! { <p class="field-error" id=format!("{}-erreur", id("name"))>{m}</p> })}
                        <input type="text" id=id("name") name=key("name") value=contact.name.clone() aria-describedby=described("name", &name_error)/>
                    </div>
                    <div class="field" class:has-error=email_error.is_some()>
                        <label for=id("email")>{t!(i18n, ref_contact_email)}</label>
                        {email_error.clone().map(|m| view! { <p class="field-error" id=format!("{}-erreur", id("email"))>{m}</p> })}
                        <input type="email" id=id("email") name=key("email") value=contact.email.clone().unwrap_or_default() autocomplete="off" aria-describedby=described("email", &email_error)/>
                    </div>
                    {known.then(|| view! {
                        <div class="field checkbox">
                            <input type="checkbox" id=id("remove") name=key("remove") value="1" checked=removed/>
                            <label for=id("remove")>{t!(i18n, ref_contact_remove)}</label>
                        </div>
                    })}
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <h1>{t!(i18n, ref_embassy_title)} " — " {embassy.country_name.clone()}</h1>
        {errors_summary(&echo)}
        {conflict(&echo)}
        <form method="post" action=action.clone() class="stacked-form" novalidate>
            <input type="hidden" name="action" value="save"/>
            <input type="hidden" name="version" value=embassy.version/>
            {field(&echo, "name", t!(i18n, ref_post_name).into_any(), None, text_input("name", name))}
            {name_saved}
            <fieldset id="contacts" tabindex="-1">
                <legend>{t!(i18n, ref_contacts)}</legend>
                <p class="hint">{t!(i18n, ref_contacts_hint)}</p>
                {rows}
            </fieldset>
            <button type="submit" class="button">{t!(i18n, ref_save)}</button>
        </form>
        <section aria-labelledby="supprimer">
            <h2 id="supprimer">{t!(i18n, ref_delete_title)}</h2>
            <p class="hint">{t!(i18n, ref_delete_hint)}</p>
            <form method="post" action=action>
                <input type="hidden" name="action" value="delete"/>
                <input type="hidden" name="version" value=embassy.version/>
                <button type="submit" class="button danger">{t!(i18n, ref_delete)}</button>
            </form>
        </section>
    }
    .into_any()
}
