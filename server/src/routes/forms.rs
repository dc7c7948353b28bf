//! The pages' forms, posted without JavaScript: each calls the same service as the JSON API,
//! then sends the browser on (303) to the page that shows the outcome, with a code the page
//! turns into words through the translation layer.

use crate::routes::account::client_address;
use crate::routes::same_site_path;
use crate::AppState;
use app::error::{AppError, FieldError};
use app::models::{Decision, DeclarationStep, FormEcho, FormFlash};
use app::server::auth::{self, AuthSession, Credentials};
use app::server::declaration::{self, Pairs};
use app::server::services::users::{self, NewUser, Requester};
use app::server::services::{contributions, tokens};
use axum::extract::{Path, Query, State};
use axum::http::Extensions;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct SignIn {
    email: String,
    password: String,
    #[serde(default)]
    retour: String,
}

pub async fn sign_in(
    State(state): State<AppState>,
    mut auth: AuthSession,
    extensions: Extensions,
    Form(form): Form<SignIn>,
) -> Response {
    let address = client_address(&extensions);
    let back = same_site_path(&form.retour)
        .unwrap_or("/espace")
        .to_string();
    let creds = Credentials {
        email: form.email.clone(),
        password: form.password,
    };
    match auth::sign_in(&mut auth, &state.throttle, address, creds).await {
        Ok(_) => Redirect::to(&back).into_response(),
        Err(err) => {
            let code = match err {
                AppError::TooManyRequests => "trop",
                AppError::Invalid { .. } => "identifiants",
                _ => "service",
            };
            let target = format!(
                "/connexion?erreur={code}&email={}&retour={}",
                app::format::url_encode(form.email.trim()),
                app::format::url_encode(&back)
            );
            Redirect::to(&target).into_response()
        }
    }
}

pub async fn sign_out(mut auth: AuthSession) -> Response {
    if let Err(err) = auth.logout().await {
        tracing::error!(%err, "sign-out failed");
    }
    Redirect::to("/").into_response()
}

#[derive(Deserialize)]
pub struct DecisionForm {
    decision: String,
    #[serde(default)]
    comment: String,
    version: Option<i32>,
}

pub async fn decide(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let Some(user) = auth.user else {
        return sign_in_again("/moderation");
    };
    let decision = match form.decision.as_str() {
        "approve" => Decision::Approve,
        "return" => Decision::Return,
        "reject" => Decision::Reject,
        _ => return AppError::NotFound.into_response(),
    };
    let Ok(id) = id.parse::<i32>() else {
        return AppError::NotFound.into_response();
    };
    let outcome = contributions::decide(
        &state.db,
        &state.mailer,
        Some(&user),
        id,
        decision,
        Some(&form.comment),
        form.version,
    )
    .await;
    match outcome {
        Ok(_) => {
            applied(&state).await;
            Redirect::to(&format!("/moderation?fait={id}")).into_response()
        }
        Err(AppError::Invalid { .. }) => {
            Redirect::to("/moderation?erreur=commentaire").into_response()
        }
        Err(AppError::Conflict | AppError::Stale(_)) => {
            Redirect::to("/moderation?erreur=conflit").into_response()
        }
        Err(err @ (AppError::Forbidden | AppError::NotFound)) => err.into_response(),
        Err(_) => Redirect::to("/moderation?erreur=service").into_response(),
    }
}

