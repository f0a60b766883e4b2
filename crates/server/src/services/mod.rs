//! Business logic between the handlers and the store: one function per thing the platform does.

pub mod api_keys;
pub mod cases;
pub mod contact;
pub mod figures;
pub mod handling;
pub mod live;
pub mod oversight;
pub mod photos;
pub mod suggestions;
pub mod views;
pub mod watchers;

/// The platform's clock, to the microsecond: both databases keep microseconds, so a time the API
/// answers with is exactly the time stored.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::SubsecRound;
    chrono::Utc::now().trunc_subsecs(6)
}
