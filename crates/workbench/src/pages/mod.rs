//! The workbench's screens, one per link of the chain a role works on.

pub mod account;
pub mod admin_items;
pub mod admin_keys;
pub mod admin_rules;
pub mod admin_staff;
pub mod admin_units;
pub mod dispatch;
pub mod evaluation;
pub mod handle;
pub mod intake;
pub mod live;
pub mod review;
pub mod sign_in;
pub mod supervise;
pub mod whistles;