/// A step of the declaration form, posted: `action` says what the button asked — `next`
/// (save, then the next step), `save` (save, stay), `add:GROUP` and `remove:GROUP:N` (a row,
/// without saving), `submit` (on the last step). What is refused comes back to the same step
/// with what was typed and the errors, kept in the session for one page view.
pub async fn declaration_step(
    State(state): State<AppState>,
    auth: AuthSession,
    Path((id, step)): Path<(String, String)>,
    body: String,
) -> Response {
    let id: Option<i32> = match id.as_str() {
        "nouvelle" => None,
        other => match other.parse() {
            Ok(id) => Some(id),
            Err(_) => return AppError::NotFound.into_response(),
        },
    };
    let Some(step) = step.parse().ok().and_then(DeclarationStep::from_number) else {
        return AppError::NotFound.into_response();
    };
    let here = step.url(id);
    let Some(user) = auth.user.clone() else {
        let back = app::format::url_encode(&here);
        return sign_in_again(&back);
    };
    let mut pairs: Pairs = form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect();
    let take = |pairs: &mut Pairs, name: &str| {
        let value = pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone());
        pairs.retain(|(n, _)| n != name);
        value
    };
    let action = take(&mut pairs, "action").unwrap_or_else(|| "next".into());
    let version: Option<i32> = take(&mut pairs, "version").and_then(|v| v.parse().ok());
    let flash = |values: Pairs, errors: Vec<FieldError>| FormFlash {
        id,
        step,
        form: FormEcho { values, errors },
    };
    let back_with = |session: &tower_sessions::Session, f: FormFlash, anchor: &str| {
        let session = session.clone();
        let target = format!("{here}{anchor}");
        async move { keep_then_go(&session, "declaration", f, &target).await }
    };

    // Rows added or removed: shown again, nothing saved yet.
    if let Some(group) = action.strip_prefix("add:") {
        declaration::add_row(&mut pairs, group);
        let anchor = format!("#{group}");
        return back_with(&auth.session, flash(pairs, Vec::new()), &anchor).await;
    }
    if let Some(rest) = action.strip_prefix("remove:") {
        if let Some((group, index)) = rest.rsplit_once(':') {
            if let Ok(index) = index.parse() {
                declaration::remove_row(&mut pairs, group, index);
            }
            let anchor = format!("#{group}");
            return back_with(&auth.session, flash(pairs, Vec::new()), &anchor).await;
        }
    }

    if action == "submit" {
        let Some(id) = id else {
            return AppError::NotFound.into_response();
        };
        return match contributions::submit(&state.db, Some(&user), id, version).await {
            Ok(_) => {
                applied(&state).await;
                Redirect::to(&format!("/espace?soumis={id}")).into_response()
            }
            Err(AppError::Invalid { fields }) => {
                back_with(&auth.session, flash(pairs, fields), "").await
            }
            Err(AppError::Conflict | AppError::Stale(_)) => {
                let conflict = vec![FieldError::new("version", changed_meanwhile())];
                back_with(&auth.session, flash(pairs, conflict), "").await
            }
            Err(other) => other.into_response(),
        };
    }

    declaration::compact(&mut pairs);
    let draft = match declaration::step_draft(&state.db, &user, id, step, version, &pairs).await {
        Ok(draft) => draft,
        Err(AppError::Invalid { fields }) => {
            return back_with(&auth.session, flash(pairs, fields), "").await
        }
        Err(err) => return err.into_response(),
    };
    let saved = match id {
        None => contributions::create(&state.db, Some(&user), &draft).await,
        Some(id) => contributions::save(&state.db, Some(&user), id, &draft).await,
    };
    match saved {
        Ok(saved) => {
            applied(&state).await;
            let next = if action == "save" {
                step
            } else {
                DeclarationStep::from_number(step.number() + 1).unwrap_or(step)
            };
            Redirect::to(&format!("{}?enregistre=1", next.url(Some(saved.id)))).into_response()
        }
        Err(AppError::Invalid { fields }) => {
            back_with(&auth.session, flash(pairs, fields), "").await
        }
        Err(AppError::Conflict | AppError::Stale(_)) => {
            let conflict = vec![FieldError::new("version", changed_meanwhile())];
            back_with(&auth.session, flash(pairs, conflict), "").await
        }
        Err(other) => other.into_response(),
    }
}

/// The first step of a new declaration.
pub async fn new_declaration(state: State<AppState>, auth: AuthSession, body: String) -> Response {
    declaration_step(state, auth, Path(("nouvelle".into(), "1".into())), body).await
}

pub(crate) fn changed_meanwhile() -> app::error::Text {
    app::msg!(err_changed_meanwhile)
}

/// Sends someone whose session ended to the sign-in page, then back to `back`.
pub fn sign_in_again(back: &str) -> Response {
    Redirect::to(&format!("/connexion?erreur=session&retour={back}")).into_response()
}

/// Brings this server's index up to date with what was just written.
pub(crate) async fn applied(state: &AppState) {
    if let Err(err) = state.search.follow(&state.db).await {
        tracing::error!(%err, "search index: could not apply the change");
    }
}

