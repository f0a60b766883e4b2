//! The app's screens and their addresses: the one source of every path, both ways.

use yousu_core::CaseNumber;

pub const HOME: &str = "/";
pub const SUBMIT: &str = "/submit";
pub const MY_CASES: &str = "/cases";
pub const LOOKUP: &str = "/lookup";
pub const FIGURES: &str = "/figures";

/// One step of submitting (`/submit/details`): each step has its own history entry.
pub fn submit_step(slug: &str) -> String {
    format!("{SUBMIT}/{slug}")
}

pub fn case_detail(case_number: &CaseNumber) -> String {
    format!("/cases/{case_number}")
}

/// The screen an address shows, with what the address says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    /// `/submit` or `/submit/<step>`; the slug is read by the submit screen.
    Submit {
        step: Option<String>,
    },
    Figures,
    MyCases,
    Lookup,
    /// `/cases/<case number>`, the number as written (it may not parse).
    CaseDetail {
        case_number: String,
    },
    NotFound,
}

impl Route {
    /// The route of an address's path (without query or fragment); a trailing slash is ignored.
    pub fn parse(path: &str) -> Route {
        let path = path.strip_suffix('/').unwrap_or(path);
        let mut segments = path.split('/').skip(1);
        match (segments.next(), segments.next(), segments.next()) {
            (None, ..) => Route::Home,
            (Some("submit"), step, None) => Route::Submit {
                step: step.map(str::to_owned),
            },
            (Some("figures"), None, _) => Route::Figures,
            (Some("cases"), None, _) => Route::MyCases,
            (Some("cases"), Some(number), None) if !number.is_empty() => Route::CaseDetail {
                case_number: number.to_owned(),
            },
            (Some("lookup"), None, _) => Route::Lookup,
            _ => Route::NotFound,
        }
    }

    /// The screen, whatever its parameters: moving between two addresses of one screen keeps
    /// the screen and its state, as moving between submit steps must.
    pub fn screen(&self) -> Screen {
        match self {
            Route::Home => Screen::Home,
            Route::Submit { .. } => Screen::Submit,
            Route::Figures => Screen::Figures,
            Route::MyCases => Screen::MyCases,
            Route::Lookup => Screen::Lookup,
            Route::CaseDetail { .. } => Screen::CaseDetail,
            Route::NotFound => Screen::NotFound,
        }
    }
}

/// A route without its parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Home,
    Submit,
    Figures,
    MyCases,
    Lookup,
    CaseDetail,
    NotFound,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_address_the_app_makes_reads_back_as_its_screen() {
        assert_eq!(Route::parse(HOME), Route::Home);
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(Route::parse(SUBMIT), Route::Submit { step: None });
        assert_eq!(
            Route::parse(&submit_step("where")),
            Route::Submit {
                step: Some("where".into())
            }
        );
        assert_eq!(Route::parse(MY_CASES), Route::MyCases);
        assert_eq!(Route::parse("/cases/"), Route::MyCases);
        assert_eq!(Route::parse(LOOKUP), Route::Lookup);
        assert_eq!(Route::parse(FIGURES), Route::Figures);
        assert_eq!(
            Route::parse("/cases/20261126-000001"),
            Route::CaseDetail {
                case_number: "20261126-000001".into()
            }
        );
    }

    #[test]
    fn unknown_addresses_are_not_found() {
        for path in [
            "/nowhere",
            "/submit/what/else",
            "/cases/1/2",
            "/figures/x",
            "//",
        ] {
            assert_eq!(Route::parse(path), Route::NotFound, "{path}");
        }
    }

    #[test]
    fn moving_between_steps_keeps_the_submit_screen() {
        let what = Route::parse("/submit/what");
        assert_eq!(what.screen(), Route::parse("/submit/review").screen());
        assert_ne!(what.screen(), Route::Home.screen());
    }
}
