//! The administrators' pages: the accounts (`/administration/comptes`), found by email,
//! function, role and state, and one account's form (`/administration/comptes/{id}`): role,
//! state, function, authorities, countries. The form posts to the server and works without
//! JavaScript; a refusal comes back with what was typed and the errors next to their fields.

use crate::api::account::{get_admin_account, get_admin_accounts};
use crate::components::field::labelled;
use crate::components::title::page_title;
use crate::error::AppError;
use crate::i18n::*;
use crate::models::{AccountFilter, AccountRequest, FormEcho, Role};
use crate::pages::account::{Refused, SignInFirst};
use crate::pages::my_account::errors_summary;
use crate::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

fn role_label(role: Role) -> AnyView {
    let i18n = use_i18n();
    match role {
        Role::Admin => t!(i18n, role_admin).into_any(),
        Role::Moderator => t!(i18n, role_moderator).into_any(),
        Role::Staff => t!(i18n, role_staff).into_any(),
    }
}

fn state_label(state: &str) -> AnyView {
    let i18n = use_i18n();
    match state {
        "active" => t!(i18n, admin_state_active).into_any(),
        "disabled" => t!(i18n, admin_state_disabled).into_any(),
        "requested" => t!(i18n, admin_state_requested).into_any(),
        "unconfirmed" => t!(i18n, admin_state_unconfirmed).into_any(),
        "refused" => t!(i18n, admin_state_refused).into_any(),
        other => other.to_string().into_any(),
    }
}

/// What only an administrator may see.
pub(crate) fn forbidden() -> impl IntoView {
    let i18n = use_i18n();
    view! { <Refused>{t!(i18n, admin_forbidden)}</Refused> }
}

