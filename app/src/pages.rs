//! One module per page.

pub mod home;
pub mod not_found;
pub mod open_data;
pub mod partnership;
pub mod partnerships;
