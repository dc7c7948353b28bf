//! The peers of a piece of work: the other French authorities with partnerships in the same
//! country on a related theme, ranked by closeness (`models::Closeness`). Computed from the
//! facets' bitmaps and each document's values, without the database: a few thousand
//! documents at most are looked at, for a partnership's page at 130,000 partnerships.

use super::{HashMap, HashSet, SearchIndex};
use crate::models::{Activity, Closeness, Facet, Peer, PeerPartnership, Status};
use crate::server::search::text::{Analyzer, QueryTerms};
use roaring::RoaringBitmap;

/// How many peers and partnerships of each are listed.
#[derive(Clone, Copy, Debug)]
pub struct Listing {
    pub peers: usize,
    pub partnerships: usize,
}

/// What the ranking found: the peers listed, and how many there are in all.
#[derive(Clone, Debug, Default)]
pub struct Found {
    pub total: u32,
    pub peers: Vec<Peer>,
}

/// One peer's partnerships while they are gathered, and its closest one's closeness.
#[derive(Default)]
struct Gathered {
    docs: Vec<(Option<Closeness>, u32)>,
    ongoing: u32,
    best: Option<Closeness>,
}

impl SearchIndex {
    /// The authorities working in `country` (a country's code) on a theme related to the
    /// partnerships `reference` (document indices), apart from the reference's own French
    /// partners, ranked by closeness to the reference.
    pub fn peers_of(&self, reference: &RoaringBitmap, country: &str, listing: Listing) -> Found {
        let countries = self.field(Facet::Country);
        let Some(country_docs) = countries
            .by_code
            .get(country)
            .map(|id| &countries.bitmaps[*id as usize])
        else {
            return Found::default();
        };
        let reference = reference & &self.alive;
        let themes = self.field(Facet::Theme);
        let partners = self.field(Facet::ForeignPartner);
        let authorities = self.field(Facet::FrenchAuthority);
        let union_of = |field: &super::FacetField| -> HashSet<u32> {
            reference
                .iter()
                .flat_map(|doc| field.per_doc.of(doc).iter().copied())
                .collect()
        };
        // Every theme of the reference with its ancestors (the facet holds them), and their
        // depth in the tree.
        let reference_themes = union_of(themes);
        let reference_partners = union_of(partners);
        let own = union_of(authorities);
        let depth = self.theme_depths();
        let mut related = RoaringBitmap::new();
        for theme in &reference_themes {
            if depth[*theme as usize] == 1 {
                related |= &themes.bitmaps[*theme as usize];
            }
        }
        let candidates = &(&related & country_docs) & &self.alive;
        let mut gathered: HashMap<u32, Gathered> = HashMap::default();
        for doc in candidates.iter().filter(|d| !reference.contains(*d)) {
            let theme_level = themes
                .per_doc
                .of(doc)
                .iter()
                .filter(|t| reference_themes.contains(t))
                .map(|t| depth[*t as usize])
                .max()
                .unwrap_or(0);
            if theme_level == 0 {
                continue;
            }
            let closeness = Closeness {
                same_partner: partners
                    .per_doc
                    .of(doc)
                    .iter()
                    .any(|p| reference_partners.contains(p)),
                theme_level,
                activity: activity(self.docs[doc as usize].status),
            };
            self.gather(&mut gathered, doc, Some(closeness), &own);
        }
        self.rank(gathered, listing)
    }

    /// The peers of one partnership (its document index) in each of its countries: what its
    /// page's panel shows.
    pub fn peers_of_partnership(&self, doc: u32, listing: Listing) -> Vec<(String, Found)> {
        let reference: RoaringBitmap = [doc].into_iter().collect();
        self.countries_of(&reference)
            .into_iter()
            .map(|country| {
                let found = self.peers_of(&reference, &country, listing);
                (country, found)
            })
            .collect()
    }

    /// The authorities with partnerships among `set` (a search's matching documents: the
    /// `/synergies` page), those with the most ongoing ones first.
    pub fn peers_among(&self, set: &RoaringBitmap, listing: Listing) -> Found {
        let mut gathered: HashMap<u32, Gathered> = HashMap::default();
        let none = HashSet::default();
        for doc in set & &self.alive {
            self.gather(&mut gathered, doc, None, &none);
        }
        self.rank(gathered, listing)
    }

    /// The countries of a set of documents, most partnerships first.
    pub fn countries_of(&self, set: &RoaringBitmap) -> Vec<String> {
        self.counts_in(Facet::Country, &(set & &self.alive))
            .into_iter()
            .map(|(info, _)| info.code)
            .collect()
    }

    /// Adds a document to each of its French partners' gathered partnerships, but for `own`.
    fn gather(
        &self,
        gathered: &mut HashMap<u32, Gathered>,
        doc: u32,
        closeness: Option<Closeness>,
        own: &HashSet<u32>,
    ) {
        let ongoing = self.docs[doc as usize].status == Some(Status::Ongoing);
        for authority in self.field(Facet::FrenchAuthority).per_doc.of(doc) {
            if own.contains(authority) {
                continue;
            }
            let entry = gathered.entry(*authority).or_default();
            entry.docs.push((closeness, doc));
            entry.ongoing += u32::from(ongoing);
            entry.best = entry.best.max(closeness);
        }
    }

