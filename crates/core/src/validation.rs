//! Validation shared by the app and the server: raw input (`CaseDraft`) becomes a `NewCase` whose
//! parts cannot be invalid, or a list of field errors, each in Chinese and English.

use serde::{Deserialize, Serialize};

use crate::case::Channel;
use crate::photo::{MAX_PHOTOS, PhotoId, Position};

/// One thing wrong with one field. `field` is the field's name in the API's JSON body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message_zh: String,
    pub message_en: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str, message_zh: &str, message_en: &str) -> Self {
        Self {
            field: field.to_owned(),
            code: code.to_owned(),
            message_zh: message_zh.to_owned(),
            message_en: message_en.to_owned(),
        }
    }
}

/// The appeal in the resident's words: trimmed, 5–4,000 characters (Open311's limit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Description(String);

impl Description {
    pub const MIN_CHARS: usize = 5;
    pub const MAX_CHARS: usize = 4000;

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let text = input.trim();
        let count = text.chars().count();
        if count < Self::MIN_CHARS {
            return Err(FieldError::new(
                "description",
                "too_short",
                "请至少用5个字说明您的诉求",
                "describe the problem in at least 5 characters",
            ));
        }
        if count > Self::MAX_CHARS {
            return Err(FieldError::new(
                "description",
                "too_long",
                "诉求内容不能超过4000字",
                "the description can be at most 4,000 characters",
            ));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A mainland China phone number: a mobile (11 digits, `1[3-9]…`) or a landline with its area
/// code (`0` + 2–3 digits, then 7–8 digits). Stored as digits only, `+86` dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let invalid = || {
            FieldError::new(
                "contact_phone",
                "invalid_phone",
                "请填写正确的手机号或带区号的固定电话",
                "enter a valid mobile number or a landline with its area code",
            )
        };
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if compact.is_empty() {
            return Err(FieldError::new(
                "contact_phone",
                "required",
                "请填写联系电话",
                "enter a phone number",
            ));
        }
        let digits = compact
            .strip_prefix("+86")
            .or_else(|| compact.strip_prefix("0086"))
            .unwrap_or(&compact);
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        let bytes = digits.as_bytes();
        let mobile = bytes.len() == 11 && bytes[0] == b'1' && (b'3'..=b'9').contains(&bytes[1]);
        // Area codes: 010 and 02x have three digits, the rest four; subscriber numbers 7–8 digits.
        let landline = bytes.first() == Some(&b'0') && bytes.get(1) != Some(&b'0') && {
            let area = if matches!(bytes.get(1), Some(b'1' | b'2')) {
                3
            } else {
                4
            };
            (area + 7..=area + 8).contains(&bytes.len())
        };
        if mobile || landline {
            Ok(Self(digits.to_owned()))
        } else {
            Err(invalid())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number as a handling unit may see it without the resident's consent: `138****5678`.
    pub fn masked(&self) -> String {
        let n = self.0.chars().count();
        self.0
            .chars()
            .enumerate()
            .map(|(i, c)| if i >= 3 && i + 4 < n { '*' } else { c })
            .collect()
    }
}

/// Masks phone numbers and other long digit runs (ID numbers, plates' digits) in free text that
/// the public or a handling unit may read: `13809711234` → `138****1234`; runs of 7 to 10 digits
/// keep only their last two. A run is read as a phone number is written, not only as unbroken
/// ASCII digits: full-width digits count, and digits split by spaces, dashes, dots or brackets
/// (`138 0971 5678`, `138-0971-5678`, `(0971)8123456`) are one run. A date (`2026-11-26`) is
/// left as it is.
pub fn mask_phone_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !is_digit(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let end = digit_run_end(&chars, i);
        let run = &chars[i..end];
        if looks_like_a_date(run) {
            out.extend(run);
        } else {
            let n = run.iter().filter(|c| is_digit(**c)).count();
            let mut seen = 0;
            for &c in run {
                if !is_digit(c) {
                    out.push(c);
                    continue;
                }
                let keep = match n {
                    0..=6 => true,
                    7..=10 => seen + 2 >= n,
                    _ => seen < 3 || seen + 4 >= n,
                };
                out.push(if keep { c } else { '*' });
                seen += 1;
            }
        }
        i = end;
    }
    out
}

