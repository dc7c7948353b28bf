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

/// A section of a partnership's page that its editors change on its own, in place: each is a
/// plain form of the declaration's inputs, posted to `/partenariats/{id}/modifier/{code}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Section {
    Title,
    Partners,
    Calendar,
    Context,
    History,
    Objectives,
    Description,
    Implementation,
    Contacts,
    Fundings,
    Volunteers,
    Evaluation,
}

impl Section {
    pub const ALL: [Section; 12] = [
        Section::Title,
        Section::Partners,
        Section::Calendar,
        Section::Context,
        Section::History,
        Section::Objectives,
        Section::Description,
        Section::Implementation,
        Section::Contacts,
        Section::Fundings,
        Section::Volunteers,
        Section::Evaluation,
    ];

    /// Its name in addresses, French as the rest of them.
    pub fn code(self) -> &'static str {
        match self {
            Section::Title => "titre",
            Section::Partners => "partenaires",
            Section::Calendar => "calendrier",
            Section::Context => "contexte",
            Section::History => "historique",
            Section::Objectives => "objectifs",
            Section::Description => "description",
            Section::Implementation => "mise-en-oeuvre",
            Section::Contacts => "contacts",
            Section::Fundings => "financement",
            Section::Volunteers => "volontaires",
            Section::Evaluation => "evaluation",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The declaration step whose inputs it shows (and whose reading of them it uses).
    pub fn step(self) -> super::DeclarationStep {
        use super::DeclarationStep as S;
        match self {
            Section::Title | Section::Partners => S::Partners,
            Section::Calendar => S::Calendar,
            Section::Context
            | Section::History
            | Section::Objectives
            | Section::Description
            | Section::Implementation
            | Section::Evaluation => S::Texts,
            Section::Contacts | Section::Fundings | Section::Volunteers => S::Means,
        }
    }

    /// The inputs it changes, by name (`fundings[0].year` belongs to the funding table);
    /// whatever else is posted with it is ignored.
    pub fn owns(self, name: &str) -> bool {
        let fields: &[&str] = match self {
            Section::Title => &["title"],
            Section::Calendar => &[
                "theme",
                "form",
                "status",
                "duration",
                "first_agreement_year",
                "start_year",
                "end_date",
            ],
            Section::Context => &["context"],
            Section::History => &["history"],
            Section::Objectives => &["objectives_local", "objectives_france"],
            Section::Description => &["description"],
            Section::Implementation => &["beneficiaries", "project_managers", "project_owners"],
            Section::Evaluation => &[
                "communication_france",
                "communication_partners",
                "evaluation",
            ],
            Section::Partners | Section::Contacts | Section::Fundings | Section::Volunteers => &[],
        };
        if self == Section::Partners {
            return ["french_partners", "foreign_partners"].iter().any(|g| {
                name.strip_prefix(g)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('['))
            });
        }
        let group = match self {
            Section::Calendar => Some("other_themes"),
            Section::Contacts => Some("foreign_contacts"),
            Section::Fundings => Some("fundings"),
            Section::Volunteers => Some("volunteers"),
            _ => None,
        };
        fields.contains(&name)
            || group.is_some_and(|g| {
                name.strip_prefix(g)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('['))
            })
    }
}

/// What the page of a published partnership gives the people who may change it: the inputs'
/// values (what they would edit: the open proposed change, or the published text), the section
/// to show open with what was typed and why it was refused, and what changed meanwhile when a
/// save came too late.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Editing {
    pub declaration: super::Declaration,
    /// `proposed` or `proposal_returned` while a change is open.
    pub proposal: Option<String>,
    /// The moderator's comment on a proposed change sent back.
    pub comment: Option<String>,
    /// Their changes publish at once.
    pub moderator: bool,
    pub open: Option<Section>,
    pub stale: Option<Stale>,
}

/// What a refused section edit leaves in the session for the page to show again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SectionFlash {
    pub id: i32,
    pub section: Section,
    /// The version the next save is made from.
    pub version: i32,
    pub form: super::account::FormEcho,
    pub stale: Option<Stale>,
}

#[cfg(test)]
mod tests {
    use super::Section;

    #[test]
    fn a_section_owns_its_inputs_and_rows_only() {
        assert!(Section::Fundings.owns("fundings[2].amount_eur"));
        assert!(Section::Fundings.owns("fundings"));
        assert!(!Section::Fundings.owns("fundings_total"));
        assert!(!Section::Fundings.owns("volunteers[0].mission"));
        assert!(Section::Calendar.owns("other_themes[0].code"));
        assert!(Section::Title.owns("title"));
        assert!(!Section::Title.owns("french_partners[0]"));
        assert!(Section::Partners.owns("french_partners[0].label"));
        assert!(Section::Partners.owns("foreign_partners[1].country"));
        assert!(!Section::Partners.owns("title"));
        for s in Section::ALL {
            assert_eq!(Section::from_code(s.code()), Some(s));
        }
    }
}