    /// Peers closest first (then those with most ongoing partnerships there, most
    /// partnerships, by name), each with its closest and most recent partnerships first.
    fn rank(&self, gathered: HashMap<u32, Gathered>, listing: Listing) -> Found {
        let authorities = self.field(Facet::FrenchAuthority);
        let mut ranked: Vec<(u32, Gathered)> = gathered.into_iter().collect();
        let order = |(a, ga): &(u32, Gathered), (b, gb): &(u32, Gathered)| {
            gb.best
                .cmp(&ga.best)
                .then(gb.ongoing.cmp(&ga.ongoing))
                .then(gb.docs.len().cmp(&ga.docs.len()))
                .then_with(|| {
                    authorities.values[*a as usize]
                        .label
                        .cmp(&authorities.values[*b as usize].label)
                })
        };
        // Only the listed ones need their order: the first found, then sorted.
        if listing.peers < ranked.len() {
            ranked.select_nth_unstable_by(listing.peers, order);
        }
        let listed = listing.peers.min(ranked.len());
        ranked[..listed].sort_by(order);
        let total = ranked.len() as u32;
        let terms = QueryTerms::default();
        let mut analyzer = Analyzer::default();
        let peers = ranked
            .into_iter()
            .take(listing.peers)
            .map(|(authority, mut g)| {
                let recent = |doc: u32| self.by_recent.rank.get(doc as usize).copied();
                g.docs
                    .sort_by(|(ca, a), (cb, b)| cb.cmp(ca).then(recent(*a).cmp(&recent(*b))));
                let info = &authorities.values[authority as usize];
                Peer {
                    id: info.code.clone(),
                    name: info.label.clone(),
                    name_en: info.label_en.clone().unwrap_or_else(|| info.label.clone()),
                    closeness: g.best,
                    count: g.docs.len() as u32,
                    ongoing: g.ongoing,
                    partnerships: g
                        .docs
                        .iter()
                        .take(listing.partnerships)
                        .map(|(closeness, doc)| PeerPartnership {
                            item: self.item(*doc, &terms, &mut analyzer, false),
                            closeness: *closeness,
                        })
                        .collect(),
                }
            })
            .collect();
        Found { total, peers }
    }

    /// Each theme's depth in the tree, by value id: 1 for a parent theme.
    fn theme_depths(&self) -> Vec<u8> {
        let themes = self.field(Facet::Theme);
        themes
            .values
            .iter()
            .map(|info| {
                let mut depth = 1;
                let mut parent = info.parent.as_deref();
                while let Some(code) = parent.filter(|_| depth < 8) {
                    depth += 1;
                    parent = themes
                        .by_code
                        .get(code)
                        .and_then(|id| themes.values[*id as usize].parent.as_deref());
                }
                depth
            })
            .collect()
    }
}

