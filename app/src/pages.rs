//! One module per page.

pub mod account;
pub mod admin;
pub mod declaration;
pub mod declaration_live;
pub mod history;
pub mod map;
pub mod moderation;
pub mod my_account;
pub mod not_found;
pub mod open_data;
pub mod partnership;
pub mod places;
pub mod reference;
pub mod search;
pub mod statistics;
pub mod synergies;
