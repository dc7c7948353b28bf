//! The facet and full-text index: one roaring bitmap of documents per facet value, one posting
//! list per search term. A search intersects bitmaps; each facet's counts are taken with every
//! filter but its own (disjunctive faceting), so that a reader sees what ticking another value
//! would give.

mod doc;
mod synergies;

use doc::Names;
pub use doc::{Doc, DocFields, DocRef, Interner, Shared};
pub use synergies::{Found, Listing};

use super::text::{self, Analyzer, QueryTerms};
use crate::error::FieldError;
use crate::models::{Facet, FacetValue, FunderKind, SearchItem, SearchQuery, Sort, MAX_PER_PAGE};
use roaring::RoaringBitmap;
use std::collections::BTreeMap;
use std::hash::BuildHasher;

/// The index's maps: keyed by codes and words, looked up millions of times while it builds.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// How much a word weighs in the ranking, by where it appears.
pub const WEIGHT_TITLE: u16 = 8;
pub const WEIGHT_PARTNER: u16 = 4;
pub const WEIGHT_OBJECTIVES: u16 = 2;
pub const WEIGHT_TEXT: u16 = 1;
/// What a word found only as the prefix of a longer one counts, against a whole word.
const PREFIX_FACTOR: f32 = 0.1;
/// What the stem of a word being typed counts when longer words begin with that word.
const CUT_FACTOR: f32 = 0.01;
/// Added to the score of a document where every word of the search matches whole: above any
/// sum of weights a text can reach.
const WHOLE_WORDS: f32 = 100_000.0;

/// Facets whose long tail is cut in the response (the selected values always stay).
const LONG_FACETS: &[(Facet, usize)] = &[
    (Facet::Departement, 40),
    (Facet::FrenchAuthority, 30),
    (Facet::ForeignPartner, 30),
];

/// A value a facet can take, with its labels. 36,000 French authorities are registered
/// whatever the number of partnerships: no capacity kept, and an English label that is the
/// French one (a commune's name) shares its text.
#[derive(Clone, Debug)]
pub struct ValueInfo {
    pub code: Box<str>,
    pub label: Shared,
    pub label_en: Option<Shared>,
    pub parent: Option<Box<str>>,
}

impl ValueInfo {
    pub fn new(code: &str, label: &str, label_en: Option<&str>, parent: Option<&str>) -> Self {
        let label: Shared = label.into();
        let label_en = label_en.map(|en| match en == &*label {
            true => label.clone(),
            false => en.into(),
        });
        ValueInfo {
            code: code.into(),
            label,
            label_en,
            parent: parent.map(Into::into),
        }
    }

    /// The label in English, the French one when there is none.
    pub fn label_en_or_fr(&self) -> &str {
        self.label_en.as_deref().unwrap_or(&self.label)
    }
}

/// How a facet's values are listed.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Order {
    /// The order the values were registered in (vocabularies, the theme tree).
    Registered,
    /// Most partnerships first.
    Count,
    /// Most recent year first.
    YearDesc,
}

/// Every document's values of one facet as one flat list: document `d`'s values are
/// `ids[starts[d]..starts[d + 1]]` (to the end for the last one). Documents are only ever
/// appended, each with all its values at once.
#[derive(Clone, Debug, Default)]
struct PerDoc {
    starts: Vec<u32>,
    ids: Vec<u32>,
}

impl PerDoc {
    fn of(&self, doc: u32) -> &[u32] {
        let doc = doc as usize;
        match self.starts.get(doc) {
            Some(start) => {
                let end = self
                    .starts
                    .get(doc + 1)
                    .map_or(self.ids.len(), |e| *e as usize);
                &self.ids[*start as usize..end]
            }
            None => &[],
        }
    }

    fn add(&mut self, doc: u32, id: u32) {
        while self.starts.len() <= doc as usize {
            self.starts.push(self.ids.len() as u32);
        }
        if !self.of(doc).contains(&id) {
            self.ids.push(id);
        }
    }
}

/// A document's place by relevance as one integer, smaller first: its score, highest first
/// (as `f32::total_cmp` orders them), then its rank by recency.
fn relevance_key(score: f32, recent: u32) -> u64 {
    let bits = score.to_bits();
    // The usual mapping of a float's bits to an unsigned integer in the same order.
    let ordered = if bits >> 31 == 1 {
        !bits
    } else {
        bits | 1 << 31
    };
    (u64::from(!ordered) << 32) | u64::from(recent)
}

/// What counting a facet costs, in nanoseconds on the bench machine (a 2-core AMD EPYC), as
/// measured at 130,001 partnerships with `ATLAS_COUNTING_COSTS=1 atlas bench-search`
/// (`FacetField::walking_is_cheaper`, docs/PERFORMANCE.md). Walking: per document of the set,
/// and per value of a document; listing the set first, per document held in an array
/// container (copied) and in a bitset one (decoded).
const WALK_DOC_NS: f64 = 1.0;
const WALK_VALUE_NS: f64 = 1.6;
const LIST_ARRAY_DOC_NS: f64 = 0.5;
const LIST_BITSET_DOC_NS: f64 = 1.5;
/// Intersecting: per value; per value and document of the set held in an array container (a
/// merge); per value and posting of the value in a bitset container of the set (lookups), at
/// most `INTERSECT_BITSET_NS` (a word-by-word AND of two bitsets).
const INTERSECT_VALUE_NS: f64 = 100.0;
const INTERSECT_ARRAY_DOC_NS: f64 = 0.6;
const INTERSECT_POSTING_NS: f64 = 0.4;
const INTERSECT_BITSET_NS: f64 = 900.0;

/// A set of documents, listed in order the first time a facet is counted by walking it: the
/// facets a query does not filter share one set, and listing it once is cheaper than reading
/// the bitmap for each.
struct Listed<'a> {
    bitmap: &'a RoaringBitmap,
    /// Whether the set is every live document (`SearchIndex::listed`): then each value's count
    /// is the one `finish` kept.
    everything: bool,
    docs: std::cell::OnceCell<Vec<u32>>,
    /// How many of its documents are held in array containers, and how many bitset containers
    /// it has.
    shape: std::cell::OnceCell<(f64, f64)>,
}

impl<'a> Listed<'a> {
    fn new(bitmap: &'a RoaringBitmap) -> Self {
        Listed {
            bitmap,
            everything: false,
            docs: std::cell::OnceCell::new(),
            shape: std::cell::OnceCell::new(),
        }
    }

    fn docs(&self) -> &[u32] {
        self.docs.get_or_init(|| {
            // In blocks: a whole container at a time, several times faster than one by one.
            let mut docs = vec![0; self.bitmap.len() as usize];
            let mut iter = self.bitmap.iter();
            let mut filled = 0;
            while filled < docs.len() {
                let read = iter.next_many(&mut docs[filled..]).len();
                if read == 0 {
                    break;
                }
                filled += read;
            }
            docs.truncate(filled);
            docs
        })
    }

    fn shape(&self) -> (f64, f64) {
        *self.shape.get_or_init(|| {
            let stats = self.bitmap.statistics();
            (
                f64::from(stats.n_values_array_containers),
                f64::from(stats.n_bitset_containers + stats.n_run_containers),
            )
        })
    }
}

/// The set facet `i` is counted among when the query filters it: the documents every other
/// filter keeps (a facet's counts leave out its own filter). `None` when it is not filtered:
/// then the matching set.
fn facet_set(
    base: &RoaringBitmap,
    filters: &[Option<RoaringBitmap>],
    i: usize,
) -> Option<RoaringBitmap> {
    filters[i].as_ref()?;
    let mut set = base.clone();
    for (j, filter) in filters.iter().enumerate() {
        if let (true, Some(filter)) = (j != i, filter) {
            set &= filter;
        }
    }
    Some(set)
}

