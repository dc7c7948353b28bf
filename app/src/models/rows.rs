//! The repeatable rows of the declaration form, as the flat `name → value` pairs of its
//! inputs (`fundings[2].year`): added and removed by the server without JavaScript, in the
//! browser once hydrated.

pub type Pairs = Vec<(String, String)>;

/// `group[3].field` → (3, "field"); `group[3]` → (3, "").
pub fn row_key<'a>(name: &'a str, group: &str) -> Option<(usize, &'a str)> {
    let rest = name.strip_prefix(group)?.strip_prefix('[')?;
    let (index, rest) = rest.split_once(']')?;
    let index = index.parse().ok()?;
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
