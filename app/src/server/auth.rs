//! Who is signed in: the account as the services see it, the `axum-login` backend that checks
//! a password and reloads an account for each request, and the `tower-sessions` store that keeps
//! sessions in the database (the crates' own SQL stores pin another `sqlx`, hence this one).

use super::entities::{app_user, collectivity, session, user_authority, user_country};
use super::services::{authorities, users};
use crate::error::AppError;
use crate::models::{AccountAuthority, Me, Role};
use async_trait::async_trait;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter,
};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

/// A signed-in account with what authorization needs: its role, the authorities a staff
/// member works for, the countries an embassy moderator covers.
#[derive(Clone)]
pub struct Account {
    pub id: i32,
    pub email: String,
    pub role: Role,
    pub function: Option<String>,
    /// Referential ids of the authorities (staff).
    pub authorities: Vec<i32>,
    /// ISO 3166 alpha-2 codes (embassy moderators); empty for a national moderator.
    pub countries: Vec<String>,
    /// The personal API token this request came with, if it came with one rather than a
    /// session: such a request cannot manage tokens.
    pub via_token: Option<i32>,
    /// The password hash: changing the password ends every other session.
    auth_hash: Vec<u8>,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

impl axum_login::AuthUser for Account {
    type Id = i32;

    fn id(&self) -> i32 {
        self.id
    }

    fn session_auth_hash(&self) -> &[u8] {
        &self.auth_hash
    }
}

impl Account {
    /// Reads an active account with its authorities and countries.
    pub async fn load(db: &impl ConnectionTrait, id: i32) -> Result<Option<Account>, DbErr> {
        let Some(user) = app_user::Entity::find_by_id(id)
            .filter(app_user::Column::State.eq("active"))
            .one(db)
            .await?
        else {
            return Ok(None);
        };
        Self::from_row(db, user).await.map(Some)
    }

    /// The referential ids of an account's authorities and the codes of its countries.
    pub(crate) async fn scope(
        db: &impl ConnectionTrait,
        user_id: i32,
    ) -> Result<(Vec<i32>, Vec<String>), DbErr> {
        let authorities = user_authority::Entity::find()
            .filter(user_authority::Column::UserId.eq(user_id))
            .all(db)
            .await?
            .into_iter()
            .map(|a| a.collectivity_id)
            .collect();
        let countries = user_country::Entity::find()
            .filter(user_country::Column::UserId.eq(user_id))
            .all(db)
            .await?
            .into_iter()
            .map(|c| c.country_iso2)
            .collect();
        Ok((authorities, countries))
    }

    async fn from_row(db: &impl ConnectionTrait, user: app_user::Model) -> Result<Account, DbErr> {
        let (authorities, countries) = Self::scope(db, user.id).await?;
        Ok(Account {
            id: user.id,
            email: user.email,
            role: Role::from_code(&user.role).unwrap_or(Role::Staff),
            function: user.function,
            authorities,
            countries,
            via_token: None,
            auth_hash: user.password_hash.unwrap_or_default().into_bytes(),
        })
    }

    pub fn is_moderator(&self) -> bool {
        matches!(self.role, Role::Moderator | Role::Admin)
    }

    /// Whether this account moderates a partnership with partners in these countries: an
    /// administrator or a national moderator always, an embassy moderator for its countries.
    pub fn moderates(&self, countries: &[String]) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Moderator => {
                self.countries.is_empty() || countries.iter().any(|c| self.countries.contains(c))
            }
            Role::Staff => false,
        }
    }

    /// Whether this account may change a partnership of these French authorities and countries:
    /// staff for their own authorities, moderators within their scope.
    pub fn writes(&self, authorities: &[i32], countries: &[String]) -> bool {
        match self.role {
            Role::Staff => authorities.iter().any(|a| self.authorities.contains(a)),
            _ => self.moderates(countries),
        }
    }

    /// The account as the pages and the API show it.
    pub async fn me(&self, db: &impl ConnectionTrait) -> Result<Me, DbErr> {
        let authorities = collectivity::Entity::find()
            .filter(collectivity::Column::Id.is_in(self.authorities.iter().copied()))
            .all(db)
            .await?
            .iter()
            .filter_map(|c| {
                Some(AccountAuthority {
                    code: authorities::identity(c)?.to_string(),
                    name: c.name.clone(),
                })
            })
            .collect();
        Ok(Me {
            id: self.id,
            email: self.email.clone(),
            role: self.role,
            function: self.function.clone(),
            authorities,
            countries: self.countries.clone(),
        })
    }
}

/// An email and a password, as the sign-in form and `POST /api/v1/auth/login` send them.
#[derive(Clone, serde::Deserialize)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

/// Checks passwords and reloads accounts for `axum-login`.
#[derive(Clone, Debug)]
pub struct Backend {
    db: DatabaseConnection,
}

impl Backend {
    pub fn new(db: DatabaseConnection) -> Self {
        Backend { db }
    }
}

