//! The closed vocabularies of the atlas. Each value has a stable code (used in the database,
//! the API and URLs) and is shown to people through the translation layer.

use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $code)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored in the database and used by the API.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

vocabulary! {
    /// Where a partnership stands in its life.
    Status { Ongoing = "ongoing", Completed = "completed", Planned = "planned" }
}

vocabulary! {
    /// How long each phase of a partnership is agreed for.
    Duration { Annual = "annual", Biennial = "biennial", Triennial = "triennial", MultiYear = "multi_year" }
}

vocabulary! {
    /// Where a record stands in the declaration and moderation workflow.
    PublicationState {
        Draft = "draft",
        Submitted = "submitted",
        Published = "published",
        Returned = "returned",
        Rejected = "rejected",
        Archived = "archived",
    }
}

vocabulary! {
    /// The kinds of French local authority in the official referential. `Com` is an overseas
    /// collectivity (Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin, the Pacific
    /// ones), which INSEE lists both as a région and as a département under one code.
    CollectivityKind {
        Commune = "commune",
        Epci = "epci",
        Departement = "departement",
        Region = "region",
        Com = "com",
    }
}

vocabulary! {
    /// What a signed-in person may do: administrators manage users and the reference lists,
    /// moderators (the ministry, or an embassy for its countries) validate submissions, staff
    /// of a French authority declare its partnerships.
    Role { Admin = "admin", Moderator = "moderator", Staff = "staff" }
}

vocabulary! {
    /// The roles of a diplomatic post's contacts for decentralised cooperation.
    EmbassyRole {
        DecentralisedCooperationCorrespondent = "coopdec_correspondent",
        CooperationCounsellor = "cooperation_counsellor",
        Other = "other",
    }
}

vocabulary! {
    /// World zones, as the ministry groups countries.
    WorldZone {
        NorthAfricaMiddleEast = "north_africa_middle_east",
        SubSaharanAfrica = "sub_saharan_africa",
        Americas = "americas",
        AsiaOceania = "asia_oceania",
        Europe = "europe",
    }
}

vocabulary! {
    /// Who pays, grouped the way the statistics compare funders.
    FunderKind {
        FrenchAuthority = "french_authority",
        State = "state",
        Afd = "afd",
        WaterAgency = "water_agency",
        EuropeanUnion = "european_union",
        Other = "other",
    }
}

vocabulary! {
    /// Bands of a partnership's total funding, in euros.
    AmountBand {
        None = "none",
        Under10k = "lt_10k",
        From10kTo50k = "10k_50k",
        From50kTo200k = "50k_200k",
        From200kTo1m = "200k_1m",
        Over1m = "gte_1m",
    }
}

impl AmountBand {
    /// The band of a total in euro cents.
    pub fn of_cents(total: i64) -> AmountBand {
        match total {
            i64::MIN..=0 => AmountBand::None,
            1..1_000_000 => AmountBand::Under10k,
            1_000_000..5_000_000 => AmountBand::From10kTo50k,
            5_000_000..20_000_000 => AmountBand::From50kTo200k,
            20_000_000..100_000_000 => AmountBand::From200kTo1m,
            _ => AmountBand::Over1m,
        }
    }
}

vocabulary! {
    /// The orders search results can be listed in.
    Sort { Relevance = "relevance", StartYear = "start_year", Title = "title", Amount = "amount" }
}
