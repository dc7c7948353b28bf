//! Parser of one page of the legacy « Atlas français de la coopération décentralisée », as
//! exported to text.
//!
//! The page is a sequence of label lines (`Titre`, `Contexte`, `Partenaires étrangers du
//! partenariat`, …) each followed by its value lines, up to the next label. The parser is pure
//! (no I/O) and never panics: everything it does not understand becomes a [`Warning`], and only
//! the few problems listed on [`parse_page`] are fatal.
//!
//! Rules worth knowing:
//! - Lines are compared to labels after folding (lowercase, accents removed, punctuation and
//!   hyphens turned into spaces, whitespace collapsed), so `Maître(s) d'œuvre` and
//!   `MAITRE(S) D’OEUVRE` are the same label.
//! - Noise is dropped: `???…???` placeholders, the breadcrumb, the atlas banner, pagination
//!   lines, `commun.ico.loupe.alter`, `Tous droits réservés …`; everything from `PIED DE PAGE` on
//!   is ignored. `[at]` is read as `@` everywhere.
//! - Paragraphs: in free-text values (context, history, objectives, description, beneficiaries)
//!   every line is trimmed (the non-breaking space counts as whitespace, so a line holding only
//!   U+00A0 is blank), consecutive non-blank lines are joined with `"\n"`, and each run of one
//!   or more blank lines becomes a single `"\n\n"`. Leading and trailing blank lines are dropped.
//!   The title is the one exception: its lines are joined with a single space.
//! - Table rows are split on tabs when the row holds a tab; otherwise cells are separated by
//!   single spaces and the referentials and the page's own partner names decide where cells
//!   end (see the `*_row` functions).
//! - Amounts: `6600`, `6600,5`, `6600.50`, optionally followed by `€`. Thousand separators are
//!   supported in tab-separated rows only: in space-separated rows `6 600` reads as two amounts.
//! - When a label appears twice (the legacy export repeats table labels), the values add up
//!   for tables; for single values the first non-empty one is kept and a later, different one
//!   is reported as a warning.

use crate::models::{Duration, EmbassyRole, Status};

/// A theme of the referential, with the French labels of its path.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ThemePath {
    pub code: String,
    /// Labels from the root (level 1) to the node, in French.
    pub labels: Vec<String>,
}

/// The referentials the parser resolves names against.
pub trait Referentials {
    /// ISO alpha-2 of a country given its French name as the legacy atlas writes it; accent-, case- and hyphen-insensitive.
    fn country_by_name(&self, name: &str) -> Option<String>;
    fn themes(&self) -> &[ThemePath];
    /// Form code for a French form label such as "Projet de coopération décentralisée".
    fn form_by_label(&self, label: &str) -> Option<String>;
}

