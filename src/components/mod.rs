//! Pieces shared by several screens, one component per file.

pub mod case_actions;
pub mod countdown;
pub mod field_error;
pub mod header;
pub mod photo_picker;
pub mod read_aloud;
pub mod select_field;
pub mod step_indicator;
pub mod text_field;
