//! "Who else works there?": the other French authorities active in the same country on a
//! related theme, ranked by how close their work is. What the legacy atlas called
//! "mutualisation": authorities acting in the same place on the same subject finding each other.

use super::partnership::Embassy;
use super::search::SearchItem;
use serde::{Deserialize, Serialize};

/// Where a partnership stands, as the ranking sees it: work going on first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    Completed,
    /// Planned, or not said.
    Other,
    Ongoing,
}

/// How close another authority's partnership is to the work looked from. Compared field by
/// field, in this order: the same foreign partner before the same country only; the same
/// sub-theme (3) before the same theme (2) before the same parent theme (1); ongoing before
/// completed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Closeness {
    pub same_partner: bool,
    /// The deepest level of the theme tree the two share: 3 a sub-theme, 2 a theme, 1 a
    /// parent theme.
    pub theme_level: u8,
    pub activity: Activity,
}

/// One of an authority's partnerships among its peers', with how close it is (none on the
/// `/synergies` page, which has no partnership to compare with).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeerPartnership {
    pub item: SearchItem,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closeness: Option<Closeness>,
}

/// Another French authority working there, with its partnerships there, closest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Peer {
    /// Its identity (`commune-73065`), the address of its page.
    pub id: String,
    pub name: String,
    pub name_en: String,
    /// Its closest partnership's closeness.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closeness: Option<Closeness>,
    /// How many of its partnerships are there (more than are listed, sometimes).
    pub count: u32,
    pub ongoing: u32,
    pub partnerships: Vec<PeerPartnership>,
}

/// The peers of a piece of work in one country, or in the selection of the `/synergies` page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Synergies {
    /// The country (ISO 3166 alpha-2) they share, when one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub country_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub country_name_en: String,
    /// How many authorities there are in all (more than are listed, sometimes).
    pub total: u32,
    pub peers: Vec<Peer>,
    /// The French embassy there, whose staff can put peers in touch. Its contacts' emails are
    /// concealed, as everywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embassy: Option<Embassy>,
}

impl Synergies {
    /// Conceals the embassy contacts' emails, since the result is embedded in the page.
    pub fn conceal_emails(mut self) -> Self {
        if let Some(embassy) = &mut self.embassy {
            embassy.conceal_emails();
        }
        self
    }

    /// The peers as the open data gives them: the embassy's agents without their names or
    /// emails (the pages show them to readers).
    pub fn without_personal_data(mut self) -> Self {
        self.embassy = self.embassy.map(Embassy::without_personal_data);
        self
    }
}