#[derive(Clone, Debug)]
struct FacetField {
    values: Vec<ValueInfo>,
    /// Each value's id, found by its code (the table keeps ids only, the codes are the
    /// values').
    by_code: hashbrown::HashTable<u32>,
    hasher: foldhash::fast::RandomState,
    /// Other codes a filter may use for values (a commune's SIREN), each naming one value or
    /// more.
    aliases: HashMap<Box<str>, Box<[u32]>>,
    /// The kinds under which a bare code is also tried, as an identity (`75` as
    /// `departement-75`, `region-75`…): a bare INSEE code names the authorities of every kind
    /// that have it (a département and a région may share one, and then it matches both).
    bare_kinds: &'static [crate::models::CollectivityKind],
    bitmaps: Vec<RoaringBitmap>,
    /// The values of each document. Counting a facet intersects each value's bitmap with the
    /// matching set, which costs about the total size of the bitmaps; walking the matching
    /// documents costs the size of the set: the cheaper is taken.
    per_doc: PerDoc,
    order: Order,
    /// Each value's count among every live document, as `finish` last counted them: the
    /// counts of a search without filter (the search page as it opens), which intersecting
    /// recomputed each time (half the server's time on that page).
    everywhere: Vec<u64>,
    /// How many values some document has, as `finish` last counted them: intersecting costs
    /// per value held (36,000 French authorities are registered, a few thousand held).
    held: usize,
}

impl FacetField {
    fn new(order: Order) -> Self {
        FacetField {
            values: Vec::new(),
            by_code: hashbrown::HashTable::new(),
            hasher: Default::default(),
            aliases: HashMap::default(),
            bare_kinds: &[],
            bitmaps: Vec::new(),
            per_doc: PerDoc::default(),
            order,
            everywhere: Vec::new(),
            held: 0,
        }
    }

    /// Each value's count among a set, by value id, the cheaper way (among every live
    /// document, the counts kept: not copied, 36,000 of them for the French authorities).
    fn counts(&self, set: &Listed) -> std::borrow::Cow<'_, [u64]> {
        if set.everything && self.everywhere.len() == self.values.len() {
            return std::borrow::Cow::Borrowed(&self.everywhere);
        }
        std::borrow::Cow::Owned(if self.walking_is_cheaper(set) {
            self.counts_by_walking(set.docs())
        } else {
            self.counts_by_bitmaps(set.bitmap)
        })
    }

    /// Walking a set costs the same for every document, more for a facet with several values
    /// a document; intersecting costs per value, and more when the set is held in arrays
    /// (fewer than 4,096 of its documents in a block of 65,536) than in bitsets.
    fn walking_is_cheaper(&self, set: &Listed) -> bool {
        let docs = set.bitmap.len() as f64;
        let documents = self.per_doc.starts.len().max(1) as f64;
        let postings = self.per_doc.ids.len() as f64;
        let (in_arrays, bitsets) = set.shape();
        let mut walk = docs * (WALK_DOC_NS + WALK_VALUE_NS * postings / documents);
        if set.docs.get().is_none() {
            walk += in_arrays * LIST_ARRAY_DOC_NS + (docs - in_arrays) * LIST_BITSET_DOC_NS;
        }
        let values = self.held as f64;
        let blocks = (documents / 65_536.0).ceil();
        let per_block = postings / values.max(1.0) / blocks;
        let intersect = values
            * (INTERSECT_VALUE_NS
                + INTERSECT_ARRAY_DOC_NS * in_arrays
                + bitsets * (INTERSECT_POSTING_NS * per_block).min(INTERSECT_BITSET_NS));
        walk < intersect
    }

    fn counts_by_walking(&self, docs: &[u32]) -> Vec<u64> {
        let mut counts = vec![0; self.values.len()];
        for doc in docs {
            for id in self.per_doc.of(*doc) {
                counts[*id as usize] += 1;
            }
        }
        counts
    }

    fn counts_by_bitmaps(&self, set: &RoaringBitmap) -> Vec<u64> {
        let mut counts = vec![0; self.values.len()];
        for (count, bitmap) in counts.iter_mut().zip(&self.bitmaps) {
            if !bitmap.is_empty() {
                *count = set.intersection_len(bitmap);
            }
        }
        counts
    }

    /// The id of the value with this code.
    fn id(&self, code: &str) -> Option<u32> {
        let values = &self.values;
        self.by_code
            .find(self.hasher.hash_one(code), |id| {
                &*values[*id as usize].code == code
            })
            .copied()
    }

    fn register(&mut self, info: ValueInfo) -> u32 {
        if let Some(id) = self.id(&info.code) {
            return id;
        }
        let id = self.values.len() as u32;
        let (values, hasher) = (&self.values, &self.hasher);
        self.by_code
            .insert_unique(hasher.hash_one(&*info.code), id, |id| {
                hasher.hash_one(&*values[*id as usize].code)
            });
        self.values.push(info);
        self.bitmaps.push(RoaringBitmap::new());
        id
    }

    fn alias(&mut self, alias: &str, code: &str) {
        if self.id(alias).is_some() {
            return;
        }
        if let Some(id) = self.id(code) {
            let ids = self.aliases.entry(alias.into()).or_default();
            if !ids.contains(&id) {
                *ids = ids.iter().copied().chain([id]).collect();
            }
        }
    }

    /// The values a code names: its own, those of an alias, or those of the bare code under
    /// each kind; empty for a code that names none.
    fn ids(&self, code: &str) -> Vec<u32> {
        if let Some(id) = self.id(code) {
            return vec![id];
        }
        if let Some(ids) = self.aliases.get(code) {
            return ids.to_vec();
        }
        self.bare_kinds
            .iter()
            .filter_map(|kind| self.id(&crate::models::AuthorityId::new(*kind, code).to_string()))
            .collect()
    }

    fn add(&mut self, code: &str, doc: u32) {
        let id = match self.id(code) {
            Some(id) => id,
            None => self.register(ValueInfo::new(code, code, None, None)),
        };
        self.bitmaps[id as usize].insert(doc);
        self.per_doc.add(doc, id);
    }

    /// The documents having any of the codes (a code no document has adds none).
    fn any_of<'a>(&self, codes: impl IntoIterator<Item = &'a str>) -> RoaringBitmap {
        let mut union = RoaringBitmap::new();
        for code in codes {
            for id in self.ids(code) {
                union |= &self.bitmaps[id as usize];
            }
        }
        union
    }
}

/// One term's documents, in document order, with the term's weight in each (saturated at 255).
/// Two flat lists: five bytes a posting, where a list of pairs takes eight.
#[derive(Clone, Debug, Default)]
struct Postings {
    docs: Vec<u32>,
    weights: Vec<u8>,
}

impl Postings {
    fn len(&self) -> usize {
        self.docs.len()
    }

    fn push(&mut self, doc: u32, weight: u16) {
        self.docs.push(doc);
        self.weights.push(weight.min(u8::MAX as u16) as u8);
    }

    fn shrink_to_fit(&mut self) {
        self.docs.shrink_to_fit();
        self.weights.shrink_to_fit();
    }
}

/// What indexing keeps from one document to the next: each word's term id (a word is
/// analysed once per build, not once per occurrence) and a buffer of weights. Made for one
/// index: term ids are that index's.
#[derive(Default)]
pub struct Indexer {
    analyzer: Analyzer,
    term_ids: HashMap<String, Option<u32>>,
    weights: Vec<(u32, u16)>,
}

/// A partnership as the index takes it in: what to list, what to facet, what to search.
#[derive(Clone, Debug)]
pub struct DocInput {
    pub doc: DocFields,
    pub facets: Vec<(Facet, String)>,
    pub texts: Vec<(u16, String)>,
}

/// What a query matches: the text's matches (`base`), each facet's filter, their
/// intersection and the text scores, with the words read from the query (for the excerpts).
struct Matching {
    analyzer: Analyzer,
    terms: QueryTerms,
    base: RoaringBitmap,
    filters: Vec<Option<RoaringBitmap>>,
    result: RoaringBitmap,
    /// Text scores by document index; empty without text.
    scores: Vec<f32>,
}

