use crate::error::AppError;
use crate::models::{ModerationQueue, Workspace};
use leptos::prelude::*;

/// Every country, to choose from in a form, by French name.
#[cfg(feature = "ssr")]
pub(crate) async fn country_choices(
    db: &sea_orm::DatabaseConnection,
) -> Result<Vec<crate::models::Choice>, AppError> {
    use crate::server::entities::country;
    use sea_orm::{EntityTrait, QueryOrder};
    Ok(country::Entity::find()
        .order_by_asc(country::Column::NameFr)
        .all(db)
        .await?
        .into_iter()
        .map(|c| crate::models::Choice {
            code: c.iso2,
            label_fr: c.name_fr,
            label_en: c.name_en,
            level: 1,
        })
        .collect())
}

/// What a form's route kept in the session for this page (`keep_then_go`), read once.
#[cfg(feature = "ssr")]
pub(crate) async fn take<T: serde::de::DeserializeOwned>(
    auth: &crate::server::auth::AuthSession,
    key: &str,
) -> Result<Option<T>, AppError> {
    auth.session.remove(key).await.map_err(AppError::internal)
}

/// The signed-in account, from the request's session.
#[cfg(feature = "ssr")]
pub(crate) async fn account() -> Result<Option<crate::server::auth::Account>, AppError> {
    let auth: crate::server::auth::AuthSession =
        leptos_axum::extract().await.map_err(AppError::internal)?;
    Ok(auth.user)
}

/// The signed-in person and their authorities' partnerships; `None` when nobody is signed in.
#[server(prefix = "/api/fn", endpoint = "workspace")]
pub async fn get_workspace() -> Result<Option<Workspace>, AppError> {
    use crate::server::services::contributions;
    let db = expect_context::<sea_orm::DatabaseConnection>();
    let Some(account) = account().await? else {
        return Ok(None);
    };
    let items = contributions::dashboard(&db, Some(&account)).await?;
    Ok(Some(Workspace {
        me: account.me(&db).await?,
        items,
    }))
}

/// The moderation queue with its filters (state, country, authority, waited more than so many
/// days); `None` when nobody is signed in, `Forbidden` for staff.
#[server(prefix = "/api/fn", endpoint = "moderation_queue")]
pub async fn get_moderation_queue(
    state: Option<String>,
    country: Option<String>,
    authority: Option<String>,
    waited_days: Option<i64>,
) -> Result<Option<ModerationQueue>, AppError> {
    use crate::models::PublicationState;
    use crate::server::services::contributions::{self, QueueFilter};
    let db = expect_context::<sea_orm::DatabaseConnection>();
    let Some(account) = account().await? else {
        return Ok(None);
    };
    let filter = QueueFilter {
        state: state.as_deref().and_then(PublicationState::from_code),
        country: country.filter(|c| !c.trim().is_empty()),
        authority: authority.filter(|a| !a.trim().is_empty()),
        older_than_days: waited_days.filter(|d| *d > 0),
    };
    let items = contributions::queue(&db, Some(&account), &filter).await?;
    Ok(Some(ModerationQueue {
        me: account.me(&db).await?,
        items,
    }))
}

/// One step of the declaration form: the stored draft (or, after a refusal, what was typed,
/// with the errors), and the lists to choose from. `None` when nobody is signed in.
#[server(prefix = "/api/fn", endpoint = "declaration")]
pub async fn get_declaration(
    id: Option<i32>,
    step: u8,
) -> Result<Option<crate::models::Declaration>, AppError> {
    use crate::models::{Declaration, DeclarationStep, FormFlash};
    use crate::server::declaration::pairs_of;
    use crate::server::services::{authorities, contributions};
    use sea_orm::EntityTrait;
    let db = expect_context::<sea_orm::DatabaseConnection>();
    let step = DeclarationStep::from_number(step).ok_or(AppError::NotFound)?;
    let auth: crate::server::auth::AuthSession =
        leptos_axum::extract().await.map_err(AppError::internal)?;
    let Some(account) = auth.user.clone() else {
        return Ok(None);
    };
    let (version, state, mut values) = match id {
        Some(id) => {
            let (state, p, _) = contributions::get(&db, Some(&account), id).await?;
            (Some(p.version), Some(state), pairs_of(&p))
        }
        None => {
            // A new declaration starts with the officer's own authority.
            let mut values = Vec::new();
            if let Some(first) = account.authorities.first() {
                if let Some(c) = crate::server::entities::collectivity::Entity::find_by_id(*first)
                    .one(&db)
                    .await?
                {
                    if let Some(identity) = authorities::identity(&c) {
                        values.push(("french_partners[0]".to_string(), identity.to_string()));
                        values.push(("french_partners[0].label".to_string(), c.name.clone()));
                    }
                }
            }
            (None, None, values)
        }
    };
    let mut errors = Vec::new();
    let flash: Option<FormFlash> = take(&auth, "declaration").await?;
    if let Some(flash) = flash.filter(|f| f.id == id && f.step == step) {
        values = flash.form.values;
        errors = flash.form.errors;
    }
    let missing = match (id, step) {
        (Some(id), DeclarationStep::Review) => contributions::missing(&db, id).await?,
        _ => Vec::new(),
    };
    let (themes, forms, countries) = choice_lists(&db).await?;
    Ok(Some(Declaration {
        id,
        version,
        state,
        step,
        form: crate::models::FormEcho { values, errors },
        missing,
        themes,
        forms,
        countries,
    }))
}

