//! The reference lists that administrators and national moderators keep: the thematic
//! taxonomy, the forms of partnership, and the embassies with their contacts (which an embassy
//! moderator keeps for the countries of the embassy).

use super::partnership::EmbassyContact;
use serde::{Deserialize, Serialize};

/// The two coded lists, edited the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReferenceList {
    /// The thematic taxonomy, a tree three levels deep.
    Themes,
    /// The forms of partnership, a flat list.
    Forms,
}

impl ReferenceList {
    /// The name the API and the revisions use.
    pub fn code(self) -> &'static str {
        match self {
            ReferenceList::Themes => "themes",
            ReferenceList::Forms => "forms",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "themes" => Some(ReferenceList::Themes),
            "forms" => Some(ReferenceList::Forms),
            _ => None,
        }
    }

    /// Where its administration page is.
    pub fn path(self) -> &'static str {
        match self {
            ReferenceList::Themes => "/administration/thematiques",
            ReferenceList::Forms => "/administration/formes",
        }
    }
}

/// A theme or a form of partnership, with how many partnerships use it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferenceEntry {
    pub code: String,
    /// The parent theme (themes only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// 1 for a top theme; always 1 for a form.
    pub level: i16,
    pub label_fr: String,
    pub label_en: String,
    /// Where it comes among its siblings (smallest first).
    pub position: i32,
    pub version: i32,
    /// Partnerships (every state) that use it: one in use cannot be deleted.
    pub used: u64,
    /// Sub-themes: a theme that has some cannot be deleted.
    #[serde(default)]
    pub children: u64,
}

/// One change kept in a reference list's history: the entry as that change wrote it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReferenceRevision {
    /// The entry's version after the change.
    pub version: i32,
    /// `created`, `updated` or `deleted`.
    pub action: String,
    /// Who made it (an email); `None` for the command line and the seeding.
    pub author: Option<String>,
    pub at: chrono::DateTime<chrono::Utc>,
    /// Its labels then.
    pub label_fr: String,
    pub label_en: String,
}

/// A new entry (`code` and, for a sub-theme, `parent`) or a change to one (`version`: the
/// version it was read at; `code` and `parent` cannot change).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReferenceChange {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub label_fr: String,
    #[serde(default)]
    pub label_en: String,
    /// Left out: after its siblings (new) or where it was (change).
    #[serde(default)]
    pub position: Option<i32>,
    #[serde(default)]
    pub version: Option<i32>,
}

/// The French embassy in a country, as its editors see it (contacts' emails included).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmbassyEntry {
    /// ISO 3166 alpha-2: one embassy per country.
    pub country: String,
    pub country_name: String,
    pub name: String,
    pub version: i32,
    pub contacts: Vec<EmbassyContact>,
}

/// An embassy as written: its name and the whole list of its contacts, which replaces the
/// current one; `version` as read (left out for a new embassy).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EmbassyChange {
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub contacts: Vec<EmbassyContact>,
    #[serde(default)]
    pub version: Option<i32>,
}

/// The session keys under which a refused add form and a refused entry form keep what was
/// typed for their page.
pub const REFERENCE_ADD_FORM: &str = "reference_add_form";
pub const REFERENCE_ENTRY_FORM: &str = "reference_entry_form";

/// The embassies' page: the list, and the countries to add one in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmbassiesPage {
    pub embassies: Vec<EmbassyEntry>,
    /// The countries without an embassy, when this person may add one (empty otherwise).
    pub countries: Vec<super::Choice>,
    pub echo: super::FormEcho,
}