/// A form's fields in their order, as posted.
pub fn pairs(body: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(body.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The first value of a field, empty when it was not sent.
pub fn value(values: &[(String, String)], name: &str) -> String {
    values
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// Keeps `value` in the session for the next page's server function to read once (what was
/// typed and why it was refused, a new token), then sends the browser to `target`.
pub async fn keep_then_go(
    session: &tower_sessions::Session,
    key: &str,
    value: impl serde::Serialize + Send,
    target: &str,
) -> Response {
    if let Err(err) = session.insert(key, value).await {
        tracing::error!(%err, key, "form: could not keep what the next page shows");
    }
    Redirect::to(target).into_response()
}

/// Sends the browser back to an account form with what was typed (never a password) and the
/// errors, kept in the session for one page view.
async fn echo_back(
    session: &tower_sessions::Session,
    target: &str,
    values: Vec<(String, String)>,
    errors: Vec<FieldError>,
) -> Response {
    keep_then_go(session, "account_form", FormEcho { values, errors }, target).await
}

#[derive(Deserialize)]
pub struct AccountRequestForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    authority: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    function: String,
    #[serde(default)]
    password: String,
}

/// `POST /compte/demande`: an account asked for; the answer is the same whether the address
/// has an account or not.
pub async fn request_account(
    State(state): State<AppState>,
    auth: AuthSession,
    extensions: Extensions,
    Form(form): Form<AccountRequestForm>,
) -> Response {
    let here = "/compte/demande";
    if state
        .throttle
        .check(client_address(&extensions), &form.email)
        .is_err()
    {
        let error = FieldError::new("email", app::msg!(err_too_many_requests));
        return echo_back(&auth.session, here, Vec::new(), vec![error]).await;
    }
    let requester = match form.kind.as_str() {
        "staff" => Some(Requester::Staff),
        "embassy" => Some(Requester::Embassy),
        "ministry" => Some(Requester::Ministry),
        _ => None,
    };
    let new = NewUser {
        email: form.email.clone(),
        role: None,
        function: Some(form.function.clone()),
        authority: Some(form.authority.clone()),
        country: Some(form.country.clone()),
        password: form.password,
    };
    match users::request(&state.db, &state.mailer, requester, new).await {
        Ok(()) => Redirect::to("/compte/demande?envoyee=1").into_response(),
        Err(AppError::Invalid { fields }) => {
            let values = vec![
                ("kind".to_string(), form.kind),
                ("email".to_string(), form.email),
                ("authority".to_string(), form.authority),
                ("country".to_string(), form.country),
                ("function".to_string(), form.function),
            ];
            echo_back(&auth.session, here, values, fields).await
        }
        Err(other) => other.into_response(),
    }
}

#[derive(Deserialize)]
pub struct Token {
    #[serde(default)]
    jeton: String,
}

/// `GET /compte/confirmer?jeton=…`: the link of the confirmation email.
pub async fn confirm_account(
    State(state): State<AppState>,
    Query(token): Query<Token>,
) -> Response {
    match users::confirm(&state.db, &token.jeton).await {
        Ok(()) => Redirect::to("/compte/demande?confirmee=1").into_response(),
        Err(AppError::Invalid { .. }) => {
            Redirect::to("/compte/demande?lien=perime").into_response()
        }
        Err(other) => other.into_response(),
    }
}

#[derive(Deserialize)]
pub struct EmailOnly {
    #[serde(default)]
    email: String,
}

/// `POST /compte/mot-de-passe-oublie`: the same answer for every address.
pub async fn forgot_password(
    State(state): State<AppState>,
    extensions: Extensions,
    Form(form): Form<EmailOnly>,
) -> Response {
    if state
        .throttle
        .check(client_address(&extensions), &form.email)
        .is_err()
    {
        return Redirect::to("/compte/mot-de-passe-oublie?erreur=trop").into_response();
    }
    match users::start_reset(&state.db, &state.mailer, &form.email).await {
        Ok(()) => Redirect::to("/compte/mot-de-passe-oublie?envoye=1").into_response(),
        Err(other) => other.into_response(),
    }
}

#[derive(Deserialize)]
pub struct NewPassword {
    #[serde(default)]
    jeton: String,
    #[serde(default)]
    password: String,
}

/// `POST /compte/nouveau-mot-de-passe`: the emailed token and the new password.
pub async fn new_password(
    State(state): State<AppState>,
    auth: AuthSession,
    Form(form): Form<NewPassword>,
) -> Response {
    match users::reset(&state.db, &form.jeton, &form.password).await {
        Ok(()) => Redirect::to("/connexion?reinitialise=1").into_response(),
        Err(AppError::Invalid { fields }) => {
            let target = format!(
                "/compte/nouveau-mot-de-passe?jeton={}",
                app::format::url_encode(&form.jeton)
            );
            echo_back(&auth.session, &target, Vec::new(), fields).await
        }
        Err(other) => other.into_response(),
    }
}

#[derive(Deserialize)]
pub struct ChangePassword {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
}

/// `POST /compte/mot-de-passe`: the signed-in person changes their password.
pub async fn change_password(
    State(state): State<AppState>,
    mut auth: AuthSession,
    Form(form): Form<ChangePassword>,
) -> Response {
    let Some(user) = auth.user.clone() else {
        return sign_in_again("/compte");
    };
    match users::change_password(&state.db, Some(&user), &form.current, &form.password).await {
        Ok(()) => {
            // The session's proof was the old password: sign in again under the new one.
            if let Ok(Some(fresh)) = app::server::auth::Account::load(&state.db, user.id).await {
                if let Err(err) = auth.login(&fresh).await {
                    tracing::error!(%err, "could not renew the session");
                }
            }
            Redirect::to("/compte?modifie=1").into_response()
        }
        Err(AppError::Invalid { fields }) => {
            echo_back(&auth.session, "/compte", Vec::new(), fields).await
        }
        Err(other) => other.into_response(),
    }
}

#[derive(Deserialize)]
pub struct RequestDecision {
    decision: String,
}

/// `POST /moderation/comptes/{id}`: approve or refuse an account request.
pub async fn decide_account(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
    Form(form): Form<RequestDecision>,
) -> Response {
    let Ok(id) = id.parse::<i32>() else {
        return AppError::NotFound.into_response();
    };
    let approve = form.decision == "approve";
    match users::decide_request(&state.db, &state.mailer, auth.user.as_ref(), id, approve).await {
        Ok(()) => Redirect::to("/moderation/comptes?fait=1").into_response(),
        Err(AppError::Unauthorized) => sign_in_again("/moderation/comptes"),
        Err(other) => other.into_response(),
    }
}

/// `POST /moderation/publier`: the queue's checked submissions, published together.
pub async fn approve_many(
    State(state): State<AppState>,
    auth: AuthSession,
    body: String,
) -> Response {
    let ids: Vec<i32> = form_urlencoded::parse(body.as_bytes())
        .filter(|(name, _)| name == "ids")
        .filter_map(|(_, value)| value.parse().ok())
        .collect();
    match contributions::approve_many(&state.db, &state.mailer, auth.user.as_ref(), &ids).await {
        Ok(outcomes) => {
            applied(&state).await;
            let done = outcomes.iter().filter(|(_, o)| o.is_ok()).count();
            let target = if done == outcomes.len() {
                format!("/moderation?fait={done}")
            } else {
                "/moderation?erreur=conflit".to_string()
            };
            Redirect::to(&target).into_response()
        }
        Err(AppError::Unauthorized) => sign_in_again("/moderation"),
        Err(other) => other.into_response(),
    }
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
}

/// `POST /compte/jetons`: a personal API token made; its secret is shown once on "my account".
pub async fn create_token(
    State(state): State<AppState>,
    auth: AuthSession,
    Form(form): Form<TokenForm>,
) -> Response {
    let back = "/compte#jetons";
    match tokens::create(&state.db, auth.user.as_ref(), &form.name).await {
        Ok(made) => keep_then_go(&auth.session, "token_fresh", made, back).await,
        Err(AppError::Invalid { fields }) => {
            let echo = FormEcho {
                values: vec![("name".into(), form.name)],
                errors: fields,
            };
            keep_then_go(&auth.session, "token_form", echo, back).await
        }
        Err(AppError::Unauthorized) => sign_in_again("/compte"),
        Err(other) => other.into_response(),
    }
}

/// `POST /compte/jetons/{id}/revoquer`.
pub async fn revoke_token(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<i32>() else {
        return AppError::NotFound.into_response();
    };
    match tokens::revoke(&state.db, auth.user.as_ref(), id).await {
        Ok(()) => Redirect::to("/compte?revoque=1#jetons").into_response(),
        Err(AppError::Unauthorized) => sign_in_again("/compte"),
        Err(other) => other.into_response(),
    }
}
