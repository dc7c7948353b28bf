//! The identity of a French local authority: its kind and its official code, written
//! `{kind}-{code}` (`commune-73065`, `epci-200069110`, `departement-75`, `region-11`,
//! `com-975`). INSEE gives a département and a région the same two-digit code (75 is Paris and
//! Nouvelle-Aquitaine), so a code alone never names an authority; the kind in front does, and
//! it says what the authority is. The same string is the page address, the search filter's
//! value, the API's `code` and the export's column.

use super::vocab::CollectivityKind;
use serde::{Deserialize, Serialize};

/// A French authority's identity, parsed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AuthorityId {
    pub kind: CollectivityKind,
    /// INSEE code (commune, département, région, overseas collectivity) or SIREN (EPCI).
    pub code: String,
}

impl AuthorityId {
    pub fn new(kind: CollectivityKind, code: &str) -> Self {
        AuthorityId {
            kind,
            code: code.to_ascii_uppercase(),
        }
    }

    /// Reads `{kind}-{code}`; `None` for anything else (a bare code is not an identity).
    pub fn parse(text: &str) -> Option<Self> {
        let (kind, code) = text.split_once('-')?;
        let kind = CollectivityKind::from_code(kind)?;
        let valid = match kind {
            CollectivityKind::Epci => code.len() == 9 && code.bytes().all(|b| b.is_ascii_digit()),
            CollectivityKind::Commune => {
                code.len() == 5 && code.bytes().all(|b| b.is_ascii_alphanumeric())
            }
            _ => (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric()),
        };
        valid.then(|| AuthorityId::new(kind, code))
    }

    /// The page of the authority.
    pub fn href(&self) -> String {
        format!("/collectivites/{self}")
    }
}

impl std::fmt::Display for AuthorityId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.kind.code(), self.code)
    }
}

/// One authority among those an ambiguous code or name could mean.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuthorityCandidate {
    /// The identity, `{kind}-{code}`.
    pub id: String,
    pub kind: CollectivityKind,
    pub code: String,
    pub name: String,
}

/// An existing foreign authority, as the declaration's picker proposes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ForeignCandidate {
    pub id: i32,
    pub name: String,
    /// ISO 3166 alpha-2, when known.
    pub country: Option<String>,
    /// The country's name in French and in English (or as the legacy atlas wrote it).
    pub country_fr: String,
    pub country_en: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_read_back_and_say_the_kind() {
        for text in [
            "commune-73065",
            "commune-2A004",
            "epci-200069110",
            "departement-75",
            "departement-2B",
            "region-11",
            "com-975",
        ] {
            assert_eq!(AuthorityId::parse(text).unwrap().to_string(), text);
        }
        let paris = AuthorityId::parse("departement-75").unwrap();
        let aquitaine = AuthorityId::parse("region-75").unwrap();
        assert_ne!(paris, aquitaine);
        assert_eq!(paris.href(), "/collectivites/departement-75");
        assert_eq!(
            AuthorityId::parse("commune-2a004").unwrap().to_string(),
            "commune-2A004"
        );
    }

    #[test]
    fn bare_codes_and_nonsense_are_not_identities() {
        for text in [
            "75",
            "75056",
            "ville-75056",
            "commune-750",
            "epci-2000691",
            "region-",
            "region-1/2",
            "",
        ] {
            assert_eq!(AuthorityId::parse(text), None, "{text}");
        }
    }
}
