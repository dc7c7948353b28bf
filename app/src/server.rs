//! Server-only code: the database entities, the services the pages and the REST API call, and
//! the legacy atlas importer.

pub mod entities;
pub mod legacy_import;
pub mod services;