/// A digit as a number is written by hand or by a phone's keyboard: ASCII or full-width.
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// What may stand between the digits of one number: spaces, dashes, dots and brackets.
fn is_digit_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}'
            | '\u{3000}'
            | '-'
            | '－'
            | '‐'
            | '‑'
            | '–'
            | '—'
            | '.'
            | '．'
            | '·'
            | '('
            | ')'
            | '（'
            | '）'
    )
}

/// Where the digit run starting at `start` ends: digits, with at most two separators between
/// two of them.
fn digit_run_end(chars: &[char], start: usize) -> usize {
    let mut end = start;
    let mut i = start;
    while i < chars.len() {
        if is_digit(chars[i]) {
            i += 1;
            end = i;
            continue;
        }
        let gap = chars[i..]
            .iter()
            .take_while(|c| is_digit_separator(**c))
            .count();
        if (1..=2).contains(&gap) && chars.get(i + gap).is_some_and(|c| is_digit(*c)) {
            i += gap;
        } else {
            break;
        }
    }
    end
}

/// `2026-11-26`, `2026.11.26`: a year, a month and a day split by one same dash or dot.
fn looks_like_a_date(run: &[char]) -> bool {
    let text: String = run.iter().collect();
    let Some(separator) = text.chars().find(|c| !is_digit(*c)) else {
        return false;
    };
    if !matches!(separator, '-' | '.') {
        return false;
    }
    let parts: Vec<&str> = text.split(separator).collect();
    let number = |part: &str| part.parse::<u32>().ok();
    match parts.as_slice() {
        [year, month, day] if year.len() == 4 && month.len() <= 2 && day.len() <= 2 => {
            matches!(
                (number(year), number(month), number(day)),
                (Some(1900..=2099), Some(1..=12), Some(1..=31))
            )
        }
        _ => false,
    }
}

