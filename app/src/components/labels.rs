//! The translated label of each vocabulary value.

use crate::i18n::*;
use crate::models::{CollectivityKind, Duration, EmbassyRole, Status};
use leptos::prelude::*;

pub fn status_label(status: Status) -> impl IntoView {
    let i18n = use_i18n();
    match status {
        Status::Ongoing => t!(i18n, status_ongoing).into_any(),
        Status::Completed => t!(i18n, status_completed).into_any(),
        Status::Planned => t!(i18n, status_planned).into_any(),
    }
}

pub fn duration_label(duration: Duration) -> impl IntoView {
    let i18n = use_i18n();
    match duration {
        Duration::Annual => t!(i18n, duration_annual).into_any(),
        Duration::Biennial => t!(i18n, duration_biennial).into_any(),
        Duration::Triennial => t!(i18n, duration_triennial).into_any(),
        Duration::MultiYear => t!(i18n, duration_multi_year).into_any(),
    }
}

pub fn role_label(role: EmbassyRole) -> impl IntoView {
    let i18n = use_i18n();
    match role {
        EmbassyRole::DecentralisedCooperationCorrespondent => {
            t!(i18n, role_coopdec_correspondent).into_any()
        }
        EmbassyRole::CooperationCounsellor => t!(i18n, role_cooperation_counsellor).into_any(),
        EmbassyRole::Other => t!(i18n, role_other).into_any(),
    }
}

pub fn kind_label(kind: CollectivityKind) -> impl IntoView {
    let i18n = use_i18n();
    move || kind_text(kind, i18n.get_locale())
}

/// The kind of a French authority as text (where a view cannot go, or after the page's owner
/// is gone).
pub fn kind_text(kind: CollectivityKind, locale: Locale) -> String {
    use leptos_i18n::td_string;
    match kind {
        CollectivityKind::Commune => td_string!(locale, kind_commune).to_string(),
        CollectivityKind::Epci => td_string!(locale, kind_epci).to_string(),
        CollectivityKind::Departement => td_string!(locale, kind_departement).to_string(),
        CollectivityKind::Region => td_string!(locale, kind_region).to_string(),
        CollectivityKind::Com => td_string!(locale, kind_com).to_string(),
    }
}

pub fn yes_no(value: bool) -> impl IntoView {
    let i18n = use_i18n();
    if value {
        t!(i18n, yes).into_any()
    } else {
        t!(i18n, no).into_any()
    }
}

/// The month's name in the current language, for dates spelled out.
pub fn month_name(i18n: leptos_i18n::I18nContext<Locale>, month: u32) -> String {
    match month {
        1 => t_string!(i18n, month_1).to_string(),
        2 => t_string!(i18n, month_2).to_string(),
        3 => t_string!(i18n, month_3).to_string(),
        4 => t_string!(i18n, month_4).to_string(),
        5 => t_string!(i18n, month_5).to_string(),
        6 => t_string!(i18n, month_6).to_string(),
        7 => t_string!(i18n, month_7).to_string(),
        8 => t_string!(i18n, month_8).to_string(),
        9 => t_string!(i18n, month_9).to_string(),
        10 => t_string!(i18n, month_10).to_string(),
        11 => t_string!(i18n, month_11).to_string(),
        _ => t_string!(i18n, month_12).to_string(),
    }
}

/// Both labels of a kind of funder, for charts drawn in one language at a time.
pub fn funder_label(kind: crate::models::FunderKind) -> (&'static str, &'static str) {
    use crate::models::FunderKind;
    match kind {
        FunderKind::FrenchAuthority => (
            td_string!(Locale::fr, funder_french_authority),
            td_string!(Locale::en, funder_french_authority),
        ),
        FunderKind::State => (
            td_string!(Locale::fr, funder_state),
            td_string!(Locale::en, funder_state),
        ),
        FunderKind::Afd => (
            td_string!(Locale::fr, funder_afd),
            td_string!(Locale::en, funder_afd),
        ),
        FunderKind::WaterAgency => (
            td_string!(Locale::fr, funder_water_agency),
            td_string!(Locale::en, funder_water_agency),
        ),
        FunderKind::EuropeanUnion => (
            td_string!(Locale::fr, funder_european_union),
            td_string!(Locale::en, funder_european_union),
        ),
        FunderKind::Other => (
            td_string!(Locale::fr, funder_other),
            td_string!(Locale::en, funder_other),
        ),
    }
}
