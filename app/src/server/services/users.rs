//! Accounts: creating one (the CLI today, the account request and the administrators later),
//! with its authorities or countries, and checking a password. Passwords are kept only as
//! argon2id hashes.

use super::authorities::{self, Found};
use crate::error::{AppError, FieldError};
use crate::models::Role;
use crate::server::entities::{app_user, country, user_authority, user_country};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Argon2, PasswordVerifier};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, TransactionTrait,
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
fn plausible_email(email: &str) -> bool {
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
    let mut errors = Vec::new();
    let email = new.email.trim().to_lowercase();
    if !plausible_email(&email) {
        errors.push(FieldError::new(
            "email",
            format!(
                "« {} » n'est pas une adresse électronique",
                new.email.trim()
            ),
        ));
    } else if app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.clone()))
        .one(db)
        .await?
        .is_some()
    {
        errors.push(FieldError::new(
            "email",
            "un compte existe déjà pour cette adresse",
        ));
    }
    let role = match new.role {
        Some(role) => Some(role),
        None => {
            errors.push(FieldError::new(
                "role",
                "choisissez un rôle : admin, moderator ou staff",
            ));
            None
        }
    };
    if new.password.chars().count() < MIN_PASSWORD {
        errors.push(FieldError::new(
            "password",
            format!("le mot de passe doit compter au moins {MIN_PASSWORD} caractères"),
        ));
    }
    let authority = match new.authority.as_deref().map(str::trim) {
        None | Some("") => {
            if role == Some(Role::Staff) {
                errors.push(FieldError::new(
                    "authority",
                    "un agent de collectivité doit être rattaché à sa collectivité",
                ));
            }
            None
        }
        Some(key) => match authorities::find(db, key).await? {
            Found::One(c) => Some(c.id),
            Found::Several(rows) => {
                let listed: Vec<String> = rows
                    .iter()
                    .filter_map(authorities::candidate)
                    .map(|c| format!("{} ({})", c.name, c.id))
                    .collect();
                errors.push(FieldError::new(
                    "authority",
                    format!(
                        "« {key} » désigne plusieurs collectivités : {}",
                        listed.join(", ")
                    ),
                ));
                None
            }
            Found::None => {
                errors.push(FieldError::new(
                    "authority",
                    format!("aucune collectivité pour « {key} »"),
                ));
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
                    format!("pays inconnu « {code} »"),
                ));
            }
            Some(code)
        }
    };
    if country.is_some() && role != Some(Role::Moderator) {
        errors.push(FieldError::new(
            "country",
            "seul un modérateur (ambassade) est rattaché à des pays",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid { fields: errors });
    }
    let role = role.ok_or(AppError::Internal)?;
    let hash = hash_password(&new.password)?;

    let txn = db.begin().await?;
    let user = app_user::ActiveModel {
        email: Set(email),
        role: Set(role.code().to_string()),
        state: Set("active".to_string()),
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
