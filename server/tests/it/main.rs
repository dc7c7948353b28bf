//! The server's integration tests, in one binary: each module used to be its own test binary,
//! and six copies of the linked server filled the CI disk.

mod common;

mod authorities;
mod authz;
mod backup;
mod changes;
mod contribute;
mod demo;
mod editing;
mod feed;
mod iati;
mod import;
mod lifecycle;
mod open_data;
mod reference;
mod relevance;
mod revisions;
mod routes;
mod search;
mod synergies;
mod users;
