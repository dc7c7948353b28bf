//! The signed-in person as the pages and `GET /api/v1/auth/me` see them. Never the password.

use super::vocab::Role;
use serde::{Deserialize, Serialize};

/// An authority an account works for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountAuthority {
    /// Its identity, `{kind}-{code}`.
    pub code: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub id: i32,
    pub email: String,
    pub role: Role,
    pub function: Option<String>,
    /// The authorities whose partnerships a staff member declares.
    pub authorities: Vec<AccountAuthority>,
    /// The countries (ISO 3166 alpha-2) an embassy moderator moderates; empty for a national
    /// moderator, who moderates every country.
    pub countries: Vec<String>,
}

/// The contributor's workspace: who is signed in and their authorities' partnerships.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    pub me: Me,
    pub items: Vec<super::contribution::WorkItem>,
}

/// The moderation queue as a moderator sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModerationQueue {
    pub me: Me,
    pub items: Vec<super::contribution::WorkItem>,
}

/// An account as moderators (its request) and administrators see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountRequest {
    pub id: i32,
    pub email: String,
    pub role: Role,
    /// `unconfirmed`, `requested`, `active`, `refused` or `disabled`.
    pub state: String,
    pub function: Option<String>,
    /// "Name (identity)" of each authority.
    pub authorities: Vec<String>,
    /// The identity of each authority, in the same order.
    pub authority_codes: Vec<String>,
    pub countries: Vec<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// What a refused account form leaves in the session for the page to show again (never the
/// password).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FormEcho {
    pub values: Vec<(String, String)>,
    pub errors: Vec<crate::error::FieldError>,
}

impl FormEcho {
    pub fn value(&self, name: &str) -> String {
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// The message of this field, in this language.
    pub fn error(&self, name: &str, locale: crate::i18n::Locale) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.text(locale))
    }
}

/// A personal API token as its owner sees it: never the token itself, which is shown once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiToken {
    pub id: i32,
    /// What the owner called it ("export SIG", "script du service").
    pub name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A token just made: the only time its secret is shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewApiToken {
    #[serde(flatten)]
    pub token: ApiToken,
    /// To send as `Authorization: Bearer …`.
    pub secret: String,
}

/// "My account"'s API tokens: the live ones, what a refused creation typed, and the token just
/// made (shown once).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ApiTokens {
    pub tokens: Vec<ApiToken>,
    pub echo: FormEcho,
    pub fresh: Option<NewApiToken>,
}

/// The list's filters, as the page's query string and the API's parameters give them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountFilter {
    /// Part of the email or of the function.
    pub q: Option<String>,
    pub role: Option<String>,
    pub state: Option<String>,
}

/// What an administrator sets on an account; the lists replace the current ones.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountChange {
    /// admin, moderator or staff.
    pub role: String,
    /// active or disabled.
    pub state: String,
    pub function: Option<String>,
    /// Identities, INSEE codes, SIRENs or names.
    pub authorities: Vec<String>,
    /// ISO 3166 alpha-2 codes.
    pub countries: Vec<String>,
}
