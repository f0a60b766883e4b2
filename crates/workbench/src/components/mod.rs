//! Parts several screens share.

pub mod admin_form;
pub mod case_queue;
pub mod case_summary;
pub mod help_overlay;
pub mod shell;
pub mod status_line;