/// The lists a partnership's inputs choose from: the theme tree (each theme at its level),
/// the forms of partnership and the countries.
#[cfg(feature = "ssr")]
pub(crate) async fn choice_lists(
    db: &sea_orm::DatabaseConnection,
) -> Result<
    (
        Vec<crate::models::Choice>,
        Vec<crate::models::Choice>,
        Vec<crate::models::Choice>,
    ),
    AppError,
> {
    use crate::models::Choice;
    use crate::server::entities::partnership_form;
    use crate::server::services::referentials;
    use sea_orm::{EntityTrait, QueryOrder};
    let themes = referentials::theme_refs(db)
        .await?
        .into_iter()
        .map(|t| Choice {
            level: t.path_fr.len() as u8,
            label_fr: t.path_fr.last().cloned().unwrap_or_default(),
            label_en: t.path_en.last().cloned().unwrap_or_default(),
            code: t.code,
        })
        .collect();
    let forms = partnership_form::Entity::find()
        .order_by_asc(partnership_form::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|f| Choice {
            code: f.code,
            label_fr: f.label_fr,
            label_en: f.label_en,
            level: 1,
        })
        .collect();
    Ok((themes, forms, country_choices(db).await?))
}

/// The hydrated declaration form, as one types (`save: false`: checked only) and on leaving a
/// field (`save: true`: the draft saved through the write path, created on the first save):
/// the same reading of the inputs and the same checks as the form posted without JavaScript.
/// What is refused comes back by the names of the inputs typed in.
#[server(prefix = "/api/fn", endpoint = "declaration_live", input = leptos::server_fn::codec::Json)]
pub async fn check_declaration(
    id: Option<i32>,
    step: u8,
    version: Option<i32>,
    values: Vec<(String, String)>,
    save: bool,
) -> Result<crate::models::LiveCheck, AppError> {
    use crate::models::{DeclarationStep, LiveCheck};
    use crate::server::declaration::{compact, step_draft};
    use crate::server::services::contributions;
    let db = expect_context::<sea_orm::DatabaseConnection>();
    let step = DeclarationStep::from_number(step).ok_or(AppError::NotFound)?;
    let account = account().await?.ok_or(AppError::Unauthorized)?;
    let mut pairs = values;
    pairs.retain(|(name, _)| name != "action" && name != "version");
    let renumbering = compact(&mut pairs);
    let outcome = async {
        let draft = step_draft(&db, &account, id, step, version, &pairs).await?;
        if !save {
            return contributions::validate(&db, Some(&account), &draft)
                .await
                .map(|_| None);
        }
        let saved = match id {
            None => contributions::create(&db, Some(&account), &draft).await?,
            Some(id) => contributions::save(&db, Some(&account), id, &draft).await?,
        };
        Ok(Some(saved))
    }
    .await;
    match outcome {
        Ok(saved) => {
            if saved.is_some() {
                let search = expect_context::<crate::server::search::Search>();
                search.follow(&db).await?;
            }
            Ok(LiveCheck {
                saved,
                errors: Vec::new(),
            })
        }
        Err(AppError::Invalid { fields }) => Ok(LiveCheck {
            saved: None,
            errors: fields
                .into_iter()
                .map(|mut f| {
                    f.field = renumbering.original(&f.field);
                    f
                })
                .collect(),
        }),
        Err(other) => Err(other),
    }
}

/// The signed-in person, for "my account"; `None` when nobody is signed in.
#[server(prefix = "/api/fn", endpoint = "me")]
pub async fn get_me() -> Result<Option<crate::models::Me>, AppError> {
    let db = expect_context::<sea_orm::DatabaseConnection>();
    match account().await? {
        Some(account) => Ok(Some(account.me(&db).await?)),
        None => Ok(None),
    }
}

