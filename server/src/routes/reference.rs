//! The reference lists' routes: as JSON (`/api/v1/admin/themes`, `/api/v1/admin/forms`,
//! `/api/v1/admin/embassies`) and as the plain forms of their administration pages. The
//! reference-lists service checks who may do what; after a change this server applies the
//! change log at once, in the background (a theme or a form rebuilds the index, which takes a
//! few seconds at 100,000 partnerships; the old index serves meanwhile).

use super::body::{Body, Params};
use super::forms::{pairs, value};
use crate::AppState;
use app::error::{AppError, FieldError};
use app::models::{
    EmbassyChange, EmbassyContact, EmbassyEntry, EmbassyRole, FormEcho, ReferenceChange,
    ReferenceEntry, ReferenceList, REFERENCE_ADD_FORM as ADD_FORM,
    REFERENCE_ENTRY_FORM as ENTRY_FORM,
};
use app::server::auth::AuthSession;
use app::server::services::reference_lists;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

/// The routes of one coded list, its API under `api` and its page at `list.path()`.
pub fn list_routes(list: ReferenceList, api: &'static str) -> Router<AppState> {
    Router::new()
        .route(
            api,
            get(move |state: State<AppState>, auth: AuthSession| entries(state, auth, list)).post(
                move |state: State<AppState>, auth: AuthSession, body: Body<ReferenceChange>| {
                    create(state, auth, list, body)
                },
            ),
        )
        .route(
            &format!("{api}/{{code}}"),
            get(
                move |state: State<AppState>, auth: AuthSession, code: Path<String>| {
                    one(state, auth, list, code)
                },
            )
            .put(
                move |state: State<AppState>,
                      auth: AuthSession,
                      code: Path<String>,
                      body: Body<ReferenceChange>| {
                    update(state, auth, list, code, body)
                },
            )
            .delete(
                move |state: State<AppState>,
                      auth: AuthSession,
                      code: Path<String>,
                      version: Params<VersionParam>| {
                    delete(state, auth, list, code, version)
                },
            ),
        )
        .route(
            list.path(),
            post(
                move |state: State<AppState>, auth: AuthSession, body: String| {
                    create_form(state, auth, list, body)
                },
            ),
        )
        .route(
            &format!("{}/{{code}}", list.path()),
            post(
                move |state: State<AppState>,
                      auth: AuthSession,
                      code: Path<String>,
                      body: String| { entry_form(state, auth, list, code, body) },
            ),
        )
}

/// The embassies' routes.
pub fn embassy_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/admin/embassies", get(embassies))
        .route(
            "/api/v1/admin/embassies/{country}",
            get(embassy).put(save_embassy).delete(delete_embassy),
        )
        .route(EMBASSIES_PAGE, post(create_embassy_form))
        .route("/administration/ambassades/{country}", post(embassy_form))
}

const EMBASSIES_PAGE: &str = "/administration/ambassades";

#[derive(Deserialize)]
pub struct VersionParam {
    version: Option<i32>,
}

/// Applies the change log on this server without keeping the answer waiting.
fn apply_soon(state: &AppState) {
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(err) = state.search.follow(&state.db).await {
            tracing::error!(%err, "search index: could not apply a reference-list change");
        }
    });
}

async fn entries(
    State(state): State<AppState>,
    auth: AuthSession,
    list: ReferenceList,
) -> Result<Json<Vec<ReferenceEntry>>, AppError> {
    Ok(Json(
        reference_lists::list(&state.db, auth.user.as_ref(), list).await?,
    ))
}

async fn one(
    State(state): State<AppState>,
    auth: AuthSession,
    list: ReferenceList,
    Path(code): Path<String>,
) -> Result<Json<ReferenceEntry>, AppError> {
    Ok(Json(
        reference_lists::get(&state.db, auth.user.as_ref(), list, &code).await?,
    ))
}

async fn create(
    State(state): State<AppState>,
    auth: AuthSession,
    list: ReferenceList,
    Body(change): Body<ReferenceChange>,
) -> Result<(StatusCode, Json<ReferenceEntry>), AppError> {
    let saved = reference_lists::create(&state.db, auth.user.as_ref(), list, &change).await?;
    apply_soon(&state);
    Ok((StatusCode::CREATED, Json(saved)))
}

async fn update(
    State(state): State<AppState>,
    auth: AuthSession,
    list: ReferenceList,
    Path(code): Path<String>,
    Body(change): Body<ReferenceChange>,
) -> Result<Json<ReferenceEntry>, AppError> {
    let saved =
        reference_lists::update(&state.db, auth.user.as_ref(), list, &code, &change).await?;
    apply_soon(&state);
    Ok(Json(saved))
}

async fn delete(
    State(state): State<AppState>,
    auth: AuthSession,
    list: ReferenceList,
    Path(code): Path<String>,
    Params(param): Params<VersionParam>,
) -> Result<StatusCode, AppError> {
    reference_lists::delete(&state.db, auth.user.as_ref(), list, &code, param.version).await?;
    apply_soon(&state);
    Ok(StatusCode::NO_CONTENT)
}

