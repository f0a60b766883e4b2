//! The Yousu platform server: our JSON API under `/api/v1`, storage on SQLite or PostgreSQL, and
//! the built resident app, all from one binary.

pub mod app;
pub mod auth;
pub mod client_addr;
pub mod clock;
pub mod config;
pub mod connections;
pub mod current;
pub mod demo;
pub mod dispatching;
pub mod error;
pub mod headers;
pub mod history;
pub mod links;
pub mod open311;
pub mod photo_codec;
pub mod rate_limit;
pub mod reference;
pub mod routes;
pub mod scheduler;
pub mod services;
pub mod sign_in_throttle;
pub mod static_app;
pub mod store;
pub mod telemetry;

pub use app::Application;
pub use config::{Config, DatabaseUrl};