#[component]
pub fn AdminAccountsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        let get = |name: &str| q.get(name).filter(|v| !v.is_empty());
        AccountFilter {
            q: get("q"),
            role: get("role"),
            state: get("state"),
        }
    };
    let data = Resource::new(filter, |f| get_admin_accounts(f.q, f.role, f.state));
    let selected = move |name: &'static str, value: &'static str| {
        move || query.read().get(name).as_deref() == Some(value)
    };
    view! {
        {page_title(move || format!("{} — {}", t_string!(i18n, admin_accounts_title), t_string!(i18n, site_name)))}
        <Meta name="robots" content="noindex"/>
        <div class="container">
            <h1>{t!(i18n, admin_accounts_title)}</h1>
            <form method="get" action="/administration/comptes" class="filter-row" role="search">
                <div class="field">
                    <label for="q">{t!(i18n, admin_accounts_q)}</label>
                    <input type="search" id="q" name="q" prop:value=move || query.read().get("q").unwrap_or_default()/>
                </div>
                <div class="field">
                    <label for="role">{t!(i18n, account_role)}</label>
                    <select id="role" name="role">
                        <option value="">{t!(i18n, admin_any)}</option>
                        <option value="admin" selected=selected("role", "admin")>{t!(i18n, role_admin)}</option>
                        <option value="moderator" selected=selected("role", "moderator")>{t!(i18n, role_moderator)}</option>
                        <option value="staff" selected=selected("role", "staff")>{t!(i18n, role_staff)}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="state">{t!(i18n, admin_state)}</label>
                    <select id="state" name="state">
                        <option value="">{t!(i18n, admin_any)}</option>
                        <option value="active" selected=selected("state", "active")>{t!(i18n, admin_state_active)}</option>
                        <option value="disabled" selected=selected("state", "disabled")>{t!(i18n, admin_state_disabled)}</option>
                        <option value="requested" selected=selected("state", "requested")>{t!(i18n, admin_state_requested)}</option>
                        <option value="unconfirmed" selected=selected("state", "unconfirmed")>{t!(i18n, admin_state_unconfirmed)}</option>
                        <option value="refused" selected=selected("state", "refused")>{t!(i18n, admin_state_refused)}</option>
                    </select>
                </div>
                <button type="submit" class="button">{t!(i18n, admin_accounts_find)}</button>
            </form>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || data.get().map(|result| match result {
                    Ok(Some(rows)) if rows.is_empty() => view! { <p>{t!(i18n, admin_accounts_none)}</p> }.into_any(),
                    Ok(Some(rows)) => view! { <AccountsTable rows/> }.into_any(),
                    Ok(None) => view! { <SignInFirst/> }.into_any(),
                    Err(AppError::Forbidden) => forbidden().into_any(),
                    Err(e) => crate::pages::not_found::service_error(e),
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn AccountsTable(rows: Vec<AccountRequest>) -> impl IntoView {
    let i18n = use_i18n();
    let count = rows.len();
    let rows = rows
        .into_iter()
        .map(|r| {
            view! {
                <tr>
                    <th scope="row"><a href=format!("/administration/comptes/{}", r.id)>{r.email.clone()}</a></th>
                    <td>{role_label(r.role)}</td>
                    <td>{state_label(&r.state)}</td>
                    <td>{r.function.clone().unwrap_or_default()}</td>
                    <td>{r.authorities.join(", ")}{(!r.countries.is_empty()).then(|| r.countries.join(", "))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p role="status">{count} " " {t!(i18n, admin_accounts_count)}</p>
        <table class="data">
            <caption class="visually-hidden">{t!(i18n, admin_accounts_title)}</caption>
            <thead><tr>
                <th scope="col">{t!(i18n, signin_email)}</th>
                <th scope="col">{t!(i18n, account_role)}</th>
                <th scope="col">{t!(i18n, admin_state)}</th>
                <th scope="col">{t!(i18n, request_function)}</th>
                <th scope="col">{t!(i18n, admin_scope)}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// The messages of a field and of its rows (`authorities` and `authorities[2]`).
fn errors_of(echo: &FormEcho, field: &str) -> Vec<String> {
    echo.errors
        .iter()
        .filter(|e| e.field == field || e.field.starts_with(&format!("{field}[")))
        .map(|e| e.text(use_i18n().get_locale_untracked()))
        .collect()
}

/// A labelled control with the errors a refused post came back with.
pub(crate) fn field(
    echo: &FormEcho,
    name: &'static str,
    label: AnyView,
    hint: Option<AnyView>,
    control: impl Fn(Option<String>) -> AnyView,
) -> AnyView {
    let errors = errors_of(echo, name);
    let error = (!errors.is_empty()).then(|| errors.join(" ; "));
    labelled(
        name,
        label,
        hint,
        Signal::stored(error),
        move |described, _| control(described.get_untracked()),
    )
}

#[component]
pub fn AdminAccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i32>().ok());
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => get_admin_account(id).await,
            None => Err(AppError::NotFound),
        }
    });
    view! {
        {page_title(move || format!("{} — {}", t_string!(i18n, admin_account_title), t_string!(i18n, site_name)))}
        <Meta name="robots" content="noindex"/>
        <div class="container narrow">
            <p><a href="/administration/comptes">{t!(i18n, admin_accounts_back)}</a></p>
            {move || query.read().get("enregistre").map(|_| view! {
                <p class="notice" role="status">{t!(i18n, admin_account_saved)}</p>
            })}
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || data.get().map(|result| match result {
                    Ok(Some((account, echo))) => view! { <AccountForm account echo/> }.into_any(),
                    Ok(None) => view! { <SignInFirst/> }.into_any(),
                    Err(AppError::Forbidden) => forbidden().into_any(),
                    Err(AppError::NotFound) => view! { <NotFound/> }.into_any(),
                    Err(e) => crate::pages::not_found::service_error(e),
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn AccountForm(account: AccountRequest, echo: FormEcho) -> impl IntoView {
    let i18n = use_i18n();
    let typed = !echo.values.is_empty();
    let value = |name: &str, saved: String| if typed { echo.value(name) } else { saved };
    let role = value("role", account.role.code().to_string());
    let state = value("state", account.state.clone());
    let function = value("function", account.function.clone().unwrap_or_default());
    let authorities = value("authorities", account.authority_codes.join("\n"));
    let countries = value("countries", account.countries.join(" "));
    let summary = errors_summary(&echo);
    let option = move |current: &str, code: &'static str, label: AnyView| {
        view! { <option value=code selected=current == code>{label}</option> }
    };
    let role_control = {
        let role = role.clone();
        move |described: Option<String>| {
            view! {
                <select id="role" name="role" aria-describedby=described>
                    {option(&role, "staff", t!(i18n, role_staff).into_any())}
                    {option(&role, "moderator", t!(i18n, role_moderator).into_any())}
                    {option(&role, "admin", t!(i18n, role_admin).into_any())}
                </select>
            }
            .into_any()
        }
    };
    let state_control = {
        let state = state.clone();
        move |described: Option<String>| {
            view! {
                <select id="state" name="state" aria-describedby=described>
                    {option(&state, "active", t!(i18n, admin_state_active).into_any())}
                    {option(&state, "disabled", t!(i18n, admin_state_disabled).into_any())}
                </select>
            }
            .into_any()
        }
    };
    view! {
        <h1>{t!(i18n, admin_account_title)} " " {account.email.clone()}</h1>
        <dl class="facts">
            <dt>{t!(i18n, admin_state)}</dt><dd>{state_label(&account.state)}</dd>
            <dt>{t!(i18n, admin_scope)}</dt><dd>{account.authorities.join(", ")}{account.countries.join(", ")}</dd>
        </dl>
        {summary}
        <form method="post" action=format!("/administration/comptes/{}", account.id) class="stacked-form">
            {field(&echo, "role", t!(i18n, account_role).into_any(), None, role_control)}
            {field(&echo, "state", t!(i18n, admin_state).into_any(), Some(t!(i18n, admin_state_hint).into_any()), state_control)}
            {field(&echo, "function", t!(i18n, request_function).into_any(), None, move |described| view! {
                <input type="text" id="function" name="function" value=function.clone() aria-describedby=described/>
            }.into_any())}
            {field(&echo, "authorities", t!(i18n, admin_authorities).into_any(), Some(t!(i18n, admin_authorities_hint).into_any()), move |described| view! {
                <textarea id="authorities" name="authorities" rows="4" aria-describedby=described>{authorities.clone()}</textarea>
            }.into_any())}
            {field(&echo, "countries", t!(i18n, admin_countries).into_any(), Some(t!(i18n, admin_countries_hint).into_any()), move |described| view! {
                <input type="text" id="countries" name="countries" value=countries.clone() aria-describedby=described/>
            }.into_any())}
            <button type="submit" class="button">{t!(i18n, admin_account_save)}</button>
        </form>
    }
}
