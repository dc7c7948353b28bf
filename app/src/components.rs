//! Pieces shared by several pages.

pub mod authority_picker;
pub mod charts;
pub mod email;
pub mod facet_panel;
pub mod funding_table;
pub mod labels;
pub mod layout;
pub mod map_frame;
pub mod title;
