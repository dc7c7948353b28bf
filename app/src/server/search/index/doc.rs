//! What the index keeps of each partnership to list it, export it and order it. A million of
//! them stay in memory: the values documents repeat (codes, partners' and funders' names) are
//! kept once, in `Names`, and a document holds their numbers, all in one list.

use crate::models::{FunderKind, Status};
use std::hash::BuildHasher;

/// A value that many documents hold, as the index's build reads it: its readers share one copy
/// of each (`Interner`) until the index numbers it.
pub type Shared = std::sync::Arc<str>;

/// Gives the one shared copy of each value; the index's build shares one among its readers.
#[derive(Debug, Default)]
pub struct Interner(
    std::sync::Mutex<std::collections::HashSet<Shared, foldhash::fast::RandomState>>,
);

impl Interner {
    pub fn get(&self, value: &str) -> Shared {
        let mut values = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = values.get(value) {
            return known.clone();
        }
        let shared: Shared = value.into();
        values.insert(shared.clone());
        shared
    }
}

/// A partnership's fields as the index takes them in; it keeps them as a `Doc`.
#[derive(Clone, Debug)]
pub struct DocFields {
    pub id: i32,
    pub title: Box<str>,
    pub status: Option<Status>,
    pub start_year: Option<i32>,
    pub first_agreement_year: Option<i32>,
    pub end_date: Option<chrono::NaiveDate>,
    pub form: Option<Shared>,
    pub theme: Option<Shared>,
    pub other_themes: Vec<Shared>,
    pub countries: Vec<Shared>,
    pub foreign_partners: Vec<Shared>,
    /// Identity (`commune-73065`) of each French partner, `None` when unresolved.
    pub french_codes: Vec<Option<Shared>>,
    pub french_partners: Vec<Shared>,
    pub funders: Vec<Shared>,
    pub volunteers: bool,
    pub total_cents: i64,
    /// (year, funder kind, amount in cents) of each funding line.
    pub fundings: Vec<(Option<i32>, FunderKind, i64)>,
    /// The beginning of the description (or context), for excerpts.
    pub excerpt_source: Box<str>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[cfg(test)]
impl DocFields {
    /// A published partnership with a title and nothing else, for a test to fill in.
    pub fn titled(id: i32, title: &str) -> Self {
        DocFields {
            id,
            title: title.into(),
            status: None,
            start_year: None,
            first_agreement_year: None,
            end_date: None,
            form: None,
            theme: None,
            other_themes: Vec::new(),
            countries: Vec::new(),
            foreign_partners: Vec::new(),
            french_codes: Vec::new(),
            french_partners: Vec::new(),
            funders: Vec::new(),
            volunteers: false,
            total_cents: 0,
            fundings: Vec::new(),
            excerpt_source: "".into(),
            updated_at: chrono::Utc::now(),
        }
    }
}

/// The lists of values a document holds, in the order `Doc::values` keeps them (a form and a
/// theme are lists of none or one).
#[derive(Clone, Copy)]
enum List {
    Form,
    Theme,
    OtherThemes,
    Countries,
    ForeignPartners,
    FrenchCodes,
    FrenchPartners,
    Funders,
}

const LISTS: usize = 8;

/// In `Doc::values`, a French partner with no identity.
const NO_NAME: u32 = u32::MAX;

/// What the index keeps of a partnership: 128 bytes, its two texts and two lists. With eight
/// lists of 16-byte shared pointers and the foreign partners' ids (read by nobody) it took 240
/// bytes and eleven allocations (docs/PERFORMANCE.md).
#[derive(Clone, Debug)]
pub struct Doc {
    pub id: i32,
    pub status: Option<Status>,
    pub volunteers: bool,
    pub start_year: Option<i32>,
    pub first_agreement_year: Option<i32>,
    pub end_date: Option<chrono::NaiveDate>,
    pub total_cents: i64,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub title: Box<str>,
    /// The beginning of the description (or context), for excerpts.
    pub excerpt_source: Box<str>,
    /// (year, funder kind, amount in cents) of each funding line.
    pub fundings: Box<[(Option<i32>, FunderKind, i64)]>,
    /// The numbers in `Names` of its values, list after list (`List`).
    values: Box<[u32]>,
    /// Where each list ends in `values`. A document holding more than 65,535 values in all
    /// keeps the first 65,535 (a declaration holds at most a few dozen).
    ends: [u16; LISTS],
}

impl Doc {
    /// Keeps a document, numbering its values.
    pub(super) fn new(fields: DocFields, names: &mut Names) -> Doc {
        let DocFields {
            id,
            title,
            status,
            start_year,
            first_agreement_year,
            end_date,
            form,
            theme,
            other_themes,
            countries,
            foreign_partners,
            french_codes,
            french_partners,
            funders,
            volunteers,
            total_cents,
            fundings,
            excerpt_source,
            updated_at,
        } = fields;
        let lists = [
            &other_themes,
            &countries,
            &foreign_partners,
            &french_partners,
            &funders,
        ];
        let held = 2 + french_codes.len() + lists.iter().map(|l| l.len()).sum::<usize>();
        let mut values = Vec::with_capacity(held);
        // Each list in turn, in `List`'s order; where it ends. A form or a theme absent is an
        // empty list; a French partner unresolved keeps its place, as `NO_NAME`.
        let mut keep = |list: &mut dyn Iterator<Item = Option<&str>>| {
            for value in list {
                if values.len() == u16::MAX as usize {
                    break;
                }
                values.push(value.map_or(NO_NAME, |v| names.number(v)));
            }
            values.len() as u16
        };
        fn named(list: &[Shared]) -> impl Iterator<Item = Option<&str>> {
            list.iter().map(|v| Some(&**v))
        }
        let ends: [u16; LISTS] = [
            keep(&mut form.as_deref().map(Some).into_iter()),
            keep(&mut theme.as_deref().map(Some).into_iter()),
            keep(&mut named(&other_themes)),
            keep(&mut named(&countries)),
            keep(&mut named(&foreign_partners)),
            keep(&mut french_codes.iter().map(|c| c.as_deref())),
            keep(&mut named(&french_partners)),
            keep(&mut named(&funders)),
        ];
        Doc {
            id,
            status,
            volunteers,
            start_year,
            first_agreement_year,
            end_date,
            total_cents,
            updated_at,
            title,
            excerpt_source,
            fundings: fundings.into(),
            values: values.into(),
            ends,
        }
    }