async fn embassies(
    State(state): State<AppState>,
    auth: AuthSession,
) -> Result<Json<Vec<EmbassyEntry>>, AppError> {
    Ok(Json(
        reference_lists::embassies(&state.db, auth.user.as_ref()).await?,
    ))
}

async fn embassy(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(country): Path<String>,
) -> Result<Json<EmbassyEntry>, AppError> {
    Ok(Json(
        reference_lists::embassy(&state.db, auth.user.as_ref(), &country).await?,
    ))
}

/// `PUT /api/v1/admin/embassies/{country}`: without `version`, adds the embassy (201); with
/// the version read, changes it.
async fn save_embassy(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(country): Path<String>,
    Body(change): Body<EmbassyChange>,
) -> Result<(StatusCode, Json<EmbassyEntry>), AppError> {
    let status = if change.version.is_none() {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let saved =
        reference_lists::save_embassy(&state.db, auth.user.as_ref(), &country, &change).await?;
    apply_soon(&state);
    Ok((status, Json(saved)))
}

async fn delete_embassy(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(country): Path<String>,
    Params(param): Params<VersionParam>,
) -> Result<StatusCode, AppError> {
    reference_lists::delete_embassy(&state.db, auth.user.as_ref(), &country, param.version).await?;
    apply_soon(&state);
    Ok(StatusCode::NO_CONTENT)
}

/// A whole number typed in a field, `None` when empty; an error naming the field otherwise.
fn number(values: &[(String, String)], name: &str, errors: &mut Vec<FieldError>) -> Option<i32> {
    let text = value(values, name);
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match text.parse() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.push(FieldError::new(
                name,
                app::msg!(err_not_an_integer, text = text.to_string()),
            ));
            None
        }
    }
}

fn reference_change(values: &[(String, String)], errors: &mut Vec<FieldError>) -> ReferenceChange {
    ReferenceChange {
        code: value(values, "code"),
        parent: Some(value(values, "parent")),
        label_fr: value(values, "label_fr"),
        label_en: value(values, "label_en"),
        position: number(values, "position", errors),
        version: number(values, "version", errors),
    }
}

/// Where a refused form goes back to, with what was typed and why.
async fn back(
    auth: &AuthSession,
    key: &str,
    values: Vec<(String, String)>,
    errors: Vec<FieldError>,
    to: &str,
) -> Response {
    super::forms::keep_then_go(&auth.session, key, FormEcho { values, errors }, to).await
}

fn changed_meanwhile() -> Vec<FieldError> {
    vec![FieldError::new(
        "version",
        app::msg!(err_entry_changed_meanwhile),
    )]
}

/// Answers a form's refusal: errors back to the form, a lost session to the sign-in page.
async fn refused(
    auth: &AuthSession,
    err: AppError,
    key: &str,
    values: Vec<(String, String)>,
    here: &str,
) -> Response {
    match err {
        AppError::Invalid { fields } => back(auth, key, values, fields, here).await,
        AppError::Conflict => back(auth, key, values, changed_meanwhile(), here).await,
        AppError::Unauthorized => super::forms::sign_in_again(here),
        other => other.into_response(),
    }
}

/// `POST /administration/thematiques` (or `/formes`): the add form.
async fn create_form(
    State(state): State<AppState>,
    auth: AuthSession,
    list: ReferenceList,
    body: String,
) -> Response {
    let values = pairs(&body);
    let mut errors = Vec::new();
    let change = reference_change(&values, &mut errors);
    let here = format!("{}#ajouter", list.path());
    if !errors.is_empty() {
        return back(&auth, ADD_FORM, values, errors, &here).await;
    }
    match reference_lists::create(&state.db, auth.user.as_ref(), list, &change).await {
        Ok(saved) => {
            apply_soon(&state);
            Redirect::to(&format!("{}/{}?ajoute=1", list.path(), saved.code)).into_response()
        }
        Err(err) => refused(&auth, err, ADD_FORM, values, &here).await,
    }
}

/// `POST /administration/thematiques/{code}` (or `/formes/{code}`): save (`action=save`) or
/// delete (`action=delete`).
async fn entry_form(
    State(state): State<AppState>,
    auth: AuthSession,
    list: ReferenceList,
    Path(code): Path<String>,
    body: String,
) -> Response {
    let values = pairs(&body);
    let mut errors = Vec::new();
    let change = reference_change(&values, &mut errors);
    let here = format!("{}/{code}", list.path());
    if !errors.is_empty() {
        return back(&auth, ENTRY_FORM, values, errors, &here).await;
    }
    let user = auth.user.as_ref();
    let done = if value(&values, "action") == "delete" {
        reference_lists::delete(&state.db, user, list, &code, change.version)
            .await
            .map(|()| format!("{}?supprime={code}", list.path()))
    } else {
        reference_lists::update(&state.db, user, list, &code, &change)
            .await
            .map(|_| format!("{here}?enregistre=1"))
    };
    match done {
        Ok(to) => {
            apply_soon(&state);
            Redirect::to(&to).into_response()
        }
        Err(err) => refused(&auth, err, ENTRY_FORM, values, &here).await,
    }
}

