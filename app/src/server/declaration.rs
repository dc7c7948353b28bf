//! The declaration form's encoding: a partnership as the flat `name → value` pairs of HTML
//! inputs (`fundings[0].amount_eur`, the same names as the write path's error fields), and
//! back, one step at a time. Pairs are what a browser posts without JavaScript, what the page
//! shows again after an error, and what the page is rendered from.

use crate::error::FieldError;
use crate::models::{
    ContactDraft, DeclarationStep, Duration, ForeignPartnerRef, FrenchPartnerRef, FundingDraft,
    OtherThemeDraft, Partnership, PartnershipDraft, Status, VolunteerDraft,
};
use crate::msg;
use std::collections::BTreeMap;

pub use crate::models::rows::{add_row, remove_row, row_count, row_key, Pairs};

fn push(pairs: &mut Pairs, name: impl Into<String>, value: impl Into<String>) {
    let value = value.into();
    if !value.is_empty() {
        pairs.push((name.into(), value));
    }
}

fn number(value: Option<impl ToString>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// A partnership as the form's pairs.
pub fn pairs_of(p: &Partnership) -> Pairs {
    let mut out = Pairs::new();
    let o = &mut out;
    push(o, "title", p.title.clone());
    for (i, f) in p.french_partners.iter().enumerate() {
        push(
            o,
            format!("french_partners[{i}]"),
            f.code.clone().unwrap_or(f.name.clone()),
        );
        push(o, format!("french_partners[{i}].label"), f.name.clone());
    }
    for (i, f) in p.foreign_partners.iter().enumerate() {
        push(o, format!("foreign_partners[{i}].id"), f.id.to_string());
        push(o, format!("foreign_partners[{i}].name"), f.name.clone());
        push(
            o,
            format!("foreign_partners[{i}].country"),
            f.country.clone().unwrap_or_default(),
        );
    }
    push(o, "theme", p.theme.clone().unwrap_or_default());
    for (i, t) in p.other_themes.iter().enumerate() {
        push(o, format!("other_themes[{i}].code"), t.code.clone());
    }
    push(o, "form", p.form.clone().unwrap_or_default());
    push(o, "status", p.status.map(|s| s.code()).unwrap_or_default());
    push(
        o,
        "duration",
        p.duration.map(|d| d.code()).unwrap_or_default(),
    );
    push(o, "first_agreement_year", number(p.first_agreement_year));
    push(o, "start_year", number(p.start_year));
    push(o, "end_date", number(p.end_date));
    for (name, text) in [
        ("context", &p.context),
        ("history", &p.history),
        ("objectives_local", &p.objectives_local),
        ("objectives_france", &p.objectives_france),
        ("description", &p.description),
        ("beneficiaries", &p.beneficiaries),
    ] {
        push(o, name, text.clone().unwrap_or_default());
    }
    push(o, "project_managers", p.project_managers.join("\n"));
    push(o, "project_owners", p.project_owners.join("\n"));
    for (name, on) in [
        ("communication_france", p.communication_france),
        ("communication_partners", p.communication_partners),
        ("evaluation", p.evaluation),
    ] {
        if on {
            push(o, name, "on");
        }
    }
    for (i, c) in p.foreign_contacts.iter().enumerate() {
        let f = |n: &str| format!("foreign_contacts[{i}].{n}");
        push(o, f("authority"), c.authority.clone());
        push(o, f("last_name"), c.last_name.clone());
        push(o, f("first_name"), c.first_name.clone());
        push(o, f("role"), c.role.clone().unwrap_or_default());
        push(o, f("email"), c.email.clone().unwrap_or_default());
    }
    for (i, x) in p.fundings.iter().enumerate() {
        let f = |n: &str| format!("fundings[{i}].{n}");
        push(o, f("funder"), x.funder.clone());
        push(o, f("amount_eur"), x.amount_eur.to_string());
        push(o, f("water_1pct_eur"), number(x.water_1pct_eur));
        push(o, f("year"), number(x.year));
    }
    for (i, v) in p.volunteers.iter().enumerate() {
        let f = |n: &str| format!("volunteers[{i}].{n}");
        push(o, f("last_name"), v.last_name.clone());
        push(o, f("first_name"), v.first_name.clone());
        push(o, f("mission"), v.mission.clone().unwrap_or_default());
        push(o, f("field"), v.field.clone().unwrap_or_default());
        push(
            o,
            f("assigned_entity"),
            v.assigned_entity.clone().unwrap_or_default(),
        );
    }
    out
}

/// The rows of a repeatable group, in index order: each row's fields by name (`""` for a
/// bare `group[i]`). Rows whose every value is blank are left out.
pub fn rows(pairs: &Pairs, group: &str) -> Vec<BTreeMap<String, String>> {
    let mut by_index: BTreeMap<usize, BTreeMap<String, String>> = BTreeMap::new();
    for (name, value) in pairs {
        if let Some((index, field)) = row_key(name, group) {
            // A name sent twice (only a hand-made request does) counts once, with its first
            // value, as for the form's other fields.
            by_index
                .entry(index)
                .or_default()
                .entry(field.to_string())
                .or_insert_with(|| value.clone());
        }
    }
    by_index
        .into_values()
        .filter(|row| {
            row.iter()
                .any(|(k, v)| k != "label" && k != "id" && !v.trim().is_empty())
                || row.get("id").is_some_and(|v| !v.is_empty())
        })
        .collect()
}

/// The repeatable groups of the form.
pub const GROUPS: [&str; 6] = [
    "french_partners",
    "foreign_partners",
    "other_themes",
    "foreign_contacts",
    "fundings",
    "volunteers",
];

/// Drops the blank rows of every group and renumbers the others, so that a row's index in the
/// form is its index in the draft (and in the write path's error fields). Answers, per group,
/// the index each remaining row had before.
pub fn compact(pairs: &mut Pairs) -> Renumbering {
    let mut renumbering = Renumbering::default();
    for group in GROUPS {
        let kept: Vec<usize> = {
            let mut by_index: BTreeMap<usize, bool> = BTreeMap::new();
            let mut seen = std::collections::HashSet::new();
            for (name, value) in pairs.iter() {
                if let Some((i, field)) = row_key(name, group) {
                    let filled = field != "label" && !value.trim().is_empty();
                    let first = seen.insert((i, field));
                    *by_index.entry(i).or_default() |= filled && first;
                }
            }
            by_index
                .into_iter()
                .filter(|(_, filled)| *filled)
                .map(|(i, _)| i)
                .collect()
        };
        for i in (0..row_count(pairs, group)).rev() {
            if !kept.contains(&i) {
                remove_row(pairs, group, i);
            }
        }
        renumbering.0.insert(group, kept);
    }
    renumbering
}

/// How `compact` renumbered the rows: per group, each remaining row's index before.
#[derive(Debug, Default)]
pub struct Renumbering(BTreeMap<&'static str, Vec<usize>>);

impl Renumbering {
    /// A field's name as it was before the renumbering (`fundings[0].year` → `fundings[2].year`
    /// when the first two rows were blank), to show its error next to the input typed in.
    pub fn original(&self, field: &str) -> String {
        for (group, kept) in &self.0 {
            if let Some((i, rest)) = row_key(field, group) {
                let Some(before) = kept.get(i) else {
                    return field.to_string();
                };
                return if rest.is_empty() {
                    format!("{group}[{before}]")
                } else {
                    format!("{group}[{before}].{rest}")
                };
            }
        }
        field.to_string()
    }
}

fn get<'a>(pairs: &'a Pairs, name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn text(pairs: &Pairs, name: &str) -> Option<String> {
    get(pairs, name)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// A whole number as typed (`2019`), or an error that names the field.
fn int(errors: &mut Vec<FieldError>, name: &str, value: Option<&str>) -> Option<i32> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    match value.parse() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.push(FieldError::new(name, msg!(err_not_a_year, text = value)));
            None
        }
    }
}

