//! Accounts: creating one (the CLI today, the account request and the administrators later),
//! with its authorities or countries, and checking a password. Passwords are kept only as
//! argon2id hashes.

use super::authorities;
use crate::error::{AppError, FieldError};
use crate::models::{AccountRequest, Role};
use crate::msg;
use crate::server::auth::Account;
use crate::server::entities::{account_token, app_user, country, user_authority, user_country};
use crate::server::mail::{Email, Mailer};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Argon2, PasswordVerifier};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder,
};

/// The shortest password accepted.
pub const MIN_PASSWORD: usize = 12;

/// An account to create. `authority` is an identity (`commune-73065`), a commune's INSEE code or
/// a SIREN; `country` an ISO 3166 alpha-2 code.
#[derive(Debug, Default)]
pub struct NewUser {
    pub email: String,
    pub role: Option<Role>,
    pub function: Option<String>,
    pub authority: Option<String>,
    pub country: Option<String>,
    pub password: String,
}

/// Whether a text looks like an email address: one `@`, something on each side, a dot in the
/// domain, no spaces.
pub(crate) fn plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// An argon2id hash of a password, with a fresh salt, in the PHC string format.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(AppError::internal)
}

/// Whether a password matches a stored hash; a malformed hash matches nothing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Creates an active account: checks every field (the errors name them, in French), resolves
/// the authority or the country, hashes the password, and writes it all in one transaction.
pub async fn create(db: &DatabaseConnection, new: NewUser) -> Result<i32, AppError> {
    insert(db, new, ACTIVE).await
}

pub(crate) const ACTIVE: &str = "active";
/// Asked for, the email not confirmed yet.
const UNCONFIRMED: &str = "unconfirmed";
/// Asked for and confirmed: a moderator decides.
const REQUESTED: &str = "requested";
const REFUSED: &str = "refused";

/// A new account's fields once checked.
struct Checked {
    email: String,
    role: Role,
    authority: Option<i32>,
    country: Option<String>,
}

