//! Pieces shared by several pages.

pub mod email;
pub mod funding_table;
pub mod labels;
pub mod layout;