/// An amount as people type it (`25 000,50`), or an error that names the field.
fn euros(errors: &mut Vec<FieldError>, name: &str, value: Option<&str>) -> Option<f64> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    let amount = crate::models::rows::read_amount(value);
    if amount.is_none() {
        errors.push(FieldError::new(name, msg!(err_not_an_amount, text = value)));
    }
    amount
}

fn lines(value: Option<String>) -> Vec<String> {
    value
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Writes one step's fields from the posted pairs over a draft; the other steps' fields are
/// kept. Values that cannot even be read (a year in letters) are errors naming their field.
pub fn apply(
    mut draft: PartnershipDraft,
    step: DeclarationStep,
    pairs: &Pairs,
) -> (PartnershipDraft, Vec<FieldError>) {
    let mut errors = Vec::new();
    let e = &mut errors;
    match step {
        DeclarationStep::Partners => {
            draft.title = text(pairs, "title").unwrap_or_default();
            draft.french_partners = rows(pairs, "french_partners")
                .into_iter()
                .filter_map(|row| row.get("").map(|k| k.trim().to_string()))
                .filter(|k| !k.is_empty())
                .map(FrenchPartnerRef::Key)
                .collect();
            draft.foreign_partners = rows(pairs, "foreign_partners")
                .into_iter()
                .map(|row| ForeignPartnerRef {
                    id: row.get("id").and_then(|v| v.parse().ok()),
                    name: row.get("name").map(|v| v.trim().to_string()),
                    country: row.get("country").map(|v| v.trim().to_string()),
                })
                .collect();
        }
        DeclarationStep::Calendar => {
            draft.theme = text(pairs, "theme");
            draft.other_themes = rows(pairs, "other_themes")
                .into_iter()
                .filter_map(|row| row.get("code").cloned())
                .filter(|c| !c.trim().is_empty())
                .map(|code| OtherThemeDraft {
                    code,
                    priority: None,
                })
                .collect();
            draft.form = text(pairs, "form");
            draft.status = text(pairs, "status").and_then(|s| Status::from_code(&s));
            draft.duration = text(pairs, "duration").and_then(|s| Duration::from_code(&s));
            draft.first_agreement_year = int(
                e,
                "first_agreement_year",
                get(pairs, "first_agreement_year"),
            );
            draft.start_year = int(e, "start_year", get(pairs, "start_year"));
            draft.end_date = match text(pairs, "end_date") {
                None => None,
                Some(d) => match chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d") {
                    Ok(date) => Some(date),
                    Err(_) => {
                        e.push(FieldError::new(
                            "end_date",
                            msg!(err_not_a_date, text = d.clone()),
                        ));
                        None
                    }
                },
            };
        }
        DeclarationStep::Texts => {
            draft.context = text(pairs, "context");
            draft.history = text(pairs, "history");
            draft.objectives_local = text(pairs, "objectives_local");
            draft.objectives_france = text(pairs, "objectives_france");
            draft.description = text(pairs, "description");
            draft.beneficiaries = text(pairs, "beneficiaries");
            draft.project_managers = lines(text(pairs, "project_managers"));
            draft.project_owners = lines(text(pairs, "project_owners"));
            draft.communication_france = get(pairs, "communication_france").is_some();
            draft.communication_partners = get(pairs, "communication_partners").is_some();
            draft.evaluation = get(pairs, "evaluation").is_some();
        }
        DeclarationStep::Means => {
            let value = |row: &BTreeMap<String, String>, k: &str| {
                row.get(k)
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
            };
            draft.foreign_contacts = rows(pairs, "foreign_contacts")
                .iter()
                .map(|row| ContactDraft {
                    authority: value(row, "authority").unwrap_or_default(),
                    last_name: value(row, "last_name").unwrap_or_default(),
                    first_name: value(row, "first_name").unwrap_or_default(),
                    role: value(row, "role"),
                    email: value(row, "email"),
                })
                .collect();
            draft.fundings = rows(pairs, "fundings")
                .iter()
                .enumerate()
                .map(|(i, row)| {
                    let f = |n: &str| format!("fundings[{i}].{n}");
                    FundingDraft {
                        funder: value(row, "funder").unwrap_or_default(),
                        amount_eur: euros(
                            e,
                            &f("amount_eur"),
                            row.get("amount_eur").map(String::as_str),
                        )
                        .unwrap_or(0.0),
                        water_1pct_eur: euros(
                            e,
                            &f("water_1pct_eur"),
                            row.get("water_1pct_eur").map(String::as_str),
                        ),
                        year: int(e, &f("year"), row.get("year").map(String::as_str)),
                    }
                })
                .collect();
            draft.volunteers = rows(pairs, "volunteers")
                .iter()
                .map(|row| VolunteerDraft {
                    last_name: value(row, "last_name").unwrap_or_default(),
                    first_name: value(row, "first_name").unwrap_or_default(),
                    mission: value(row, "mission"),
                    field: value(row, "field"),
                    assigned_entity: value(row, "assigned_entity"),
                })
                .collect();
        }
        DeclarationStep::Review => {}
    }
    (draft, errors)
}