/// A fatal problem: the page cannot be imported.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// In French.
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ligne {} : {}", self.line, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Something the parser did not understand or could not resolve; the page still imports.
#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    /// 1-based line number.
    pub line: usize,
    /// In French.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LegacyPage {
    pub embassy: Option<LegacyEmbassy>,
    pub title: String,
    pub first_agreement_year: Option<i32>,
    /// Code of the deepest non-empty level resolved.
    pub theme: Option<String>,
    /// The theme labels as the page writes them, from level 1 down to the last non-empty one.
    pub theme_labels: Vec<String>,
    /// (code, priority)
    pub other_themes: Vec<(String, Option<i32>)>,
    pub start_year: Option<i32>,
    pub status: Option<Status>,
    pub end_date: Option<chrono::NaiveDate>,
    pub context: Option<String>,
    pub history: Option<String>,
    pub objectives_local: Option<String>,
    pub objectives_france: Option<String>,
    pub description: Option<String>,
    /// Form code.
    pub form: Option<String>,
    pub form_label: Option<String>,
    pub project_managers: Vec<String>,
    pub project_owners: Vec<String>,
    pub beneficiaries: Option<String>,
    pub foreign_partners: Vec<LegacyForeignPartner>,
    pub foreign_contacts: Vec<LegacyContact>,
    pub french_partners: Vec<String>,
    pub duration: Option<Duration>,
    pub fundings: Vec<LegacyFunding>,
    pub communication_france: bool,
    pub communication_partners: bool,
    pub evaluation: bool,
    pub volunteers: Vec<LegacyVolunteer>,
    /// Sorted by line.
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LegacyEmbassy {
    pub post: String,
    pub contacts: Vec<LegacyEmbassyContact>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LegacyEmbassyContact {
    pub role: EmbassyRole,
    pub role_label: String,
    pub name: String,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LegacyForeignPartner {
    pub name: String,
    pub country_name: String,
    /// ISO alpha-2.
    pub country: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LegacyContact {
    pub authority: String,
    pub last_name: String,
    pub first_name: String,
    pub role: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LegacyFunding {
    pub funder: String,
    pub amount_cents: i64,
    pub water_1pct_cents: Option<i64>,
    pub year: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LegacyVolunteer {
    pub last_name: String,
    pub first_name: String,
    pub mission: Option<String>,
    pub field: Option<String>,
    pub assigned_entity: Option<String>,
}

/// Parses one page.
///
/// Fatal errors (with the 1-based line): no label of the atlas at all; no `Titre` or an empty
/// title; a year that is not a 4-digit number in 1900..=2100; an end date that is not a valid
/// dd/mm/yyyy date; an unknown status; a funding row without an amount. Everything else that
/// is unknown or unresolved is a warning in [`LegacyPage::warnings`].
pub fn parse_page(text: &str, refs: &dyn Referentials) -> Result<LegacyPage, ParseError> {
    let mut warnings = Vec::new();
    let sections = split_sections(text, &mut warnings);
    if sections.is_empty() {
        return Err(ParseError {
            line: 1,
            message: "aucun libellé de l'atlas reconnu : ce texte n'est pas une page de l'atlas"
                .into(),
        });
    }
    let mut state = State {
        page: LegacyPage::default(),
        warnings,
        title_line: None,
        theme_levels: [None, None, None],
    };

    // Tables whose rows refer to the page's partners are read once every partner is known.
    let (late, early): (Vec<&Section>, Vec<&Section>) = sections
        .iter()
        .partition(|s| matches!(s.label, Label::ForeignContacts | Label::Volunteers));
    for section in early.into_iter().chain(late) {
        state.section(section, refs)?;
    }
    state.resolve_theme(refs);

    let State {
        mut page,
        mut warnings,
        title_line,
        ..
    } = state;
    match title_line {
        None => {
            return Err(ParseError {
                line: 1,
                message: "libellé « Titre » absent".into(),
            })
        }
        Some(line) if page.title.is_empty() => {
            return Err(ParseError {
                line,
                message: "titre vide".into(),
            })
        }
        Some(_) => {}
    }
    warnings.sort_by_key(|w| w.line);
    page.warnings = warnings;
    Ok(page)
}

// ---------------------------------------------------------------------------------------------
// Lines and sections

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flag {
    CommunicationFrance,
    CommunicationPartners,
    Evaluation,
}

#[derive(Clone, Debug, PartialEq)]
enum Label {
    Embassy(String),
    Title,
    FirstAgreementYear,
    /// Theme level, 0-based.
    Theme(usize),
    OtherThemes,
    StartYear,
    /// `Le partenariat est`, alone: the status follows.
    Status,
    /// `Le partenariat est triennal` (or a status on the same line).
    Inline(Option<Status>, Option<Duration>),
    EndDate,
    Context,
    History,
    Objectives,
    ObjectivesLocal,
    ObjectivesFrance,
    Description,
    Form,
    /// Section headings without a value of their own.
    Heading,
    Managers,
    Owners,
    Beneficiaries,
    ForeignPartners,
    ForeignContacts,
    FrenchPartners,
    Fundings,
    Flag(Flag, bool),
    Volunteers,
}

struct Line {
    no: usize,
    /// The line without noise, untrimmed (tabs kept).
    clean: String,
    /// `clean`, trimmed.
    text: String,
}

struct Section {
    label: Label,
    line: usize,
    body: Vec<Line>,
}

const ICON: &str = "commun.ico.loupe.alter";

const EXACT_LABELS: &[(&str, Label)] = &[
    ("titre", Label::Title),
    (
        "annee de premiere signature de la convention",
        Label::FirstAgreementYear,
    ),
    ("thematique d intervention", Label::Theme(0)),
    ("sous thematique d intervention", Label::Theme(1)),
    ("sous sous thematique d intervention", Label::Theme(2)),
    (
        "autres thematiques mises en oeuvre pour le partenariat",
        Label::OtherThemes,
    ),
    ("annee de debut du partenariat", Label::StartYear),
    ("le partenariat est", Label::Status),
    ("date de fin du partenariat", Label::EndDate),
    ("contexte", Label::Context),
    ("historique", Label::History),
    ("objectif du partenariat", Label::Objectives),
    ("objectifs du partenariat", Label::Objectives),
    ("description detaillee du partenariat", Label::Description),
    ("votre partenariat prend la forme d un e", Label::Form),
    ("votre partenariat prend la forme d un", Label::Form),
    ("mise en oeuvre du partenariat", Label::Heading),
    ("maitre s d oeuvre", Label::Managers),
    ("maitres d oeuvre", Label::Managers),
    ("maitre s d ouvrage", Label::Owners),
    ("maitres d ouvrage", Label::Owners),
    ("beneficiaire s", Label::Beneficiaries),
    ("beneficiaires", Label::Beneficiaries),
    (
        "partenaires etrangers du partenariat",
        Label::ForeignPartners,
    ),
    (
        "contacts dans les partenaires etrangers du partenariat",
        Label::ForeignContacts,
    ),
    (
        "collectivites territoriales partenaires du partenariat",
        Label::FrenchPartners,
    ),
    ("financement du partenariat", Label::Fundings),
    ("evaluations communication et perspectives", Label::Heading),
];

const FLAGS: &[(&str, Flag)] = &[
    (
        "une communication a ete engagee en france",
        Flag::CommunicationFrance,
    ),
    (
        "une communication a ete engagee dans les pays partenaires",
        Flag::CommunicationPartners,
    ),
    ("une politique d evaluation a ete engagee", Flag::Evaluation),
];

/// Table headers, folded: skipped wherever they appear in a table.
const TABLE_HEADERS: &[&str] = &[
    "thematique eligible",
    "nom de la collectivite etrangere",
    "nom de la collectivite territoriale",
    "nom du financeur",
    "nom prenom mission",
];

fn split_sections(text: &str, warnings: &mut Vec<Warning>) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    for (idx, raw) in text.split('\n').enumerate() {
        let no = idx + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let raw = raw.trim_start_matches('\u{feff}');
        let clean = clean_line(raw);
        let trimmed = clean.trim();
        let folded = fold(trimmed);
        if folded == "pied de page" {
            break;
        }
        let blank = Line {
            no,
            clean: String::new(),
            text: String::new(),
        };
        if is_noise(trimmed, &folded) {
            if let Some(s) = sections.last_mut() {
                s.body.push(blank);
            }
            continue;
        }
        let in_objectives = matches!(
            sections.last().map(|s| &s.label),
            Some(Label::Objectives | Label::ObjectivesLocal | Label::ObjectivesFrance)
        );
        if let Some((label, inline)) = recognise(trimmed, &folded, in_objectives) {
            let body = match inline {
                Some(text) => vec![Line {
                    no,
                    clean: text.clone(),
                    text,
                }],
                None => Vec::new(),
            };
            sections.push(Section {
                label,
                line: no,
                body,
            });
            continue;
        }
        let text = trimmed.to_string();
        match sections.last_mut() {
            Some(s) => s.body.push(Line { no, clean, text }),
            None if !text.is_empty() => warnings.push(Warning {
                line: no,
                message: format!("texte hors rubrique ignoré : « {} »", excerpt(&text)),
            }),
            None => {}
        }
    }
    sections
}

/// Removes `???…???` placeholders and the magnifier icon, and reads `[at]` as `@`.
fn clean_line(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(start) = rest.find("???") {
        let after = &rest[start + 3..];
        match after.find("???") {
            Some(end) if !after[..end].contains(char::is_whitespace) => {
                out.push_str(&rest[..start]);
                rest = &after[end + 3..];
            }
            _ => {
                out.push_str(&rest[..start + 3]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.replace(ICON, "")
        .replace("[at]", "@")
        .replace("[AT]", "@")
}

fn is_noise(trimmed: &str, folded: &str) -> bool {
    trimmed.contains("pagination.page")
        || folded == "accueil"
        || trimmed.starts_with("Accueil >")
        || folded.starts_with("atlas francais de la cooperation decentralisee")
        || folded.starts_with("tous droits reserves")
}

fn recognise(trimmed: &str, folded: &str, in_objectives: bool) -> Option<(Label, Option<String>)> {
    if folded.is_empty() {
        return None;
    }
    if in_objectives {
        let (head, tail) = match trimmed.split_once(':') {
            Some((head, tail)) => (head, tail.trim()),
            None => (trimmed, ""),
        };
        let inline = (!tail.is_empty()).then(|| tail.to_string());
        match fold(head).as_str() {
            "objectifs locaux" | "objectif local" | "objectifs local" => {
                return Some((Label::ObjectivesLocal, inline))
            }
            "objectifs en france" | "objectif en france" => {
                return Some((Label::ObjectivesFrance, inline))
            }
            _ => {}
        }
    }
    if folded.starts_with("contacts dans le poste diplomatique") {
        return Some((Label::Embassy(embassy_post(trimmed)), None));
    }
    if let Some((_, label)) = EXACT_LABELS.iter().find(|(l, _)| *l == folded) {
        return Some((label.clone(), None));
    }
    if let Some(rest) = folded.strip_prefix("le partenariat est ") {
        let duration = duration_from(rest);
        let status = status_from(rest);
        if duration.is_some() || status.is_some() {
            return Some((Label::Inline(status, duration), None));
        }
    }
    if folded.starts_with("volontaires impliques dans le partenariat") {
        return Some((Label::Volunteers, None));
    }
    for (prefix, flag) in FLAGS {
        if let Some(rest) = folded.strip_prefix(prefix) {
            let value = match rest.trim() {
                "" | "oui" => Some(true),
                "non" => Some(false),
                _ => None,
            };
            if let Some(value) = value {
                return Some((Label::Flag(*flag, value), None));
            }
        }
    }
    None
}

/// The post named in `Contacts dans le poste diplomatique "…"`.
fn embassy_post(trimmed: &str) -> String {
    // The label is ASCII, so byte offsets of the ASCII-lowercased line are those of the line.
    let lower = trimmed.to_ascii_lowercase();
    let rest = match lower.find("diplomatique") {
        Some(i) => trimmed.get(i + "diplomatique".len()..).unwrap_or(""),
        None => "",
    };
    rest.trim()
        .trim_start_matches(['"', '«', '“', '\''])
        .trim_end_matches(['"', '»', '”', '\''])
        .trim()
        .to_string()
}

fn status_from(folded: &str) -> Option<Status> {
    match folded {
        "en cours" => Some(Status::Ongoing),
        "termine" | "terminee" | "acheve" | "achevee" => Some(Status::Completed),
        "en projet" | "prevu" | "prevue" => Some(Status::Planned),
        _ => None,
    }
}

fn duration_from(folded: &str) -> Option<Duration> {
    match folded {
        "annuel" => Some(Duration::Annual),
        "biennal" => Some(Duration::Biennial),
        "triennal" => Some(Duration::Triennial),
        "pluriannuel" => Some(Duration::MultiYear),
        _ => None,
    }
}

fn embassy_role(label: &str) -> EmbassyRole {
    let f = fold(label);
    if f.starts_with("correspondant") && f.contains("cooperation decentralisee") {
        EmbassyRole::DecentralisedCooperationCorrespondent
    } else if f == "conseiller de cooperation et d action culturelle" || f == "cocac" {
        EmbassyRole::CooperationCounsellor
    } else {
        EmbassyRole::Other
    }
}

// ---------------------------------------------------------------------------------------------
// Reading the sections

struct State {
    page: LegacyPage,
    warnings: Vec<Warning>,
    title_line: Option<usize>,
    /// (line, label) of the three theme levels.
    theme_levels: [Option<(usize, String)>; 3],
}

impl State {
    fn warn(&mut self, line: usize, message: String) {
        self.warnings.push(Warning { line, message });
    }

    fn section(&mut self, s: &Section, refs: &dyn Referentials) -> Result<(), ParseError> {
        match &s.label {
            Label::Embassy(post) => self.embassy(s, post),
            Label::Title => {
                self.title_line.get_or_insert(s.line);
                let title = s
                    .body
                    .iter()
                    .filter(|l| !l.text.is_empty())
                    .map(|l| l.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                if self.page.title.is_empty() {
                    self.page.title = title;
                } else if !title.is_empty() && title != self.page.title {
                    self.warn(s.line, "titre répété : second titre ignoré".into());
                }
            }
            Label::FirstAgreementYear => {
                let year = self.year(s)?;
                let mut slot = self.page.first_agreement_year;
                self.set_once(&mut slot, year, s.line, "année de première signature");
                self.page.first_agreement_year = slot;
            }
            Label::StartYear => {
                let year = self.year(s)?;
                let mut slot = self.page.start_year;
                self.set_once(&mut slot, year, s.line, "année de début");
                self.page.start_year = slot;
            }
            Label::Theme(level) => {
                let value = self.single(s).map(|l| (l.no, l.text.clone()));
                if let (Some(v), Some(slot)) = (value, self.theme_levels.get_mut(*level)) {
                    if slot.is_none() {
                        *slot = Some(v);
                    }
                }
            }
            Label::OtherThemes => {
                for line in table_rows(s) {
                    self.other_theme_row(line, refs);
                }
            }
            Label::Status => {
                if let Some(line) = self.single(s) {
                    let f = fold(&line.text);
                    if let Some(status) = status_from(&f) {
                        let mut slot = self.page.status;
                        self.set_once(&mut slot, Some(status), line.no, "état du partenariat");
                        self.page.status = slot;
                    } else if let Some(duration) = duration_from(&f) {
                        let mut slot = self.page.duration;
                        self.set_once(&mut slot, Some(duration), line.no, "durée");
                        self.page.duration = slot;
                    } else {
                        return Err(ParseError {
                            line: line.no,
                            message: format!(
                                "état du partenariat « {} » inconnu (attendu : En cours, Terminé ou En projet)",
                                excerpt(&line.text)
                            ),
                        });
                    }
                }
            }
            Label::Inline(status, duration) => {
                let mut slot = self.page.status;
                self.set_once(&mut slot, *status, s.line, "état du partenariat");
                self.page.status = slot;
                let mut slot = self.page.duration;
                self.set_once(&mut slot, *duration, s.line, "durée");
                self.page.duration = slot;
                self.no_value(s);
            }
            Label::EndDate => {
                if let Some(line) = self.single(s) {
                    let date = parse_date(&line.text).ok_or_else(|| ParseError {
                        line: line.no,
                        message: format!(
                            "date de fin « {} » invalide (attendu : jj/mm/aaaa)",
                            excerpt(&line.text)
                        ),
                    })?;
                    let mut slot = self.page.end_date;
                    self.set_once(&mut slot, Some(date), line.no, "date de fin");
                    self.page.end_date = slot;
                }
            }
            Label::Context => self.text(s, |p| &mut p.context, "contexte"),
            Label::History => self.text(s, |p| &mut p.history, "historique"),
            Label::Objectives => {
                if paragraphs(&s.body).is_some() {
                    self.warn(
                        s.line,
                        "objectifs sans « Objectifs locaux : » : rangés dans les objectifs locaux"
                            .into(),
                    );
                }
                self.text(s, |p| &mut p.objectives_local, "objectifs locaux");
            }
            Label::ObjectivesLocal => self.text(s, |p| &mut p.objectives_local, "objectifs locaux"),
            Label::ObjectivesFrance => {
                self.text(s, |p| &mut p.objectives_france, "objectifs en France")
            }
            Label::Description => self.text(s, |p| &mut p.description, "description"),
            Label::Beneficiaries => self.text(s, |p| &mut p.beneficiaries, "bénéficiaires"),
            Label::Form => {
                if let Some(line) = self.single(s) {
                    let label = line.text.clone();
                    let code = refs.form_by_label(&label);
                    if code.is_none() {
                        self.warn(
                            line.no,
                            format!("forme de partenariat « {} » inconnue", excerpt(&label)),
                        );
                    }
                    if self.page.form_label.is_none() {
                        self.page.form_label = Some(label);
                        self.page.form = code;
                    }
                }
            }
            Label::Heading => self.no_value(s),
            Label::Flag(flag, value) => {
                let value = self.flag_value(s, *value);
                match flag {
                    Flag::CommunicationFrance => self.page.communication_france = value,
                    Flag::CommunicationPartners => self.page.communication_partners = value,
                    Flag::Evaluation => self.page.evaluation = value,
                }
            }
            Label::Managers => {
                let names = name_list(&s.body);
                self.page.project_managers.extend(names);
            }
            Label::Owners => {
                let names = name_list(&s.body);
                self.page.project_owners.extend(names);
            }
            Label::ForeignPartners => {
                for line in table_rows(s) {
                    self.foreign_partner_row(line, refs);
                }
            }
            Label::ForeignContacts => {
                for line in table_rows(s) {
                    self.contact_row(line);
                }
            }
            Label::FrenchPartners => {
                for line in table_rows(s) {
                    let name = match cells(line) {
                        Some(cells) => cells.into_iter().next().unwrap_or_default(),
                        None => line.text.clone(),
                    };
                    if !name.is_empty() {
                        self.page.french_partners.push(name);
                    }
                }
            }
            Label::Fundings => {
                for line in table_rows(s) {
                    let funding = funding_row(line)?;
                    if funding.funder.is_empty() {
                        self.warn(line.no, "financement sans nom de financeur".into());
                    }
                    self.page.fundings.push(funding);
                }
            }
            Label::Volunteers => {
                for line in table_rows(s) {
                    self.volunteer_row(line);
                }
            }
        }
        Ok(())
    }

    fn set_once<T: PartialEq>(
        &mut self,
        slot: &mut Option<T>,
        value: Option<T>,
        line: usize,
        what: &str,
    ) {
        if let Some(value) = value {
            match slot {
                None => *slot = Some(value),
                Some(old) if *old != value => {
                    self.warn(line, format!("{what} répété(e) : seconde valeur ignorée"))
                }
                Some(_) => {}
            }
        }
    }

    fn text(
        &mut self,
        s: &Section,
        field: impl Fn(&mut LegacyPage) -> &mut Option<String>,
        what: &str,
    ) {
        let value = paragraphs(&s.body);
        let mut slot = field(&mut self.page).take();
        self.set_once(&mut slot, value, s.line, what);
        *field(&mut self.page) = slot;
    }

    /// The first non-blank line of a single-valued section; later lines are reported.
    fn single<'s>(&mut self, s: &'s Section) -> Option<&'s Line> {
        let mut lines = s.body.iter().filter(|l| !l.text.is_empty());
        let first = lines.next();
        for extra in lines {
            self.warn(
                extra.no,
                format!("ligne inattendue ignorée : « {} »", excerpt(&extra.text)),
            );
        }
        first
    }

    fn no_value(&mut self, s: &Section) {
        for extra in s.body.iter().filter(|l| !l.text.is_empty()) {
            self.warn(
                extra.no,
                format!("ligne inattendue ignorée : « {} »", excerpt(&extra.text)),
            );
        }
    }

    /// A flag line may be followed by a lone `Oui` / `Non`.
    fn flag_value(&mut self, s: &Section, value: bool) -> bool {
        let mut lines = s.body.iter().filter(|l| !l.text.is_empty());
        let mut value = value;
        if let Some(first) = lines.next() {
            match fold(&first.text).as_str() {
                "oui" => value = true,
                "non" => value = false,
                _ => self.warn(
                    first.no,
                    format!("ligne inattendue ignorée : « {} »", excerpt(&first.text)),
                ),
            }
        }
        for extra in lines {
            self.warn(
                extra.no,
                format!("ligne inattendue ignorée : « {} »", excerpt(&extra.text)),
            );
        }
        value
    }

    fn year(&mut self, s: &Section) -> Result<Option<i32>, ParseError> {
        match self.single(s) {
            None => Ok(None),
            Some(line) => parse_year(&line.text).map(Some).ok_or_else(|| ParseError {
                line: line.no,
                message: format!(
                    "année « {} » invalide (attendu : quatre chiffres entre 1900 et 2100)",
                    excerpt(&line.text)
                ),
            }),
        }
    }

    fn embassy(&mut self, s: &Section, post: &str) {
        if post.is_empty() {
            self.warn(s.line, "poste diplomatique sans nom".into());
        }
        let mut contacts = Vec::new();
        for group in s.body.split(|l| l.text.is_empty()) {
            let Some(first) = group.first() else { continue };
            let mut names: Vec<&Line> = Vec::new();
            let mut email = None;
            for line in group {
                match email_value(&line.text) {
                    Some(value) => email = value,
                    None => names.push(line),
                }
            }
            let (role_label, name) = match names.as_slice() {
                [] => {
                    self.warn(first.no, "contact du poste sans nom ignoré".into());
                    continue;
                }
                [name] => {
                    self.warn(name.no, "contact du poste sans fonction".into());
                    (String::new(), name.text.clone())
                }
                [role, name, extra @ ..] => {
                    for line in extra {
                        self.warn(
                            line.no,
                            format!("ligne inattendue ignorée : « {} »", excerpt(&line.text)),
                        );
                    }
                    (role.text.clone(), name.text.clone())
                }
            };
            contacts.push(LegacyEmbassyContact {
                role: embassy_role(&role_label),
                role_label,
                name,
                email,
            });
        }
        if self.page.embassy.is_some() {
            self.warn(s.line, "second poste diplomatique ignoré".into());
        } else if !post.is_empty() || !contacts.is_empty() {
            self.page.embassy = Some(LegacyEmbassy {
                post: post.to_string(),
                contacts,
            });
        }
    }

    fn resolve_theme(&mut self, refs: &dyn Referentials) {
        let levels = std::mem::take(&mut self.theme_levels);
        let mut labels = Vec::new();
        let mut last_line = None;
        for (i, level) in levels.iter().enumerate() {
            match level {
                Some((line, label)) if labels.len() == i => {
                    labels.push(label.clone());
                    last_line = Some(*line);
                }
                Some((line, label)) => self.warn(
                    *line,
                    format!(
                        "thématique de niveau {} « {} » ignorée : niveau supérieur vide",
                        i + 1,
                        excerpt(label)
                    ),
                ),
                None => {}
            }
        }
        let Some(line) = last_line else { return };
        let mut depth = labels.len();
        while depth > 0 {
            if let Some(theme) = find_theme(refs, &labels[..depth]) {
                if depth < labels.len() {
                    self.warn(
                        line,
                        format!(
                            "thématique « {} » introuvable : rattachée à « {} »",
                            excerpt(&labels.join(" > ")),
                            theme.code
                        ),
                    );
                }
                self.page.theme = Some(theme.code.clone());
                break;
            }
            depth -= 1;
        }
        if self.page.theme.is_none() {
            self.warn(
                line,
                format!(
                    "thématique « {} » introuvable",
                    excerpt(&labels.join(" > "))
                ),
            );
        }
        self.page.theme_labels = labels;
    }

    /// `<L1> <L2> [<L3>] <priority>`; tab-separated: L1, L2, L3, priority.
    fn other_theme_row(&mut self, line: &Line, refs: &dyn Referentials) {
        let (theme, priority_text, shown) = match cells(line) {
            Some(mut cells) => {
                let priority = if cells.len() >= 2 { cells.pop() } else { None };
                let labels: Vec<String> = cells.into_iter().filter(|c| !c.is_empty()).collect();
                let theme = find_theme(refs, &labels);
                (theme, priority, labels.join(" > "))
            }
            None => {
                let words: Vec<&str> = line.text.split_whitespace().collect();
                let (rest, priority) = match words.split_last() {
                    Some((last, rest)) if parse_int(last).is_some() => {
                        (rest.join(" "), Some(last.to_string()))
                    }
                    _ => (words.join(" "), None),
                };
                let wanted = fold(&rest);
                let theme = refs
                    .themes()
                    .iter()
                    .filter(|t| fold(&t.labels.join(" ")) == wanted)
                    .max_by_key(|t| t.labels.len());
                (theme, priority, rest)
            }
        };
        let priority = match priority_text.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => {
                let value = parse_int(text);
                if value.is_none() {
                    self.warn(line.no, format!("priorité « {} » illisible", excerpt(text)));
                }
                value
            }
        };
        match theme {
            Some(theme) => self.page.other_themes.push((theme.code.clone(), priority)),
            None => self.warn(
                line.no,
                format!("thématique « {} » introuvable", excerpt(&shown)),
            ),
        }
    }

    /// `<authority name> <country name>`: the country is the longest suffix of 1 to 6 words
    /// that the referential resolves.
    fn foreign_partner_row(&mut self, line: &Line, refs: &dyn Referentials) {
        let partner = match cells(line) {
            Some(cells) => {
                let mut cells = cells.into_iter();
                let name = cells.next().unwrap_or_default();
                let country_name = cells.next().unwrap_or_default();
                let country = refs.country_by_name(&country_name);
                LegacyForeignPartner {
                    name,
                    country_name,
                    country,
                }
            }
            None => {
                let words: Vec<&str> = line.text.split_whitespace().collect();
                let n = words.len();
                let found = (1..=n.saturating_sub(1).min(6)).rev().find_map(|k| {
                    let country_name = words[n - k..].join(" ");
                    refs.country_by_name(&country_name)
                        .map(|iso| (k, country_name, iso))
                });
                match found {
                    Some((k, country_name, iso)) => LegacyForeignPartner {
                        name: words[..n - k].join(" "),
                        country_name,
                        country: Some(iso),
                    },
                    None if n >= 2 => LegacyForeignPartner {
                        name: words[..n - 1].join(" "),
                        country_name: words[n - 1].to_string(),
                        country: None,
                    },
                    None => LegacyForeignPartner {
                        name: words.join(" "),
                        country_name: String::new(),
                        country: None,
                    },
                }
            }
        };
        if partner.country.is_none() {
            self.warn(
                line.no,
                format!("pays « {} » introuvable", excerpt(&partner.country_name)),
            );
        }
        if partner.name.is_empty() {
            self.warn(line.no, "partenaire étranger sans nom ignoré".into());
        } else {
            self.page.foreign_partners.push(partner);
        }
    }

    /// `<authority> <LASTNAME> <Firstname> <role…> <email>`.
    fn contact_row(&mut self, line: &Line) {
        let names: Vec<String> = self
            .page
            .foreign_partners
            .iter()
            .map(|p| p.name.clone())
            .collect();
        let partners: Vec<String> = names.iter().map(|n| fold(n)).collect();
        let contact = match cells(line) {
            Some(cells) => {
                let mut cells = cells.into_iter();
                let authority = cells.next().unwrap_or_default();
                let contact = LegacyContact {
                    last_name: cells.next().unwrap_or_default(),
                    first_name: cells.next().unwrap_or_default(),
                    role: cells.next().filter(|c| !c.is_empty()),
                    email: cells.next().filter(|c| !c.is_empty()),
                    authority,
                };
                if !partners.contains(&fold(&contact.authority)) {
                    self.warn(
                        line.no,
                        format!(
                            "contact rattaché à « {} », absente des partenaires étrangers",
                            excerpt(&contact.authority)
                        ),
                    );
                }
                contact
            }
            None => {
                let words: Vec<&str> = line.text.split_whitespace().collect();
                let n = words.len();
                let k = longest_name_match(&words[..n.saturating_sub(1)], &names, false);
                let k = match k {
                    Some(k) => k,
                    None => {
                        self.warn(
                            line.no,
                            format!(
                                "contact « {} » : collectivité absente des partenaires étrangers",
                                excerpt(&line.text)
                            ),
                        );
                        1.min(n)
                    }
                };
                let authority = words[..k].join(" ");
                let mut rest = &words[k..];
                let email = match rest.split_last() {
                    Some((last, init)) if last.contains('@') => {
                        rest = init;
                        Some(last.to_string())
                    }
                    _ => None,
                };
                let (last_name, first_name, rest) = self.person(line, rest);
                LegacyContact {
                    authority,
                    last_name,
                    first_name,
                    role: non_empty(rest.join(" ")),
                    email,
                }
            }
        };
        self.page.foreign_contacts.push(contact);
    }

    /// `<LASTNAME…> <Firstname> <rest…>`; returns the rest.
    fn person<'w>(&mut self, line: &Line, words: &'w [&'w str]) -> (String, String, &'w [&'w str]) {
        let mut i = words.iter().take_while(|w| is_upper_word(w)).count();
        if i == 0 && !words.is_empty() {
            self.warn(
                line.no,
                format!(
                    "nom de famille en majuscules attendu : « {} » pris comme nom",
                    excerpt(words[0])
                ),
            );
            i = 1;
        }
        let last_name = words[..i].join(" ");
        let first_name = words.get(i).map(|w| w.to_string()).unwrap_or_default();
        let rest = words.get(i + 1..).unwrap_or(&[]);
        (last_name, first_name, rest)
    }

    /// `<LASTNAME> <Firstname> <mission…> <assigned entity>`; tab-separated: last name, first
    /// name, mission, field, assigned entity.
    fn volunteer_row(&mut self, line: &Line) {
        let volunteer = match cells(line) {
            Some(cells) => {
                let mut cells = cells.into_iter();
                LegacyVolunteer {
                    last_name: cells.next().unwrap_or_default(),
                    first_name: cells.next().unwrap_or_default(),
                    mission: cells.next().filter(|c| !c.is_empty()),
                    field: cells.next().filter(|c| !c.is_empty()),
                    assigned_entity: cells.next().filter(|c| !c.is_empty()),
                }
            }
            None => {
                let names: Vec<String> = self
                    .page
                    .foreign_partners
                    .iter()
                    .map(|p| p.name.clone())
                    .chain(self.page.french_partners.iter().cloned())
                    .collect();
                let words: Vec<&str> = line.text.split_whitespace().collect();
                let (last_name, first_name, rest) = self.person(line, &words);
                let n = rest.len();
                let k = longest_name_match(rest, &names, true).unwrap_or(0);
                LegacyVolunteer {
                    last_name,
                    first_name,
                    mission: non_empty(rest[..n - k].join(" ")),
                    field: None,
                    assigned_entity: non_empty(rest[n - k..].join(" ")),
                }
            }
        };
        self.page.volunteers.push(volunteer);
    }
}

/// The number of words of the longest of `names` that `words` starts with (ends with, when
/// `from_end`), compared folded. Linear in the size of the names, whatever the row.
fn longest_name_match(words: &[&str], names: &[String], from_end: bool) -> Option<usize> {
    names
        .iter()
        .filter_map(|name| {
            let m = name.split_whitespace().count();
            if m == 0 || m > words.len() {
                return None;
            }
            let part = if from_end {
                &words[words.len() - m..]
            } else {
                &words[..m]
            };
            (fold(&part.join(" ")) == fold(name)).then_some(m)
        })
        .max()
}

fn find_theme<'r>(refs: &'r dyn Referentials, labels: &[String]) -> Option<&'r ThemePath> {
    if labels.is_empty() {
        return None;
    }
    let wanted: Vec<String> = labels.iter().map(|l| fold(l)).collect();
    refs.themes().iter().find(|t| {
        t.labels.len() == wanted.len() && t.labels.iter().zip(&wanted).all(|(a, b)| fold(a) == *b)
    })
}

/// Non-blank lines of a table section, without its header.
fn table_rows(s: &Section) -> impl Iterator<Item = &Line> {
    s.body.iter().filter(|l| {
        if l.text.is_empty() {
            return false;
        }
        let f = fold(&l.text);
        !TABLE_HEADERS.iter().any(|h| f.starts_with(h))
    })
}

/// The trimmed cells of a tab-separated row, or `None` when the row holds no tab.
fn cells(line: &Line) -> Option<Vec<String>> {
    line.clean.contains('\t').then(|| {
        line.clean
            .split('\t')
            .map(|c| c.trim().to_string())
            .collect()
    })
}

/// `<funder> <amount> [<1 % Eau amount>] [<year>]`.
fn funding_row(line: &Line) -> Result<LegacyFunding, ParseError> {
    let no_amount = || ParseError {
        line: line.no,
        message: format!("financement « {} » sans montant", excerpt(&line.text)),
    };
    if let Some(cells) = cells(line) {
        let mut cells = cells.into_iter();
        let funder = cells.next().unwrap_or_default();
        let rest: Vec<String> = cells.collect();
        let (middle, year_cell) = match rest.split_last() {
            Some((year, middle)) if !middle.is_empty() => (middle, Some(year.as_str())),
            _ => (rest.as_slice(), None),
        };
        let year = match year_cell {
            None | Some("") => None,
            Some(text) => Some(parse_year(text).ok_or_else(|| ParseError {
                line: line.no,
                message: format!("année de financement « {} » invalide", excerpt(text)),
            })?),
        };
        let amount_text = middle.first().map(|c| c.as_str()).unwrap_or("");
        if amount_text.is_empty() {
            return Err(no_amount());
        }
        let amount_cents =
            parse_amount(&without_spaces(amount_text)).ok_or_else(|| ParseError {
                line: line.no,
                message: format!("montant « {} » illisible", excerpt(amount_text)),
            })?;
        let water = middle.iter().skip(1).find(|c| !c.is_empty());
        let water_1pct_cents = match water {
            None => None,
            Some(text) => Some(
                parse_amount(&without_spaces(text)).ok_or_else(|| ParseError {
                    line: line.no,
                    message: format!("montant 1 % Eau « {} » illisible", excerpt(text)),
                })?,
            ),
        };
        return Ok(LegacyFunding {
            funder,
            amount_cents,
            water_1pct_cents,
            year,
        });
    }

    let words: Vec<&str> = line.text.split_whitespace().collect();
    let numeric = words
        .iter()
        .rev()
        .take(3)
        .take_while(|w| parse_amount(w).is_some())
        .count();
    let mut end = words.len();
    let mut numbers: Vec<&str> = words[end - numeric..].to_vec();
    let year = match numbers.last().and_then(|w| parse_year(w)) {
        Some(year) => {
            numbers.pop();
            Some(year)
        }
        None => None,
    };
    if numbers.len() > 2 {
        numbers.remove(0);
    }
    end -= numbers.len() + usize::from(year.is_some());
    let mut amounts = numbers.iter().filter_map(|w| parse_amount(w));
    let amount_cents = amounts.next().ok_or_else(no_amount)?;
    Ok(LegacyFunding {
        funder: words[..end].join(" "),
        amount_cents,
        water_1pct_cents: amounts.next(),
        year,
    })
}

/// `Maître(s) d'ouvrage` values: names separated by commas, on one or more lines.
fn name_list(body: &[Line]) -> Vec<String> {
    body.iter()
        .flat_map(|l| l.text.split(','))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

/// `Courriel : x@y` → `Some(Some("x@y"))`; `Courriel :` → `Some(None)`; other lines → `None`.
fn email_value(text: &str) -> Option<Option<String>> {
    let (head, tail) = text.split_once(':')?;
    matches!(fold(head).as_str(), "courriel" | "email" | "e mail" | "mel")
        .then(|| non_empty(without_spaces(tail)))
}

/// Free text: consecutive lines joined with `\n`, paragraphs (runs of blank lines) with `\n\n`.
fn paragraphs(body: &[Line]) -> Option<String> {
    let paragraphs: Vec<String> = body
        .split(|l| l.text.is_empty())
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.iter()
                .map(|l| l.text.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    non_empty(paragraphs.join("\n\n"))
}

fn parse_year(text: &str) -> Option<i32> {
    let text = text.trim();
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|y| (1900..=2100).contains(y))
}

fn parse_int(text: &str) -> Option<i32> {
    let text = text.trim();
    if text.is_empty() || text.len() > 9 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// `dd/mm/yyyy` (one-digit day and month accepted).
fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    let mut parts = text.trim().split('/');
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || y.len() != 4
        || !(1..=2).contains(&d.len())
        || !(1..=2).contains(&m.len())
    {
        return None;
    }
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(d) && all_digits(m) && all_digits(y)) {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// `6600`, `6600,5`, `6600.50`, optionally followed by `€`, in cents.
fn parse_amount(text: &str) -> Option<i64> {
    let text = text.trim().trim_end_matches('€').trim_end();
    let (int, dec) = match text.split_once([',', '.']) {
        Some((int, dec)) if (1..=2).contains(&dec.len()) => (int, dec),
        Some(_) => return None,
        None => (text, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || int.len() > 15 || !digits(int) || !digits(dec) {
        return None;
    }
    let cents = match dec.len() {
        0 => 0,
        1 => dec.parse::<i64>().ok()? * 10,
        _ => dec.parse::<i64>().ok()?,
    };
    int.parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(cents)
}

fn without_spaces(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn is_upper_word(word: &str) -> bool {
    word.chars().any(char::is_alphabetic)
        && word
            .chars()
            .all(|c| (c.is_alphabetic() && !c.is_lowercase()) || matches!(c, '-' | '\'' | '’'))
}

fn non_empty(text: String) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

/// At most 80 characters of a value, for messages.
fn excerpt(text: &str) -> String {
    let mut chars = text.chars();
    let short: String = chars.by_ref().take(80).collect();
    if chars.next().is_some() {
        format!("{short}…")
    } else {
        short
    }
}

/// Folds text for comparisons: lowercase, without accents, ligatures expanded, every run of
/// characters other than letters and digits turned into one space, trimmed.
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let mapped: &str = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' => "a",
            'ç' | 'ć' | 'č' => "c",
            'ď' | 'đ' => "d",
            'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
            'í' | 'ì' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
            'ñ' | 'ń' | 'ň' => "n",
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ō' | 'ő' => "o",
            'ú' | 'ù' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
            'ý' | 'ÿ' => "y",
            'š' | 'ś' | 'ş' => "s",
            'ž' | 'ź' | 'ż' => "z",
            'ř' => "r",
            'ł' => "l",
            'ť' | 'ţ' => "t",
            'œ' => "oe",
            'æ' => "ae",
            'ß' => "ss",
            _ => {
                if c.is_alphanumeric() {
                    if pending_space && !out.is_empty() {
                        out.push(' ');
                    }
                    pending_space = false;
                    out.push(c);
                } else {
                    pending_space = true;
                }
                continue;
            }
        };
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push_str(mapped);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    const SEED: &str = include_str!("../../../../server/fixtures/legacy/000_001612c233d2473f.txt");
    const MULTI: &str =
        include_str!("../../../../server/fixtures/legacy/100_multi_partenaires.txt");
    const VOLUNTEERS: &str = include_str!("../../../../server/fixtures/legacy/101_volontaires.txt");
    const MALFORMED: &str = include_str!("../../../../server/fixtures/legacy/900_malforme.txt");
    const THEMES_CSV: &str = include_str!("../../../../migrations/data/thematiques.csv");
    const FORMS_CSV: &str = include_str!("../../../../migrations/data/formes.csv");

    /// A minimal CSV reader: comma-separated, fields optionally quoted with `""` escapes.
    fn csv(text: &str) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let mut row = Vec::new();
            let mut field = String::new();
            let mut quoted = false;
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                match (c, quoted) {
                    ('"', true) if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    ('"', _) => quoted = !quoted,
                    (',', false) => row.push(std::mem::take(&mut field)),
                    _ => field.push(c),
                }
            }
            row.push(field);
            rows.push(row);
        }
        rows
    }

    struct Refs {
        themes: Vec<ThemePath>,
        forms: Vec<(String, String)>,
    }

    impl Refs {
        fn new() -> Self {
            let rows = csv(THEMES_CSV);
            let label_of = |code: &str| {
                rows.iter()
                    .find(|r| r[0] == code)
                    .map(|r| (r[1].clone(), r[3].clone()))
            };
            let themes = rows
                .iter()
                .map(|r| {
                    let mut labels = vec![r[3].clone()];
                    let mut parent = r[1].clone();
                    while let Some((grand_parent, label)) = label_of(&parent) {
                        labels.insert(0, label);
                        parent = grand_parent;
                    }
                    ThemePath {
                        code: r[0].clone(),
                        labels,
                    }
                })
                .collect();
            let forms = csv(FORMS_CSV)
                .into_iter()
                .map(|r| (fold(&r[1]), r[0].clone()))
                .collect();
            Refs { themes, forms }
        }
    }

    impl Referentials for Refs {
        fn country_by_name(&self, name: &str) -> Option<String> {
            const COUNTRIES: &[(&str, &str)] = &[
                ("Maroc", "MA"),
                ("Sénégal", "SN"),
                ("Mali", "ML"),
                ("Burkina Faso", "BF"),
                ("République démocratique du Congo", "CD"),
                ("Bénin", "BJ"),
                ("Madagascar", "MG"),
                ("Viêt Nam", "VN"),
                ("Tunisie", "TN"),
                ("Haïti", "HT"),
            ];
            let wanted = fold(name);
            COUNTRIES
                .iter()
                .find(|(n, _)| fold(n) == wanted)
                .map(|(_, iso)| iso.to_string())
        }

        fn themes(&self) -> &[ThemePath] {
            &self.themes
        }

        fn form_by_label(&self, label: &str) -> Option<String> {
            let wanted = fold(label);
            self.forms
                .iter()
                .find(|(l, _)| *l == wanted)
                .map(|(_, code)| code.clone())
        }
    }

    fn parse(text: &str) -> Result<LegacyPage, ParseError> {
        parse_page(text, &Refs::new())
    }

    fn s(text: &str) -> String {
        text.to_string()
    }

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn referentials_load_from_csv() {
        let refs = Refs::new();
        assert_eq!(refs.themes.len(), 51);
        let pol = refs
            .themes
            .iter()
            .find(|t| t.code == "POL.GOV.DEC")
            .unwrap();
        assert_eq!(
            pol.labels,
            [
                "Politique, humanitaire et coopération transfrontalière",
                "Gouvernance locale et appui institutionnel",
                "Décentralisation"
            ]
        );
        assert_eq!(
            refs.form_by_label("projet de cooperation decentralisee"),
            Some(s("PROJET"))
        );
        assert_eq!(refs.country_by_name("BURKINA-FASO"), Some(s("BF")));
    }

    #[test]
    fn seed_page() {
        let page = parse(SEED).unwrap();
        assert_eq!(page.warnings, []);
        assert_eq!(
            page.title,
            "Accompagnement à la structuration d’un dispositif social de proximité porteur d’un programme territorial d’action sociale"
        );
        assert_eq!(page.first_agreement_year, Some(2005));
        assert_eq!(page.theme.as_deref(), Some("POL.GOV"));
        assert_eq!(
            page.theme_labels,
            [
                "Politique, humanitaire et coopération transfrontalière",
                "Gouvernance locale et appui institutionnel"
            ]
        );
        assert_eq!(page.other_themes, []);
        assert_eq!(page.start_year, Some(2019));
        assert_eq!(page.status, Some(Status::Ongoing));
        assert_eq!(page.end_date, date(2021, 12, 31));
        assert_eq!(page.form.as_deref(), Some("PROJET"));
        assert_eq!(
            page.form_label.as_deref(),
            Some("Projet de coopération décentralisée")
        );
        assert_eq!(page.duration, Some(Duration::Triennial));

        assert_eq!(page.fundings.len(), 9);
        assert_eq!(
            page.fundings.iter().map(|f| f.amount_cents).sum::<i64>(),
            11_385_000
        );
        assert_eq!(
            page.fundings[0],
            LegacyFunding {
                funder: s("Ministère de l'Europe et des Affaires étrangères"),
                amount_cents: 660_000,
                water_1pct_cents: None,
                year: Some(2019),
            }
        );
        assert_eq!(
            page.fundings[8],
            LegacyFunding {
                funder: s("Collectivités et partenaires étrangers"),
                amount_cents: 2_475_000,
                water_1pct_cents: None,
                year: Some(2021),
            }
        );
        assert!(page.fundings.iter().all(|f| f.water_1pct_cents.is_none()));

        assert_eq!(
            page.foreign_partners,
            [LegacyForeignPartner {
                name: s("Municipalité de Rabat"),
                country_name: s("Maroc"),
                country: Some(s("MA")),
            }]
        );
        assert_eq!(
            page.foreign_contacts,
            [LegacyContact {
                authority: s("Municipalité de Rabat"),
                last_name: s("BOUCHAM"),
                first_name: s("Sabah"),
                role: Some(s("Vice Présidente en charge de l'action sociale")),
                email: Some(s("sabahboucham@gmail.com")),
            }]
        );
        assert_eq!(page.french_partners, ["Mantes la Jolie"]);
        assert_eq!(
            page.project_owners,
            ["Mantes la Jolie", "Municipalité de Rabat"]
        );
        assert_eq!(page.project_managers, Vec::<String>::new());
        assert_eq!(
            page.embassy,
            Some(LegacyEmbassy {
                post: s("Ambassade de France à Rabat"),
                contacts: vec![
                    LegacyEmbassyContact {
                        role: EmbassyRole::DecentralisedCooperationCorrespondent,
                        role_label: s("Correspondant coopération décentralisée"),
                        name: s("Frédérick BOUIN"),
                        email: Some(s("frederick.coopdec@gmail.com")),
                    },
                    LegacyEmbassyContact {
                        role: EmbassyRole::CooperationCounsellor,
                        role_label: s("Conseiller de coopération et d'action culturelle"),
                        name: s("Bertand COMMELIN"),
                        email: Some(s("bertrand.commelin@diplomatie.gouv.fr")),
                    },
                ],
            })
        );
        assert!(page.communication_france);
        assert!(page.communication_partners);
        assert!(page.evaluation);
        assert_eq!(page.volunteers, []);

        let local = page.objectives_local.unwrap();
        assert!(local.starts_with("Le projet s’inscrit dans une vision à long terme"));
        assert!(local.ends_with("signature de conventions."));
        assert_eq!(local.matches("\n\n").count(), 2);
        assert!(!local.contains("Objectifs"));
        let france = page.objectives_france.unwrap();
        assert!(france.starts_with("La ville de Mantes-la-Jolie, avec plus de 45 000 habitants"));
        assert!(france.ends_with("comme le Maroc."));
        assert_eq!(france.matches("\n\n").count(), 1);

        // Consecutive lines are joined with "\n", paragraphs with "\n\n".
        let context = page.context.unwrap();
        assert_eq!(context.split('\n').count(), 4);
        assert!(context.starts_with("Les communes doivent établir"));
        assert!(!context.contains("\n\n"));
        let history = page.history.unwrap();
        assert_eq!(history.split("\n\n").count(), 4);
        assert!(history.ends_with("capitale du royaume."));
        let description = page.description.unwrap();
        assert_eq!(description.split('\n').count(), 3);
        assert!(description.ends_with("tous les arrondissements de la Commune"));
        assert!(page
            .beneficiaries
            .unwrap()
            .starts_with("Les agents des 2 arrondissements"));
    }

    #[test]
    fn multi_partners_page() {
        let page = parse(MULTI).unwrap();
        assert_eq!(page.warnings, []);
        assert_eq!(
            page.title,
            "Accès à l’eau potable et à l’assainissement dans la vallée du fleuve Sénégal"
        );
        assert_eq!(page.first_agreement_year, Some(2008));
        assert_eq!(page.theme.as_deref(), Some("DUR.EAU.POT"));
        assert_eq!(
            page.theme_labels,
            [
                "Développement durable",
                "Eau et assainissement",
                "Accès à l'eau potable"
            ]
        );
        assert_eq!(
            page.other_themes,
            [(s("DUR.EAU.ASS"), Some(1)), (s("EDU.FOR.PRO"), Some(2))]
        );
        assert_eq!(page.start_year, Some(2017));
        assert_eq!(page.status, Some(Status::Completed));
        assert_eq!(page.end_date, date(2019, 6, 30));
        assert_eq!(page.duration, Some(Duration::Biennial));
        assert_eq!(page.form.as_deref(), Some("PROGRAMME"));
        assert_eq!(
            page.context.as_deref(),
            Some(
                "Dans la vallée du fleuve Sénégal, moins de la moitié des villages disposent d’un point d’eau potable fonctionnel toute l’année.\n\
                 Les forages existants, construits dans les années 1980, souffrent d’un manque d’entretien et d’une gestion peu structurée.\n\n\
                 Les collectivités locales sénégalaises et maliennes ont reçu la compétence de l’hydraulique rurale sans disposer des moyens techniques pour l’exercer."
            )
        );
        assert_eq!(
            page.history.as_deref(),
            Some(
                "Le Département d’Ille-et-Vilaine et le Conseil départemental de Podor sont liés par une convention de coopération depuis 2008.\n\n\
                 La Région Bretagne a rejoint le partenariat en 2014 au titre de sa politique de solidarité internationale."
            )
        );
        assert_eq!(
            page.objectives_local.as_deref(),
            Some(
                "Améliorer durablement l’accès à l’eau potable de 25 000 habitants.\n\
                 Créer des services communaux de l’eau capables d’assurer l’entretien des ouvrages.\n\n\
                 Former les comités de gestion des points d’eau."
            )
        );
        assert_eq!(
            page.objectives_france.as_deref(),
            Some("Sensibiliser les habitants d’Ille-et-Vilaine aux enjeux de l’eau et mobiliser les collèges du département.")
        );
        assert_eq!(
            page.description.as_deref(),
            Some(
                "Le programme comprend la réhabilitation de 12 forages, la construction de 40 latrines scolaires et la formation de 60 fontainiers.\n\n\
                 Un service technique intercommunal de l’eau est créé à Podor ; la commune de Kayes bénéficie d’un appui à l’élaboration de son plan communal de l’eau."
            )
        );
        assert_eq!(
            page.beneficiaries.as_deref(),
            Some("Les habitants des 30 villages concernés, les élèves des écoles équipées et les agents des services techniques communaux.")
        );
        assert_eq!(
            page.project_managers,
            [
                "Eau Vive Internationale",
                "Agence régionale de développement de Saint-Louis"
            ]
        );
        assert_eq!(
            page.project_owners,
            [
                "Département d'Ille-et-Vilaine",
                "Conseil départemental de Podor",
                "Commune de Kayes"
            ]
        );
        let partner = |name: &str, country_name: &str, iso: &str| LegacyForeignPartner {
            name: s(name),
            country_name: s(country_name),
            country: Some(s(iso)),
        };
        assert_eq!(
            page.foreign_partners,
            [
                partner("Conseil départemental de Podor", "Sénégal", "SN"),
                partner("Commune de Ndioum", "Sénégal", "SN"),
                partner("Commune de Kayes", "Mali", "ML"),
            ]
        );
        assert_eq!(
            page.foreign_contacts,
            [
                LegacyContact {
                    authority: s("Conseil départemental de Podor"),
                    last_name: s("NDIAYE"),
                    first_name: s("Aminata"),
                    role: Some(s("Directrice des services techniques")),
                    email: Some(s("aminata.ndiaye@cd-podor.sn")),
                },
                LegacyContact {
                    authority: s("Commune de Ndioum"),
                    last_name: s("SALL"),
                    first_name: s("Mamadou"),
                    role: Some(s("Maire")),
                    email: Some(s("mamadou.sall@ndioum.sn")),
                },
                LegacyContact {
                    authority: s("Commune de Kayes"),
                    last_name: s("DIALLO TRAORÉ"),
                    first_name: s("Fatoumata"),
                    role: Some(s("Chargée de l'eau et de l'assainissement")),
                    email: None,
                },
            ]
        );
        assert_eq!(
            page.french_partners,
            ["Département d'Ille-et-Vilaine", "Région Bretagne"]
        );
        let funding = |funder: &str, amount: i64, water: Option<i64>, year: i32| LegacyFunding {
            funder: s(funder),
            amount_cents: amount,
            water_1pct_cents: water,
            year: Some(year),
        };
        assert_eq!(
            page.fundings,
            [
                funding(
                    "Département d'Ille-et-Vilaine",
                    4_500_000,
                    Some(1_250_050),
                    2017
                ),
                funding(
                    "Département d'Ille-et-Vilaine",
                    4_500_000,
                    Some(1_250_000),
                    2018
                ),
                funding(
                    "Agence de l'eau Loire-Bretagne",
                    3_000_000,
                    Some(3_000_000),
                    2017
                ),
                funding("Région Bretagne", 2_000_000, None, 2018),
                funding(
                    "Ministère de l'Europe et des Affaires étrangères",
                    2_500_075,
                    None,
                    2017
                ),
                funding(
                    "Collectivités et partenaires étrangers",
                    1_500_000,
                    None,
                    2018
                ),
            ]
        );
        assert_eq!(
            page.embassy,
            Some(LegacyEmbassy {
                post: s("Ambassade de France au Sénégal"),
                contacts: vec![
                    LegacyEmbassyContact {
                        role: EmbassyRole::DecentralisedCooperationCorrespondent,
                        role_label: s("Correspondant coopération décentralisée"),
                        name: s("Claire LEMOINE"),
                        email: Some(s("claire.lemoine@diplomatie.gouv.fr")),
                    },
                    LegacyEmbassyContact {
                        role: EmbassyRole::Other,
                        role_label: s("Attaché de coopération"),
                        name: s("Ousmane FALL"),
                        email: Some(s("ousmane.fall@diplomatie.gouv.fr")),
                    },
                ],
            })
        );
        assert!(page.communication_france);
        assert!(!page.communication_partners);
        assert!(!page.evaluation);
        assert_eq!(
            page.volunteers,
            [
                LegacyVolunteer {
                    last_name: s("LE GALL"),
                    first_name: s("Erwan"),
                    mission: Some(s("Appui à la maîtrise d'ouvrage du service de l'eau")),
                    field: None,
                    assigned_entity: Some(s("Conseil départemental de Podor")),
                },
                LegacyVolunteer {
                    last_name: s("MBAYE"),
                    first_name: s("Khady"),
                    mission: Some(s("Sensibilisation à l'hygiène dans les collèges")),
                    field: None,
                    assigned_entity: Some(s("Département d'Ille-et-Vilaine")),
                },
            ]
        );
    }

    #[test]
    fn volunteers_page() {
        let page = parse(VOLUNTEERS).unwrap();
        assert_eq!(page.warnings, []);
        assert_eq!(page.embassy, None);
        assert_eq!(
            page.title,
            "Échanges de jeunes entre Grand Poitiers et Koudougou"
        );
        assert_eq!(page.first_agreement_year, None);
        assert_eq!(page.theme.as_deref(), Some("EDU.JEU.ECH"));
        assert_eq!(page.other_themes, []);
        assert_eq!(page.start_year, Some(2025));
        assert_eq!(page.status, Some(Status::Planned));
        assert_eq!(page.end_date, None);
        assert_eq!(page.duration, Some(Duration::MultiYear));
        assert_eq!(page.form.as_deref(), Some("JUMELAGE"));
        assert_eq!(page.form_label.as_deref(), Some("Jumelage"));
        assert_eq!(
            page.history.as_deref(),
            Some("Les deux villes sont jumelées depuis 1969.")
        );
        assert_eq!(
            page.objectives_france.as_deref(),
            Some("Ouvrir les jeunes du territoire poitevin à la solidarité internationale.")
        );
        assert_eq!(page.project_managers, Vec::<String>::new());
        assert_eq!(
            page.project_owners,
            ["Grand Poitiers Communauté urbaine", "Commune de Koudougou"]
        );
        assert_eq!(
            page.foreign_partners,
            [LegacyForeignPartner {
                name: s("Commune de Koudougou"),
                country_name: s("Burkina Faso"),
                country: Some(s("BF")),
            }]
        );
        assert_eq!(
            page.foreign_contacts,
            [LegacyContact {
                authority: s("Commune de Koudougou"),
                last_name: s("KABORÉ"),
                first_name: s("Issouf"),
                role: Some(s("Directeur de la jeunesse et des sports")),
                email: Some(s("issouf.kabore@mairie-koudougou.bf")),
            }]
        );
        assert_eq!(page.french_partners, ["Grand Poitiers Communauté urbaine"]);
        assert_eq!(page.fundings.len(), 3);
        assert_eq!(
            page.fundings[2],
            LegacyFunding {
                funder: s("Fonds de coopération de la jeunesse et de l'éducation populaire"),
                amount_cents: 350_000,
                water_1pct_cents: None,
                year: Some(2026),
            }
        );
        assert!(!page.communication_france);
        assert!(!page.communication_partners);
        assert!(page.evaluation);
        assert_eq!(
            page.volunteers,
            [
                LegacyVolunteer {
                    last_name: s("OUÉDRAOGO"),
                    first_name: s("Aïcha"),
                    mission: Some(s("Animation d'échanges de jeunes")),
                    field: Some(s("Jeunesse et citoyenneté")),
                    assigned_entity: Some(s("Grand Poitiers Communauté urbaine")),
                },
                LegacyVolunteer {
                    last_name: s("MARTIN"),
                    first_name: s("Léa"),
                    mission: Some(s("Service civique de réciprocité")),
                    field: None,
                    assigned_entity: Some(s("Commune de Koudougou")),
                },
                LegacyVolunteer {
                    last_name: s("DE LA FONTAINE"),
                    first_name: s("Jean-Baptiste"),
                    mission: Some(s("Appui pédagogique")),
                    field: None,
                    assigned_entity: None,
                },
            ]
        );
    }

    #[test]
    fn malformed_start_year_is_an_error_on_its_line() {
        let error = parse(MALFORMED).unwrap_err();
        assert_eq!(error.line, 21);
        assert!(error.message.contains("20x9"), "{}", error.message);
        assert!(error.to_string().starts_with("ligne 21 : année « 20x9 »"));
    }

    /// A small page around the given lines, for targeted tests.
    fn page_with(extra: &str) -> String {
        format!("Titre\nUn titre\n{extra}")
    }

    fn error_line(text: &str) -> usize {
        parse(text).unwrap_err().line
    }

    #[test]
    fn fatal_errors() {
        assert_eq!(error_line(""), 1);
        assert_eq!(error_line("bonjour\nle monde"), 1);
        assert_eq!(error_line("Contexte\nUn contexte"), 1);
        assert_eq!(error_line("Contexte\nx\nTitre\n\u{a0}\nHistorique"), 3);
        assert_eq!(
            error_line(&page_with("Année de début du partenariat\n1850")),
            4
        );
        assert_eq!(
            error_line(&page_with(
                "Année de première signature de la convention\n19999"
            )),
            4
        );
        assert_eq!(
            error_line(&page_with("Date de fin du partenariat\n31/02/2021")),
            4
        );
        assert_eq!(
            error_line(&page_with("Date de fin du partenariat\n2021-12-31")),
            4
        );
        assert_eq!(error_line(&page_with("Le partenariat est\n\nSuspendu")), 5);
        assert_eq!(
            error_line(&page_with(
                "Financement du partenariat\nNom du financeur Montant\nVille de Lyon 2019"
            )),
            5
        );
        assert_eq!(
            error_line(&page_with(
                "Financement du partenariat\nVille de Lyon\t\t2019"
            )),
            4
        );
    }

    #[test]
    fn status_duration_and_flag_variants() {
        let page = parse(&page_with(
            "Le partenariat est\nAchevé\nLe partenariat est annuel\n\
             Une communication a été engagée en France : Non\n\
             Une politique d'évaluation a été engagée : Oui\nDate de fin du partenariat\n1/2/2020",
        ))
        .unwrap();
        assert_eq!(page.status, Some(Status::Completed));
        assert_eq!(page.duration, Some(Duration::Annual));
        assert!(!page.communication_france);
        assert!(page.evaluation);
        assert_eq!(page.end_date, date(2020, 2, 1));
        assert_eq!(page.warnings, []);

        let page = parse(&page_with("Le partenariat est\nPrévu")).unwrap();
        assert_eq!(page.status, Some(Status::Planned));
        // A context sentence that merely starts like the label stays text.
        let page = parse(&page_with("Contexte\nLe partenariat est ancien et solide.")).unwrap();
        assert_eq!(
            page.context.as_deref(),
            Some("Le partenariat est ancien et solide.")
        );
        assert_eq!(page.duration, None);
    }

    #[test]
    fn unresolved_names_are_warnings() {
        let text = page_with(
            "Thématique d'intervention\nDéveloppement durable\nSous-thématique d'intervention\nEau et assainissement\n\
             Sous-sous-thématique d'intervention\nPêche artisanale\n\
             Autres thématiques mises en œuvre pour le partenariat\nSpéléologie 3\n\
             Votre partenariat prend la forme d'un(e)\nFestival\n\
             Partenaires étrangers du partenariat\nVille de Poseidonia Atlantide commun.ico.loupe.alter\n\
             Commune de Ouidah Bénin commun.ico.loupe.alter\n\
             Contacts dans les partenaires étrangers du partenariat\nMairie inconnue DUPONT Marie Maire\n\
             Contacts dans les partenaires étrangers du partenariat\nCommune de Ouidah Marie Maire",
        );
        let page = parse(&text).unwrap();
        assert_eq!(page.theme.as_deref(), Some("DUR.EAU"));
        assert_eq!(page.theme_labels.len(), 3);
        assert_eq!(page.other_themes, []);
        assert_eq!(page.form, None);
        assert_eq!(page.form_label.as_deref(), Some("Festival"));
        assert_eq!(
            page.foreign_partners,
            [
                LegacyForeignPartner {
                    name: s("Ville de Poseidonia"),
                    country_name: s("Atlantide"),
                    country: None,
                },
                LegacyForeignPartner {
                    name: s("Commune de Ouidah"),
                    country_name: s("Bénin"),
                    country: Some(s("BJ")),
                },
            ]
        );
        assert_eq!(page.foreign_contacts[0].authority, "Mairie");
        assert_eq!(page.foreign_contacts[0].last_name, "inconnue");
        assert_eq!(page.foreign_contacts[0].first_name, "DUPONT");
        assert_eq!(page.foreign_contacts[1].authority, "Commune de Ouidah");
        assert_eq!(page.foreign_contacts[1].last_name, "Marie");
        let lines: Vec<usize> = page.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [8, 10, 12, 14, 17, 17, 19]);
        assert!(page
            .warnings
            .iter()
            .any(|w| w.message == "pays « Atlantide » introuvable"));
        assert_eq!(
            page.warnings[0].message,
            "thématique « Développement durable > Eau et assainissement > Pêche artisanale » introuvable : rattachée à « DUR.EAU »"
        );
    }

    #[test]
    fn tab_separated_tables() {
        let text = page_with(
            "Autres thématiques mises en œuvre pour le partenariat\n\
             Thématique éligible\tSous-thématique\tSous-sous-thématique\tPriorité\n\
             Développement social\tSanté\tAccès aux soins\t2\n\
             Développement économique\tTourisme\t\t\n\
             Partenaires étrangers du partenariat\n\
             Province de Kinshasa\tRépublique démocratique du Congo\n\
             Contacts dans les partenaires étrangers du partenariat\n\
             Province de Kinshasa\tMbala Mbuyi\tJean\tGouverneur\tgouv[at]kinshasa.cd\n\
             Collectivités territoriales partenaires du partenariat\n\
             Ville de Lyon\tcommun.ico.loupe.alter\n\
             Financement du partenariat\n\
             Ville de Lyon\t12 500,50\t\t1 000\t\t2021\n\
             Ville de Lyon\t3000\n",
        );
        let page = parse(&text).unwrap();
        assert_eq!(page.warnings, []);
        assert_eq!(
            page.other_themes,
            [(s("SOC.SAN.SOI"), Some(2)), (s("ECO.TOU"), None)]
        );
        assert_eq!(page.foreign_partners[0].country.as_deref(), Some("CD"));
        assert_eq!(
            page.foreign_contacts,
            [LegacyContact {
                authority: s("Province de Kinshasa"),
                last_name: s("Mbala Mbuyi"),
                first_name: s("Jean"),
                role: Some(s("Gouverneur")),
                email: Some(s("gouv@kinshasa.cd")),
            }]
        );
        assert_eq!(page.french_partners, ["Ville de Lyon"]);
        assert_eq!(
            page.fundings,
            [
                LegacyFunding {
                    funder: s("Ville de Lyon"),
                    amount_cents: 1_250_050,
                    water_1pct_cents: Some(100_000),
                    year: Some(2021),
                },
                LegacyFunding {
                    funder: s("Ville de Lyon"),
                    amount_cents: 300_000,
                    water_1pct_cents: None,
                    year: None,
                },
            ]
        );
    }

    #[test]
    fn longest_country_suffix_and_helpers() {
        let page = parse(&page_with(
            "Partenaires étrangers du partenariat\n\
             Ville de Kinshasa République Démocratique du Congo\n\
             Comité Viet Nam Viêt-Nam\n",
        ))
        .unwrap();
        assert_eq!(page.foreign_partners[0].name, "Ville de Kinshasa");
        assert_eq!(page.foreign_partners[0].country.as_deref(), Some("CD"));
        assert_eq!(page.foreign_partners[1].name, "Comité Viet Nam");
        assert_eq!(page.foreign_partners[1].country.as_deref(), Some("VN"));

        assert_eq!(parse_amount("6600"), Some(660_000));
        assert_eq!(parse_amount("6600,5"), Some(660_050));
        assert_eq!(parse_amount("6600.05€"), Some(660_005));
        assert_eq!(parse_amount("6.600"), None);
        assert_eq!(parse_amount("99999999999999999999"), None);
        assert_eq!(parse_year("2100"), Some(2100));
        assert_eq!(parse_year("2101"), None);
        assert_eq!(fold("  Maître(s) d’ŒUVRE : "), "maitre s d oeuvre");
        assert!(is_upper_word("N'DIAYE-KÉBÉ"));
        assert!(!is_upper_word("Sabah"));
        assert!(!is_upper_word("42"));
    }

    /// A tiny deterministic generator, to stay within std.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            self.0 >> 33
        }
    }

    #[test]
    fn never_panics() {
        let refs = Refs::new();
        let _ = parse_page("", &refs);
        let _ = parse_page("\n\n\u{a0}\n\r\n\t", &refs);
        let _ = parse_page("???\n??????\n???a???b???", &refs);
        for text in [SEED, MULTI, VOLUNTEERS, MALFORMED] {
            // Every truncation, on character boundaries.
            for (i, _) in text.char_indices().step_by(7) {
                let _ = parse_page(&text[..i], &refs);
            }
            // Every line removed in turn.
            let lines: Vec<&str> = text.lines().collect();
            for skip in 0..lines.len() {
                let shorter: Vec<&str> = lines
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != skip)
                    .map(|(_, l)| *l)
                    .collect();
                let _ = parse_page(&shorter.join("\n"), &refs);
            }
        }
        // Random garbage built from the page's own vocabulary and odd characters.
        let words: Vec<&str> = SEED
            .split(['\n', ' '])
            .chain([
                "\t", "\u{a0}", "???", "[at]", "@", "é", "2019", "1,5", "ß", "İ", "\r",
            ])
            .collect();
        let lines: Vec<&str> = SEED.lines().chain(MULTI.lines()).collect();
        let mut rng = Lcg(42);
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..rng.next() % 60 {
                if rng.next() % 3 < 1 {
                    text.push_str(lines[rng.next() as usize % lines.len()]);
                } else {
                    text.push_str(words[rng.next() as usize % words.len()]);
                }
                text.push(if rng.next() % 4 < 1 { ' ' } else { '\n' });
            }
            let _ = parse_page(&text, &refs);
        }
        // Long rows stay fast (no quadratic matching).
        let long = "Mot COMMUNE ".repeat(30_000);
        let text = format!(
            "Titre\n{long}\nPartenaires étrangers du partenariat\n{long}\n\
             Contacts dans les partenaires étrangers du partenariat\n{long}\n\
             Collectivités territoriales partenaires du partenariat\n{long}\n\
             Financement du partenariat\n{long} 5 2019\n\
             Volontaires impliqués dans le partenariat\n{long}\n"
        );
        let started = std::time::Instant::now();
        assert!(parse_page(&text, &refs).is_ok());
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        for _ in 0..500 {
            let bytes: Vec<u8> = (0..rng.next() % 400).map(|_| rng.next() as u8).collect();
            let _ = parse_page(&String::from_utf8_lossy(&bytes), &refs);
        }
    }

    /// Pages made of the real pages' lines, shuffled, cut, repeated and mixed with any text
    /// (`make fuzz` runs many more cases): no panic, and a refusal says where and why.
    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn line() -> impl Strategy<Value = String> {
            let corpus: Vec<String> = [SEED, MULTI, VOLUNTEERS, MALFORMED]
                .iter()
                .flat_map(|page| page.lines())
                .map(String::from)
                .collect();
            prop_oneof![
                4 => proptest::sample::select(corpus.clone()),
                1 => (proptest::sample::select(corpus), any::<prop::sample::Index>())
                    .prop_map(|(line, cut)| {
                        let ends: Vec<usize> = line.char_indices().map(|(i, _)| i).collect();
                        let end = if ends.is_empty() { 0 } else { ends[cut.index(ends.len())] };
                        line[..end].to_string()
                    }),
                1 => "\\PC{0,60}",
            ]
        }

        proptest! {
            #[test]
            fn any_page_is_read_or_refused_with_its_line(
                lines in proptest::collection::vec(line(), 0..120),
            ) {
                let text = lines.join("\n");
                if let Err(error) = parse_page(&text, &Refs::new()) {
                    prop_assert!(!error.message.is_empty());
                    prop_assert!(error.line >= 1 && error.line <= lines.len().max(1) + 1,
                        "line {} of {}", error.line, lines.len());
                }
            }
        }
    }
}