fn activity(status: Option<Status>) -> Activity {
    match status {
        Some(Status::Ongoing) => Activity::Ongoing,
        Some(Status::Completed) => Activity::Completed,
        _ => Activity::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::search::index::{Doc, DocInput, Indexer, ValueInfo, WEIGHT_TITLE};

    const THEMES: &[(&str, Option<&str>)] = &[
        ("DUR", None),
        ("DUR.EAU", Some("DUR")),
        ("DUR.EAU.POT", Some("DUR.EAU")),
        ("DUR.EAU.ASS", Some("DUR.EAU")),
        ("DUR.ENV", Some("DUR")),
        ("DUR.CLI", Some("DUR")),
        ("POL", None),
        ("POL.GOV", Some("POL")),
    ];

    /// A partnership of `authorities` with `partner` in `country` on `theme`.
    fn doc(
        id: i32,
        authorities: &[&str],
        country: &str,
        partner: i32,
        theme: &str,
        status: Status,
    ) -> DocInput {
        let mut facets = vec![
            (Facet::Country, country.to_string()),
            (Facet::ForeignPartner, partner.to_string()),
        ];
        let mut code = Some(theme);
        while let Some(c) = code {
            facets.push((Facet::Theme, c.to_string()));
            code = THEMES.iter().find(|(t, _)| *t == c).and_then(|(_, p)| *p);
        }
        facets.extend(
            authorities
                .iter()
                .map(|a| (Facet::FrenchAuthority, a.to_string())),
        );
        DocInput {
            doc: Doc {
                id,
                title: format!("Partenariat {id}").into(),
                status: Some(status),
                start_year: Some(2000 + id),
                first_agreement_year: None,
                end_date: None,
                form: None,
                theme: Some(theme.into()),
                other_themes: Box::new([]),
                countries: Box::new([country.into()]),
                foreign_partner_ids: Box::new([partner]),
                foreign_partners: Box::new([]),
                french_codes: Box::new([]),
                french_partners: Box::new([]),
                funders: Box::new([]),
                volunteers: false,
                total_cents: 0,
                fundings: Box::new([]),
                excerpt_source: "".into(),
                updated_at: chrono::Utc::now(),
            },
            facets,
            texts: vec![(WEIGHT_TITLE, format!("Partenariat {id}"))],
        }
    }

    fn index(docs: Vec<DocInput>) -> SearchIndex {
        let mut index = SearchIndex::default();
        for (code, parent) in THEMES {
            index.register(
                Facet::Theme,
                ValueInfo {
                    code: code.to_string(),
                    label: code.to_string(),
                    label_en: None,
                    parent: parent.map(str::to_string),
                },
            );
        }
        let mut indexer = Indexer::default();
        for d in docs {
            index.upsert(d, &mut indexer);
        }
        index.finish();
        index
    }

    const ALL: Listing = Listing {
        peers: 100,
        partnerships: 100,
    };

    #[test]
    fn peers_come_closest_first() {
        use Status::*;
        let index = index(vec![
            doc(1, &["a"], "ML", 100, "DUR.EAU.POT", Ongoing),
            // The same partner, a theme in common only at the top of the tree.
            doc(2, &["b"], "ML", 100, "DUR.ENV", Completed),
            doc(3, &["c"], "ML", 200, "DUR.EAU.POT", Ongoing),
            doc(4, &["d"], "ML", 201, "DUR.EAU.ASS", Ongoing),
            doc(5, &["e"], "ML", 202, "DUR.EAU.POT", Completed),
            // Unrelated theme; another country; the reference's own authority.
            doc(6, &["f"], "ML", 100, "POL.GOV", Ongoing),
            doc(7, &["g"], "SN", 300, "DUR.EAU.POT", Ongoing),
            doc(8, &["a", "h"], "ML", 203, "DUR.CLI", Ongoing),
            doc(9, &["c"], "ML", 204, "DUR.ENV", Completed),
        ]);
        let reference: RoaringBitmap = [index.position(1).unwrap()].into_iter().collect();
        let found = index.peers_of(&reference, "ML", ALL);
        let order: Vec<&str> = found.peers.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(order, ["b", "c", "e", "d", "h"]);
        assert_eq!(found.total, 5);
        let c = &found.peers[1];
        assert_eq!(c.count, 2);
        assert_eq!(c.ongoing, 1);
        let listed: Vec<i32> = c.partnerships.iter().map(|p| p.item.id).collect();
        assert_eq!(listed, [3, 9], "its closest partnership first");
        assert_eq!(
            c.closeness,
            Some(Closeness {
                same_partner: false,
                theme_level: 3,
                activity: Activity::Ongoing
            })
        );
        assert_eq!(found.peers[0].closeness.map(|c| c.same_partner), Some(true));
        // Country by country: in Senegal, whoever works there on a related theme.
        let senegal = index.peers_of(&reference, "SN", ALL);
        let order: Vec<&str> = senegal.peers.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(order, ["g"]);
        assert!(index.peers_of(&reference, "XX", ALL).peers.is_empty());
    }

    #[test]
    fn a_listing_is_cut_but_counts_everyone() {
        use Status::*;
        let index = index(
            (1..=12)
                .map(|id| doc(id, &[&format!("a{id:02}")], "BF", id, "DUR.EAU", Ongoing))
                .collect(),
        );
        let reference: RoaringBitmap = [index.position(1).unwrap()].into_iter().collect();
        let found = index.peers_of(
            &reference,
            "BF",
            Listing {
                peers: 3,
                partnerships: 1,
            },
        );
        assert_eq!(found.total, 11);
        let order: Vec<&str> = found.peers.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(order, ["a02", "a03", "a04"], "ties by name");
    }

    #[test]
    fn among_a_selection_most_ongoing_first() {
        use Status::*;
        let index = index(vec![
            doc(1, &["a"], "BF", 1, "DUR.EAU", Completed),
            doc(2, &["a"], "BF", 2, "DUR.EAU", Completed),
            doc(3, &["b"], "BF", 3, "DUR.EAU", Ongoing),
            doc(4, &["c"], "BF", 4, "DUR.EAU", Ongoing),
            doc(5, &["c"], "BF", 5, "DUR.EAU", Completed),
        ]);
        let set: RoaringBitmap = (1..=5).map(|id| index.position(id).unwrap()).collect();
        let found = index.peers_among(&set, ALL);
        let order: Vec<(&str, u32, u32)> = found
            .peers
            .iter()
            .map(|p| (p.id.as_str(), p.ongoing, p.count))
            .collect();
        assert_eq!(order, [("c", 1, 2), ("b", 1, 1), ("a", 0, 2)]);
        assert!(found.peers.iter().all(|p| p.closeness.is_none()));
    }
}
