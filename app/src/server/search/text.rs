//! Words as the full-text search sees them: split, lower-cased, stemmed with the Snowball French
//! stemmer, then stripped of accents, so that "Sénégal", "senegal" and "SENEGAL" are one word,
//! and "écoles" finds "école".

use crate::models::Fragment;
use rust_stemmers::{Algorithm, Stemmer};
use std::cell::RefCell;
use std::collections::HashMap;

/// Words too common to tell partnerships apart.
const STOP_WORDS: &[&str] = &[
    "a", "au", "aux", "avec", "ce", "ces", "d", "dans", "de", "des", "du", "en", "entre", "et",
    "il", "l", "la", "le", "les", "leur", "leurs", "ou", "par", "pour", "qu", "que", "qui", "s",
    "sa", "se", "ses", "son", "sur", "un", "une", "the", "of", "and",
];

/// Splits a text into its words, with their byte ranges.
pub fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(move |w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
}

/// Normalises words into search terms, remembering the words it has already stemmed.
pub struct Analyzer {
    stemmer: Stemmer,
    cache: HashMap<String, Option<String>>,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer {
            stemmer: Stemmer::create(Algorithm::French),
            cache: HashMap::new(),
        }
    }
}

impl Analyzer {
    /// The term of a word, `None` for a stop word.
    pub fn term(&mut self, word: &str) -> Option<String> {
        if let Some(cached) = self.cache.get(word) {
            return cached.clone();
        }
        let term = term_of(&self.stemmer, word);
        self.cache.insert(word.to_string(), term.clone());
        term
    }

    /// The term of a word, not remembered (for a caller that keeps its own).
    pub fn term_uncached(&self, word: &str) -> Option<String> {
        term_of(&self.stemmer, word)
    }

    /// The terms of a text, stop words left out.
    pub fn terms(&mut self, text: &str) -> Vec<String> {
        words(text).filter_map(|(_, w)| self.term(w)).collect()
    }
}

fn term_of(stemmer: &Stemmer, word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    let folded = deunicode::deunicode(&lower);
    if STOP_WORDS.contains(&folded.as_str()) {
        return None;
    }
    let stem = stemmer.stem(&lower);
    Some(deunicode::deunicode(&stem).to_ascii_lowercase())
}

/// The words a search looks for: full terms, and for the last word as typed a prefix too, so
/// that results follow the typing.
#[derive(Clone, Debug, Default)]
pub struct QueryTerms {
    pub terms: Vec<String>,
    /// The last word folded but not stemmed, when it is long enough to serve as a prefix.
    pub prefix: Option<String>,
    /// The last word's own term, when it has a prefix (a prefix and its word count once).
    pub last: Option<String>,
    /// Whether each word of the results seen so far matches: a page of results highlights
    /// the same words again and again ("de", "coopération"), each folded and stemmed once.
    seen: RefCell<HashMap<String, bool, foldhash::fast::RandomState>>,
}

