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
