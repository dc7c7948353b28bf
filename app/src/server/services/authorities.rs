//! Finding a French local authority: by identity (`departement-75`), by a code people already
//! use (a commune's INSEE code, any SIREN, a bare département or région code, which may mean
//! two authorities), or by name as the legacy atlas writes it. The pages, the API, the importer
//! and the CLI all call these.

use crate::error::{AppError, FieldError};
use crate::models::{AuthorityCandidate, AuthorityId, CollectivityKind};
use crate::server::entities::collectivity;
use crate::server::services::referentials::fold_name;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use std::collections::HashMap;

/// What a code or a name designates.
#[derive(Clone, Debug, PartialEq)]
pub enum Found<T> {
    One(T),
    /// Several authorities answer: the caller lists them and never picks one silently.
    Several(Vec<T>),
    None,
}

/// The identity of a referential row.
pub fn identity(c: &collectivity::Model) -> Option<AuthorityId> {
    CollectivityKind::from_code(&c.kind).map(|kind| AuthorityId::new(kind, &c.code))
}

/// A row as one of several candidates shown to people.
pub fn candidate(c: &collectivity::Model) -> Option<AuthorityCandidate> {
    let id = identity(c)?;
    Some(AuthorityCandidate {
        id: id.to_string(),
        kind: id.kind,
        code: c.code.clone(),
        name: c.name.clone(),
    })
}

/// The order candidates are listed in: the larger kinds first, then by code.
fn kind_rank(kind: CollectivityKind) -> usize {
    match kind {
        CollectivityKind::Region => 0,
        CollectivityKind::Com => 1,
        CollectivityKind::Departement => 2,
        CollectivityKind::Epci => 3,
        CollectivityKind::Commune => 4,
    }
}

/// A referential row's place in that order (an unknown kind last).
fn row_rank(c: &collectivity::Model) -> usize {
    CollectivityKind::from_code(&c.kind).map_or(5, kind_rank)
}

/// The authority an identity, an INSEE code or a SIREN designates. A bare two- or three-digit
/// code may be a département and a région at once (`75`): both are returned.
pub async fn find(
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<Found<collectivity::Model>, DbErr> {
    let key = key.trim();
    if let Some(id) = AuthorityId::parse(key) {
        let row = collectivity::Entity::find()
            .filter(collectivity::Column::Kind.eq(id.kind.code()))
            .filter(collectivity::Column::Code.eq(id.code))
            .one(db)
            .await?;
        return Ok(row.map_or(Found::None, Found::One));
    }
    let code = key.to_ascii_uppercase();
    if !(2..=9).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Ok(Found::None);
    }
    let mut rows = collectivity::Entity::find()
        .filter(
            Condition::any()
                .add(collectivity::Column::Code.eq(code.clone()))
                .add(collectivity::Column::Siren.eq(code)),
        )
        .all(db)
        .await?;
    rows.sort_by(|a, b| (row_rank(a), &a.code).cmp(&(row_rank(b), &b.code)));
    Ok(match rows.len() {
        0 => Found::None,
        1 => Found::One(rows.remove(0)),
        _ => Found::Several(rows),
    })
}

/// The authorities whose name, or a word of it, starts with what was typed (accents, case and
/// hyphens ignored): names that start with it first, then the larger kinds, then the most
/// populous. What a picker offers as someone types "Chamb"; fewer than `MIN_TYPED` letters is
/// an error on the field `q`.
pub async fn search_by_name(
    db: &impl ConnectionTrait,
    typed: &str,
    limit: usize,
) -> Result<Vec<collectivity::Model>, AppError> {
    let folded = fold_name(typed);
    if folded.chars().count() < MIN_TYPED {
        return Err(AppError::Validation {
            fields: vec![FieldError::new(
                "q",
                crate::msg!(err_type_letters, min = MIN_TYPED),
            )],
        });
    }
    let mut rows = collectivity::Entity::find()
        .filter(
            Condition::any()
                .add(collectivity::Column::SearchName.starts_with(folded.as_str()))
                .add(collectivity::Column::SearchName.contains(format!(" {folded}").as_str())),
        )
        .all(db)
        .await?;
    rows.sort_by_cached_key(|c| {
        (
            !c.search_name.starts_with(&folded),
            row_rank(c),
            std::cmp::Reverse(c.population.unwrap_or(0)),
            c.name.clone(),
            c.code.clone(),
        )
    });
    rows.truncate(limit);
    Ok(rows)
}

