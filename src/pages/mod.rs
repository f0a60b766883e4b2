//! The app's screens, one per file, each named `…Page`.

pub mod case_detail;
pub mod figures;
pub mod home;
pub mod lookup;
pub mod my_cases;
pub mod not_found;
pub mod submit;