impl axum_login::AuthnBackend for Backend {
    type User = Account;
    type Credentials = Credentials;
    type Error = AppError;

    async fn authenticate(&self, creds: Credentials) -> Result<Option<Account>, AppError> {
        match users::check_password(&self.db, &creds.email, &creds.password).await? {
            Some(user) => Ok(Some(Account::from_row(&self.db, user).await?)),
            None => Ok(None),
        }
    }

    async fn get_user(&self, id: &i32) -> Result<Option<Account>, AppError> {
        Ok(Account::load(&self.db, *id).await?)
    }
}

/// The session of a request, with its account when signed in.
pub type AuthSession = axum_login::AuthSession<Backend>;

/// Sessions in the `session` table, shared by every server on the database.
#[derive(Clone, Debug)]
pub struct DbSessions {
    db: DatabaseConnection,
}

impl DbSessions {
    pub fn new(db: DatabaseConnection) -> Self {
        DbSessions { db }
    }

    /// Removes expired sessions; the server calls it now and then.
    pub async fn sweep(&self) -> Result<u64, DbErr> {
        Ok(session::Entity::delete_many()
            .filter(session::Column::ExpiryDate.lt(chrono::Utc::now()))
            .exec(&self.db)
            .await?
            .rows_affected)
    }

    fn row(record: &Record) -> session_store::Result<session::ActiveModel> {
        let data = serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let expiry = chrono::DateTime::from_timestamp(record.expiry_date.unix_timestamp(), 0)
            .ok_or_else(|| session_store::Error::Encode("expiry out of range".into()))?;
        Ok(session::ActiveModel {
            id: Set(record.id.to_string()),
            data: Set(data),
            expiry_date: Set(expiry),
        })
    }
}

fn backend(err: DbErr) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

#[async_trait]
impl SessionStore for DbSessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A new id until it is free: an id is 128 random bits, so this loops once.
        loop {
            let taken = session::Entity::find_by_id(record.id.to_string())
                .one(&self.db)
                .await
                .map_err(backend)?
                .is_some();
            if !taken {
                break;
            }
            record.id = Id::default();
        }
        self.save(record).await
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        session::Entity::insert(Self::row(record)?)
            .on_conflict(
                OnConflict::column(session::Column::Id)
                    .update_columns([session::Column::Data, session::Column::ExpiryDate])
                    .to_owned(),
            )
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(row) = session::Entity::find_by_id(id.to_string())
            .filter(session::Column::ExpiryDate.gt(chrono::Utc::now()))
            .one(&self.db)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&row.data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(row.expiry_date.timestamp())
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        session::Entity::delete_by_id(id.to_string())
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

/// Limits sign-in attempts per address and per email, in this server's memory: a burst of
/// ten, then ten a minute per email; thirty, then twenty a minute per address. The answer never says whether an
/// email has an account.
#[derive(Clone)]
pub struct Throttle {
    by_email: std::sync::Arc<governor::DefaultKeyedRateLimiter<String>>,
    by_address: std::sync::Arc<governor::DefaultKeyedRateLimiter<std::net::IpAddr>>,
}

impl Default for Throttle {
    fn default() -> Self {
        use governor::{Quota, RateLimiter};
        use std::num::NonZeroU32;
        let quota = |per_minute: u32, burst: u32| {
            Quota::per_minute(NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN))
                .allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN))
        };
        Throttle {
            by_email: std::sync::Arc::new(RateLimiter::keyed(quota(10, 10))),
            by_address: std::sync::Arc::new(RateLimiter::keyed(quota(20, 30))),
        }
    }
}

impl Throttle {
    /// `TooManyRequests` when this address or this email tried too often.
    pub fn check(&self, address: Option<std::net::IpAddr>, email: &str) -> Result<(), AppError> {
        let email_ok = self
            .by_email
            .check_key(&email.trim().to_lowercase())
            .is_ok();
        let address_ok = address.is_none_or(|a| self.by_address.check_key(&a).is_ok());
        if email_ok && address_ok {
            Ok(())
        } else {
            Err(AppError::TooManyRequests)
        }
    }
}

/// Signs a person in: throttled, the same refusal for an unknown email and a wrong password,
/// and a new session id (so that a session id planted before cannot be used after).
pub async fn sign_in(
    auth: &mut AuthSession,
    throttle: &Throttle,
    address: Option<std::net::IpAddr>,
    creds: Credentials,
) -> Result<Account, AppError> {
    throttle.check(address, &creds.email)?;
    let account = auth
        .authenticate(creds)
        .await
        .map_err(AppError::internal)?
        .ok_or_else(|| AppError::Invalid {
            fields: vec![crate::error::FieldError::new(
                "password",
                crate::msg!(err_sign_in),
            )],
        })?;
    auth.login(&account).await.map_err(AppError::internal)?;
    Ok(account)
}