/// The one authority a typed name designates (the form's way: "Chambéry"), or the message
/// that lists the candidates to choose from.
pub async fn by_name(
    db: &impl ConnectionTrait,
    typed: &str,
) -> Result<Result<collectivity::Model, crate::error::Text>, DbErr> {
    let folded = fold_name(typed);
    let found = match search_by_name(db, typed, 8).await {
        Ok(rows) => rows,
        Err(AppError::Internal) => return Err(DbErr::Custom("name search".into())),
        Err(_) => Vec::new(),
    };
    let exact: Vec<_> = found
        .iter()
        .filter(|c| c.search_name == folded)
        .cloned()
        .collect();
    if let [one] = exact.as_slice() {
        return Ok(Ok(one.clone()));
    }
    let candidates = if exact.is_empty() { &found } else { &exact };
    if candidates.is_empty() {
        return Ok(Err(crate::msg!(err_no_french_authority, text = typed)));
    }
    Ok(Err(crate::msg!(
        err_which_authority,
        list = listed(candidates)
    )))
}

/// The authority a person typed (identity, INSEE code, SIREN or name), or why it cannot be
/// told: unknown, or several, listed with their identities.
pub async fn resolve(
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<Result<collectivity::Model, crate::error::Text>, DbErr> {
    Ok(match find(db, key).await? {
        Found::One(c) => Ok(c),
        Found::Several(rows) => Err(crate::msg!(
            err_several_authorities,
            text = key,
            list = listed(&rows)
        )),
        Found::None => by_name(db, key).await?,
    })
}

/// An authority as people read it among others: "Name (identity)".
pub fn labelled(c: &collectivity::Model) -> String {
    match identity(c) {
        Some(id) => format!("{} ({id})", c.name),
        None => c.name.clone(),
    }
}

/// Candidates to choose from, each with the identity that names it alone.
fn listed(rows: &[collectivity::Model]) -> String {
    rows.iter()
        .filter(|c| identity(c).is_some())
        .map(labelled)
        .collect::<Vec<_>>()
        .join(", ")
}

/// How many letters a name search needs.
pub const MIN_TYPED: usize = 2;

/// Words the legacy atlas puts before an authority's own name, and the kinds they announce.
const KIND_WORDS: &[(&str, &[CollectivityKind])] = {
    use CollectivityKind::*;
    &[
        ("conseil regional", &[Region]),
        ("region", &[Region]),
        ("collectivite territoriale", &[Region, Com]),
        ("collectivite", &[Region, Com]),
        ("conseil departemental", &[Departement]),
        ("conseil general", &[Departement]),
        ("departement", &[Departement]),
        ("commune", &[Commune]),
        ("ville", &[Commune]),
        ("mairie", &[Commune]),
        ("municipalite", &[Commune]),
        ("communaute d agglomeration", &[Epci]),
        ("communaute de communes", &[Epci]),
        ("communaute urbaine", &[Epci]),
        ("communaute d agglo", &[Epci]),
        ("agglomeration", &[Epci]),
        ("agglo", &[Epci]),
        ("metropole", &[Epci]),
        ("eurometropole", &[Epci]),
        ("ca", &[Epci]),
        ("cc", &[Epci]),
        ("cu", &[Epci]),
    ]
};

/// Usual short forms that are not the official name.
const SHORT_FORMS: &[(&str, &str)] = &[
    ("grand lyon", "epci-200046977"),
    ("region sud", "region-93"),
    ("paca", "region-93"),
    ("mel", "epci-200093201"),
];

/// Articles between a kind word and the name ("Département *de la* Mayenne"), with what the
/// name itself may start with once the article is gone ("Ville *du* Havre" is Le Havre).
const ARTICLES: &[(&str, &[&str])] = &[
    ("de la", &["", "la "]),
    ("de l", &["", "l "]),
    ("des", &["", "les "]),
    ("du", &["", "le "]),
    ("de", &[""]),
    ("d", &[""]),
];

/// A commune this many times more populous than every namesake is the one meant.
const DOMINANT_POPULATION: i64 = 10;

/// A name folded for matching, with the usual abbreviations spelt out.
fn normalise(name: &str) -> String {
    fold_name(name)
        .split(' ')
        .map(|w| match w {
            "st" => "saint",
            "ste" => "sainte",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `rest` with a leading article taken off, every way it can be read.
fn without_article(rest: &str) -> Vec<String> {
    let mut variants = vec![rest.to_string()];
    for (article, starts) in ARTICLES {
        if let Some(name) = rest.strip_prefix(article).and_then(|r| r.strip_prefix(' ')) {
            variants.extend(starts.iter().map(|s| format!("{s}{name}")));
        }
    }
    variants
}

/// `rest` without its leading article, if any.
fn strip_article(rest: &str) -> &str {
    ARTICLES
        .iter()
        .find_map(|(article, _)| rest.strip_prefix(article)?.strip_prefix(' '))
        .unwrap_or(rest)
}

/// An EPCI's name without its kind words: "CA du Grand Chambéry" is "grand chambery",
/// "Bordeaux Métropole" is "bordeaux".
fn epci_core(folded: &str) -> String {
    let mut core = folded.to_string();
    for (word, kinds) in KIND_WORDS {
        if kinds == &[CollectivityKind::Epci] {
            if let Some(rest) = core.strip_prefix(word).and_then(|r| r.strip_prefix(' ')) {
                core = strip_article(rest).to_string();
                break;
            }
        }
    }
    for suffix in [" metropole", " agglomeration", " agglo"] {
        if let Some(rest) = core.strip_suffix(suffix) {
            core = rest.to_string();
        }
    }
    core
}

struct Entry {
    id: i32,
    kind: CollectivityKind,
    code: String,
    name: String,
    departement: Option<String>,
    population: Option<i32>,
}

/// The referential held in memory to match names, so that the result depends on the rules
/// below and never on a database's ordering.
pub struct Matcher {
    entries: Vec<Entry>,
    by_name: HashMap<String, Vec<usize>>,
    by_core: HashMap<String, Vec<usize>>,
    by_identity: HashMap<String, usize>,
    communes_per_departement: HashMap<String, usize>,
    departement_names: HashMap<String, String>,
}

/// What a name designates: the referential id and identity, or the candidates.
pub type NameMatch = Found<(i32, AuthorityId)>;

impl Matcher {
    pub async fn load(db: &impl ConnectionTrait) -> Result<Matcher, DbErr> {
        let rows = collectivity::Entity::find().all(db).await?;
        let mut matcher = Matcher {
            entries: Vec::with_capacity(rows.len()),
            by_name: HashMap::new(),
            by_core: HashMap::new(),
            by_identity: HashMap::new(),
            communes_per_departement: HashMap::new(),
            departement_names: HashMap::new(),
        };
        for row in rows {
            let Some(kind) = CollectivityKind::from_code(&row.kind) else {
                continue;
            };
            let i = matcher.entries.len();
            let folded = normalise(&row.name);
            if kind == CollectivityKind::Epci {
                matcher
                    .by_core
                    .entry(epci_core(&folded))
                    .or_default()
                    .push(i);
            }
            if kind == CollectivityKind::Commune {
                if let Some(dep) = &row.departement_code {
                    *matcher
                        .communes_per_departement
                        .entry(dep.clone())
                        .or_default() += 1;
                }
            }
            if matches!(kind, CollectivityKind::Departement | CollectivityKind::Com) {
                matcher
                    .departement_names
                    .insert(folded.clone(), row.code.clone());
            }
            matcher.by_name.entry(folded).or_default().push(i);
            matcher
                .by_identity
                .insert(AuthorityId::new(kind, &row.code).to_string(), i);
            matcher.entries.push(Entry {
                id: row.id,
                kind,
                code: row.code,
                name: row.name,
                departement: row.departement_code,
                population: row.population,
            });
        }
        Ok(matcher)
    }

    /// The authority a name designates. In order: a usual short form; the official name of
    /// any kind (a région before a département before an EPCI before a commune, so that
    /// "Bretagne" is the région and "Mayenne" the département, except that a département made
    /// of one commune of its name is that commune: "Paris"); the name after kind words ("Ville
    /// de", "Département de la", "CA du"…), among authorities of that kind; an EPCI's name
    /// without its kind words ("Grand Chambéry"). A trailing "(93)" or "(Seine-Saint-Denis)"
    /// keeps the authorities of that département. Namesakes of one kind stay ambiguous unless
    /// one commune is ten times as populous as the others.
    pub fn resolve(&self, name: &str) -> NameMatch {
        let (name, departement) = self.qualifier(name);
        let folded = normalise(name);
        if folded.is_empty() {
            return Found::None;
        }
        if let Some((_, id)) = SHORT_FORMS.iter().find(|(short, _)| *short == folded) {
            if let Some(i) = self.by_identity.get(*id) {
                return self.answer(vec![*i]);
            }
        }
        let keep = |i: &usize| match &departement {
            Some(dep) => self.entries[*i].departement.as_deref() == Some(dep.as_str()),
            None => true,
        };
        let kept = |map: &HashMap<String, Vec<usize>>| -> Vec<usize> {
            map.get(&folded)
                .into_iter()
                .flatten()
                .copied()
                .filter(keep)
                .collect()
        };
        let named = kept(&self.by_name);
        if !named.is_empty() {
            return self.by_priority(named, true);
        }
        for (word, kinds) in KIND_WORDS {
            let Some(rest) = folded.strip_prefix(word).and_then(|r| r.strip_prefix(' ')) else {
                continue;
            };
            let mut found: Vec<usize> = Vec::new();
            for variant in without_article(rest) {
                let by_core = if kinds.contains(&CollectivityKind::Epci) {
                    self.by_core.get(&variant)
                } else {
                    None
                };
                for i in self
                    .by_name
                    .get(&variant)
                    .into_iter()
                    .chain(by_core)
                    .flatten()
                {
                    if kinds.contains(&self.entries[*i].kind) && keep(i) && !found.contains(i) {
                        found.push(*i);
                    }
                }
            }
            if !found.is_empty() {
                return self.by_priority(found, false);
            }
        }
        self.by_priority(kept(&self.by_core), false)
    }

    /// Splits "Saint-Denis (93)" into the name and the département it names.
    fn qualifier<'a>(&self, name: &'a str) -> (&'a str, Option<String>) {
        let trimmed = name.trim();
        let Some(inner) = trimmed
            .strip_suffix(')')
            .and_then(|rest| rest.rsplit_once('('))
        else {
            return (trimmed, None);
        };
        let (base, inner) = inner;
        let code = inner.trim().to_ascii_uppercase();
        let departement = if self.departement_names.values().any(|known| *known == code) {
            Some(code)
        } else {
            self.departement_names.get(&normalise(inner)).cloned()
        };
        match departement {
            Some(dep) => (base.trim(), Some(dep)),
            None => (trimmed, None),
        }
    }

    /// The candidates of the highest kind present; one of them, or all when several remain.
    /// A bare name (`bare`) of a département made of one commune is that commune.
    fn by_priority(&self, candidates: Vec<usize>, bare: bool) -> NameMatch {
        let Some(best) = candidates
            .iter()
            .map(|i| kind_rank(self.entries[*i].kind))
            .min()
        else {
            return Found::None;
        };
        let mut top: Vec<usize> = candidates
            .into_iter()
            .filter(|i| kind_rank(self.entries[*i].kind) == best)
            .collect();
        if let ([dep], true) = (&top[..], bare) {
            if let Some(commune) = self.coterminous_commune(*dep) {
                top = vec![commune];
            }
        }
        if top.len() > 1 {
            if let Some(dominant) = self.dominant(&top) {
                top = vec![dominant];
            }
        }
        self.answer(top)
    }

    /// The commune a département is made of when it has one commune of the same name (Paris).
    fn coterminous_commune(&self, i: usize) -> Option<usize> {
        let dep = &self.entries[i];
        if dep.kind != CollectivityKind::Departement
            || self.communes_per_departement.get(&dep.code) != Some(&1)
        {
            return None;
        }
        self.by_name
            .get(&normalise(&dep.name))?
            .iter()
            .copied()
            .find(|c| {
                let c = &self.entries[*c];
                c.kind == CollectivityKind::Commune && c.departement.as_ref() == Some(&dep.code)
            })
    }

    /// Among namesake communes, the one far more populous than all the others.
    fn dominant(&self, candidates: &[usize]) -> Option<usize> {
        let population = |i: &usize| i64::from(self.entries[*i].population.unwrap_or(0));
        let mut sorted = candidates.to_vec();
        sorted.sort_by_key(|i| std::cmp::Reverse(population(i)));
        let (first, second) = (sorted[0], sorted[1]);
        let all_communes = candidates
            .iter()
            .all(|i| self.entries[*i].kind == CollectivityKind::Commune);
        (all_communes && population(&first) >= DOMINANT_POPULATION * population(&second).max(1))
            .then_some(first)
    }

    fn answer(&self, mut found: Vec<usize>) -> NameMatch {
        let id = |i: usize| {
            let e = &self.entries[i];
            (e.id, AuthorityId::new(e.kind, &e.code))
        };
        match found.len() {
            0 => Found::None,
            1 => Found::One(id(found[0])),
            _ => {
                found.sort_by(|a, b| {
                    let key =
                        |i: &usize| (kind_rank(self.entries[*i].kind), &self.entries[*i].code);
                    key(a).cmp(&key(b))
                });
                Found::Several(found.into_iter().map(id).collect())
            }
        }
    }

    /// The name of a matched authority, for warnings.
    pub fn name_of(&self, id: &AuthorityId) -> Option<&str> {
        self.by_identity
            .get(&id.to_string())
            .map(|i| self.entries[*i].name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epci_cores_drop_the_kind_words() {
        assert_eq!(epci_core("ca du grand chambery"), "grand chambery");
        assert_eq!(epci_core("bordeaux metropole"), "bordeaux");
        assert_eq!(epci_core("metropole de lyon"), "lyon");
        assert_eq!(epci_core("cu d arras"), "arras");
        assert_eq!(epci_core("cc les vallons"), "les vallons");
    }

    #[test]
    fn articles_are_read_every_way() {
        assert_eq!(
            without_article("de la rochelle"),
            vec!["de la rochelle", "rochelle", "la rochelle", "la rochelle"]
        );
        assert!(without_article("du havre").contains(&"le havre".to_string()));
        assert_eq!(normalise("St-Étienne"), "saint etienne");
    }
}
