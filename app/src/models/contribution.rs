//! What contributors send: a partnership to declare or to save (the REST API's JSON, the
//! declaration form), and what the write path answers.

use super::vocab::{Duration, PublicationState, Status};
use serde::{Deserialize, Serialize};

/// A French partner as given: its identity (`commune-73065`), a commune's INSEE code or a
/// SIREN, as a bare string or as the `{"code": …}` object the read API returns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FrenchPartnerRef {
    Key(String),
    Object { code: String },
}

impl FrenchPartnerRef {
    pub fn key(&self) -> &str {
        match self {
            FrenchPartnerRef::Key(key) | FrenchPartnerRef::Object { code: key } => key,
        }
    }
}

/// A foreign partner: an existing foreign authority by its `id`, or a new one by its `name`
/// and `country` (ISO 3166 alpha-2).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ForeignPartnerRef {
    pub id: Option<i32>,
    pub name: Option<String>,
    pub country: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OtherThemeDraft {
    pub code: String,
    pub priority: Option<i32>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactDraft {
    /// The partner authority the contact works for.
    pub authority: String,
    pub last_name: String,
    pub first_name: String,
    pub role: Option<String>,
    pub email: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FundingDraft {
    pub funder: String,
    pub amount_eur: f64,
    pub water_1pct_eur: Option<f64>,
    pub year: Option<i32>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VolunteerDraft {
    pub last_name: String,
    pub first_name: String,
    pub mission: Option<String>,
    pub field: Option<String>,
    pub assigned_entity: Option<String>,
}

/// A partnership as a contributor writes it: the read API's fields, with references by code.
/// Everything may be missing in a draft; submitting asks for what publication needs. Fields
/// the read API adds (`id`, `slug`, `labels`, `embassy`…) are ignored, so a client can send
/// back what it read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PartnershipDraft {
    pub title: String,
    pub status: Option<Status>,
    pub first_agreement_year: Option<i32>,
    pub start_year: Option<i32>,
    pub end_date: Option<chrono::NaiveDate>,
    /// A form of partnership's code.
    pub form: Option<String>,
    pub duration: Option<Duration>,
    /// The main theme's code.
    pub theme: Option<String>,
    pub other_themes: Vec<OtherThemeDraft>,
    pub context: Option<String>,
    pub history: Option<String>,
    pub objectives_local: Option<String>,
    pub objectives_france: Option<String>,
    pub description: Option<String>,
    pub project_managers: Vec<String>,
    pub project_owners: Vec<String>,
    pub beneficiaries: Option<String>,
    pub communication_france: bool,
    pub communication_partners: bool,
    pub evaluation: bool,
    pub french_partners: Vec<FrenchPartnerRef>,
    pub foreign_partners: Vec<ForeignPartnerRef>,
    pub foreign_contacts: Vec<ContactDraft>,
    pub fundings: Vec<FundingDraft>,
    pub volunteers: Vec<VolunteerDraft>,
    /// The version this draft was read at: required to save over an existing partnership.
    pub version: Option<i32>,
}

/// What a write answers: where the partnership now stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    pub id: i32,
    pub state: PublicationState,
    pub version: i32,
    /// A staff edit of a published partnership: kept as a proposed change, which a moderator
    /// publishes; the published text stays until then.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub proposed: bool,
}

/// What the hydrated declaration form hears back as one types: where the draft now stands when
/// it was saved, and what the write path refuses, named as the form's inputs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiveCheck {
    pub saved: Option<Saved>,
    pub errors: Vec<crate::error::FieldError>,
}

/// A moderator's decision on a submitted partnership.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Published: visible to everyone at once.
    Approve,
    /// Sent back to its authors with a comment, to fix and submit again.
    Return,
    /// Refused, with a reason.
    Reject,
}

/// A partnership in a contributor's dashboard or a moderator's queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkItem {
    pub id: i32,
    pub title: String,
    pub state: PublicationState,
    pub version: i32,
    /// Names of its French partners.
    pub french_partners: Vec<String>,
    /// ISO 3166 alpha-2 codes of its partners' countries.
    pub countries: Vec<String>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// The last moderator's comment, when returned or rejected.
    pub comment: Option<String>,
    /// A published partnership's change still open: `proposed` (awaiting a moderator) or
    /// `proposal_returned` (sent back to its author).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal: Option<String>,
    /// In the moderation queue, what the proposed change changes in the published text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<super::revision::FieldChange>,
}

