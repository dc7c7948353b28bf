//! The repeatable rows of the declaration form, as the flat `name → value` pairs of its
//! inputs (`fundings[2].year`): added and removed by the server without JavaScript, in the
//! browser once hydrated.

pub type Pairs = Vec<(String, String)>;

/// The most rows a group has: an input named past it (`fundings[99999999].year`, which only a
/// hand-made request sends) is no row at all, so that no request makes the server renumber or
/// show millions of rows.
pub const MAX_ROWS: usize = 500;

/// `group[3].field` → (3, "field"); `group[3]` → (3, ""); `None` past [`MAX_ROWS`].
pub fn row_key<'a>(name: &'a str, group: &str) -> Option<(usize, &'a str)> {
    let rest = name.strip_prefix(group)?.strip_prefix('[')?;
    let (index, rest) = rest.split_once(']')?;
    let index = index.parse().ok().filter(|i| *i < MAX_ROWS)?;
    let field = rest.strip_prefix('.').unwrap_or(rest);
    Some((index, field))
}

/// How many rows a group shows: one past the highest index present.
pub fn row_count(pairs: &Pairs, group: &str) -> usize {
    pairs
        .iter()
        .filter_map(|(n, _)| row_key(n, group).map(|(i, _)| i + 1))
        .max()
        .unwrap_or(0)
}

/// Adds an empty row at the end of a group (the "add" button without JavaScript).
pub fn add_row(pairs: &mut Pairs, group: &str) {
    let next = row_count(pairs, group);
    pairs.push((format!("{group}[{next}]"), String::new()));
}

/// Removes a row and renumbers the ones after it.
pub fn remove_row(pairs: &mut Pairs, group: &str, index: usize) {
    pairs.retain(|(n, _)| row_key(n, group).is_none_or(|(i, _)| i != index));
    for (name, _) in pairs.iter_mut() {
        if let Some((i, field)) = row_key(name, group) {
            if i > index {
                *name = if field.is_empty() {
                    format!("{group}[{}]", i - 1)
                } else {
                    format!("{group}[{}].{field}", i - 1)
                };
            }
        }
    }
}

/// An amount as people type it: `25 000,50`, `25000.5`, `25 000 €`; `None` when it cannot be
/// read as one. The server's reading of the form and the live totals in the browser share it.
pub fn read_amount(value: &str) -> Option<f64> {
    let cleaned: String = value
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '€' && *c != '\u{202f}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    cleaned.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// The funding rows typed in a form, as far as they can be read (what cannot is left at
/// zero or out), in the order of their rows: what the live totals add up.
pub fn fundings_of(pairs: &Pairs) -> Vec<super::Funding> {
    let mut rows: std::collections::BTreeMap<usize, super::Funding> = Default::default();
    for (name, value) in pairs {
        let Some((index, field)) = row_key(name, "fundings") else {
            continue;
        };
        let row = rows.entry(index).or_insert_with(|| super::Funding {
            funder: String::new(),
            amount_eur: 0.0,
            water_1pct_eur: None,
            year: None,
        });
        match field {
            "funder" => row.funder = value.trim().to_string(),
            "amount_eur" => row.amount_eur = read_amount(value).unwrap_or(0.0),
            "water_1pct_eur" => row.water_1pct_eur = read_amount(value),
            "year" => row.year = value.trim().parse().ok(),
            _ => {}
        }
    }
    rows.into_values()
        .filter(|f| !f.funder.is_empty() || f.amount_eur != 0.0)
        .collect()
}

#[cfg(test)]
mod amount_tests {
    use super::*;

    #[test]
    fn amounts_are_read_as_people_type_them_and_rows_add_up() {
        assert_eq!(read_amount("25 000,50"), Some(25000.5));
        assert_eq!(read_amount("25\u{202f}000 €"), Some(25000.0));
        assert_eq!(read_amount("vingt"), None);
        let pairs: Pairs = [
            ("fundings[0].funder", "Ville"),
            ("fundings[0].amount_eur", "1 000"),
            ("fundings[0].year", "2019"),
            ("fundings[1].funder", ""),
            ("fundings[1].amount_eur", ""),
            ("fundings[2].funder", "Agence"),
            ("fundings[2].amount_eur", "abc"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let rows = fundings_of(&pairs);
        assert_eq!(rows.len(), 2, "the blank row is left out");
        assert_eq!(rows[0].amount_eur, 1000.0);
        assert_eq!(rows[0].year, Some(2019));
        assert_eq!(rows[1].amount_eur, 0.0, "unreadable: nothing added");
    }
}
