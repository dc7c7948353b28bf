//! Numbers and dates written the way each language reads them.

use crate::i18n::Locale;

/// Groups digits by three: "113 850" in French (narrow no-break space), "113,850" in English.
pub fn group_digits(value: i64, locale: Locale) -> String {
    let sep = match locale {
        Locale::fr => '\u{202F}',
        Locale::en => ',',
    };
    let digits = value.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if value < 0 {
        out.insert(0, '-');
    }
    out
}

/// An amount in euros, rounded to the euro: "113 850 €" / "€113,850".
pub fn euros(amount: f64, locale: Locale) -> String {
    let grouped = group_digits(amount.round() as i64, locale);
    match locale {
        Locale::fr => format!("{grouped}\u{A0}€"),
        Locale::en => format!("€{grouped}"),
    }
}

/// Percent-encodes a path and query for use as a query parameter value.
pub fn url_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A date spelled out: "31 décembre 2021" / "31 December 2021".
pub fn long_date(date: chrono::NaiveDate, month: &str) -> String {
    use chrono::Datelike;
    format!("{} {month} {}", date.day(), date.year())
}

/// The feed's address (without the host) for a view in a language: French needs no `lang`.
pub fn feed_address(query: &crate::models::SearchQuery, locale: Locale) -> String {
    let filters = query.filters_only().to_query_string();
    match (locale, filters.is_empty()) {
        (Locale::fr, _) => format!("/api/v1/partnerships.atom{filters}"),
        (Locale::en, true) => "/api/v1/partnerships.atom?lang=en".to_string(),
        (Locale::en, false) => format!("/api/v1/partnerships.atom{filters}&lang=en"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn euros_are_grouped_per_language() {
        assert_eq!(euros(113_850.0, Locale::fr), "113\u{202F}850\u{A0}€");
        assert_eq!(euros(113_850.0, Locale::en), "€113,850");
        assert_eq!(euros(950.0, Locale::en), "€950");
        assert_eq!(group_digits(1_000_000, Locale::en), "1,000,000");
    }
}
