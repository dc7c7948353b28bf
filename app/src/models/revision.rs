//! The history of a partnership: its revisions, what changed from one to the next (field by
//! field, word by word inside long texts, row by row in the tables), and the answer to an edit
//! made from a version that moved on meanwhile.

use serde::{Deserialize, Serialize};

/// What a revision records, beside the publication states of a partnership: a change proposed
/// to a published partnership, and the moderators' answers to it.
pub mod kind {
    /// A staff edit of a published partnership, awaiting a moderator.
    pub const PROPOSED: &str = "proposed";
    /// A proposed change sent back to its author, to correct and propose again.
    pub const PROPOSAL_RETURNED: &str = "proposal_returned";
    /// A proposed change refused: the published text stays.
    pub const PROPOSAL_REJECTED: &str = "proposal_rejected";
}

/// A piece of a long text compared word by word.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    pub kind: PieceKind,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PieceKind {
    Same,
    Added,
    Removed,
}

/// How one field changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// A short value (a title, a year, a status), before and after, as text.
    Value {
        before: Option<String>,
        after: Option<String>,
    },
    /// A long text, word by word.
    Text { pieces: Vec<Piece> },
    /// A table or a list: its rows (each as one line of text) added, removed and changed.
    Rows {
        added: Vec<String>,
        removed: Vec<String>,
        /// (before, after)
        changed: Vec<(String, String)>,
    },
    /// Something changed that the reader may not see (the names and emails of contacts).
    Hidden,
}

/// A field's change, named as in the JSON of a partnership (`title`, `fundings`…).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    #[serde(flatten)]
    pub change: Change,
}

/// One revision as the history shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The partnership's version this revision is.
    pub number: i32,
    /// A publication state code (`published`, `submitted`…) or a proposal's (`proposed`,
    /// `proposal_returned`, `proposal_rejected`).
    pub state: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Who made it: only for the people who may change or moderate the partnership.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The authorities the author works for, or the moderation: what everyone sees.
    pub by: By,
    /// The moderator's or the author's comment: only for the people who may see it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// What changed since the revision before it in this history.
    pub changes: Vec<FieldChange>,
}

/// On whose behalf a revision was made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum By {
    /// Staff of these French authorities.
    Authorities { names: Vec<String> },
    /// A moderator (the ministry or an embassy).
    Moderation,
    /// The legacy atlas's import or the demo data.
    Import,
}

/// A partnership's history, newest first, and whether the reader may restore a revision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct History {
    pub id: i32,
    pub title: String,
    pub slug: String,
    pub entries: Vec<HistoryEntry>,
    pub can_restore: bool,
}

/// The answer to an edit made from a version that moved on: the version to edit from now and
/// what changed since the version read (each field as it now stands), so that the editor can
/// merge her input with it and save again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stale {
    pub version: i32,
    pub changes: Vec<FieldChange>,
}
