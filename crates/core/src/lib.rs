//! Yousu's domain, shared by the browser app and the server: one definition of every rule.
//!
//! Nothing here does I/O or reads a clock; every function that needs "now" takes it as an argument,
//! so the same code runs natively (server, tests) and in wasm (the resident app).

pub mod admin;
pub mod api;
pub mod attribute;
pub mod case;
pub mod catalog;
pub mod deadline;
pub mod lifecycle;
pub mod photo;
pub mod rates;
pub mod validation;

pub use case::{CaseNumber, CaseStatus, Channel, LookupCode};
pub use deadline::{Countdown, TimeTier};
pub use photo::{PhotoId, PhotoKind, Position};
pub use validation::{
    CaseDraft, Contact, Description, FieldError, NewCase, PersonName, PhoneNumber,
};