/// The account requests this moderator may decide on; `None` when nobody is signed in.
#[server(prefix = "/api/fn", endpoint = "account_requests")]
pub async fn get_account_requests() -> Result<Option<Vec<crate::models::AccountRequest>>, AppError>
{
    let db = expect_context::<sea_orm::DatabaseConnection>();
    let Some(account) = account().await? else {
        return Ok(None);
    };
    Ok(Some(
        crate::server::services::users::pending(&db, Some(&account)).await?,
    ))
}

/// What a refused account form typed, and why (read once), with the countries to choose from.
#[server(prefix = "/api/fn", endpoint = "account_form")]
pub async fn get_account_form(
) -> Result<(crate::models::FormEcho, Vec<crate::models::Choice>), AppError> {
    use crate::models::FormEcho;
    let db = expect_context::<sea_orm::DatabaseConnection>();
    let auth: crate::server::auth::AuthSession =
        leptos_axum::extract().await.map_err(AppError::internal)?;
    let echo: Option<FormEcho> = take(&auth, "account_form").await?;
    let countries = country_choices(&db).await?;
    Ok((echo.unwrap_or_default(), countries))
}

/// The signed-in person's API tokens, with the one just made (read once); `None` when nobody is
/// signed in.
#[server(prefix = "/api/fn", endpoint = "api_tokens")]
pub async fn get_api_tokens() -> Result<Option<crate::models::ApiTokens>, AppError> {
    use crate::models::{ApiTokens, FormEcho, NewApiToken};
    let db = expect_context::<sea_orm::DatabaseConnection>();
    let auth: crate::server::auth::AuthSession =
        leptos_axum::extract().await.map_err(AppError::internal)?;
    let Some(account) = auth.user.as_ref() else {
        return Ok(None);
    };
    let tokens = crate::server::services::tokens::list(&db, Some(account)).await?;
    let echo: Option<FormEcho> = take(&auth, "token_form").await?;
    let fresh: Option<NewApiToken> = take(&auth, "token_fresh").await?;
    Ok(Some(ApiTokens {
        tokens,
        echo: echo.unwrap_or_default(),
        fresh,
    }))
}

/// The accounts an administrator looks for; `None` when nobody is signed in.
#[server(prefix = "/api/fn", endpoint = "admin_accounts")]
pub async fn get_admin_accounts(
    q: Option<String>,
    role: Option<String>,
    state: Option<String>,
) -> Result<Option<Vec<crate::models::AccountRequest>>, AppError> {
    // Flat arguments: a struct with every field empty is not sent at all by the browser's
    // form encoding, and would not decode.
    let filter = crate::models::AccountFilter { q, role, state };
    let db = expect_context::<sea_orm::DatabaseConnection>();
    let Some(account) = account().await? else {
        return Ok(None);
    };
    Ok(Some(
        crate::server::services::accounts::list(&db, Some(&account), &filter).await?,
    ))
}

/// One account for its administrator's form, with what a refused form typed (read once);
/// `None` when nobody is signed in.
#[server(prefix = "/api/fn", endpoint = "admin_account")]
pub async fn get_admin_account(
    id: i32,
) -> Result<Option<(crate::models::AccountRequest, crate::models::FormEcho)>, AppError> {
    use crate::models::FormEcho;
    let db = expect_context::<sea_orm::DatabaseConnection>();
    let auth: crate::server::auth::AuthSession =
        leptos_axum::extract().await.map_err(AppError::internal)?;
    let Some(account) = auth.user.as_ref() else {
        return Ok(None);
    };
    let found = crate::server::services::accounts::get(&db, Some(account), id).await?;
    let echo: Option<FormEcho> = take(&auth, "admin_account_form").await?;
    Ok(Some((found, echo.unwrap_or_default())))
}

/// The foreign authorities whose name starts with what was typed (two letters at least), for
/// the declaration's picker: at most ten, each with its country.
#[server(prefix = "/api/fn", endpoint = "find_foreign_authorities")]
pub async fn find_foreign_authorities(
    q: String,
) -> Result<Vec<crate::models::ForeignCandidate>, AppError> {
    use crate::server::services::partnerships;
    let db = expect_context::<sea_orm::DatabaseConnection>();
    Ok(partnerships::search_foreign(&db, &q, 10).await?)
}

/// The French authorities whose name starts with what was typed (two letters at least), for
/// the pickers of the forms: at most ten, each with its identity.
#[server(prefix = "/api/fn", endpoint = "find_authorities")]
pub async fn find_authorities(
    q: String,
) -> Result<Vec<crate::models::AuthorityCandidate>, AppError> {
    use crate::server::services::authorities;
    let db = expect_context::<sea_orm::DatabaseConnection>();
    Ok(authorities::search_by_name(&db, &q, 10)
        .await?
        .iter()
        .filter_map(authorities::candidate)
        .collect())
}