/// A step of the form over the stored draft (a new one before the first save), ready for the
/// write path: this step's fields read from `pairs` (compacted first), the version set. Values
/// that cannot even be read are refused here, naming their field.
pub async fn step_draft(
    db: &sea_orm::DatabaseConnection,
    user: &crate::server::auth::Account,
    id: Option<i32>,
    step: DeclarationStep,
    version: Option<i32>,
    pairs: &Pairs,
) -> Result<PartnershipDraft, crate::error::AppError> {
    use crate::server::services::contributions;
    let base = match id {
        Some(id) => contributions::as_draft(contributions::get(db, Some(user), id).await?.1),
        None => PartnershipDraft::default(),
    };
    let (mut draft, unreadable) = apply(base, step, pairs);
    if !unreadable.is_empty() {
        return Err(crate::error::AppError::Invalid { fields: unreadable });
    }
    draft.version = version;
    Ok(draft)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> Pairs {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn rows_are_read_added_removed_and_renumbered() {
        let mut pairs = p(&[
            ("fundings[0].funder", "Ville"),
            ("fundings[1].funder", ""),
            ("fundings[2].funder", "Agence"),
            ("fundings[2].amount_eur", "10"),
        ]);
        assert_eq!(rows(&pairs, "fundings").len(), 2, "blank rows are dropped");
        assert_eq!(row_count(&pairs, "fundings"), 3, "but still shown");
        add_row(&mut pairs, "fundings");
        assert_eq!(row_count(&pairs, "fundings"), 4);
        remove_row(&mut pairs, "fundings", 1);
        assert_eq!(row_count(&pairs, "fundings"), 3);
        assert_eq!(get(&pairs, "fundings[1].funder"), Some("Agence"));
        assert_eq!(get(&pairs, "fundings[1].amount_eur"), Some("10"));
        assert_eq!(row_key("fundingsx[1].a", "fundings"), None);
        let mut pairs = p(&[
            ("fundings[0].funder", " "),
            ("fundings[1].funder", "Agence"),
            ("volunteers[3].mission", "eau"),
        ]);
        compact(&mut pairs);
        assert_eq!(
            pairs,
            p(&[
                ("fundings[0].funder", "Agence"),
                ("volunteers[0].mission", "eau")
            ])
        );
    }

    #[test]
    fn amounts_and_years_are_read_as_people_type_them() {
        let (draft, errors) = apply(
            PartnershipDraft::default(),
            DeclarationStep::Means,
            &p(&[
                ("fundings[0].funder", "Ville"),
                ("fundings[0].amount_eur", "25 000,50 €"),
                ("fundings[0].year", "2019"),
                ("fundings[1].funder", "Agence"),
                ("fundings[1].amount_eur", "beaucoup"),
                ("fundings[1].year", "deux mille"),
            ]),
        );
        assert_eq!(draft.fundings[0].amount_eur, 25000.5);
        assert_eq!(draft.fundings[0].year, Some(2019));
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["fundings[1].amount_eur", "fundings[1].year"]);
    }

    #[test]
    fn a_row_far_past_the_limit_is_no_row() {
        let mut pairs = p(&[
            ("fundings[0].funder", "Ville"),
            ("fundings[99999999].funder", "Agence"),
            ("fundings[18446744073709551615].funder", "Agence"),
        ]);
        assert_eq!(row_count(&pairs, "fundings"), 1);
        compact(&mut pairs);
        assert_eq!(rows(&pairs, "fundings").len(), 1);
    }

    /// The declaration form's decoders on whatever a request may post: known and unknown
    /// names, rows at any index (past [`crate::models::rows::MAX_ROWS`] too), any text. No
    /// panic; every error names a field; compacting keeps no blank row and fits the limit.
    mod properties {
        use super::*;
        use crate::models::rows::MAX_ROWS;
        use proptest::prelude::*;

        const FIELDS: &[&str] = &[
            "title",
            "theme",
            "form",
            "status",
            "start_year",
            "first_agreement_year",
            "end_date",
            "duration",
            "context",
            "history",
            "objectives_local",
            "objectives_france",
            "description",
            "beneficiaries",
            "project_managers",
            "project_owners",
            "communication_france",
            "communication_partners",
            "evaluation",
        ];
        const ROW_FIELDS: &[&str] = &[
            "",
            "id",
            "name",
            "country",
            "label",
            "authority",
            "last_name",
            "first_name",
            "role",
            "email",
            "funder",
            "amount_eur",
            "water_1pct_eur",
            "year",
            "mission",
            "field",
            "assigned_entity",
        ];

        fn name() -> impl Strategy<Value = String> {
            let row = (
                proptest::sample::select(&GROUPS[..]),
                prop_oneof![
                    0usize..4,
                    Just(MAX_ROWS - 1),
                    Just(MAX_ROWS),
                    any::<usize>()
                ],
                proptest::sample::select(ROW_FIELDS),
            )
                .prop_map(|(group, index, field)| {
                    if field.is_empty() {
                        format!("{group}[{index}]")
                    } else {
                        format!("{group}[{index}].{field}")
                    }
                });
            prop_oneof![
                proptest::sample::select(FIELDS).prop_map(String::from),
                row,
                ".{0,40}",
            ]
        }

        fn value() -> impl Strategy<Value = String> {
            prop_oneof![
                ".{0,30}",
                "[0-9 ,.€-]{0,14}",
                "[0-3][0-9]/[01][0-9]/[12][0-9]{3}",
                Just("on".to_string()),
                Just("commune-73065".to_string()),
            ]
        }

        proptest! {
            #[test]
            fn any_posted_step_is_read_or_refused_field_by_field(
                posted in proptest::collection::vec((name(), value()), 0..40),
                step in 1u8..=5,
            ) {
                let step = DeclarationStep::from_number(step).unwrap();
                let mut pairs: Pairs = posted;
                let renumbering = compact(&mut pairs);
                for group in GROUPS {
                    prop_assert!(row_count(&pairs, group) <= MAX_ROWS);
                    prop_assert_eq!(rows(&pairs, group).len(), row_count(&pairs, group));
                }
                let (_, errors) = apply(PartnershipDraft::default(), step, &pairs);
                for error in errors {
                    prop_assert!(!error.field.is_empty());
                    prop_assert!(!renumbering.original(&error.field).is_empty());
                }
                add_row(&mut pairs, "fundings");
                remove_row(&mut pairs, "fundings", 0);
            }
        }
    }
}
