//! The peers of a piece of work: the other French authorities with partnerships in the same
//! country on a related theme, ranked by closeness (`models::Closeness`). Computed from the
//! facets' bitmaps, without the database: the candidates are split by set operations into
//! classes of equal closeness, closest first, and each class's documents are only counted per
//! authority; the values of single documents are read for the few partnerships listed.

use super::SearchIndex;
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

/// Documents of equal closeness (none on the `/synergies` page), ongoing or not.
struct Class {
    closeness: Option<Closeness>,
    ongoing: bool,
    docs: RoaringBitmap,
}

/// One authority's count among the classes: its closest class's closeness, first met.
struct Tally {
    authority: u32,
    best: Option<Closeness>,
    ongoing: u32,
    count: u32,
}

impl SearchIndex {
    /// The authorities working in `country` (a country's code) on a theme related to the
    /// partnerships `reference` (document indices), apart from the reference's own French
    /// partners, ranked by closeness to the reference.
    pub fn peers_of(&self, reference: &RoaringBitmap, country: &str, listing: Listing) -> Found {
        let countries = self.field(Facet::Country);
        let Some(country_docs) = countries
            .id(country)
            .map(|id| &countries.bitmaps[id as usize])
        else {
            return Found::default();
        };
        let reference = reference & &self.alive;
        let themes = self.field(Facet::Theme);
        let partners = self.field(Facet::ForeignPartner);
        let values_of = |field: &super::FacetField| -> Vec<u32> {
            let mut ids: Vec<u32> = reference
                .iter()
                .flat_map(|doc| field.per_doc.of(doc).iter().copied())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        // Every theme of the reference with its ancestors (the facet holds them).
        let reference_themes = values_of(themes);
        let reference_partners = values_of(partners);
        let own = values_of(self.field(Facet::FrenchAuthority));
        let depth = |theme: u32| self.theme_depth.get(theme as usize).copied().unwrap_or(1);
        let union = |field: &super::FacetField, ids: &mut dyn Iterator<Item = &u32>| {
            let mut union = RoaringBitmap::new();
            for id in ids {
                union |= &field.bitmaps[*id as usize];
            }
            union
        };
        let related = union(
            themes,
            &mut reference_themes.iter().filter(|t| depth(**t) == 1),
        );
        let mut rest = &(&(&related & country_docs) & &self.alive) - &reference;
        let candidates = rest.clone();
        // The candidates by the deepest level of the tree they share with the reference.
        let deepest = reference_themes
            .iter()
            .map(|t| depth(*t))
            .max()
            .unwrap_or(1);
        let mut levels = Vec::new();
        for level in (1..=deepest).rev() {
            let at = if level == 1 {
                std::mem::take(&mut rest)
            } else {
                let shared = union(
                    themes,
                    &mut reference_themes.iter().filter(|t| depth(**t) == level),
                );
                let at = &rest & &shared;
                rest -= &at;
                at
            };
            levels.push((level, at));
        }
        let same_partner = &union(partners, &mut reference_partners.iter()) & &candidates;
        let ongoing = self.with_status(Status::Ongoing);
        let completed = self.with_status(Status::Completed);
        let mut classes = Vec::new();
        for partner in [true, false] {
            for (level, at) in &levels {
                let at = if partner {
                    at & &same_partner
                } else {
                    at - &same_partner
                };
                for activity in [Activity::Ongoing, Activity::Other, Activity::Completed] {
                    let docs = match activity {
                        Activity::Ongoing => &at & &ongoing,
                        Activity::Completed => &at & &completed,
                        Activity::Other => &(&at - &ongoing) - &completed,
                    };
                    classes.push(Class {
                        closeness: Some(Closeness {
                            same_partner: partner,
                            theme_level: *level,
                            activity,
                        }),
                        ongoing: activity == Activity::Ongoing,
                        docs,
                    });
                }
            }
        }
        let tallies = self.tally(&classes, &own);
        let groups: Vec<(Option<Closeness>, &RoaringBitmap)> =
            classes.iter().map(|c| (c.closeness, &c.docs)).collect();
        self.rank(tallies, &groups, listing)
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
        let set = set & &self.alive;
        let ongoing = &set & &self.with_status(Status::Ongoing);
        let classes = [
            Class {
                closeness: None,
                ongoing: true,
                docs: ongoing.clone(),
            },
            Class {
                closeness: None,
                ongoing: false,
                docs: &set - &ongoing,
            },
        ];
        let tallies = self.tally(&classes, &[]);
        self.rank(tallies, &[(None, &set)], listing)
    }

    /// The countries of a set of documents, most partnerships first.
    pub fn countries_of(&self, set: &RoaringBitmap) -> Vec<String> {
        self.counts_in(Facet::Country, &(set & &self.alive))
            .into_iter()
            .map(|(info, _)| info.code.into())
            .collect()
    }

    /// The documents with a status.
    fn with_status(&self, status: Status) -> RoaringBitmap {
        let field = self.field(Facet::Status);
        field
            .id(status.code())
            .map(|id| field.bitmaps[id as usize].clone())
            .unwrap_or_default()
    }

    /// Counts each French partner's documents in the classes (closest first), but `own`'s.
    fn tally(&self, classes: &[Class], own: &[u32]) -> Vec<Tally> {
        let authorities = self.field(Facet::FrenchAuthority);
        let mut slot = vec![u32::MAX; authorities.values.len()];
        let mut tallies: Vec<Tally> = Vec::new();
        for class in classes {
            for doc in &class.docs {
                for authority in authorities.per_doc.of(doc) {
                    if own.contains(authority) {
                        continue;
                    }
                    let at = &mut slot[*authority as usize];
                    if *at == u32::MAX {
                        *at = tallies.len() as u32;
                        tallies.push(Tally {
                            authority: *authority,
                            best: class.closeness,
                            ongoing: 0,
                            count: 0,
                        });
                    }
                    let tally = &mut tallies[*at as usize];
                    tally.count += 1;
                    tally.ongoing += u32::from(class.ongoing);
                }
            }
        }
        tallies
    }

    /// Peers closest first (then those with most ongoing partnerships there, most
    /// partnerships, by name), each with its partnerships among `groups` (disjoint, closest
    /// first), most recent first in each.
    fn rank(
        &self,
        mut tallies: Vec<Tally>,
        groups: &[(Option<Closeness>, &RoaringBitmap)],
        listing: Listing,
    ) -> Found {
        let authorities = self.field(Facet::FrenchAuthority);
        let order = |a: &Tally, b: &Tally| {
            b.best
                .cmp(&a.best)
                .then(b.ongoing.cmp(&a.ongoing))
                .then(b.count.cmp(&a.count))
                .then_with(|| {
                    authorities.values[a.authority as usize]
                        .label
                        .cmp(&authorities.values[b.authority as usize].label)
                })
        };
        // Only the listed ones need their order: the first found, then sorted.
        if listing.peers < tallies.len() {
            tallies.select_nth_unstable_by(listing.peers, order);
        }
        let listed = listing.peers.min(tallies.len());
        tallies[..listed].sort_by(order);
        let total = tallies.len() as u32;
        let terms = QueryTerms::default();
        let analyzer = Analyzer::default();
        let peers = tallies
            .into_iter()
            .take(listing.peers)
            .map(|tally| {
                let own_docs = &authorities.bitmaps[tally.authority as usize];
                let mut docs: Vec<(Option<Closeness>, u32)> = Vec::new();
                for (closeness, group) in groups {
                    let wanted = listing.partnerships.saturating_sub(docs.len());
                    if wanted == 0 {
                        break;
                    }
                    let there = own_docs & *group;
                    let recent = self.by_recent.first(&there, wanted);
                    docs.extend(recent.into_iter().map(|doc| (*closeness, doc)));
                }
                let info = &authorities.values[tally.authority as usize];
                Peer {
                    id: info.code.to_string(),
                    name: info.label.to_string(),
                    name_en: info.label_en_or_fr().to_string(),
                    closeness: tally.best,
                    count: tally.count,
                    ongoing: tally.ongoing,
                    partnerships: docs
                        .iter()
                        .map(|(closeness, doc)| PeerPartnership {
                            item: self.item(*doc, &terms, &analyzer, false),
                            closeness: *closeness,
                        })
                        .collect(),
                }
            })
            .collect();
        Found { total, peers }
    }

    /// Each theme's depth in the tree, by value id: 1 for a parent theme.
    pub(super) fn theme_depths(&self) -> Vec<u8> {
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
                        .id(code)
                        .and_then(|id| themes.values[id as usize].parent.as_deref());
                }
                depth
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::search::index::{DocFields, DocInput, Indexer, ValueInfo, WEIGHT_TITLE};

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
            (Facet::Status, status.code().to_string()),
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
            doc: DocFields {
                status: Some(status),
                start_year: Some(2000 + id),
                theme: Some(theme.into()),
                countries: vec![country.into()],
                ..DocFields::titled(id, &format!("Partenariat {id}"))
            },
            facets,
            texts: vec![(WEIGHT_TITLE, format!("Partenariat {id}"))],
        }
    }

    fn index(docs: Vec<DocInput>) -> SearchIndex {
        let mut index = SearchIndex::default();
        for (code, parent) in THEMES {
            index.register(Facet::Theme, ValueInfo::new(code, code, None, *parent));
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