async fn insert(db: &DatabaseConnection, new: NewUser, state: &str) -> Result<i32, AppError> {
    let Checked {
        email,
        role,
        authority,
        country,
    } = check_new(db, &new, true).await?;
    let hash = hash_password(&new.password)?;

    let txn = crate::server::services::write(db).await?;
    let user = app_user::ActiveModel {
        email: Set(email),
        role: Set(role.code().to_string()),
        state: Set(state.to_string()),
        function: Set(new.function.filter(|f| !f.trim().is_empty())),
        password_hash: Set(Some(hash)),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if let Some(collectivity_id) = authority {
        user_authority::ActiveModel {
            user_id: Set(user.id),
            collectivity_id: Set(collectivity_id),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    if let Some(iso2) = country {
        user_country::ActiveModel {
            user_id: Set(user.id),
            country_iso2: Set(iso2),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(user.id)
}

/// Checks every field of a new account (whether the email is taken too, when asked), with
/// messages that name the field.
async fn check_new(
    db: &DatabaseConnection,
    new: &NewUser,
    email_taken_is_error: bool,
) -> Result<Checked, AppError> {
    let mut errors = Vec::new();
    let email = new.email.trim().to_lowercase();
    if !plausible_email(&email) {
        errors.push(FieldError::new(
            "email",
            msg!(err_not_an_email, text = new.email.trim()),
        ));
    } else if email_taken_is_error
        && app_user::Entity::find()
            .filter(app_user::Column::Email.eq(email.clone()))
            .one(db)
            .await?
            .is_some()
    {
        errors.push(FieldError::new("email", msg!(err_email_taken)));
    }
    let role = match new.role {
        Some(role) => Some(role),
        None => {
            errors.push(FieldError::new("role", msg!(err_role_code)));
            None
        }
    };
    if new.password.chars().count() < MIN_PASSWORD {
        errors.push(FieldError::new(
            "password",
            msg!(err_password_short, min = MIN_PASSWORD),
        ));
    }
    let authority = match new.authority.as_deref().map(str::trim) {
        None | Some("") => {
            if role == Some(Role::Staff) {
                errors.push(FieldError::new("authority", msg!(err_staff_authority)));
            }
            None
        }
        Some(key) => match authorities::resolve(db, key).await? {
            Ok(c) => Some(c.id),
            Err(message) => {
                errors.push(FieldError::new("authority", message));
                None
            }
        },
    };
    let country = match new.country.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => {
            let code = code.to_ascii_uppercase();
            if country::Entity::find_by_id(code.clone())
                .one(db)
                .await?
                .is_none()
            {
                errors.push(FieldError::new(
                    "country",
                    msg!(err_unknown_country, code = code.clone()),
                ));
            }
            Some(code)
        }
    };
    if country.is_some() && role != Some(Role::Moderator) {
        errors.push(FieldError::new(
            "country",
            msg!(err_countries_moderator_only),
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid { fields: errors });
    }
    Ok(Checked {
        email,
        role: role.ok_or(AppError::Internal)?,
        authority,
        country,
    })
}

/// The active account an email and password open, or `None` (the same for an unknown email
/// and a wrong password, so that nobody learns which addresses have an account).
pub async fn check_password(
    db: &impl ConnectionTrait,
    email: &str,
    password: &str,
) -> Result<Option<app_user::Model>, AppError> {
    let user = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.trim().to_lowercase()))
        .filter(app_user::Column::State.eq("active"))
        .one(db)
        .await?;
    Ok(match user {
        Some(user) => {
            let hash = user.password_hash.clone().unwrap_or_default();
            verify_password(password, &hash).then_some(user)
        }
        None => {
            // As long as a real check, so that timing does not tell either.
            let _ = hash_password(password);
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked_loosely_but_surely() {
        for ok in ["a@b.fr", "prenom.nom@mairie-chambery.fr"] {
            assert!(plausible_email(ok), "{ok}");
        }
        for bad in [
            "", "a", "a@b", "@b.fr", "a@.fr", "a @b.fr", "a@b.fr.", "a@b@c.fr",
        ] {
            assert!(!plausible_email(bad), "{bad}");
        }
    }

    #[test]
    fn passwords_are_hashed_with_argon2id_and_salted() {
        let a = hash_password("correct horse battery").unwrap();
        let b = hash_password("correct horse battery").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "a fresh salt each time");
        assert!(verify_password("correct horse battery", &a));
        assert!(!verify_password("correct horse batterie", &a));
        assert!(!verify_password("anything", "not a hash"));
    }
}

/// A one-use token for a link in an email: the token to send, and the hash to keep.
pub(crate) fn new_token() -> (String, String) {
    use argon2::password_hash::rand_core::RngCore;
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let hash = token_hash(&token);
    (token, hash)
}

pub(crate) fn token_hash(token: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// How long a token in an email is good for.
const TOKEN_HOURS: i64 = 24;

async fn issue_token(
    db: &impl ConnectionTrait,
    user_id: i32,
    purpose: &str,
) -> Result<String, AppError> {
    let (token, hash) = new_token();
    account_token::ActiveModel {
        user_id: Set(user_id),
        purpose: Set(purpose.to_string()),
        token_hash: Set(hash),
        expires_at: Set(chrono::Utc::now() + chrono::Duration::hours(TOKEN_HOURS)),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Uses a token: the account it was issued to, once, before it expires.
async fn use_token(db: &impl ConnectionTrait, token: &str, purpose: &str) -> Result<i32, AppError> {
    let invalid = || AppError::Invalid {
        fields: vec![FieldError::new("token", msg!(err_link_used))],
    };
    let row = account_token::Entity::find()
        .filter(account_token::Column::TokenHash.eq(token_hash(token.trim())))
        .filter(account_token::Column::Purpose.eq(purpose))
        .filter(account_token::Column::UsedAt.is_null())
        .filter(account_token::Column::ExpiresAt.gt(chrono::Utc::now()))
        .one(db)
        .await?
        .ok_or_else(invalid)?;
    let used = account_token::Entity::update_many()
        .col_expr(
            account_token::Column::UsedAt,
            sea_orm::sea_query::Expr::value(chrono::Utc::now()),
        )
        .filter(account_token::Column::Id.eq(row.id))
        .filter(account_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if used.rows_affected == 0 {
        return Err(invalid());
    }
    Ok(row.user_id)
}

/// Who asks for an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Requester {
    /// Staff of a French authority.
    Staff,
    /// An agent of an embassy, for its country.
    Embassy,
    /// An agent of the ministry.
    Ministry,
}

/// An account asked for through the form: checked like any account, kept unconfirmed until
/// the email link is followed, then awaiting a moderator. For an address that already has an
/// account, the answer is the same and the email says so, so that nobody learns which
/// addresses have one.
pub async fn request(
    db: &DatabaseConnection,
    mailer: &Mailer,
    requester: Option<Requester>,
    mut new: NewUser,
) -> Result<(), AppError> {
    // Every field is checked at once, whether the address has an account or not.
    let mut errors = Vec::new();
    if requester.is_none() {
        errors.push(FieldError::new("kind", msg!(err_requester_kind)));
    }
    let requester = requester.unwrap_or(Requester::Staff);
    new.role = Some(match requester {
        Requester::Staff => Role::Staff,
        Requester::Embassy | Requester::Ministry => Role::Moderator,
    });
    if requester == Requester::Embassy && new.country.as_deref().is_none_or(|c| c.trim().is_empty())
    {
        errors.push(FieldError::new("country", msg!(err_embassy_country)));
    }
    if requester != Requester::Embassy {
        new.country = None;
    }
    if requester != Requester::Staff {
        new.authority = None;
    }
    let email = new.email.trim().to_lowercase();
    let existing = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.clone()))
        .one(db)
        .await?;
    match check_new(db, &new, false).await {
        Ok(_) => {}
        Err(AppError::Invalid { fields }) => errors.extend(fields),
        Err(other) => return Err(other),
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid { fields: errors });
    }
    if existing.is_some() {
        mailer
            .send(vec![Email {
                to: email,
                subject: "Votre demande de compte".into(),
                body: format!(
                    "Bonjour,\n\nUn compte existe déjà pour cette adresse. Si vous avez oublié \
                     votre mot de passe : {}/compte/mot-de-passe-oublie\n\nSi vous n'avez rien \
                     demandé, ignorez ce message.\n",
                    mailer.base_url
                ),
            }])
            .await;
        return Ok(());
    }
    let id = insert(db, new, UNCONFIRMED).await?;
    let token = issue_token(db, id, "confirm").await?;
    mailer
        .send(vec![Email {
            to: email,
            subject: "Confirmez votre adresse".into(),
            body: format!(
                "Bonjour,\n\nPour confirmer votre demande de compte sur l'Atlas de la \
                 coopération décentralisée, suivez ce lien (valable {TOKEN_HOURS} heures) :\n\
                 {}/compte/confirmer?jeton={token}\n\nUn modérateur examinera ensuite votre \
                 demande ; vous recevrez un courriel dès qu'elle sera acceptée.\n\nSi vous \
                 n'avez rien demandé, ignorez ce message.\n",
                mailer.base_url
            ),
        }])
        .await;
    Ok(())
}

/// Follows the email's confirmation link: the request goes to the moderators.
pub async fn confirm(db: &DatabaseConnection, token: &str) -> Result<(), AppError> {
    let txn = crate::server::services::write(db).await?;
    let id = use_token(&txn, token, "confirm").await?;
    app_user::Entity::update_many()
        .col_expr(
            app_user::Column::State,
            sea_orm::sea_query::Expr::value(REQUESTED),
        )
        .filter(app_user::Column::Id.eq(id))
        .filter(app_user::Column::State.eq(UNCONFIRMED))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Who decides on a request: any moderator for staff of an authority, an administrator for
/// moderators.
fn decides(actor: &Account, role: Role) -> bool {
    match actor.role {
        Role::Admin => true,
        Role::Moderator => role == Role::Staff,
        Role::Staff => false,
    }
}

/// The confirmed requests this person may decide on, oldest first.
pub async fn pending(
    db: &impl ConnectionTrait,
    actor: Option<&Account>,
) -> Result<Vec<AccountRequest>, AppError> {
    let actor = actor.ok_or(AppError::Unauthorized)?;
    if !actor.is_moderator() {
        return Err(AppError::Forbidden);
    }
    let users = app_user::Entity::find()
        .filter(app_user::Column::State.eq(REQUESTED))
        .order_by_asc(app_user::Column::CreatedAt)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for user in users {
        let role = Role::from_code(&user.role).unwrap_or(Role::Staff);
        if !decides(actor, role) {
            continue;
        }
        out.push(describe(db, user).await?);
    }
    Ok(out)
}

/// An account as moderators and administrators see it: its authorities named, its countries.
pub(crate) async fn describe(
    db: &impl ConnectionTrait,
    user: app_user::Model,
) -> Result<AccountRequest, sea_orm::DbErr> {
    use crate::server::entities::collectivity;
    let (ids, countries) = Account::scope(db, user.id).await?;
    let rows = collectivity::Entity::find()
        .filter(collectivity::Column::Id.is_in(ids))
        .all(db)
        .await?;
    let authority_codes = rows
        .iter()
        .filter_map(|c| authorities::identity(c).map(|id| id.to_string()))
        .collect();
    let authorities = rows.iter().map(authorities::labelled).collect();
    Ok(AccountRequest {
        id: user.id,
        role: Role::from_code(&user.role).unwrap_or(Role::Staff),
        email: user.email,
        state: user.state,
        function: user.function,
        authorities,
        authority_codes,
        countries,
        created_at: user.created_at,
    })
}

/// A moderator's decision on a confirmed request; the person is told by email.
pub async fn decide_request(
    db: &DatabaseConnection,
    mailer: &Mailer,
    actor: Option<&Account>,
    user_id: i32,
    approve: bool,
) -> Result<(), AppError> {
    let actor = actor.ok_or(AppError::Unauthorized)?;
    let user = app_user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let role = Role::from_code(&user.role).unwrap_or(Role::Staff);
    if !decides(actor, role) {
        return Err(AppError::Forbidden);
    }
    let state = if approve { ACTIVE } else { REFUSED };
    let done = app_user::Entity::update_many()
        .col_expr(
            app_user::Column::State,
            sea_orm::sea_query::Expr::value(state),
        )
        .filter(app_user::Column::Id.eq(user_id))
        .filter(app_user::Column::State.eq(REQUESTED))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        return Err(AppError::Conflict);
    }
    let body = if approve {
        format!(
            "Bonjour,\n\nVotre compte sur l'Atlas de la coopération décentralisée est ouvert. \
             Connectez-vous : {}/connexion\n",
            mailer.base_url
        )
    } else {
        "Bonjour,\n\nVotre demande de compte sur l'Atlas de la coopération décentralisée n'a \
         pas été acceptée. Pour en savoir plus, répondez à la délégation pour l'action \
         extérieure des collectivités territoriales.\n"
            .to_string()
    };
    mailer
        .send(vec![Email {
            to: user.email,
            subject: if approve {
                "Votre compte est ouvert".into()
            } else {
                "Votre demande de compte".into()
            },
            body,
        }])
        .await;
    Ok(())
}

/// Sends a password reset link to an active account; says nothing about other addresses.
pub async fn start_reset(
    db: &DatabaseConnection,
    mailer: &Mailer,
    email: &str,
) -> Result<(), AppError> {
    let email = email.trim().to_lowercase();
    let Some(user) = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.clone()))
        .filter(app_user::Column::State.eq(ACTIVE))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let token = issue_token(db, user.id, "reset").await?;
    mailer
        .send(vec![Email {
            to: email,
            subject: "Nouveau mot de passe".into(),
            body: format!(
                "Bonjour,\n\nPour choisir un nouveau mot de passe, suivez ce lien (valable \
                 {TOKEN_HOURS} heures, une seule fois) :\n{}/compte/nouveau-mot-de-passe?jeton={token}\n\n\
                 Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.\n",
                mailer.base_url
            ),
        }])
        .await;
    Ok(())
}

fn check_new_password(password: &str) -> Result<(), AppError> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(AppError::Invalid {
            fields: vec![FieldError::new(
                "password",
                msg!(err_password_short, min = MIN_PASSWORD),
            )],
        });
    }
    Ok(())
}

async fn set_password(
    db: &impl ConnectionTrait,
    user_id: i32,
    password: &str,
) -> Result<(), AppError> {
    let hash = hash_password(password)?;
    app_user::Entity::update_many()
        .col_expr(
            app_user::Column::PasswordHash,
            sea_orm::sea_query::Expr::value(hash),
        )
        .filter(app_user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Sets a new password with the emailed token; every session of the account ends.
pub async fn reset(db: &DatabaseConnection, token: &str, password: &str) -> Result<(), AppError> {
    check_new_password(password)?;
    let txn = crate::server::services::write(db).await?;
    let id = use_token(&txn, token, "reset").await?;
    set_password(&txn, id, password).await?;
    txn.commit().await?;
    Ok(())
}

/// Changes the signed-in person's password, given the current one.
pub async fn change_password(
    db: &DatabaseConnection,
    actor: Option<&Account>,
    current: &str,
    new: &str,
) -> Result<(), AppError> {
    let actor = actor.ok_or(AppError::Unauthorized)?;
    if check_password(db, &actor.email, current).await?.is_none() {
        return Err(AppError::Invalid {
            fields: vec![FieldError::new("current", msg!(err_current_password))],
        });
    }
    check_new_password(new)?;
    set_password(db, actor.id, new).await
}
