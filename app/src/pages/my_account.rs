//! Accounts: asking for one (`/compte/demande`), a forgotten password
//! (`/compte/mot-de-passe-oublie`, `/compte/nouveau-mot-de-passe`), "my account" (`/compte`)
//! and the moderators' list of requests (`/moderation/comptes`). Every form posts to the
//! server and works without JavaScript; a refusal comes back with what was typed (never a
//! password) and the error next to its field.

use crate::api::account::{get_account_form, get_account_requests, get_api_tokens, get_me};
use crate::components::field::labelled;
use crate::components::labels::month_name;
use crate::components::picker::AuthorityField;
use crate::components::title::page_title;
use crate::error::AppError;
use crate::format::long_date;
use crate::i18n::*;
use crate::models::{ApiToken, ApiTokens, Choice, FormEcho, Role};
use crate::pages::account::{Refused, SignInFirst, SignOut};
use chrono::Datelike;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_query_map;

/// A labelled input with the error a refused post came back with.
fn input(
    echo: &FormEcho,
    name: &'static str,
    kind: &'static str,
    label: impl IntoView + 'static,
    autocomplete: &'static str,
) -> impl IntoView {
    let error = echo.error(name, use_i18n().get_locale_untracked());
    let value = (kind != "password").then(|| echo.value(name));
    labelled(
        name,
        label,
        None,
        Signal::stored(error),
        move |described, invalid| {
            view! {
                <input type=kind id=name name=name value=value autocomplete=autocomplete
                    aria-invalid=move || invalid.get().then_some("true")
                    aria-describedby=described/>
            }
            .into_any()
        },
    )
}

/// The refused fields at the top of a form, each linking to its field (a row's error to its
/// group's field: `authorities[1]` to `#authorities`).
pub(crate) fn errors_summary(echo: &FormEcho) -> Option<impl IntoView> {
    let i18n = use_i18n();
    (!echo.errors.is_empty()).then(|| {
        let items = echo
            .errors
            .iter()
            .map(|e| {
                let anchor = e.field.split('[').next().unwrap_or_default();
                view! { <li><a href=format!("#{anchor}")>{e.text(i18n.get_locale_untracked())}</a></li> }
            })
            .collect_view();
        view! {
            <div class="alert error-summary" role="alert" tabindex="-1">
                <h2>{t!(i18n, decl_errors_title)}</h2>
                <ul>{items}</ul>
            </div>
        }
    })
}

