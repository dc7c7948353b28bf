//! The forms of a published partnership's own page, posted without JavaScript: one section
//! changed in place (`/partenariats/{id}/modifier/{section}`) and an earlier revision restored
//! from the history (`/partenariats/{id}/historique/{n}/retablir`). Both call the services the
//! JSON API calls; what is refused comes back to the page, open at the section, with what was
//! typed, kept in the session for one page view.

use super::forms::{applied, changed_meanwhile, keep_then_go, pairs, sign_in_again};
use crate::AppState;
use app::error::{AppError, FieldError};
use app::models::{FormEcho, Section, SectionFlash, Stale};
use app::server::auth::{Account, AuthSession};
use app::server::declaration::{self, pairs_of, Pairs};
use app::server::services::{contributions, revisions};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;

/// The inputs of the whole partnership as its editor would edit it, with `section`'s replaced
/// by what was posted: the section's reading of them then changes that section alone.
async fn merged(
    state: &AppState,
    user: &Account,
    id: i32,
    section: Section,
    posted: &Pairs,
) -> Result<(app::models::PartnershipDraft, Pairs), AppError> {
    let (_, working, _) = contributions::get(&state.db, Some(user), id).await?;
    let mut values = pairs_of(&working);
    values.retain(|(name, _)| !section.owns(name));
    values.extend(posted.iter().cloned());
    Ok((contributions::as_draft(working), values))
}

/// One section of a published partnership, posted: `action` is `save`, or `add:GROUP` and
/// `remove:GROUP:N` for a table's rows (shown again, nothing saved).
pub async fn edit_section(
    State(state): State<AppState>,
    auth: AuthSession,
    Path((id, code)): Path<(String, String)>,
    body: String,
) -> Response {
    let (Ok(id), Some(section)) = (id.parse::<i32>(), Section::from_code(&code)) else {
        return AppError::NotFound.into_response();
    };
    let page = format!("/partenariats/{id}");
    let Some(user) = auth.user.clone() else {
        return sign_in_again(&app::format::url_encode(&page));
    };
    let mut posted = pairs(&body);
    let field = |posted: &Pairs, name: &str| {
        posted
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let action = field(&posted, "action").unwrap_or_else(|| "save".into());
    let Some(version) = field(&posted, "version").and_then(|v| v.parse::<i32>().ok()) else {
        return AppError::Invalid {
            fields: vec![FieldError::new("version", app::msg!(err_version_required))],
        }
        .into_response();
    };
    posted.retain(|(name, _)| section.owns(name));
    let back = |values: Pairs, errors: Vec<FieldError>, version: i32, stale: Option<Stale>| {
        let flash = SectionFlash {
            id,
            section,
            version,
            form: FormEcho { values, errors },
            stale,
        };
        let session = auth.session.clone();
        let target = format!("{page}?modifier={code}#modifier-{code}");
        async move { keep_then_go(&session, "section_edit", flash, &target).await }
    };

    if let Some(group) = action.strip_prefix("add:") {
        declaration::add_row(&mut posted, group);
    } else if let Some((group, index)) = action
        .strip_prefix("remove:")
        .and_then(|rest| rest.rsplit_once(':'))
    {
        if let Ok(index) = index.parse() {
            declaration::remove_row(&mut posted, group, index);
        }
    }
    if action != "save" {
        return match merged(&state, &user, id, section, &posted).await {
            Ok((_, values)) => back(values, Vec::new(), version, None).await,
            Err(err) => err.into_response(),
        };
    }

    declaration::compact(&mut posted);
    let (base, values) = match merged(&state, &user, id, section, &posted).await {
        Ok(found) => found,
        Err(err) => return err.into_response(),
    };
    let (mut draft, unreadable) = declaration::apply(base, section.step(), &values);
    if !unreadable.is_empty() {
        return back(values, unreadable, version, None).await;
    }
    draft.version = Some(version);
    match contributions::save(&state.db, Some(&user), id, &draft).await {
        Ok(saved) => {
            applied(&state).await;
            let proposed = if saved.proposed { "&propose=1" } else { "" };
            Redirect::to(&format!("{page}?modifie={code}{proposed}#modifier-{code}"))
                .into_response()
        }
        Err(AppError::Invalid { fields }) => back(values, fields, version, None).await,
        // Saved by someone else meanwhile: what she typed is kept, over the partnership as it
        // now stands, with what changed and the version to save from now.
        Err(AppError::Stale(stale)) => {
            let values = match merged(&state, &user, id, section, &posted).await {
                Ok((_, values)) => values,
                Err(err) => return err.into_response(),
            };
            // The section says what changed and that nothing was saved: no error to list.
            back(values, Vec::new(), stale.version, Some(stale)).await
        }
        Err(AppError::Conflict) => {
            let errors = vec![FieldError::new("version", changed_meanwhile())];
            back(values, errors, version, None).await
        }
        Err(AppError::Unauthorized) => sign_in_again(&app::format::url_encode(&page)),
        Err(other) => other.into_response(),
    }
}

#[derive(Deserialize)]
pub struct RestoreForm {
    version: Option<i32>,
    #[serde(default)]
    comment: String,
}

/// A moderator brings back an earlier revision, from the history page.
pub async fn restore(
    State(state): State<AppState>,
    auth: AuthSession,
    Path((id, number)): Path<(String, String)>,
    Form(form): Form<RestoreForm>,
) -> Response {
    let (Ok(id), Ok(number)) = (id.parse::<i32>(), number.parse::<i32>()) else {
        return AppError::NotFound.into_response();
    };
    let history = format!("/partenariats/{id}/historique");
    let Some(user) = auth.user else {
        return sign_in_again(&app::format::url_encode(&history));
    };
    let comment = Some(form.comment.as_str());
    match revisions::restore(&state.db, Some(&user), id, number, form.version, comment).await {
        Ok(_) => {
            applied(&state).await;
            Redirect::to(&format!("{history}?retabli={number}")).into_response()
        }
        Err(AppError::Conflict | AppError::Stale(_)) => {
            Redirect::to(&format!("{history}?erreur=conflit")).into_response()
        }
        Err(AppError::Invalid { .. }) => {
            Redirect::to(&format!("{history}?erreur=invalide")).into_response()
        }
        Err(other) => other.into_response(),
    }
}
