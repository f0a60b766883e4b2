//! API tests: the real server on a free port, a fresh real database per test, HTTP from outside.
//! Every story runs against SQLite and against PostgreSQL.

mod helpers;

mod accounts;
mod admin;
mod app_files;
mod cases;
mod clock_rules;
mod contact;
mod durability;
mod figures;
mod handling;
mod headers;
mod hiccup;
mod import;
mod limits;
mod logs;
mod open311;
mod oversight;
mod photo_limits;
mod photos;
mod reference;
mod suggestions;
mod supervision;

/// Runs each listed story once per back end: `sqlite::name` and `postgres::name`.
#[macro_export]
macro_rules! on_both_backends {
    ($($story:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $story() {
                    super::$story($crate::helpers::Backend::Sqlite).await
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $story() {
                    super::$story($crate::helpers::Backend::Postgres).await
                }
            )+
        }
    };
}