#[component]
pub fn RequestAccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let data = Resource::new(|| (), |_| get_account_form());
    let flag = move |name: &str| query.read().get(name).is_some();
    view! {
        {page_title(move || format!("{} — {}", t_string!(i18n, request_title), t_string!(i18n, site_name)))}
        <div class="container narrow">
            <h1>{t!(i18n, request_title)}</h1>
            {move || if flag("envoyee") {
                view! { <p class="notice" role="status">{t!(i18n, request_sent)}</p> }.into_any()
            } else if flag("confirmee") {
                view! { <p class="notice" role="status">{t!(i18n, request_confirmed)}</p> }.into_any()
            } else if flag("lien") {
                view! { <p class="alert" role="alert">{t!(i18n, link_expired)}</p> }.into_any()
            } else {
                ().into_any()
            }}
            <p>{t!(i18n, request_intro)}</p>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || data.get().map(|result| match result {
                    Ok((echo, countries)) => view! { <RequestForm echo countries/> }.into_any(),
                    Err(e) => crate::pages::not_found::service_error(e),
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn RequestForm(echo: FormEcho, countries: Vec<Choice>) -> impl IntoView {
    let i18n = use_i18n();
    let kind = echo.value("kind");
    let radio = |value: &'static str, label: AnyView| {
        let checked = kind == value;
        let id = format!("kind-{value}");
        view! {
            <div class="check">
                <input type="radio" name="kind" id=id.clone() value=value checked=checked/>
                <label for=id>{label}</label>
            </div>
        }
    };
    let chosen = echo.value("country");
    let options = countries
        .into_iter()
        .map(|c| {
            let selected = c.code == chosen;
            let (fr, en) = (c.label_fr, c.label_en);
            let label = move || match i18n.get_locale() {
                Locale::fr => fr.clone(),
                Locale::en => en.clone(),
            };
            view! { <option value=c.code selected=selected>{label}</option> }
        })
        .collect_view();
    let kind_error = echo.error("kind", i18n.get_locale_untracked());
    let country_error = echo.error("country", i18n.get_locale_untracked());
    let country_invalid = country_error.is_some();
    let authority_invalid = echo
        .error("authority", i18n.get_locale_untracked())
        .is_some();
    view! {
        {errors_summary(&echo)}
        <form method="post" action="/compte/demande" class="stacked-form" novalidate>
            <fieldset class="group" id="kind">
                <legend>{t!(i18n, request_kind)}</legend>
                {kind_error.map(|m| view! { <p class="field-error">{m}</p> })}
                {radio("staff", t!(i18n, request_kind_staff).into_any())}
                {radio("embassy", t!(i18n, request_kind_embassy).into_any())}
                {radio("ministry", t!(i18n, request_kind_ministry).into_any())}
            </fieldset>
            {input(&echo, "email", "email", t!(i18n, signin_email), "email")}
            <div class="field" class:has-error=authority_invalid>
                <label for="authority">{t!(i18n, request_authority)}</label>
                <p class="hint" id="authority-aide">{t!(i18n, request_authority_hint)}</p>
                {echo.error("authority", i18n.get_locale_untracked()).map(|m| view! { <p class="field-error" id="authority-erreur">{m}</p> })}
                <AuthorityField name="authority".to_string() value=echo.value("authority")
                    described=Some(if authority_invalid { "authority-aide authority-erreur" } else { "authority-aide" }.to_string())
                    invalid=authority_invalid/>
            </div>
            <div class="field" class:has-error=country_invalid>
                <label for="country">{t!(i18n, request_country)}</label>
                {country_error.map(|m| view! { <p class="field-error">{m}</p> })}
                <select id="country" name="country">
                    <option value="">{t!(i18n, decl_choose)}</option>
                    {options}
                </select>
            </div>
            {input(&echo, "function", "text", t!(i18n, request_function), "organization-title")}
            {input(&echo, "password", "password", t!(i18n, request_password), "new-password")}
            <button type="submit" class="button">{t!(i18n, request_submit)}</button>
        </form>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    view! {
        {page_title(move || format!("{} — {}", t_string!(i18n, forgot_title), t_string!(i18n, site_name)))}
        <div class="container narrow">
            <h1>{t!(i18n, forgot_title)}</h1>
            {move || query.read().get("envoye").map(|_| view! {
                <p class="notice" role="status">{t!(i18n, forgot_sent)}</p>
            })}
            {move || query.read().get("erreur").map(|_| view! {
                <p class="alert" role="alert">{t!(i18n, signin_error_throttled)}</p>
            })}
            <p>{t!(i18n, forgot_intro)}</p>
            <form method="post" action="/compte/mot-de-passe-oublie" class="stacked-form">
                <div class="field">
                    <label for="email">{t!(i18n, signin_email)}</label>
                    <input type="email" id="email" name="email" autocomplete="email" required/>
                </div>
                <button type="submit" class="button">{t!(i18n, forgot_submit)}</button>
            </form>
        </div>
    }
}

#[component]
pub fn NewPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let token = move || query.read().get("jeton").unwrap_or_default();
    let data = Resource::new(|| (), |_| get_account_form());
    view! {
        {page_title(move || format!("{} — {}", t_string!(i18n, new_password_title), t_string!(i18n, site_name)))}
        <Meta name="robots" content="noindex"/>
        <div class="container narrow">
            <h1>{t!(i18n, new_password_title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || data.get().map(|result| {
                    let echo = result.map(|(echo, _)| echo).unwrap_or_default();
                    view! {
                        {errors_summary(&echo)}
                        <form method="post" action="/compte/nouveau-mot-de-passe" class="stacked-form">
                            <input type="hidden" name="jeton" value=token/>
                            {input(&echo, "password", "password", t!(i18n, request_password), "new-password")}
                            <button type="submit" class="button">{t!(i18n, new_password_submit)}</button>
                        </form>
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
pub fn MyAccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let data = Resource::new(
        || (),
        // Every read here, outside the Suspense: what is read once (the typed values, the new
        // token) must not be read again by a second rendering pass.
        |_| async {
            (
                get_me().await,
                get_account_form().await,
                get_api_tokens().await,
            )
        },
    );
    view! {
        {page_title(move || format!("{} — {}", t_string!(i18n, account_title), t_string!(i18n, site_name)))}
        <Meta name="robots" content="noindex"/>
        <div class="container narrow">
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || data.get().map(|(me, form, tokens)| match me {
                    Ok(Some(me)) => {
                        let echo = form.map(|(echo, _)| echo).unwrap_or_default();
                        let authorities = me.authorities.iter().map(|a| view! {
                            <li><a href=format!("/collectivites/{}", a.code)>{a.name.clone()}</a></li>
                        }).collect_view();
                        view! {
                            <div class="workspace-head">
                                <h1>{t!(i18n, account_title)}</h1>
                                <SignOut/>
                            </div>
                            {move || query.read().get("modifie").map(|_| view! {
                                <p class="notice" role="status">{t!(i18n, account_password_changed)}</p>
                            })}
                            {move || query.read().get("revoque").map(|_| view! {
                                <p class="notice" role="status">{t!(i18n, tokens_revoked)}</p>
                            })}
                            <dl class="facts">
                                <dt>{t!(i18n, signin_email)}</dt><dd>{me.email.clone()}</dd>
                                <dt>{t!(i18n, request_function)}</dt><dd>{me.function.clone().unwrap_or_default()}</dd>
                                <dt>{t!(i18n, account_role)}</dt><dd>{match me.role {
                                    Role::Admin => t!(i18n, role_admin).into_any(),
                                    Role::Moderator => t!(i18n, role_moderator).into_any(),
                                    Role::Staff => t!(i18n, role_staff).into_any(),
                                }}</dd>
                            </dl>
                            {(!me.authorities.is_empty()).then(|| view! {
                                <h2>{t!(i18n, workspace_authorities)}</h2>
                                <ul>{authorities}</ul>
                            })}
                            <h2>{t!(i18n, account_change_password)}</h2>
                            {errors_summary(&echo)}
                            <form method="post" action="/compte/mot-de-passe" class="stacked-form">
                                {input(&echo, "current", "password", t!(i18n, account_current_password), "current-password")}
                                {input(&echo, "password", "password", t!(i18n, request_password), "new-password")}
                                <button type="submit" class="button">{t!(i18n, account_change_password)}</button>
                            </form>
                            <ApiTokensSection found=tokens/>
                        }.into_any()
                    }
                    Ok(None) => view! { <SignInFirst/> }.into_any(),
                    Err(e) => crate::pages::not_found::service_error(e),
                })}
            </Suspense>
        </div>
    }
}

/// A day, spelled out in the current language.
fn day(date: chrono::DateTime<chrono::Utc>) -> impl IntoView {
    let i18n = use_i18n();
    let date = date.date_naive();
    move || long_date(date, &month_name(i18n, date.month()))
}

fn token_row(token: ApiToken) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <tr>
            <th scope="row">{token.name.clone()}</th>
            <td>{day(token.created_at)}</td>
            <td>{match token.last_used_at {
                Some(at) => day(at).into_any(),
                None => t!(i18n, tokens_never).into_any(),
            }}</td>
            <td>{day(token.expires_at)}</td>
            <td>
                <form method="post" action=format!("/compte/jetons/{}/revoquer", token.id)>
                    <button type="submit" class="button small secondary">
                        {t!(i18n, tokens_revoke)}
                        <span class="visually-hidden">" " {token.name.clone()}</span>
                    </button>
                </form>
            </td>
        </tr>
    }
}

/// "My account"'s personal API tokens: the live ones, revocable, and a form to make one, whose
/// secret is shown once.
#[component]
fn ApiTokensSection(found: Result<Option<ApiTokens>, AppError>) -> impl IntoView {
    let i18n = use_i18n();
    let body = match found {
        Ok(Some(found)) => {
            let fresh = found.fresh.map(|fresh| {
                view! {
                    <div class="notice" role="status">
                        <p>{t!(i18n, tokens_fresh)}</p>
                        <p><code class="secret" id="nouveau-jeton">{fresh.secret}</code></p>
                    </div>
                }
            });
            let table = (!found.tokens.is_empty()).then(|| {
                let rows = found.tokens.into_iter().map(token_row).collect_view();
                view! {
                    <table class="data">
                        <caption class="visually-hidden">{t!(i18n, tokens_title)}</caption>
                        <thead><tr>
                            <th scope="col">{t!(i18n, tokens_name)}</th>
                            <th scope="col">{t!(i18n, tokens_created)}</th>
                            <th scope="col">{t!(i18n, tokens_last_used)}</th>
                            <th scope="col">{t!(i18n, tokens_expires)}</th>
                            <th scope="col"><span class="visually-hidden">{t!(i18n, tokens_revoke)}</span></th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
            });
            let echo = found.echo;
            view! {
                {fresh}
                {table}
                {errors_summary(&echo)}
                <form method="post" action="/compte/jetons" class="stacked-form">
                    {input(&echo, "name", "text", t!(i18n, tokens_name), "off")}
                    <button type="submit" class="button">{t!(i18n, tokens_create)}</button>
                </form>
            }
            .into_any()
        }
        Ok(None) => ().into_any(),
        Err(e) => crate::pages::not_found::service_error(e),
    };
    view! {
        <section aria-labelledby="jetons">
            <h2 id="jetons">{t!(i18n, tokens_title)}</h2>
            <p>{t!(i18n, tokens_intro)} " " <code>"Authorization: Bearer …"</code></p>
            {body}
        </section>
    }
}

#[component]
pub fn AccountRequestsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let data = Resource::new(|| (), |_| get_account_requests());
    view! {
        {page_title(move || format!("{} — {}", t_string!(i18n, requests_title), t_string!(i18n, site_name)))}
        <Meta name="robots" content="noindex"/>
        <div class="container">
            <h1>{t!(i18n, requests_title)}</h1>
            {move || query.read().get("fait").map(|_| view! {
                <p class="notice" role="status">{t!(i18n, requests_done)}</p>
            })}
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || data.get().map(|result| match result {
                    Ok(Some(requests)) if requests.is_empty() => view! { <p>{t!(i18n, requests_none)}</p> }.into_any(),
                    Ok(Some(requests)) => view! {
                        <ul class="work-list">
                            {requests.into_iter().map(|r| view! {
                                <li class="work-item">
                                    <p class="work-title">{r.email.clone()}</p>
                                    <p class="muted">
                                        {match r.role {
                                            Role::Staff => t!(i18n, role_staff).into_any(),
                                            _ => t!(i18n, role_moderator).into_any(),
                                        }}
                                        {r.function.clone().map(|f| format!(" · {f}"))}
                                        {(!r.authorities.is_empty()).then(|| format!(" · {}", r.authorities.join(", ")))}
                                        {(!r.countries.is_empty()).then(|| format!(" · {}", r.countries.join(", ")))}
                                    </p>
                                    <form method="post" action=format!("/moderation/comptes/{}", r.id) class="button-row">
                                        <button type="submit" name="decision" value="approve" class="button">
                                            {t!(i18n, requests_approve)}
                                            <span class="visually-hidden">" " {r.email.clone()}</span>
                                        </button>
                                        <button type="submit" name="decision" value="refuse" class="button danger">
                                            {t!(i18n, requests_refuse)}
                                            <span class="visually-hidden">" " {r.email.clone()}</span>
                                        </button>
                                    </form>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Ok(None) => view! { <SignInFirst/> }.into_any(),
                    Err(AppError::Forbidden) => view! { <Refused>{t!(i18n, moderation_forbidden)}</Refused> }.into_any(),
                    Err(e) => crate::pages::not_found::service_error(e),
                })}
            </Suspense>
        </div>
    }
}