/// An embassy form's contacts: rows `contacts[i].role`, `.name`, `.email`, `.remove`; a row
/// left empty or marked for removal is left out. With the change, the form's row of each
/// contact kept, to name the rows the service's errors are about.
fn embassy_change(
    values: &[(String, String)],
    errors: &mut Vec<FieldError>,
) -> (EmbassyChange, Vec<usize>) {
    let mut contacts = Vec::new();
    let mut rows = Vec::new();
    for i in 0.. {
        let key = |name: &str| format!("contacts[{i}].{name}");
        if !values
            .iter()
            .any(|(k, _)| k.starts_with(&format!("contacts[{i}].")))
        {
            break;
        }
        let name = value(values, &key("name"));
        let email = value(values, &key("email"));
        let removed = !value(values, &key("remove")).is_empty();
        if removed || (name.trim().is_empty() && email.trim().is_empty()) {
            continue;
        }
        let role = EmbassyRole::from_code(&value(values, &key("role"))).unwrap_or_else(|| {
            errors.push(FieldError::new(&key("role"), app::msg!(err_contact_role)));
            EmbassyRole::Other
        });
        contacts.push(EmbassyContact {
            role,
            name,
            email: Some(email).filter(|e| !e.trim().is_empty()),
        });
        rows.push(i);
    }
    let change = EmbassyChange {
        country: value(values, "country"),
        name: value(values, "name"),
        contacts,
        version: number(values, "version", errors),
    };
    (change, rows)
}

/// The service's errors about `contacts[n]` renamed after the form's rows.
fn renumber(err: AppError, rows: &[usize]) -> AppError {
    let AppError::Invalid { fields } = err else {
        return err;
    };
    let fields = fields
        .into_iter()
        .map(|mut f| {
            let row = f
                .field
                .strip_prefix("contacts[")
                .and_then(|rest| rest.split_once(']'))
                .and_then(|(n, tail)| Some((*rows.get(n.parse::<usize>().ok()?)?, tail)));
            if let Some((row, tail)) = row {
                f.field = format!("contacts[{row}]{tail}");
            }
            f
        })
        .collect();
    AppError::Invalid { fields }
}

/// `POST /administration/ambassades`: adds an embassy (its contacts come on its own page).
async fn create_embassy_form(
    State(state): State<AppState>,
    auth: AuthSession,
    body: String,
) -> Response {
    let values = pairs(&body);
    let mut errors = Vec::new();
    let (change, _) = embassy_change(&values, &mut errors);
    let here = format!("{EMBASSIES_PAGE}#ajouter");
    if !errors.is_empty() {
        return back(&auth, ADD_FORM, values, errors, &here).await;
    }
    let country = change.country.trim().to_ascii_uppercase();
    if country.len() != 2 {
        let errors = vec![FieldError::new("country", app::msg!(err_embassy_country))];
        return back(&auth, ADD_FORM, values, errors, &here).await;
    }
    match reference_lists::save_embassy(&state.db, auth.user.as_ref(), &country, &change).await {
        Ok(saved) => {
            apply_soon(&state);
            Redirect::to(&format!("{EMBASSIES_PAGE}/{}?ajoute=1", saved.country)).into_response()
        }
        Err(err) => refused(&auth, err, ADD_FORM, values, &here).await,
    }
}

/// `POST /administration/ambassades/{country}`: save (`action=save`) or delete
/// (`action=delete`).
async fn embassy_form(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(country): Path<String>,
    body: String,
) -> Response {
    let values = pairs(&body);
    let mut errors = Vec::new();
    let (change, rows) = embassy_change(&values, &mut errors);
    let here = format!("{EMBASSIES_PAGE}/{country}");
    if !errors.is_empty() {
        return back(&auth, ENTRY_FORM, values, errors, &here).await;
    }
    let user = auth.user.as_ref();
    let done = if value(&values, "action") == "delete" {
        reference_lists::delete_embassy(&state.db, user, &country, change.version)
            .await
            .map(|()| format!("{EMBASSIES_PAGE}?supprime={country}"))
    } else {
        reference_lists::save_embassy(&state.db, user, &country, &change)
            .await
            .map(|_| format!("{here}?enregistre=1"))
            .map_err(|err| renumber(err, &rows))
    };
    match done {
        Ok(to) => {
            apply_soon(&state);
            Redirect::to(&to).into_response()
        }
        Err(err) => refused(&auth, err, ENTRY_FORM, values, &here).await,
    }
}