    /// How many bytes its lists take (for `SearchIndex::footprint`).
    pub(super) fn values_bytes(&self) -> usize {
        self.values.len() * 4
    }

    fn list(&self, list: List) -> &[u32] {
        let list = list as usize;
        let start = if list == 0 { 0 } else { self.ends[list - 1] };
        &self.values[start as usize..self.ends[list] as usize]
    }
}

/// The texts documents repeat, each kept once and named by its number: a document holds 4
/// bytes for each of its values, where a shared pointer takes 16.
#[derive(Clone, Debug, Default)]
pub(super) struct Names {
    texts: Vec<Box<str>>,
    /// Each text's number, found by the text (the table keeps numbers only).
    by_text: hashbrown::HashTable<u32>,
    hasher: foldhash::fast::RandomState,
}

impl Names {
    /// The number of a text, given one when it is new.
    fn number(&mut self, text: &str) -> u32 {
        let hash = self.hasher.hash_one(text);
        let texts = &self.texts;
        if let Some(n) = self.by_text.find(hash, |n| &*texts[*n as usize] == text) {
            return *n;
        }
        let n = self.texts.len() as u32;
        let hasher = &self.hasher;
        self.by_text
            .insert_unique(hash, n, |n| hasher.hash_one(&*texts[*n as usize]));
        self.texts.push(text.into());
        n
    }

    fn text(&self, n: u32) -> Option<&str> {
        self.texts.get(n as usize).map(|t| &**t)
    }

    /// How many bytes the texts and the table take (for `SearchIndex::footprint`).
    pub(super) fn bytes(&self) -> usize {
        self.texts.iter().map(|t| t.len() + 16).sum::<usize>() + self.by_text.capacity() * 5
    }
}

/// A document with the texts its values name.
#[derive(Clone, Copy)]
pub struct DocRef<'a> {
    doc: &'a Doc,
    names: &'a Names,
}

impl std::ops::Deref for DocRef<'_> {
    type Target = Doc;

    fn deref(&self) -> &Doc {
        self.doc
    }
}

