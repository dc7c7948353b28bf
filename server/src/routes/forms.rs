//! The pages' forms, posted without JavaScript: each calls the same service as the JSON API,
//! then sends the browser on (303) to the page that shows the outcome, with a code the page
//! turns into words through the translation layer.

use crate::routes::account::client_address;
use crate::routes::same_site_path;
use crate::AppState;
use app::error::{AppError, FieldError};
use app::models::{Decision, DeclarationStep, FormFlash, PartnershipDraft};
use app::server::auth::{self, AuthSession, Credentials};
use app::server::declaration::{self, Pairs};
use app::server::services::contributions;
use axum::extract::{Path, State};
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
        return Redirect::to("/connexion?erreur=session&retour=/moderation").into_response();
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
        Err(AppError::Conflict) => Redirect::to("/moderation?erreur=conflit").into_response(),
        Err(err @ (AppError::Forbidden | AppError::NotFound)) => err.into_response(),
        Err(_) => Redirect::to("/moderation?erreur=service").into_response(),
    }
}

/// The address of a step of the declaration form.
fn step_url(id: Option<i32>, step: DeclarationStep) -> String {
    match id {
        Some(id) => format!("/espace/declarations/{id}/{}", step.number()),
        None => "/espace/declarations/nouvelle".to_string(),
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
    let here = step_url(id, step);
    let Some(user) = auth.user.clone() else {
        let back = app::format::url_encode(&here);
        return Redirect::to(&format!("/connexion?erreur=session&retour={back}")).into_response();
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
        values,
        errors,
    };
    let back_with = |session: &tower_sessions::Session, f: FormFlash, anchor: &str| {
        let session = session.clone();
        let target = format!("{here}{anchor}");
        async move {
            if let Err(err) = session.insert("declaration", f).await {
                tracing::error!(%err, "form: could not keep the typed values");
            }
            Redirect::to(&target).into_response()
        }
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
            Err(AppError::Conflict) => {
                let conflict = vec![FieldError::new("version", CHANGED_MEANWHILE)];
                back_with(&auth.session, flash(pairs, conflict), "").await
            }
            Err(other) => other.into_response(),
        };
    }

    declaration::compact(&mut pairs);
    let base = match id {
        Some(id) => match contributions::get(&state.db, Some(&user), id).await {
            Ok((_, p)) => contributions::as_draft(p),
            Err(err) => return err.into_response(),
        },
        None => PartnershipDraft::default(),
    };
    let (mut draft, unreadable) = declaration::apply(base, step, &pairs);
    if !unreadable.is_empty() {
        return back_with(&auth.session, flash(pairs, unreadable), "").await;
    }
    draft.version = version;
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
            Redirect::to(&format!("{}?enregistre=1", step_url(Some(saved.id), next)))
                .into_response()
        }
        Err(AppError::Invalid { fields }) => {
            back_with(&auth.session, flash(pairs, fields), "").await
        }
        Err(AppError::Conflict) => {
            let conflict = vec![FieldError::new("version", CHANGED_MEANWHILE)];
            back_with(&auth.session, flash(pairs, conflict), "").await
        }
        Err(other) => other.into_response(),
    }
}

/// The first step of a new declaration.
pub async fn new_declaration(state: State<AppState>, auth: AuthSession, body: String) -> Response {
    declaration_step(state, auth, Path(("nouvelle".into(), "1".into())), body).await
}

const CHANGED_MEANWHILE: &str =
    "cette fiche a été modifiée entre-temps (dans un autre onglet ?) : ce que vous avez tapé est \
     ci-dessous ; rechargez la page pour voir la version enregistrée, puis reportez vos changements";

/// Brings this server's index up to date with what was just written.
async fn applied(state: &AppState) {
    if let Err(err) = state.search.follow(&state.db).await {
        tracing::error!(%err, "search index: could not apply the change");
    }
}
