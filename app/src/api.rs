//! Server functions, by domain. Each is thin: read the context, call a service, map the error.

pub mod account;
pub mod editing;
pub mod overview;
pub mod partnerships;
pub mod reference;
pub mod search;
pub mod synergies;
