//! Server-only code: the database entities, the services the pages and the REST API call, the
//! search index, the open-data exports, the maps and the legacy atlas importer.

pub mod auth;
pub mod declaration;
pub mod embed;
pub mod entities;
pub mod export;
pub mod geo;
pub mod legacy_import;
pub mod mail;
pub mod search;
pub mod services;