/// The result of a search before it is turned into a page.
pub struct Outcome {
    pub total: u64,
    pub items: Vec<SearchItem>,
    pub facets: Vec<(Facet, Vec<FacetValue>)>,
    /// Every matching document, for the maps and statistics.
    pub matching: RoaringBitmap,
}

impl Outcome {
    /// One facet's values, empty when it was not asked for.
    pub fn facet(&self, facet: Facet) -> Vec<FacetValue> {
        self.facets
            .iter()
            .find(|(f, _)| *f == facet)
            .map(|(_, values)| values.clone())
            .unwrap_or_default()
    }
}

/// Up to this many new documents are placed one by one in the orders; more, and they are
/// sorted again.
const INCREMENTAL_RANKING: usize = 64;

/// One order of every document, computed once per batch of changes: `order` lists the
/// documents from first to last, `rank` gives each document's place in it.
#[derive(Clone, Debug, Default)]
struct Ranking {
    order: Vec<u32>,
    rank: Vec<u32>,
}

impl Ranking {
    fn new<K: Ord>(len: usize, key: impl Fn(usize) -> K) -> Self {
        let mut order: Vec<u32> = (0..len as u32).collect();
        order.sort_by_cached_key(|i| key(*i as usize));
        let mut rank = vec![0; len];
        for (r, index) in order.iter().enumerate() {
            rank[*index as usize] = r as u32;
        }
        Ranking { order, rank }
    }

    /// Places the documents added since (indices `order.len()..len`) in the order: a binary
    /// search and an insertion each, then every rank again (a pass over integers). Cheaper than
    /// sorting everything again when a write adds a few documents to a large index.
    fn extend<K: Ord>(&mut self, len: usize, key: impl Fn(usize) -> K) {
        for index in self.order.len()..len {
            let k = key(index);
            let at = self.order.partition_point(|&j| key(j as usize) <= k);
            self.order.insert(at, index as u32);
        }
        self.rank.resize(len, 0);
        for (r, index) in self.order.iter().enumerate() {
            self.rank[*index as usize] = r as u32;
        }
    }

    /// The first `take` documents of a set in this order. A large set is met early by walking
    /// the order; a small one is cheaper to collect and sort by rank.
    fn first(&self, set: &RoaringBitmap, take: usize) -> Vec<u32> {
        let len = set.len() as usize;
        let walk_cost = take.saturating_mul(self.order.len()) / len.max(1);
        if walk_cost < len {
            return self
                .order
                .iter()
                .copied()
                .filter(|index| set.contains(*index))
                .take(take)
                .collect();
        }
        let mut docs: Vec<u32> = set.iter().collect();
        let by_rank = |a: &u32, b: &u32| self.rank[*a as usize].cmp(&self.rank[*b as usize]);
        if take < docs.len() {
            docs.select_nth_unstable_by(take, by_rank);
            docs.truncate(take);
        }
        docs.sort_unstable_by(by_rank);
        docs
    }
}

#[derive(Clone, Debug)]
pub struct SearchIndex {
    docs: Vec<Doc>,
    /// The texts the documents' values name.
    names: Names,
    by_id: HashMap<i32, u32>,
    alive: RoaringBitmap,
    fields: Vec<(Facet, FacetField)>,
    terms: BTreeMap<String, u32>,
    postings: Vec<Postings>,
    /// Alphabetical by title.
    by_title: Ranking,
    /// Most recent start first, then newest id: the default order.
    by_recent: Ranking,
    /// Largest total funding first.
    by_amount: Ranking,
    /// Each theme's depth in the tree, by value id: 1 for a parent theme.
    theme_depth: Vec<u8>,
    /// How many documents there were, and how many of them live, when `finish` counted each
    /// value among every live document (`FacetField::everywhere`). Documents are only
    /// appended and a removal only shrinks `alive`, so any change since moves one of the two.
    counted_at: (usize, u64),
    pub last_change: Option<chrono::DateTime<chrono::Utc>>,
}

impl Default for SearchIndex {
    fn default() -> Self {
        let order = |facet: Facet| match facet {
            Facet::Country
            | Facet::Region
            | Facet::Departement
            | Facet::FrenchAuthority
            | Facet::ForeignPartner => Order::Count,
            Facet::StartYear | Facet::AgreementYear => Order::YearDesc,
            _ => Order::Registered,
        };
        SearchIndex {
            docs: Vec::new(),
            names: Names::default(),
            by_id: HashMap::default(),
            alive: RoaringBitmap::new(),
            fields: Facet::ALL
                .iter()
                .map(|f| {
                    let mut field = FacetField::new(order(*f));
                    if *f == Facet::FrenchAuthority {
                        field.bare_kinds = crate::models::CollectivityKind::ALL;
                    }
                    (*f, field)
                })
                .collect(),
            terms: BTreeMap::new(),
            postings: Vec::new(),
            by_title: Ranking::default(),
            by_recent: Ranking::default(),
            by_amount: Ranking::default(),
            theme_depth: Vec::new(),
            counted_at: (0, 0),
            last_change: None,
        }
    }
}

impl SearchIndex {
    fn field(&self, facet: Facet) -> &FacetField {
        &self.fields[facet as usize].1
    }

    fn field_mut(&mut self, facet: Facet) -> &mut FacetField {
        &mut self.fields[facet as usize].1
    }

    /// Makes a value known before any document has it, so a filter on it is valid (and
    /// shows zero) and it carries its labels.
    pub fn register(&mut self, facet: Facet, info: ValueInfo) {
        self.field_mut(facet).register(info);
    }

    /// Another code for a registered value (an authority's SIREN); registered for several
    /// values, a filter on it matches any of them. A bare INSEE code needs none: the French
    /// authorities' field tries it under each kind.
    pub fn alias(&mut self, facet: Facet, alias: &str, code: &str) {
        self.field_mut(facet).alias(alias, code);
    }

    pub fn len(&self) -> u64 {
        self.alive.len()
    }

    pub fn is_empty(&self) -> bool {
        self.alive.is_empty()
    }

