//! Wire types: what crosses between the server, the browser and the REST API.

pub mod partnership;
pub mod vocab;

pub use partnership::*;
pub use vocab::*;