/// A person's name as given: 1–40 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_CHARS: usize = 40;

    pub fn parse(field: &str, input: &str) -> Result<Self, FieldError> {
        let name = input.trim();
        if name.is_empty() || name.chars().count() > Self::MAX_CHARS {
            return Err(FieldError::new(
                field,
                "invalid_name",
                "姓名应为1到40个字",
                "a name is 1 to 40 characters",
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(FieldError::new(
                field,
                "invalid_name",
                "姓名中有无法识别的字符",
                "the name contains characters that are not allowed",
            ));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A submission as typed, before any rule is applied. This is also the API's request body.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseDraft {
    pub channel: Option<Channel>,
    /// Empty with `let_platform_decide`: the platform proposes the category from the words.
    pub category_id: String,
    /// The resident is not sure of the category: "let the platform decide".
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub let_platform_decide: bool,
    pub description: String,
    pub community_id: String,
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
    /// No contact details at all: the platform cannot call back, and stores none.
    pub anonymous: bool,
    /// The handling unit must not see who the resident is (the platform still may).
    pub hide_identity_from_unit: bool,
    /// Photos uploaded first (`POST /api/v1/photos`), at most nine.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub photo_ids: Vec<String>,
    /// The phone's position, when the resident chose to share it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// The volunteer's own name when they submit for someone else (channel `volunteer`): required
    /// then, so the platform knows who helped, and refused with any other channel.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub volunteer_name: String,
}

/// How the platform may reach the resident.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Contact {
    Anonymous,
    Known {
        name: Option<PersonName>,
        phone: PhoneNumber,
        hide_from_unit: bool,
    },
}

/// A submission every rule accepts; only `CaseDraft::validate` builds one.
#[derive(Clone, Debug, PartialEq)]
pub struct NewCase {
    pub channel: Channel,
    pub category_id: String,
    pub description: Description,
    pub community_id: String,
    pub address: Option<String>,
    pub contact: Contact,
    pub photo_ids: Vec<PhotoId>,
    pub position: Option<Position>,
    /// Who submitted for the resident, on the volunteer channel.
    pub volunteer: Option<PersonName>,
}

/// Longest address line accepted, in characters.
pub const MAX_ADDRESS_CHARS: usize = 200;

impl CaseDraft {
    /// Applies every rule, reporting all wrong fields at once. `is_category` and `is_community`
    /// say whether an id exists in the catalogue and the grid (the app asks its cached copy, the
    /// server its database).
    pub fn validate(
        &self,
        is_category: impl Fn(&str) -> bool,
        is_community: impl Fn(&str) -> bool,
    ) -> Result<NewCase, Vec<FieldError>> {
        let channel = self.channel.unwrap_or(Channel::Web);
        let mut errors = Vec::new();
        if !channel.is_resident_channel() {
            errors.push(FieldError::new(
                "channel",
                "not_allowed",
                "该渠道的诉求须由工作人员录入",
                "appeals from this channel are entered by staff",
            ));
        }
        self.validate_fields(channel, errors, is_category, is_community)
    }

    /// The same rules for an appeal a hotline operator enters: the channel is required and
    /// may be any but Open311's (its clients submit for themselves).
    pub fn validate_staff_intake(
        &self,
        is_category: impl Fn(&str) -> bool,
        is_community: impl Fn(&str) -> bool,
    ) -> Result<NewCase, Vec<FieldError>> {
        let mut errors = Vec::new();
        let channel = match self.channel {
            Some(Channel::Open311) | None => {
                errors.push(FieldError::new(
                    "channel",
                    "required",
                    "请选择诉求来源渠道",
                    "choose the channel the appeal came by",
                ));
                Channel::Hotline
            }
            Some(channel) => channel,
        };
        self.validate_fields(channel, errors, is_category, is_community)
    }

    fn validate_fields(
        &self,
        channel: Channel,
        mut errors: Vec<FieldError>,
        is_category: impl Fn(&str) -> bool,
        is_community: impl Fn(&str) -> bool,
    ) -> Result<NewCase, Vec<FieldError>> {
        if self.category_id.trim().is_empty() && self.let_platform_decide {
            // The server fills it in from the words; nothing to check here.
        } else if self.category_id.trim().is_empty() {
            errors.push(FieldError::new(
                "category_id",
                "required",
                "请选择诉求类别",
                "choose a category",
            ));
        } else if !is_category(self.category_id.trim()) {
            errors.push(FieldError::new(
                "category_id",
                "unknown",
                "所选类别不存在，请重新选择",
                "this category does not exist; choose another",
            ));
        }
        if self.community_id.trim().is_empty() {
            errors.push(FieldError::new(
                "community_id",
                "required",
                "请选择所在社区",
                "choose your community",
            ));
        } else if !is_community(self.community_id.trim()) {
            errors.push(FieldError::new(
                "community_id",
                "unknown",
                "所选社区不存在，请重新选择",
                "this community does not exist; choose another",
            ));
        }
        let description = Description::parse(&self.description).map_err(|e| errors.push(e));
        let address = self.address.trim();
        if address.chars().count() > MAX_ADDRESS_CHARS {
            errors.push(FieldError::new(
                "address",
                "too_long",
                "详细地址不能超过200字",
                "the address can be at most 200 characters",
            ));
        }
        let contact = self.contact().map_err(|e| errors.extend(e));
        let volunteer = self.volunteer(channel).map_err(|e| errors.push(e));
        let photo_ids = self.photo_ids().map_err(|e| errors.push(e));
        let position = self
            .position
            .map(|p| Position::parse(p.lat, p.long))
            .transpose()
            .map_err(|e| errors.push(e));
        match (description, contact, photo_ids, position, volunteer) {
            (Ok(description), Ok(contact), Ok(photo_ids), Ok(position), Ok(volunteer))
                if errors.is_empty() =>
            {
                Ok(NewCase {
                    channel,
                    category_id: self.category_id.trim().to_owned(),
                    description,
                    community_id: self.community_id.trim().to_owned(),
                    address: (!address.is_empty()).then(|| address.to_owned()),
                    contact,
                    photo_ids,
                    position,
                    volunteer,
                })
            }
            _ => Err(errors),
        }
    }

    fn volunteer(&self, channel: Channel) -> Result<Option<PersonName>, FieldError> {
        let name = self.volunteer_name.trim();
        match (channel, name.is_empty()) {
            (Channel::Volunteer, true) => Err(FieldError::new(
                "volunteer_name",
                "required",
                "请填写您（志愿者）本人的姓名",
                "enter your own name as the volunteer",
            )),
            (Channel::Volunteer, false) => PersonName::parse("volunteer_name", name).map(Some),
            (_, true) => Ok(None),
            (_, false) => Err(FieldError::new(
                "volunteer_name",
                "not_volunteer",
                "只有替他人代办时才填写志愿者姓名",
                "a volunteer's name goes only with an appeal made for someone else",
            )),
        }
    }

    fn photo_ids(&self) -> Result<Vec<PhotoId>, FieldError> {
        let mut ids: Vec<PhotoId> = Vec::with_capacity(self.photo_ids.len());
        for text in &self.photo_ids {
            let id = PhotoId::parse(text).ok_or_else(|| {
                FieldError::new(
                    "photo_ids",
                    "unknown",
                    "有照片未上传成功，请重新添加",
                    "a photo was not uploaded; add it again",
                )
            })?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        if ids.len() > MAX_PHOTOS {
            return Err(FieldError::new(
                "photo_ids",
                "too_many",
                "最多上传9张照片",
                "at most 9 photos can be attached",
            ));
        }
        Ok(ids)
    }

    fn contact(&self) -> Result<Contact, Vec<FieldError>> {
        let given = |text: &str| !text.trim().is_empty();
        if self.anonymous {
            let stray: Vec<FieldError> = [
                ("contact_name", &self.contact_name),
                ("contact_phone", &self.contact_phone),
            ]
            .into_iter()
            .filter(|(_, text)| given(text))
            .map(|(field, _)| {
                FieldError::new(
                    field,
                    "not_anonymous",
                    "匿名反映不留联系方式，请清空此项或取消匿名",
                    "an anonymous appeal carries no contact details: clear this or drop anonymity",
                )
            })
            .collect();
            return if stray.is_empty() {
                Ok(Contact::Anonymous)
            } else {
                Err(stray)
            };
        }
        let mut errors = Vec::new();
        let name = if given(&self.contact_name) {
            PersonName::parse("contact_name", &self.contact_name)
                .map(Some)
                .map_err(|e| errors.push(e))
        } else {
            Ok(None)
        };
        let phone = PhoneNumber::parse(&self.contact_phone).map_err(|e| errors.push(e));
        match (name, phone) {
            (Ok(name), Ok(phone)) => Ok(Contact::Known {
                name,
                phone,
                hide_from_unit: self.hide_identity_from_unit,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> CaseDraft {
        CaseDraft {
            channel: None,
            category_id: "environment".into(),
            let_platform_decide: false,
            description: "楼下饭店油烟直排，家里窗户都不能开".into(),
            community_id: "c-nanguan".into(),
            address: "南关街12号".into(),
            contact_name: "".into(),
            contact_phone: "138 0971 1234".into(),
            anonymous: false,
            hide_identity_from_unit: false,
            photo_ids: vec![],
            position: None,
            volunteer_name: String::new(),
        }
    }

    fn phone(case: &NewCase) -> &str {
        match &case.contact {
            Contact::Known { phone, .. } => phone.as_str(),
            Contact::Anonymous => panic!("expected a contact"),
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_complete_draft_becomes_a_new_case() {
        let case = draft().validate(|_| true, |_| true).unwrap();
        assert_eq!(phone(&case), "13809711234");
        assert_eq!(case.channel, Channel::Web);
        assert_eq!(case.address.as_deref(), Some("南关街12号"));
        assert!(matches!(
            case.contact,
            Contact::Known {
                name: None,
                hide_from_unit: false,
                ..
            }
        ));
    }

    #[test]
    fn every_wrong_field_is_reported_at_once() {
        let bad = CaseDraft {
            description: "油烟".into(),
            contact_phone: "12345".into(),
            ..draft()
        };
        let errors = bad.validate(|_| false, |_| false).unwrap_err();
        assert_eq!(
            fields(&errors),
            [
                "category_id",
                "community_id",
                "description",
                "contact_phone"
            ]
        );
        assert!(
            errors
                .iter()
                .all(|e| !e.message_zh.is_empty() && !e.message_en.is_empty())
        );
    }

    #[test]
    fn photos_are_at_most_nine_known_ids_and_a_position_must_be_on_earth() {
        let id = |n: usize| format!("{n:032x}");
        let nine = CaseDraft {
            photo_ids: (0..9).map(id).chain([id(0)]).collect(),
            position: Some(Position {
                lat: 36.62,
                long: 101.78,
            }),
            ..draft()
        };
        let case = nine.validate(|_| true, |_| true).unwrap();
        assert_eq!(case.photo_ids.len(), 9, "a repeated id counts once");
        assert!(case.position.is_some());
        let ten = CaseDraft {
            photo_ids: (0..10).map(id).collect(),
            ..draft()
        };
        let errors = ten.validate(|_| true, |_| true).unwrap_err();
        assert_eq!(
            (fields(&errors), errors[0].code.as_str()),
            (vec!["photo_ids"], "too_many")
        );
        let forged = CaseDraft {
            photo_ids: vec!["../secret".into()],
            position: Some(Position {
                lat: 123.0,
                long: 0.0,
            }),
            ..draft()
        };
        let errors = forged.validate(|_| true, |_| true).unwrap_err();
        assert_eq!(fields(&errors), ["photo_ids", "lat"]);
    }

    #[test]
    fn long_digit_runs_are_masked_in_public_text() {
        assert_eq!(
            mask_phone_numbers("请打13809711234联系，门牌12号，电话0971-8123456"),
            "请打138****1234联系，门牌12号，电话097*-***3456"
        );
        assert_eq!(mask_phone_numbers("2026年11月"), "2026年11月");
    }

    #[test]
    fn phone_numbers_are_masked_however_they_are_written() {
        for (written, masked) in [
            ("138 0971 5678", "138 **** 5678"),
            ("138-0971-5679", "138-****-5679"),
            ("１３８０９７１５６７８", "１３８****５６７８"),
            ("1 3 8 0 9 7 1 5 6 7 8", "1 3 8 * * * * 5 6 7 8"),
            ("（0971）8123456", "（097*）***3456"),
            ("138－0971－5678", "138－****－5678"),
            ("电话:138 0971 5678。", "电话:138 **** 5678。"),
        ] {
            assert_eq!(mask_phone_numbers(written), masked, "{written}");
        }
    }

    #[test]
    fn dates_and_short_numbers_are_left_alone() {
        for text in [
            "2026-11-26晚上",
            "2026.11.26",
            "3号楼2单元501室",
            "12-3-501",
            "下午6点到10点",
            "共有3 4户",
        ] {
            assert_eq!(mask_phone_numbers(text), text);
        }
    }

    #[test]
    fn an_empty_category_is_allowed_only_when_the_platform_may_decide() {
        let unsure = CaseDraft {
            category_id: " ".into(),
            ..draft()
        };
        let errors = unsure.validate(|_| true, |_| true).unwrap_err();
        assert_eq!(fields(&errors), ["category_id"]);
        let decide = CaseDraft {
            let_platform_decide: true,
            ..unsure
        };
        assert_eq!(
            decide.validate(|_| false, |_| true).unwrap().category_id,
            ""
        );
    }

    #[test]
    fn an_operator_names_the_channel_and_may_use_any_but_open311() {
        let hotline = CaseDraft {
            channel: Some(Channel::Hotline),
            ..draft()
        };
        assert_eq!(
            hotline
                .validate_staff_intake(|_| true, |_| true)
                .unwrap()
                .channel,
            Channel::Hotline
        );
        for channel in [None, Some(Channel::Open311)] {
            let bad = CaseDraft { channel, ..draft() };
            let errors = bad.validate_staff_intake(|_| true, |_| true).unwrap_err();
            assert_eq!(fields(&errors), ["channel"]);
        }
    }

    #[test]
    fn staff_channels_cannot_be_claimed_by_a_resident() {
        let bad = CaseDraft {
            channel: Some(Channel::Hotline),
            ..draft()
        };
        assert_eq!(
            fields(&bad.validate(|_| true, |_| true).unwrap_err()),
            ["channel"]
        );
    }

    #[test]
    fn description_counts_characters_not_bytes() {
        assert!(
            Description::parse("油烟太大了").is_ok(),
            "5 characters, 15 bytes"
        );
        assert_eq!(
            Description::parse(" 油烟大了 ").unwrap_err().code,
            "too_short"
        );
        assert!(Description::parse(&"字".repeat(4000)).is_ok());
        assert_eq!(
            Description::parse(&"字".repeat(4001)).unwrap_err().code,
            "too_long"
        );
    }

    #[test]
    fn mobile_numbers_need_eleven_digits_starting_13_to_19() {
        assert!(PhoneNumber::parse("13809711234").is_ok());
        assert!(PhoneNumber::parse("+86 199-0971-1234").is_ok());
        assert!(PhoneNumber::parse("0086 15109711234").is_ok());
        assert!(PhoneNumber::parse("12809711234").is_err());
        assert!(PhoneNumber::parse("1380971123").is_err());
        assert!(PhoneNumber::parse("138097112345").is_err());
        assert!(PhoneNumber::parse("1380971123a").is_err());
        assert_eq!(PhoneNumber::parse("  ").unwrap_err().code, "required");
    }

    #[test]
    fn landlines_need_an_area_code() {
        assert_eq!(
            PhoneNumber::parse("0971-8251234").unwrap().as_str(),
            "09718251234"
        );
        assert!(PhoneNumber::parse("010-12345678").is_ok());
        assert!(PhoneNumber::parse("021 1234567").is_ok());
        assert!(PhoneNumber::parse("8251234").is_err(), "no area code");
        assert!(
            PhoneNumber::parse("0971-825123").is_err(),
            "6-digit subscriber"
        );
        assert!(PhoneNumber::parse("00971825123").is_err());
    }

    #[test]
    fn masked_phone_keeps_only_prefix_and_last_four() {
        assert_eq!(
            PhoneNumber::parse("13809711234").unwrap().masked(),
            "138****1234"
        );
        assert_eq!(
            PhoneNumber::parse("0971-8251234").unwrap().masked(),
            "097****1234"
        );
    }

    #[test]
    fn names_are_optional_but_bounded() {
        let long = CaseDraft {
            contact_name: "名".repeat(41),
            ..draft()
        };
        assert_eq!(
            fields(&long.validate(|_| true, |_| true).unwrap_err()),
            ["contact_name"]
        );
        let named = CaseDraft {
            contact_name: " 李阿姨 ".into(),
            ..draft()
        };
        let case = named.validate(|_| true, |_| true).unwrap();
        let Contact::Known { name, .. } = case.contact else {
            panic!("a named contact")
        };
        assert_eq!(name.unwrap().as_str(), "李阿姨");
        assert!(PersonName::parse("contact_name", "a\u{7}b").is_err());
    }

    #[test]
    fn anonymous_appeals_need_no_phone_and_carry_none() {
        let anonymous = CaseDraft {
            anonymous: true,
            contact_phone: "".into(),
            ..draft()
        };
        let case = anonymous.validate(|_| true, |_| true).unwrap();
        assert_eq!(case.contact, Contact::Anonymous);
        let leaking = CaseDraft {
            anonymous: true,
            contact_name: "李阿姨".into(),
            ..draft()
        };
        let errors = leaking.validate(|_| true, |_| true).unwrap_err();
        assert_eq!(fields(&errors), ["contact_name", "contact_phone"]);
        assert!(errors.iter().all(|e| e.code == "not_anonymous"));
    }

    #[test]
    fn hiding_from_the_unit_keeps_the_contact_for_the_platform() {
        let hidden = CaseDraft {
            hide_identity_from_unit: true,
            ..draft()
        };
        let case = hidden.validate(|_| true, |_| true).unwrap();
        assert!(matches!(
            case.contact,
            Contact::Known {
                hide_from_unit: true,
                ..
            }
        ));
        assert_eq!(phone(&case), "13809711234");
    }

    #[test]
    fn overlong_address_is_rejected() {
        let bad = CaseDraft {
            address: "路".repeat(201),
            ..draft()
        };
        assert_eq!(
            fields(&bad.validate(|_| true, |_| true).unwrap_err()),
            ["address"]
        );
    }

    #[test]
    fn a_volunteer_names_themself_and_only_a_volunteer_does() {
        let helped = CaseDraft {
            channel: Some(Channel::Volunteer),
            volunteer_name: " 李志愿 ".into(),
            ..draft()
        };
        let case = helped.validate(|_| true, |_| true).unwrap();
        assert_eq!(
            case.volunteer.as_ref().map(PersonName::as_str),
            Some("李志愿")
        );
        assert_eq!(
            draft().validate(|_| true, |_| true).unwrap().volunteer,
            None
        );

        let nameless = CaseDraft {
            volunteer_name: "  ".into(),
            ..helped.clone()
        };
        let errors = nameless.validate(|_| true, |_| true).unwrap_err();
        assert_eq!(fields(&errors), ["volunteer_name"]);
        assert_eq!(errors[0].code, "required");

        let stray = CaseDraft {
            volunteer_name: "李志愿".into(),
            ..draft()
        };
        let errors = stray.validate(|_| true, |_| true).unwrap_err();
        assert_eq!(fields(&errors), ["volunteer_name"]);
        assert_eq!(errors[0].code, "not_volunteer");

        let endless = CaseDraft {
            volunteer_name: "名".repeat(41),
            ..helped
        };
        assert_eq!(
            fields(&endless.validate(|_| true, |_| true).unwrap_err()),
            ["volunteer_name"]
        );
    }
}
