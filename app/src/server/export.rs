//! Open-data exports of the published partnerships.

pub mod csv;
pub mod iati;
