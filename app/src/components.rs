//! Pieces shared by several pages.

pub mod changes;
pub mod charts;
pub mod email;
pub mod embassy;
pub mod facet_panel;
pub mod field;
pub mod funding_table;
pub mod labels;
pub mod layout;
pub mod map_frame;
pub mod picker;
pub mod section_edit;
pub mod synergies;
pub mod title;