    pub fn doc(&self, index: u32) -> DocRef<'_> {
        DocRef::new(&self.docs[index as usize], &self.names)
    }

    pub fn label(&self, facet: Facet, code: &str) -> Option<&ValueInfo> {
        let field = self.field(facet);
        field.id(code).map(|id| &field.values[id as usize])
    }

    /// Adds a partnership, or replaces it when its id is already indexed. Call `finish` after a
    /// batch.
    pub fn upsert(&mut self, input: DocInput, indexer: &mut Indexer) {
        let index = self.docs.len() as u32;
        if let Some(old) = self.by_id.insert(input.doc.id, index) {
            self.alive.remove(old);
        }
        self.alive.insert(index);
        for (facet, code) in &input.facets {
            self.field_mut(*facet).add(code, index);
        }
        let mut weights = std::mem::take(&mut indexer.weights);
        weights.clear();
        for (weight, text) in &input.texts {
            for (_, word) in text::words(text) {
                let id = match indexer.term_ids.get(word) {
                    Some(id) => *id,
                    None => {
                        let id = indexer
                            .analyzer
                            .term_uncached(word)
                            .map(|t| self.term_id(t));
                        indexer.term_ids.insert(word.to_string(), id);
                        id
                    }
                };
                if let Some(id) = id {
                    weights.push((id, *weight));
                }
            }
        }
        // Each term once, with the sum of its weights.
        weights.sort_unstable_by_key(|(id, _)| *id);
        let mut rest = weights.as_slice();
        while let Some((id, _)) = rest.first() {
            let run = rest.iter().take_while(|(other, _)| other == id).count();
            let sum = rest[..run]
                .iter()
                .fold(0u16, |sum, (_, w)| sum.saturating_add(*w));
            self.postings[*id as usize].push(index, sum);
            rest = &rest[run..];
        }
        indexer.weights = weights;
        // After a full build the list is exactly full: a write then grows it by a sixteenth,
        // not twice over.
        if self.docs.len() == self.docs.capacity() {
            self.docs.reserve_exact((self.docs.len() / 16).max(64));
        }
        self.docs.push(Doc::new(input.doc, &mut self.names));
    }

    /// The id of a term, made when it is new.
    fn term_id(&mut self, term: String) -> u32 {
        let next = self.postings.len() as u32;
        let id = *self.terms.entry(term).or_insert(next);
        if id == next {
            self.postings.push(Postings::default());
        }
        id
    }

    /// Gives back the room lists grew into while the index was built: after a full build,
    /// before it serves.
    pub fn shrink_to_fit(&mut self) {
        self.docs.shrink_to_fit();
        for postings in &mut self.postings {
            postings.shrink_to_fit();
        }
        for (_, field) in &mut self.fields {
            field.per_doc.starts.shrink_to_fit();
            field.per_doc.ids.shrink_to_fit();
        }
    }

    /// Removes a partnership (unpublished or deleted).
    pub fn remove(&mut self, id: i32) {
        if let Some(index) = self.by_id.remove(&id) {
            self.alive.remove(index);
        }
    }

    /// Recomputes what depends on every document: the orders, as one rank per document, so
    /// that sorting results compares two integers, and the themes' depths. Documents are only ever appended (a changed
    /// partnership is a new document, the old one dead), so after a few writes the new ones
    /// are placed in the orders as they are; after many, or at the start, all are sorted.
    pub fn finish(&mut self) {
        let docs = &self.docs;
        let title = |i: usize| {
            (
                deunicode::deunicode(&docs[i].title).to_lowercase(),
                docs[i].id,
            )
        };
        let recent = |i: usize| {
            (
                std::cmp::Reverse(docs[i].start_year),
                std::cmp::Reverse(docs[i].id),
            )
        };
        let amount = |i: usize| (std::cmp::Reverse(docs[i].total_cents), recent(i));
        let added = docs.len() - self.by_recent.order.len();
        if self.by_recent.order.is_empty() || added > INCREMENTAL_RANKING {
            self.by_title = Ranking::new(docs.len(), title);
            self.by_recent = Ranking::new(docs.len(), recent);
            self.by_amount = Ranking::new(docs.len(), amount);
        } else {
            self.by_title.extend(docs.len(), title);
            self.by_recent.extend(docs.len(), recent);
            self.by_amount.extend(docs.len(), amount);
        }
        self.theme_depth = self.theme_depths();
        self.count_everywhere();
    }

    /// Counts each value among every live document (`FacetField::everywhere`).
    fn count_everywhere(&mut self) {
        // Right after a full build every document lives: a value's count is its bitmap's.
        let all_live = self.alive.len() == self.docs.len() as u64;
        for (_, field) in &mut self.fields {
            field.held = field.bitmaps.iter().filter(|b| !b.is_empty()).count();
            field.everywhere = field
                .bitmaps
                .iter()
                .map(|bitmap| {
                    if all_live {
                        bitmap.len()
                    } else {
                        self.alive.intersection_len(bitmap)
                    }
                })
                .collect();
        }
        self.counted_at = (self.docs.len(), self.alive.len());
    }

    /// A set to count facets among; marked when it is every live document and the counts
    /// `finish` kept still hold (the set is always among the live documents: the same size
    /// is the same set).
    fn listed<'a>(&self, set: &'a RoaringBitmap) -> Listed<'a> {
        let mut listed = Listed::new(set);
        listed.everything =
            self.counted_at == (self.docs.len(), self.alive.len()) && set.len() == self.alive.len();
        listed
    }

    /// The documents matching the text, with their scores (by document index).
    ///
    /// Every word must match (as its term, or for the last word typed, as a prefix). A word
    /// scores its weight where it appears (the title most) times its rarity; a prefix match
    /// counts a tenth of that, and the documents where every word matches whole come first
    /// (`WHOLE_WORDS`), so that "eau" finds water before Eaubonne.
    fn text_match(&self, terms: &QueryTerms) -> (RoaringBitmap, Vec<f32>) {
        let n = self.docs.len().max(1) as f32;
        let mut matched: Option<RoaringBitmap> = None;
        let mut whole: Option<RoaringBitmap> = None;
        let mut scores = vec![0.0f32; self.docs.len()];
        // Each word: its term ids, each with its factor (1 whole, PREFIX_FACTOR as a prefix).
        let mut groups: Vec<Vec<(u32, f32)>> = terms
            .terms
            .iter()
            .map(|t| self.terms.get(t).map(|id| (*id, 1.0)).into_iter().collect())
            .collect();
        if let Some(prefix) = &terms.prefix {
            let last = terms
                .last
                .as_ref()
                .and_then(|l| terms.terms.iter().position(|t| t == l));
            let whole_id = last.and_then(|i| groups[i].first().map(|(id, _)| *id));
            let prefixed: Vec<(u32, f32)> = self
                .terms
                .range(prefix.clone()..)
                .take_while(|(t, _)| t.starts_with(prefix.as_str()))
                .map(|(_, id)| *id)
                .filter(|id| Some(*id) != whole_id)
                .map(|id| (id, PREFIX_FACTOR))
                .collect();
            match last {
                // The last word counts once, as its term or as a prefix.
                Some(i) => {
                    // A word being typed that the stemmer cut ("touris", stem "tour") while
                    // longer words begin with it ("tourisme"): its stem is no whole word, and
                    // the words that do not even hold what was typed ("Tours") come last.
                    let cut = terms.last.as_ref().is_some_and(|l| l.len() < prefix.len());
                    if cut && !prefixed.is_empty() {
                        for (_, factor) in groups[i].iter_mut() {
                            *factor = CUT_FACTOR;
                        }
                    }
                    groups[i].extend(prefixed)
                }
                None => groups.push(prefixed),
            }
        }
        for group in groups {
            let mut docs = RoaringBitmap::new();
            let mut whole_docs = RoaringBitmap::new();
            for (term, factor) in group {
                let postings = &self.postings[term as usize];
                let idf = (1.0 + n / postings.len().max(1) as f32).ln();
                for (doc, weight) in postings.docs.iter().zip(&postings.weights) {
                    scores[*doc as usize] += *weight as f32 * idf * factor;
                }
                // Postings are appended in document order, so this is a fast bulk build.
                let ids = || postings.docs.iter().copied();
                let term_docs =
                    RoaringBitmap::from_sorted_iter(ids()).unwrap_or_else(|_| ids().collect());
                if factor == 1.0 {
                    whole_docs |= &term_docs;
                }
                docs |= term_docs;
            }
            matched = Some(match matched {
                Some(m) => m & docs,
                None => docs,
            });
            whole = Some(match whole {
                Some(w) => w & whole_docs,
                None => whole_docs,
            });
        }
        for doc in whole.unwrap_or_default().iter() {
            scores[doc as usize] += WHOLE_WORDS;
        }
        (matched.unwrap_or_default(), scores)
    }

    /// The filter of one facet, `None` when the facet is not filtered.
    fn facet_filter(&self, facet: Facet, query: &SearchQuery) -> Option<RoaringBitmap> {
        let field = self.field(facet);
        if let Facet::StartYear | Facet::AgreementYear = facet {
            let (min, max) = if facet == Facet::StartYear {
                (query.start_year_min, query.start_year_max)
            } else {
                (query.agreement_year_min, query.agreement_year_max)
            };
            if min.is_none() && max.is_none() {
                return None;
            }
            let (min, max) = (min.unwrap_or(i32::MIN), max.unwrap_or(i32::MAX));
            let mut union = RoaringBitmap::new();
            for (value, bitmap) in field.values.iter().zip(&field.bitmaps) {
                if value
                    .code
                    .parse::<i32>()
                    .is_ok_and(|y| y >= min && y <= max)
                {
                    union |= bitmap;
                }
            }
            return Some(union);
        }
        let codes = query.codes(facet);
        if codes.is_empty() {
            return None;
        }
        // A well-formed value that no published partnership has (a country, a theme, a band
        // of amounts with none today) matches nothing: it is not an error, it can have some
        // tomorrow. What is not well-formed was refused when the query was read.
        Some(field.any_of(codes.iter().map(String::as_str)))
    }

    /// The documents matching a query, and the per-facet filters (for the counts).
    fn matching(&self, query: &SearchQuery) -> Matching {
        let mut analyzer = Analyzer::default();
        let terms = QueryTerms::parse(&mut analyzer, &query.q);
        let filters: Vec<Option<RoaringBitmap>> = Facet::ALL
            .iter()
            .map(|f| self.facet_filter(*f, query))
            .collect();
        let (base, scores) = if terms.is_empty() {
            (self.alive.clone(), Vec::new())
        } else {
            let (matched, scores) = self.text_match(&terms);
            (matched & &self.alive, scores)
        };
        let mut result = base.clone();
        for filter in filters.iter().flatten() {
            result &= filter;
        }
        Matching {
            analyzer,
            terms,
            base,
            filters,
            result,
            scores,
        }
    }

    /// Every facet's counts, each computed with all the filters but its own.
    fn facet_counts(
        &self,
        query: &SearchQuery,
        base: &RoaringBitmap,
        filters: &[Option<RoaringBitmap>],
        unfiltered: &Listed,
        wanted: &[Facet],
    ) -> Vec<(Facet, Vec<FacetValue>)> {
        let mut out = Vec::new();
        for (i, facet) in Facet::ALL.iter().enumerate() {
            if !wanted.contains(facet) {
                continue;
            }
            let values = match facet_set(base, filters, i) {
                None => self.values_of(*facet, unfiltered, query, false),
                Some(set) => self.values_of(*facet, &self.listed(&set), query, true),
            };
            out.push((*facet, values));
        }
        out
    }

    /// A facet's values with their counts among a set, in the facet's order, the long tail cut
    /// (`filtered`: whether the query filters this facet, so that its ticked values stay).
    fn values_of(
        &self,
        facet: Facet,
        set: &Listed,
        query: &SearchQuery,
        filtered: bool,
    ) -> Vec<FacetValue> {
        let field = self.field(facet);
        let info = |id: u32| &field.values[id as usize];
        // Ticked by their own code or through an alias (a SIREN, a shared INSEE code).
        let ticked: Vec<u32> = if filtered {
            query
                .codes(facet)
                .iter()
                .flat_map(|code| field.ids(code))
                .collect()
        } else {
            Vec::new()
        };
        // (value id, count, ticked)
        let mut kept: Vec<(u32, u64, bool)> = field
            .counts(set)
            .iter()
            .copied()
            .enumerate()
            .filter_map(|(id, count)| {
                let selected = filtered
                    && (ticked.contains(&(id as u32))
                        || query.is_selected(facet, &field.values[id].code));
                (count > 0 || selected).then_some((id as u32, count, selected))
            })
            .collect();
        let compare = |a: &(u32, u64, bool), b: &(u32, u64, bool)| match field.order {
            Order::Registered => a.0.cmp(&b.0),
            Order::Count => {
                b.1.cmp(&a.1)
                    .then_with(|| info(a.0).label.cmp(&info(b.0).label))
            }
            Order::YearDesc => info(b.0).code.cmp(&info(a.0).code),
        };
        let limit = LONG_FACETS.iter().find(|(f, _)| *f == facet).map(|l| l.1);
        if let Some(limit) = limit.filter(|limit| kept.len() > *limit) {
            // The first `limit` in order, and the ticked ones among the rest.
            kept.select_nth_unstable_by(limit, compare);
            let rest = kept.split_off(limit);
            kept.extend(rest.into_iter().filter(|v| v.2));
        }
        kept.sort_unstable_by(compare);
        kept.into_iter()
            .map(|(id, count, selected)| {
                let info = info(id);
                FacetValue {
                    value: info.code.to_string(),
                    label: info.label.to_string(),
                    label_en: info.label_en.as_deref().map(str::to_string),
                    count,
                    selected,
                    parent: info.parent.as_deref().map(str::to_string),
                }
            })
            .collect()
    }

    /// The first `take` matching documents in the requested order.
    fn ordered(&self, set: &Listed, sort: Sort, scores: &[f32], take: usize) -> Vec<u32> {
        let ranking = match sort {
            Sort::Relevance if !scores.is_empty() => None,
            Sort::Relevance | Sort::StartYear => Some(&self.by_recent),
            Sort::Title => Some(&self.by_title),
            Sort::Amount => Some(&self.by_amount),
        };
        if let Some(ranking) = ranking {
            return ranking.first(set.bitmap, take);
        }
        // By score, ties by recency: one integer per document, smaller first.
        let recent = &self.by_recent.rank;
        let key = |doc: u32| relevance_key(scores[doc as usize], recent[doc as usize]);
        if take.saturating_mul(8) < set.bitmap.len() as usize {
            // A page of a large set: the best `take` kept in a heap as the set is read, rather
            // than the whole set listed and partitioned.
            let mut best: std::collections::BinaryHeap<(u64, u32)> =
                std::collections::BinaryHeap::with_capacity(take + 1);
            for doc in set.docs() {
                let k = key(*doc);
                if best.len() < take {
                    best.push((k, *doc));
                } else if let Some(mut worst) = best.peek_mut() {
                    if k < worst.0 {
                        *worst = (k, *doc);
                    }
                }
            }
            return best
                .into_sorted_vec()
                .into_iter()
                .map(|(_, doc)| doc)
                .collect();
        }
        let mut docs: Vec<u32> = set.docs().to_vec();
        if take < docs.len() {
            docs.select_nth_unstable_by_key(take, |doc| key(*doc));
            docs.truncate(take);
        }
        docs.sort_unstable_by_key(|doc| key(*doc));
        docs
    }

    /// Runs a search: the requested page, every facet's counts, the whole matching set.
    pub fn search(
        &self,
        query: &SearchQuery,
        wanted: &[Facet],
    ) -> Result<Outcome, Vec<FieldError>> {
        let Matching {
            analyzer,
            terms,
            base,
            filters,
            result,
            scores,
        } = self.matching(query);
        // Listed once, if a facet or the order by relevance walks it.
        let listed = self.listed(&result);
        let facets = self.facet_counts(query, &base, &filters, &listed, wanted);
        let per_page = query.per_page.clamp(1, MAX_PER_PAGE) as usize;
        let offset = (query.page.max(1) as usize - 1) * per_page;
        let ordered = self.ordered(&listed, query.sort, &scores, offset + per_page);
        let items = ordered
            .iter()
            .skip(offset)
            .map(|index| self.item(*index, &terms, &analyzer, true))
            .collect();
        Ok(Outcome {
            total: result.len(),
            items,
            facets,
            matching: result,
        })
    }

    /// For each facet, what counting it for a query costs each way, in nanoseconds (the best
    /// of 20): walking the listed set, intersecting, the way taken, and listing the set. What
    /// the counting costs above were measured with (`ATLAS_COUNTING_COSTS=1 atlas
    /// bench-search`).
    pub fn counting_costs(&self, query: &SearchQuery) -> Vec<String> {
        let Matching {
            base,
            filters,
            result,
            ..
        } = self.matching(query);
        let mut out = Vec::new();
        for (i, facet) in Facet::ALL.iter().enumerate() {
            let set = facet_set(&base, &filters, i).unwrap_or_else(|| result.clone());
            let field = self.field(*facet);
            let time = |f: &dyn Fn() -> Vec<u64>| {
                let mut best = u128::MAX;
                for _ in 0..20 {
                    let t = std::time::Instant::now();
                    std::hint::black_box(f());
                    best = best.min(t.elapsed().as_nanos());
                }
                best
            };
            let listed = Listed::new(&set);
            let walk = time(&|| field.counts_by_walking(listed.docs()));
            let bitmaps = time(&|| field.counts_by_bitmaps(&set));
            let auto = time(&|| field.counts(&Listed::new(&set)).into_owned());
            let walker = field.walking_is_cheaper(&Listed::new(&set));
            let list = time(&|| {
                Listed::new(&set)
                    .docs()
                    .to_vec()
                    .into_iter()
                    .map(u64::from)
                    .collect()
            });
            let nonempty = field.bitmaps.iter().filter(|b| !b.is_empty()).count();
            out.push(format!(
                "{:>16} set {:>6} values {:>5} postings {:>6} walk {:>7} bitmaps {:>7} auto {:>7} list {:>6} {}",
                facet.key(), set.len(), nonempty, field.per_doc.ids.len(), walk, bitmaps, auto, list, if walker {"W"} else {"B"}
            ));
        }
        out
    }

    /// The `take` documents of a set changed last (published or updated), newest first.
    pub fn latest(&self, set: &RoaringBitmap, take: usize) -> Vec<u32> {
        let key = |doc: &u32| {
            let d = &self.docs[*doc as usize];
            std::cmp::Reverse((d.updated_at, d.id))
        };
        let mut docs: Vec<u32> = (set & &self.alive).iter().collect();
        if take < docs.len() {
            docs.select_nth_unstable_by_key(take, key);
            docs.truncate(take);
        }
        docs.sort_unstable_by_key(key);
        docs
    }

    /// Every document a query matches, in no order.
    pub fn matching_set(&self, query: &SearchQuery) -> RoaringBitmap {
        self.matching(query).result
    }

    /// The ids of every matching partnership, in the requested order, for the exports.
    pub fn matching_ids(&self, query: &SearchQuery) -> Result<Vec<i32>, Vec<FieldError>> {
        let Matching { result, scores, .. } = self.matching(query);
        let ordered = self.ordered(&Listed::new(&result), query.sort, &scores, usize::MAX);
        Ok(ordered.iter().map(|i| self.docs[*i as usize].id).collect())
    }

    /// A document as a result; `excerpt`: with the beginning of its text, highlighted (a list
    /// of titles, as the synergies give, goes without).
    fn item(
        &self,
        index: u32,
        terms: &QueryTerms,
        analyzer: &Analyzer,
        excerpt: bool,
    ) -> SearchItem {
        let doc = self.doc(index);
        let theme = doc.theme().and_then(|code| self.label(Facet::Theme, code));
        let countries: Vec<&ValueInfo> = doc
            .countries()
            .filter_map(|c| self.label(Facet::Country, c))
            .collect();
        let excerpt = if !excerpt || doc.excerpt_source.is_empty() {
            Vec::new()
        } else {
            let cut = text::excerpt(analyzer, terms, &doc.excerpt_source, 220);
            text::highlight(analyzer, terms, &cut)
        };
        SearchItem {
            id: doc.id,
            slug: crate::models::slugify(&doc.title),
            title: doc.title.to_string(),
            status: doc.status,
            start_year: doc.start_year,
            theme: doc.theme().map(str::to_string),
            theme_label: theme.map(|t| t.label.to_string()),
            theme_label_en: theme.and_then(|t| t.label_en.as_deref().map(str::to_string)),
            countries: doc.countries().map(str::to_string).collect(),
            country_names: countries.iter().map(|c| c.label.to_string()).collect(),
            country_names_en: countries
                .iter()
                .map(|c| c.label_en_or_fr().to_string())
                .collect(),
            foreign_partners: doc.foreign_partners().map(str::to_string).collect(),
            french_partners: doc.french_partners().map(str::to_string).collect(),
            total_amount_eur: doc.total_cents as f64 / 100.0,
            title_fragments: text::highlight(analyzer, terms, &doc.title),
            excerpt,
        }
    }

    /// Counts of one facet's values among a set (no disjunction: what the set holds).
    pub fn counts_in(&self, facet: Facet, set: &RoaringBitmap) -> Vec<(ValueInfo, u64)> {
        let field = self.field(facet);
        let mut out: Vec<(ValueInfo, u64)> = field
            .counts(&Listed::new(set))
            .iter()
            .copied()
            .zip(&field.values)
            .filter(|(n, _)| *n > 0)
            .map(|(n, v)| (v.clone(), n))
            .collect();
        if field.order == Order::Count {
            out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.label.cmp(&b.0.label)));
        }
        out
    }

    /// Funding of a set of partnerships by year and funder kind, in cents.
    pub fn funding_by_year(&self, set: &RoaringBitmap) -> BTreeMap<i32, BTreeMap<FunderKind, i64>> {
        let mut out: BTreeMap<i32, BTreeMap<FunderKind, i64>> = BTreeMap::new();
        for index in set {
            for (year, kind, cents) in &self.docs[index as usize].fundings {
                if let Some(year) = year {
                    *out.entry(*year).or_default().entry(*kind).or_insert(0) += cents;
                }
            }
        }
        out
    }

    /// The values a facet knows, with their labels (for forms and validation messages).
    pub fn known_values(&self, facet: Facet) -> &[ValueInfo] {
        &self.field(facet).values
    }

    /// Whether a value is known to a facet (by code or alias).
    pub fn knows(&self, facet: Facet, code: &str) -> bool {
        !self.field(facet).ids(code).is_empty()
    }

    /// The index of a partnership, when published.
    pub fn position(&self, id: i32) -> Option<u32> {
        self.by_id.get(&id).copied()
    }

    /// About how many bytes each part of the index holds (lists by their capacity, strings by
    /// theirs, maps by their entries; the allocator's own overhead left out): what
    /// `atlas bench-search` prints, to see where the server's memory goes.
    pub fn footprint(&self) -> Vec<(&'static str, usize)> {
        use std::mem::size_of;
        // Each repeated value once, and its number where it is held.
        let docs_text = self.names.bytes()
            + self
                .docs
                .iter()
                .map(|d| {
                    d.title.len()
                        + d.excerpt_source.len()
                        + d.values_bytes()
                        + d.fundings.len() * size_of::<(Option<i32>, FunderKind, i64)>()
                })
                .sum::<usize>();
        let excerpts: usize = self.docs.iter().map(|d| d.excerpt_source.len()).sum();
        let postings: usize = self
            .postings
            .iter()
            .map(|p| p.docs.capacity() * 4 + p.weights.capacity() + size_of::<Postings>())
            .sum();
        let terms: usize = self.terms.keys().map(|t| t.capacity() + 24 + 4 + 16).sum();
        let (mut bitmaps, mut per_doc, mut values) = (0, 0, 0);
        for (_, field) in &self.fields {
            bitmaps += field
                .bitmaps
                .iter()
                .map(RoaringBitmap::serialized_size)
                .sum::<usize>();
            per_doc += (field.per_doc.starts.capacity() + field.per_doc.ids.capacity()) * 4;
            values += field
                .values
                .iter()
                .map(|v| {
                    let label_en = match &v.label_en {
                        Some(en) if !std::sync::Arc::ptr_eq(en, &v.label) => en.len() + 16,
                        _ => 0,
                    };
                    v.code.len()
                        + v.label.len()
                        + 16
                        + label_en
                        + v.parent.as_ref().map_or(0, |p| p.len())
                        + size_of::<ValueInfo>()
                })
                .sum::<usize>()
                + field.by_code.capacity() * 5
                + field
                    .aliases
                    .iter()
                    .map(|(alias, ids)| alias.len() + ids.len() * 4 + 40)
                    .sum::<usize>();
        }
        let rankings = [&self.by_title, &self.by_recent, &self.by_amount]
            .iter()
            .map(|r| (r.order.capacity() + r.rank.capacity()) * 4)
            .sum();
        vec![
            (
                "documents (fixed part)",
                self.docs.capacity() * size_of::<Doc>(),
            ),
            ("documents' text (excerpts included)", docs_text),
            ("of which excerpts", excerpts),
            ("postings (documents and weights of each term)", postings),
            ("terms", terms),
            ("facet bitmaps", bitmaps),
            ("facet values per document", per_doc),
            ("facet values, labels and aliases", values),
            ("orders", rankings),
            ("ids", self.by_id.capacity() * 8),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::Status;

    #[test]
    fn relevance_keys_order_by_score_then_recency() {
        let mut keyed = [
            (relevance_key(0.0, 0), "nothing, newest"),
            (relevance_key(2.5, 7), "best, older"),
            (relevance_key(2.5, 3), "best, newer"),
            (relevance_key(0.1, 1), "some"),
            (relevance_key(1e9, 9), "whole words"),
        ];
        keyed.sort();
        let order: Vec<&str> = keyed.iter().map(|k| k.1).collect();
        assert_eq!(
            order,
            [
                "whole words",
                "best, newer",
                "best, older",
                "some",
                "nothing, newest"
            ]
        );
    }

    fn doc(id: i32, title: &str, country: &str, year: i32) -> DocInput {
        DocInput {
            doc: DocFields {
                status: Some(Status::Ongoing),
                start_year: Some(year),
                countries: vec![country.into()],
                total_cents: id as i64 * 100,
                ..DocFields::titled(id, title)
            },
            facets: vec![
                (Facet::Country, country.to_string()),
                (Facet::StartYear, year.to_string()),
            ],
            texts: vec![(WEIGHT_TITLE, title.to_string())],
        }
    }

    fn index() -> SearchIndex {
        let mut index = SearchIndex::default();
        let mut a = Indexer::default();
        index.upsert(doc(1, "Eau potable à Dakar", "SN", 2016), &mut a);
        index.upsert(doc(2, "Écoles de Bamako", "ML", 2012), &mut a);
        index.upsert(doc(3, "Assainissement à Kayes", "ML", 2019), &mut a);
        index.finish();
        index
    }

    #[test]
    fn an_authority_is_named_by_its_identity_its_siren_or_its_bare_code() {
        let mut index = SearchIndex::default();
        for (code, fr, en) in [
            (
                "departement-75",
                "Paris (département)",
                "Paris (department)",
            ),
            ("region-75", "Nouvelle-Aquitaine", "Nouvelle-Aquitaine"),
            ("commune-2A004", "Ajaccio", "Ajaccio"),
        ] {
            index.register(
                Facet::FrenchAuthority,
                ValueInfo::new(code, fr, Some(en), None),
            );
        }
        index.alias(Facet::FrenchAuthority, "227500016", "departement-75");
        index.alias(Facet::FrenchAuthority, "212000046", "commune-2A004");
        // An alias for a value not registered, or that is another value's code, names none.
        index.alias(Facet::FrenchAuthority, "200000000", "commune-99999");
        index.alias(Facet::FrenchAuthority, "region-75", "departement-75");
        let field = index.field(Facet::FrenchAuthority);
        let codes = |code: &str| -> Vec<&str> {
            let mut codes: Vec<&str> = field
                .ids(code)
                .into_iter()
                .map(|id| &*field.values[id as usize].code)
                .collect();
            codes.sort();
            codes
        };
        assert_eq!(codes("departement-75"), ["departement-75"]);
        assert_eq!(codes("227500016"), ["departement-75"]);
        assert_eq!(codes("75"), ["departement-75", "region-75"]);
        assert_eq!(codes("2a004"), ["commune-2A004"]);
        assert_eq!(codes("212000046"), ["commune-2A004"]);
        assert_eq!(codes("region-75"), ["region-75"]);
        assert!(codes("200000000").is_empty() && codes("76").is_empty());
        assert!(index.knows(Facet::FrenchAuthority, "75"));
        assert!(
            !index.knows(Facet::Departement, "75"),
            "only authorities take bare codes"
        );
        // The same text in both languages is kept once.
        let ajaccio = index
            .label(Facet::FrenchAuthority, "commune-2A004")
            .unwrap();
        let en = ajaccio.label_en.as_ref().unwrap();
        assert!(std::sync::Arc::ptr_eq(en, &ajaccio.label));
        let paris = index
            .label(Facet::FrenchAuthority, "departement-75")
            .unwrap();
        assert_eq!(paris.label_en_or_fr(), "Paris (department)");
    }

    #[test]
    fn facet_counts_leave_out_their_own_filter() {
        let index = index();
        let query = SearchQuery {
            country: vec!["ML".into()],
            start_year_min: Some(2015),
            ..SearchQuery::default()
        };
        let outcome = index
            .search(&query, &[Facet::Country, Facet::StartYear])
            .unwrap();
        assert_eq!(outcome.total, 1);
        let countries: Vec<(String, u64)> = outcome.facets[0]
            .1
            .iter()
            .map(|v| (v.value.clone(), v.count))
            .collect();
        // Other countries are counted under the year filter only.
        assert_eq!(countries, [("ML".to_string(), 1), ("SN".to_string(), 1)]);
        let years: Vec<(String, u64)> = outcome.facets[1]
            .1
            .iter()
            .map(|v| (v.value.clone(), v.count))
            .collect();
        assert_eq!(years, [("2019".to_string(), 1), ("2012".to_string(), 1)]);
    }

    #[test]
    fn text_search_ranks_and_an_update_replaces() {
        let mut index = index();
        let q = |text: &str| SearchQuery {
            q: text.into(),
            ..SearchQuery::default()
        };
        assert_eq!(index.matching_ids(&q("ecole")).unwrap(), [2]);
        assert_eq!(index.matching_ids(&q("assain")).unwrap(), [3]);
        index.upsert(
            doc(2, "Santé à Bamako", "ML", 2012),
            &mut Indexer::default(),
        );
        index.finish();
        assert!(index.matching_ids(&q("ecole")).unwrap().is_empty());
        assert_eq!(index.matching_ids(&q("santé")).unwrap(), [2]);
        assert_eq!(index.len(), 3);
    }

    #[test]
    fn values_nobody_has_match_nothing() {
        let index = index();
        let query = |country: &[&str]| SearchQuery {
            country: country.iter().map(|c| c.to_string()).collect(),
            ..SearchQuery::default()
        };
        let none = index.search(&query(&["ZZ"]), Facet::ALL).unwrap();
        assert_eq!(none.total, 0);
        let some = index.search(&query(&["SN"]), Facet::ALL).unwrap().total;
        assert!(some > 0);
        let both = index.search(&query(&["ZZ", "SN"]), Facet::ALL).unwrap();
        assert_eq!(
            both.total, some,
            "an unknown value beside a known one changes nothing"
        );
    }

    #[test]
    fn walking_and_intersecting_count_the_same() {
        let mut a = Indexer::default();
        let mut index = SearchIndex::default();
        let countries = ["SN", "ML", "MA", "BF", "TN"];
        for id in 1..=300 {
            let mut input = doc(id, "Projet", countries[id as usize % 5], 2000 + id % 20);
            // Some partnerships have two countries, one listed twice.
            if id % 7 == 0 {
                input.facets.push((Facet::Country, "BF".into()));
                input.facets.push((Facet::Country, "BF".into()));
            }
            index.upsert(input, &mut a);
        }
        // A replaced document leaves its old index behind, outside `alive`.
        index.upsert(doc(5, "Projet", "TN", 2019), &mut a);
        index.finish();
        let mut odd = RoaringBitmap::new();
        odd.extend((0..index.docs.len() as u32).filter(|i| i % 3 != 0));
        for set in [
            index.alive.clone(),
            odd & &index.alive,
            RoaringBitmap::new(),
        ] {
            for (facet, field) in &index.fields {
                assert_eq!(
                    field.counts_by_walking(&set.iter().collect::<Vec<_>>()),
                    field.counts_by_bitmaps(&set),
                    "{facet:?}"
                );
            }
        }
    }

    #[test]
    fn the_counts_kept_for_every_live_document_follow_each_change() {
        let mut index = index();
        // Whether the counts kept are read, and the countries' counts, among every live
        // document (what a search without filter counts among); each facet's counts are
        // checked against intersecting.
        let counts = |index: &SearchIndex| {
            let alive = index.alive.clone();
            let listed = index.listed(&alive);
            for (facet, field) in &index.fields {
                assert_eq!(
                    *field.counts(&listed),
                    field.counts_by_bitmaps(&alive),
                    "{facet:?}"
                );
            }
            let field = index.field(Facet::Country);
            let mut countries: Vec<(String, u64)> = field
                .counts(&listed)
                .iter()
                .copied()
                .enumerate()
                .filter(|(_, n)| *n > 0)
                .map(|(id, n)| (field.values[id].code.to_string(), n))
                .collect();
            countries.sort();
            (listed.everything, countries)
        };
        let ml = |n: u64| ("ML".to_string(), n);
        let sn = |n: u64| ("SN".to_string(), n);
        assert_eq!(counts(&index), (true, vec![ml(2), sn(1)]));
        let everything = index
            .search(&SearchQuery::default(), &[Facet::Country])
            .unwrap();
        let shown: Vec<(String, u64)> = everything.facets[0]
            .1
            .iter()
            .map(|v| (v.value.clone(), v.count))
            .collect();
        assert_eq!(shown, [ml(2), sn(1)]);
        // A set that is not every live document is counted.
        assert!(!index.listed(&RoaringBitmap::from_iter([0u32])).everything);
        // A change before `finish`: counted, not read from what was kept.
        index.remove(3);
        assert_eq!(counts(&index), (false, vec![ml(1), sn(1)]));
        index.upsert(
            doc(4, "Forages à Dakar", "SN", 2020),
            &mut Indexer::default(),
        );
        assert_eq!(counts(&index), (false, vec![ml(1), sn(2)]));
        // After it, kept again, with dead documents among the bitmaps.
        index.upsert(
            doc(2, "Écoles de Ségou", "SN", 2012),
            &mut Indexer::default(),
        );
        index.finish();
        assert_eq!(counts(&index), (true, vec![sn(3)]));
    }

    #[test]
    fn a_listed_set_holds_the_bitmap_in_order() {
        let mut set = RoaringBitmap::new();
        // An array container, a bitset one, a run and a lone document.
        set.extend((0..3_000u32).map(|i| i * 7));
        set.extend((65_536..65_536 + 20_000u32).filter(|i| i % 3 != 0));
        set.insert_range(200_000..210_000);
        set.insert(1_000_000);
        set.optimize();
        let listed = Listed::new(&set);
        assert_eq!(listed.docs(), set.iter().collect::<Vec<_>>());
        let (in_arrays, bitsets) = listed.shape();
        assert_eq!((in_arrays, bitsets), (3_001.0, 2.0));
        assert!(Listed::new(&RoaringBitmap::new()).docs().is_empty());
    }

    /// A document with a title and a description; the later ids are the newer.
    fn text_doc(id: i32, title: &str, text: &str) -> DocInput {
        let mut input = doc(id, title, "SN", 2020);
        input.doc.updated_at =
            chrono::DateTime::from_timestamp(1_700_000_000 + id as i64, 0).unwrap();
        input.texts.push((WEIGHT_TEXT, text.to_string()));
        input
    }

    fn index_of(docs: Vec<DocInput>) -> SearchIndex {
        let mut index = SearchIndex::default();
        let mut a = Indexer::default();
        for d in docs {
            index.upsert(d, &mut a);
        }
        index.finish();
        index
    }

    fn ids(index: &SearchIndex, q: &str) -> Vec<i32> {
        let query = SearchQuery {
            q: q.to_string(),
            ..SearchQuery::default()
        };
        let outcome = index.search(&query, &[]).unwrap();
        outcome.items.iter().map(|i| i.id).collect()
    }

    #[test]
    fn a_page_of_a_large_set_is_the_head_of_the_whole_order() {
        // 300 documents with many equal scores (ties by recency): a page of 5 is kept in a
        // heap as the set is read, the whole list (the exports) is sorted; they must agree.
        let docs = (1..=300)
            .map(|id| {
                let title = match id % 3 {
                    0 => "Eau potable",
                    1 => "Eau et assainissement de l'eau",
                    _ => "Coopération avec Eaubonne",
                };
                text_doc(id, title, if id % 7 == 0 { "l'eau des écoles" } else { "" })
            })
            .collect();
        let index = index_of(docs);
        for q in ["eau", "eau potable", "eaub"] {
            let all = index
                .matching_ids(&SearchQuery {
                    q: q.into(),
                    ..SearchQuery::default()
                })
                .unwrap();
            for page in 1..=3 {
                let query = SearchQuery {
                    q: q.into(),
                    page,
                    per_page: 5,
                    ..SearchQuery::default()
                };
                let shown: Vec<i32> = index
                    .search(&query, &[])
                    .unwrap()
                    .items
                    .iter()
                    .map(|i| i.id)
                    .collect();
                let from = (page as usize - 1) * 5;
                assert_eq!(shown, all[from..from + 5], "{q}, page {page}");
            }
        }
    }

    #[test]
    fn a_whole_word_outranks_a_prefix_even_rarer_and_in_the_title() {
        let index = index_of(vec![
            text_doc(1, "Coopération entre Eaubonne et Poznań", ""),
            text_doc(2, "Appui institutionnel", "Un volet sur l'eau des écoles."),
            text_doc(3, "Accès à l'eau potable", ""),
            text_doc(4, "Formation des agents", "Rien à voir."),
        ]);
        assert_eq!(ids(&index, "eau"), [3, 2, 1]);
        // A word being typed: the prefix alone finds Eaubonne.
        assert_eq!(ids(&index, "eaub"), [1]);
    }

    #[test]
    fn a_word_being_typed_is_not_taken_for_its_stem() {
        // "touris" stems to "tour": the city of Tours is no answer to it.
        let index = index_of(vec![
            text_doc(1, "Jumelage avec Tours", ""),
            text_doc(2, "Développement du tourisme responsable", ""),
        ]);
        assert_eq!(ids(&index, "touris"), [2, 1]);
        // Typed whole, a word keeps its plurals: "écoles" finds "école".
        let index = index_of(vec![
            text_doc(1, "Une école à Bamako", ""),
            text_doc(2, "Écolabel", ""),
        ]);
        assert_eq!(ids(&index, "écoles"), [1]);
    }

    #[test]
    fn the_title_outranks_the_texts() {
        let index = index_of(vec![
            text_doc(
                1,
                "Appui institutionnel",
                "La gestion des déchets ménagers.",
            ),
            text_doc(2, "Gestion des déchets", "Un projet."),
            text_doc(3, "Jumelage", "Les déchets, encore les déchets."),
        ]);
        assert_eq!(ids(&index, "déchets")[0], 2);
    }

    #[test]
    fn every_word_must_match() {
        let index = index_of(vec![
            text_doc(1, "Eau potable à Dakar", ""),
            text_doc(2, "Assainissement à Dakar", ""),
            text_doc(3, "Eau et assainissement à Thiès", ""),
        ]);
        assert_eq!(ids(&index, "eau assainissement"), [3]);
        assert_eq!(ids(&index, "dakar eau"), [1]);
    }
}

#[cfg(test)]
mod ranking_tests {
    use super::Ranking;

    #[test]
    fn placing_new_documents_gives_the_order_a_full_sort_gives() {
        // Keys with ties broken by index, as the index's keys are broken by id.
        let keys: Vec<(u32, usize)> = (0..500usize)
            .map(|i| (((i * 7919) % 97) as u32, i))
            .collect();
        let key = |i: usize| keys[i];
        let full = Ranking::new(keys.len(), key);
        let mut grown = Ranking::new(440, key);
        grown.extend(keys.len(), key);
        assert_eq!(grown.order, full.order);
        assert_eq!(grown.rank, full.rank);
    }
}