impl<'a> DocRef<'a> {
    pub(super) fn new(doc: &'a Doc, names: &'a Names) -> Self {
        DocRef { doc, names }
    }

    fn texts(&self, list: List) -> impl Iterator<Item = Option<&'a str>> + 'a {
        let names = self.names;
        self.doc.list(list).iter().map(move |n| names.text(*n))
    }

    fn present(&self, list: List) -> impl Iterator<Item = &'a str> + 'a {
        self.texts(list).flatten()
    }

    pub fn form(&self) -> Option<&'a str> {
        self.present(List::Form).next()
    }

    pub fn theme(&self) -> Option<&'a str> {
        self.present(List::Theme).next()
    }

    pub fn other_themes(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.present(List::OtherThemes)
    }

    /// The foreign partners' countries, each once, in the partners' order.
    pub fn countries(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.present(List::Countries)
    }

    pub fn foreign_partners(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.present(List::ForeignPartners)
    }

    /// Identity (`commune-73065`) of each French partner, in their order, `None` when
    /// unresolved.
    pub fn french_codes(&self) -> impl Iterator<Item = Option<&'a str>> + 'a {
        self.texts(List::FrenchCodes)
    }

    pub fn french_partners(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.present(List::FrenchPartners)
    }

    /// The funders' names, each once.
    pub fn funders(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.present(List::Funders)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(id: i32, form: Option<&str>, french_codes: &[Option<&str>]) -> DocFields {
        let shared = |values: &[&str]| values.iter().map(|v| Shared::from(*v)).collect();
        DocFields {
            form: form.map(Into::into),
            theme: Some("DUR.EAU".into()),
            other_themes: shared(&["EDU", "SAN"]),
            countries: shared(&["SN", "ML"]),
            foreign_partners: shared(&["Ville de Dakar", "Ville de Kayes"]),
            french_codes: french_codes.iter().map(|c| c.map(Into::into)).collect(),
            french_partners: french_codes.iter().map(|_| "Lyon".into()).collect(),
            funders: shared(&["Lyon", "AFD"]),
            ..DocFields::titled(id, &format!("Partenariat {id}"))
        }
    }

    #[test]
    fn a_document_gives_back_each_list_in_its_order_from_the_numbers_it_keeps() {
        let mut names = Names::default();
        let codes = [Some("commune-69123"), None, Some("region-84")];
        let doc = Doc::new(fields(1, None, &codes), &mut names);
        let doc = DocRef::new(&doc, &names);
        assert_eq!(doc.form(), None);
        assert_eq!(doc.theme(), Some("DUR.EAU"));
        assert_eq!(doc.other_themes().collect::<Vec<_>>(), ["EDU", "SAN"]);
        assert_eq!(doc.countries().collect::<Vec<_>>(), ["SN", "ML"]);
        assert_eq!(
            doc.foreign_partners().collect::<Vec<_>>(),
            ["Ville de Dakar", "Ville de Kayes"]
        );
        // An unresolved partner keeps its place, so that codes and names stay side by side.
        assert_eq!(doc.french_codes().collect::<Vec<_>>(), codes);
        assert_eq!(doc.french_partners().count(), 3);
        assert_eq!(doc.funders().collect::<Vec<_>>(), ["Lyon", "AFD"]);

        let other = Doc::new(fields(2, Some("PROJET"), &[]), &mut names);
        let other = DocRef::new(&other, &names);
        assert_eq!(other.form(), Some("PROJET"));
        assert_eq!(other.french_codes().count(), 0);
        assert_eq!(other.french_partners().count(), 0);
        assert_eq!(other.funders().collect::<Vec<_>>(), ["Lyon", "AFD"]);
        // Each text is kept once, whoever holds it: "Lyon" as a partner and as a funder too.
        let texts = [
            "DUR.EAU",
            "EDU",
            "SAN",
            "SN",
            "ML",
            "Ville de Dakar",
            "Ville de Kayes",
            "commune-69123",
            "region-84",
            "Lyon",
            "AFD",
            "PROJET",
        ];
        assert_eq!(names.texts.len(), texts.len());
    }

    /// A million of them are kept: 8 bytes more each is 8 MB more.
    #[test]
    fn a_document_takes_128_bytes() {
        assert_eq!(std::mem::size_of::<Doc>(), 128);
    }
}
