//! French and English labels of the vocabularies, from the translation files, for the facet
//! values the API returns.

use crate::i18n::Locale;
use crate::models::{AmountBand, CollectivityKind, FunderKind, Status, WorldZone};
use leptos_i18n::td_string;

/// Both labels of a translation key.
macro_rules! both {
    ($key:ident) => {
        (
            td_string!(Locale::fr, $key).to_string(),
            td_string!(Locale::en, $key).to_string(),
        )
    };
}

pub fn zone(zone: WorldZone) -> (String, String) {
    match zone {
        WorldZone::NorthAfricaMiddleEast => both!(zone_north_africa_middle_east),
        WorldZone::SubSaharanAfrica => both!(zone_sub_saharan_africa),
        WorldZone::Americas => both!(zone_americas),
        WorldZone::AsiaOceania => both!(zone_asia_oceania),
        WorldZone::Europe => both!(zone_europe),
    }
}

pub fn status(status: Status) -> (String, String) {
    match status {
        Status::Ongoing => both!(status_ongoing),
        Status::Completed => both!(status_completed),
        Status::Planned => both!(status_planned),
    }
}

pub fn kind(kind: CollectivityKind) -> (String, String) {
    match kind {
        CollectivityKind::Commune => both!(kind_commune),
        CollectivityKind::Epci => both!(kind_epci),
        CollectivityKind::Departement => both!(kind_departement),
        CollectivityKind::Region => both!(kind_region),
        CollectivityKind::Com => both!(kind_com),
    }
}

pub fn funder(kind: FunderKind) -> (String, String) {
    match kind {
        FunderKind::FrenchAuthority => both!(funder_french_authority),
        FunderKind::State => both!(funder_state),
        FunderKind::Afd => both!(funder_afd),
        FunderKind::WaterAgency => both!(funder_water_agency),
        FunderKind::EuropeanUnion => both!(funder_european_union),
        FunderKind::Other => both!(funder_other),
    }
}

pub fn amount(band: AmountBand) -> (String, String) {
    match band {
        AmountBand::None => both!(amount_none),
        AmountBand::Under10k => both!(amount_lt_10k),
        AmountBand::From10kTo50k => both!(amount_10k_50k),
        AmountBand::From50kTo200k => both!(amount_50k_200k),
        AmountBand::From200kTo1m => both!(amount_200k_1m),
        AmountBand::Over1m => both!(amount_gte_1m),
    }
}
