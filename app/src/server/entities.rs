//! sea-orm entities, kept by hand in this one place. Relations are followed by explicit
//! queries in the services, so the entities carry none.

/// The parts every entity here shares: no relations, default behaviour.
macro_rules! plain_entity {
    () => {
        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}
    };
}

pub mod account_token;
pub mod api_token;
pub mod app_user;
pub mod change_log;
pub mod collectivity;
pub mod country;
pub mod diplomatic_post;
pub mod foreign_authority;
pub mod foreign_contact;
pub mod funding;
pub mod partnership;
pub mod partnership_foreign_partner;
pub mod partnership_form;
pub mod partnership_french_partner;
pub mod partnership_revision;
pub mod partnership_theme;
pub mod post_contact;
pub mod reference_revision;
pub mod session;
pub mod theme;
pub mod user_authority;
pub mod user_country;
pub mod volunteer;