impl QueryTerms {
    pub fn parse(analyzer: &mut Analyzer, q: &str) -> QueryTerms {
        let mut terms: Vec<String> = Vec::new();
        for t in analyzer.terms(q) {
            if !terms.contains(&t) {
                terms.push(t);
            }
        }
        let ends_with_word = q.chars().last().is_some_and(|c| c.is_alphanumeric());
        let last_word = words(q)
            .last()
            .filter(|_| ends_with_word)
            .map(|(_, w)| w)
            .filter(|w| w.chars().count() >= 3);
        // A stop word ("des") is not a prefix: the search would ask for "dessin" or "désert".
        let last = last_word.and_then(|w| analyzer.term(w));
        let prefix = last_word
            .filter(|_| last.is_some())
            .map(|w| deunicode::deunicode(&w.to_lowercase()));
        QueryTerms {
            terms,
            prefix,
            last,
            seen: RefCell::default(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.prefix.is_none()
    }

    /// Whether a word of a result matches the search, for highlighting.
    fn matches(&self, analyzer: &Analyzer, word: &str) -> bool {
        if let Some(seen) = self.seen.borrow().get(word) {
            return *seen;
        }
        let matches = self.prefix.as_ref().is_some_and(|prefix| {
            deunicode::deunicode(&word.to_lowercase()).starts_with(prefix.as_str())
        }) || analyzer
            .term_uncached(word)
            .is_some_and(|t| self.terms.contains(&t));
        self.seen.borrow_mut().insert(word.to_string(), matches);
        matches
    }
}

/// Cuts a text into fragments, the matching words marked.
pub fn highlight(analyzer: &Analyzer, query: &QueryTerms, text: &str) -> Vec<Fragment> {
    let mut fragments: Vec<Fragment> = Vec::new();
    let mut last = 0;
    if !query.is_empty() {
        for (start, word) in words(text) {
            if query.matches(analyzer, word) {
                if start > last {
                    fragments.push(Fragment {
                        text: text[last..start].to_string(),
                        hit: false,
                    });
                }
                fragments.push(Fragment {
                    text: word.to_string(),
                    hit: true,
                });
                last = start + word.len();
            }
        }
    }
    if last < text.len() {
        fragments.push(Fragment {
            text: text[last..].to_string(),
            hit: false,
        });
    }
    fragments
}

/// About `len` characters of `text` around its first match, cut at word boundaries.
pub fn excerpt(analyzer: &Analyzer, query: &QueryTerms, text: &str, len: usize) -> String {
    let first_hit = words(text)
        .find(|(_, w)| !query.is_empty() && query.matches(analyzer, w))
        .map(|(start, _)| start)
        .unwrap_or(0);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let hit_char = chars.iter().position(|(i, _)| *i >= first_hit).unwrap_or(0);
    let from = hit_char.saturating_sub(len / 3);
    let to = (from + len).min(chars.len());
    let mut start = chars.get(from).map(|(i, _)| *i).unwrap_or(0);
    let mut end = chars.get(to).map(|(i, _)| *i).unwrap_or(text.len());
    // Within the window only: past it, a long word (a web address) would put the start after
    // the end.
    if from > 0 {
        if let Some(space) = text[start..end].find(' ') {
            start += space + 1;
        }
    }
    if to < chars.len() {
        if let Some(space) = text[start..end].rfind(' ') {
            end = start + space;
        }
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(text[start..end].trim());
    if end < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_case_and_plurals_meet() {
        let mut a = Analyzer::default();
        assert_eq!(a.term("Sénégal"), a.term("senegal"));
        assert_eq!(a.term("SENEGAL"), a.term("senegal"));
        assert_eq!(a.term("écoles"), a.term("école"));
        assert_eq!(a.term("assainissement"), a.term("Assainissement"));
        assert_eq!(a.term("les"), None);
    }

    #[test]
    fn highlights_mark_the_matching_words() {
        let mut a = Analyzer::default();
        let q = QueryTerms::parse(&mut a, "eau senegal");
        let fragments = highlight(&a, &q, "Accès à l'eau au Sénégal");
        let hits: Vec<&str> = fragments
            .iter()
            .filter(|f| f.hit)
            .map(|f| f.text.as_str())
            .collect();
        assert_eq!(hits, ["eau", "Sénégal"]);
        let whole: String = fragments.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(whole, "Accès à l'eau au Sénégal");
    }

    #[test]
    fn the_last_word_is_also_a_prefix() {
        let mut a = Analyzer::default();
        let q = QueryTerms::parse(&mut a, "assain");
        assert_eq!(q.prefix.as_deref(), Some("assain"));
        let q = QueryTerms::parse(&mut a, "assain ");
        assert_eq!(q.prefix, None);
        let q = QueryTerms::parse(&mut a, "eau des");
        assert_eq!(q.prefix, None, "a stop word is no prefix");
    }

    #[test]
    fn excerpts_centre_on_the_match() {
        let mut a = Analyzer::default();
        let q = QueryTerms::parse(&mut a, "forage");
        let text = "Un long texte d'introduction sans intérêt particulier, puis la construction d'un forage profond dans le village et encore du texte après.";
        let cut = excerpt(&a, &q, text, 60);
        assert!(cut.contains("forage"), "{cut}");
        assert!(cut.starts_with('…'));
    }

    #[test]
    fn an_excerpt_after_a_long_word_stays_in_its_window() {
        let mut a = Analyzer::default();
        let q = QueryTerms::parse(&mut a, "forage");
        // The window falls inside one long run of characters without a space; the next
        // space is far after it.
        let text = format!("{}/forage/{} fin", "a".repeat(100), "c".repeat(100));
        let cut = excerpt(&a, &q, &text, 30);
        assert!(cut.contains("forage"), "{cut}");
        assert!(cut.starts_with('…') && cut.ends_with('…'), "{cut}");
    }

    /// What anyone types in the search box, against any text (`make fuzz` runs many more
    /// cases): no panic, the highlighted fragments give the text back whole.
    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_words_are_read_highlighted_and_cut(
                q in "\\PC{0,40}|[a-zé ]{0,30}",
                text in "\\PC{0,200}|[a-zé ]{0,120}",
                len in 0usize..200,
            ) {
                let mut analyzer = Analyzer::default();
                let query = QueryTerms::parse(&mut analyzer, &q);
                let fragments = highlight(&analyzer, &query, &text);
                let whole: String = fragments.iter().map(|f| f.text.as_str()).collect();
                prop_assert_eq!(whole, text.clone());
                let _ = excerpt(&analyzer, &query, &text, len);
            }
        }
    }
}
