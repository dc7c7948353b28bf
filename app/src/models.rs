//! Wire types: what crosses between the server, the browser and the REST API.

pub mod account;
pub mod authority;
pub mod contribution;
pub mod overview;
pub mod partnership;
pub mod reference;
pub mod revision;
pub mod rows;
pub mod search;
pub mod synergies;
pub mod vocab;

pub use account::*;
pub use authority::*;
pub use contribution::*;
pub use overview::*;
pub use partnership::*;
pub use reference::*;
pub use revision::{
    By, Change, Editing, FieldChange, History, HistoryEntry, Piece, PieceKind, Section,
    SectionFlash, Stale,
};
pub use search::*;
pub use synergies::*;
pub use vocab::*;
