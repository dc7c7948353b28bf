//! The closed vocabularies of the atlas. Each value has a stable code (used in the database,
//! the API and URLs) and is shown to people through the translation layer.

use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// The kinds of French local authority in the official referential.
    CollectivityKind { Commune = "commune", Epci = "epci", Departement = "departement", Region = "region" }
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