/// The steps of the declaration form, each a page of its own without JavaScript.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeclarationStep {
    /// Title, French and foreign partners.
    Partners,
    /// Themes, form, status and dates.
    Calendar,
    /// The texts: context, objectives, description…
    Texts,
    /// Contacts, fundings, volunteers.
    Means,
    /// Everything read back, what is missing, and the submission.
    Review,
}

impl DeclarationStep {
    pub const ALL: [DeclarationStep; 5] = [
        DeclarationStep::Partners,
        DeclarationStep::Calendar,
        DeclarationStep::Texts,
        DeclarationStep::Means,
        DeclarationStep::Review,
    ];

    /// 1 to 5, as in the page's address.
    pub fn number(self) -> u8 {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0) as u8 + 1
    }

    pub fn from_number(n: u8) -> Option<Self> {
        Self::ALL.get((n as usize).checked_sub(1)?).copied()
    }

    /// The address of this step's page: `/espace/declarations/12/3`, or the first step of a
    /// new declaration before its first save.
    pub fn url(self, id: Option<i32>) -> String {
        match id {
            Some(id) => format!("/espace/declarations/{id}/{}", self.number()),
            None => "/espace/declarations/nouvelle".to_string(),
        }
    }

    /// The step whose page holds an input (`fundings[0].year` is on "Means").
    pub fn of_field(field: &str) -> Self {
        let root = field.split(['[', '.']).next().unwrap_or(field);
        match root {
            "title" | "french_partners" | "foreign_partners" => DeclarationStep::Partners,
            "theme"
            | "other_themes"
            | "form"
            | "status"
            | "duration"
            | "first_agreement_year"
            | "start_year"
            | "end_date" => DeclarationStep::Calendar,
            "foreign_contacts" | "fundings" | "volunteers" => DeclarationStep::Means,
            "version" => DeclarationStep::Review,
            _ => DeclarationStep::Texts,
        }
    }
}

/// A referential value to choose from in the form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub code: String,
    pub label_fr: String,
    pub label_en: String,
    /// Depth in a tree (themes), 1 at the root.
    pub level: u8,
}

/// One page of the declaration form, as the server prepares it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Declaration {
    /// `None` before the first save.
    pub id: Option<i32>,
    pub version: Option<i32>,
    pub state: Option<PublicationState>,
    pub step: DeclarationStep,
    /// The inputs' values by name (what is stored, or what was typed when it was refused)
    /// and what was refused, by field.
    pub form: super::account::FormEcho,
    /// On the last step: what the write path asks before submitting.
    pub missing: Vec<crate::error::FieldError>,
    pub themes: Vec<Choice>,
    pub forms: Vec<Choice>,
    pub countries: Vec<Choice>,
}

impl Declaration {
    pub fn value(&self, name: &str) -> String {
        self.form.value(name)
    }

    pub fn error(&self, name: &str, locale: crate::i18n::Locale) -> Option<String> {
        self.form.error(name, locale)
    }

    /// How many rows a repeatable group shows (at least `min`).
    pub fn rows(&self, group: &str, min: usize) -> usize {
        self.form
            .values
            .iter()
            .filter_map(|(n, _)| {
                let rest = n.strip_prefix(group)?.strip_prefix('[')?;
                rest.split_once(']')?.0.parse::<usize>().ok().map(|i| i + 1)
            })
            .max()
            .unwrap_or(0)
            .max(min)
    }

    /// Whether the foreign partner of a row exists already (its name is then fixed).
    pub fn existing_foreign(&self, row: usize) -> bool {
        !self
            .value(&format!("foreign_partners[{row}].id"))
            .is_empty()
    }
}

/// What a refused form step leaves in the session for the page to show again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormFlash {
    pub id: Option<i32>,
    pub step: DeclarationStep,
    pub form: super::account::FormEcho,
}
