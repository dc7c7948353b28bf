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

/// A confirmed account request, as moderators see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountRequest {
    pub id: i32,
    pub email: String,
    pub role: Role,
    pub function: Option<String>,
    /// "Name (identity)" of each authority.
    pub authorities: Vec<String>,
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

    pub fn error(&self, name: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.message.clone())
    }
}
