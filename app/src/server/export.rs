//! Open-data exports of the published partnerships.

pub mod atom;
pub mod csv;
pub mod iati;
pub mod xml;
