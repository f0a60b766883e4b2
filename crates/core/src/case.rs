//! What a case is called and where it stands: its number, its lookup code, its channel and status.

use std::fmt;

use chrono::{Datelike, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

/// The city's civil time zone (China Standard Time, UTC+8, no daylight saving). Case numbers and
/// "today" in reports follow it, whatever zone a server or a phone is set to.
pub fn city_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// 工单号: the city-local date of acceptance and a serial within that day, `YYYYMMDD` + 6 digits,
/// as residents know them from the 12345 hotline (e.g. `20261126000042`). The serial comes from a
/// counter in the database, so numbers stay unique however many server instances share it.
///
/// A case number is not a secret: reading a case also needs its lookup code or the submitting
/// device's key.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseNumber(String);

impl CaseNumber {
    pub const SERIAL_DIGITS: usize = 6;
    pub const MAX_SERIAL: u32 = 999_999;

    /// Builds the number for the `serial`-th case of `date`; `None` when the day's serials ran out.
    pub fn new(date: NaiveDate, serial: u32) -> Option<Self> {
        if serial == 0 || serial > Self::MAX_SERIAL || !(1000..=9999).contains(&date.year()) {
            return None;
        }
        Some(Self(format!(
            "{:04}{:02}{:02}{:06}",
            date.year(),
            date.month(),
            date.day(),
            serial
        )))
    }

    /// Longest input `parse` reads: room for a number typed with generous spacing, and no more,
    /// so a hostile input costs nothing to refuse.
    pub const MAX_TYPED_LEN: usize = 64;

    /// Reads a number as a person might type it: spaces and hyphens are ignored. The result is
    /// the canonical number (14 digits): anything counted per case (wrong lookup codes) counts
    /// under it, never under the text as typed.
    pub fn parse(input: &str) -> Option<Self> {
        if input.len() > Self::MAX_TYPED_LEN {
            return None;
        }
        let digits: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if digits.len() != 8 + Self::SERIAL_DIGITS || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // Fixed-width digits, read directly: chrono's format-string parser is the largest part
        // of chrono the browser app would otherwise carry for this one call.
        let number = |from: usize, to: usize| digits[from..to].parse::<u32>().ok();
        let date = NaiveDate::from_ymd_opt(number(0, 4)? as i32, number(4, 6)?, number(6, 8)?)?;
        let serial = number(8, digits.len())?;
        Self::new(date, serial)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CaseNumber {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value).ok_or_else(|| format!("not a case number: {value:?}"))
    }
}

impl From<CaseNumber> for String {
    fn from(value: CaseNumber) -> Self {
        value.0
    }
}

/// 查询码: eight digits that, with the case number, open a case from any device without an
/// account. Digits only, so it can be read out over the phone to an elder's family.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LookupCode(String);

impl LookupCode {
    pub const DIGITS: usize = 8;

    /// Turns a uniformly random number (from the caller's secure source) into a code.
    pub fn from_random(random: u64) -> Self {
        Self(format!("{:08}", random % 100_000_000))
    }

    pub fn parse(input: &str) -> Option<Self> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        (digits.len() == Self::DIGITS && digits.bytes().all(|b| b.is_ascii_digit()))
            .then_some(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LookupCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for LookupCode {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value).ok_or_else(|| "a lookup code is 8 digits".to_owned())
    }
}

impl From<LookupCode> for String {
    fn from(value: LookupCode) -> Self {
        value.0
    }
}

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable name used in the API and the database.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use string_enum;

string_enum! {
    /// 渠道: how an appeal reached the platform. Every channel feeds the one intake.
    Channel {
        Web => "web",
        MiniProgram => "mini_program",
        Hotline => "hotline",
        Media => "media",
        Volunteer => "volunteer",
        Letter => "letter",
        Visit => "visit",
        Open311 => "open311",
    }
}

impl Channel {
    /// Channels a resident's own device may claim; the others are entered by staff.
    pub fn is_resident_channel(self) -> bool {
        matches!(
            self,
            Channel::Web | Channel::MiniProgram | Channel::Volunteer
        )
    }
}

string_enum! {
    /// Where a case stands in its life-cycle (受理 → 派单 → 接单 → 办理 → 办结 → 评价 → 归档).
    CaseStatus {
        Submitted => "submitted",
        Accepted => "accepted",
        Dispatched => "dispatched",
        Claimed => "claimed",
        InProgress => "in_progress",
        Completed => "completed",
        Rated => "rated",
        Archived => "archived",
        ReturnRequested => "return_requested",
        Reopened => "reopened",
        Invalid => "invalid",
        Merged => "merged",
        Withdrawn => "withdrawn",
    }
}

impl CaseStatus {
    /// Whether the completion clock is still running for a case in this status.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            CaseStatus::Completed
                | CaseStatus::Rated
                | CaseStatus::Archived
                | CaseStatus::Withdrawn
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_number_joins_date_and_zero_padded_serial() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert_eq!(
            CaseNumber::new(date, 42).unwrap().as_str(),
            "20261126000042"
        );
        assert_eq!(
            CaseNumber::new(date, 999_999).unwrap().as_str(),
            "20261126999999"
        );
    }

    #[test]
    fn case_number_rejects_serial_zero_and_overflow() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert!(CaseNumber::new(date, 0).is_none());
        assert!(CaseNumber::new(date, 1_000_000).is_none());
    }

    #[test]
    fn case_number_parse_accepts_typed_spacing_and_rejects_impossible_dates() {
        assert_eq!(
            CaseNumber::parse(" 2026-1126 000042 ").unwrap().as_str(),
            "20261126000042"
        );
        assert!(CaseNumber::parse("20260230000001").is_none(), "30 February");
        assert!(CaseNumber::parse("20240229000001").is_some(), "a leap day");
        assert!(CaseNumber::parse("20261326000001").is_none(), "month 13");
        assert!(CaseNumber::parse("20260026000001").is_none(), "month 0");
        assert!(CaseNumber::parse("20261100000001").is_none(), "day 0");
        assert!(CaseNumber::parse("20261126000000").is_none(), "serial 0");
        assert!(CaseNumber::parse("2026112600004").is_none(), "too short");
        assert!(CaseNumber::parse("2026112600004x").is_none());
        assert_eq!(
            CaseNumber::parse("--20261126000042").unwrap().as_str(),
            "20261126000042",
            "every spelling gives the one canonical number"
        );
        let padded = format!("20261126000042{}", "-".repeat(CaseNumber::MAX_TYPED_LEN));
        assert!(CaseNumber::parse(&padded).is_none(), "too long to be typed");
    }

    #[test]
    fn lookup_code_is_always_eight_digits() {
        assert_eq!(LookupCode::from_random(7).as_str(), "00000007");
        assert_eq!(LookupCode::from_random(u64::MAX).as_str().len(), 8);
        assert_eq!(LookupCode::parse("1234 5678").unwrap().as_str(), "12345678");
        assert!(LookupCode::parse("1234567").is_none());
        assert!(LookupCode::parse("1234567a").is_none());
    }

    #[test]
    fn status_and_channel_names_round_trip() {
        for status in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(status.as_str()), Some(*status));
        }
        for channel in Channel::ALL {
            assert_eq!(Channel::parse(channel.as_str()), Some(*channel));
        }
        assert_eq!(
            serde_json::to_string(&CaseStatus::InProgress).unwrap(),
            "\"in_progress\""
        );
    }
}

/// Case numbers and lookup codes are strings of digits in the API.
#[cfg(feature = "openapi")]
mod schemas {
    use std::borrow::Cow;

    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

    use super::{CaseNumber, LookupCode};

    fn digits(count: usize, example: &str, description: &str) -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(format!("^[0-9]{{{count}}}$")))
            .examples([example])
            .description(Some(description))
            .into()
    }

    impl utoipa::PartialSchema for CaseNumber {
        fn schema() -> RefOr<Schema> {
            digits(
                14,
                "20261126000042",
                "工单号: the city-local date and a serial of that day",
            )
        }
    }

    impl utoipa::ToSchema for CaseNumber {
        fn name() -> Cow<'static, str> {
            Cow::Borrowed("CaseNumber")
        }
    }

    impl utoipa::PartialSchema for LookupCode {
        fn schema() -> RefOr<Schema> {
            digits(
                8,
                "04831927",
                "查询码: opens the case, with its number, from any device",
            )
        }
    }

    impl utoipa::ToSchema for LookupCode {
        fn name() -> Cow<'static, str> {
            Cow::Borrowed("LookupCode")
        }
    }
}
