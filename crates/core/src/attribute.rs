//! Service attributes: the extra questions a category asks (Open311's `attribute[CODE]` fields,
//! declared by `services/{code}`), and the one check of the answers, for every channel.

use std::collections::BTreeMap;

use chrono::DateTime;
use serde::{Deserialize, Serialize};

use crate::validation::FieldError;

/// Open311's datatypes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AttributeType {
    String,
    Number,
    Datetime,
    Text,
    Singlevaluelist,
    Multivaluelist,
}

impl AttributeType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Number => "number",
            Self::Datetime => "datetime",
            Self::Text => "text",
            Self::Singlevaluelist => "singlevaluelist",
            Self::Multivaluelist => "multivaluelist",
        }
    }
}

/// One choice of a value list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttributeChoice {
    pub key: String,
    pub name_zh: String,
    pub name_en: String,
}

/// One question of a category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceAttribute {
    pub code: String,
    pub datatype: AttributeType,
    pub description_zh: String,
    pub description_en: String,
    #[serde(default)]
    pub required: bool,
    /// The choices of a value list; empty for the other types.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<AttributeChoice>,
}

/// The longest answer to a `string` question; `text` answers may be as long as a description.
pub const MAX_STRING_CHARS: usize = 200;
pub const MAX_TEXT_CHARS: usize = 4000;

/// Checked answers by attribute code: one value, or several for a multi-value list. Numbers and
/// times are kept in a normal form (`12.5`, RFC 3339 with offset).
pub type AttributeAnswers = BTreeMap<String, Vec<String>>;

/// Checks the answers given (by code, each possibly repeated) against the category's questions.
/// Blank answers count as not given. Every problem is reported at once, each naming its field
/// as `attribute[CODE]`.
pub fn check_attributes(
    questions: &[ServiceAttribute],
    given: &BTreeMap<String, Vec<String>>,
) -> Result<AttributeAnswers, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut answers = AttributeAnswers::new();
    for code in given.keys() {
        if !questions.iter().any(|q| &q.code == code) {
            errors.push(error(
                code,
                "unknown",
                "该类别没有这一项",
                "this category has no such attribute",
            ));
        }
    }
    for question in questions {
        let values: Vec<&str> = given
            .get(&question.code)
            .into_iter()
            .flatten()
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .collect();
        if values.is_empty() {
            if question.required {
                errors.push(error(
                    &question.code,
                    "required",
                    "此项必填",
                    "this is required",
                ));
            }
            continue;
        }
        match check_one(question, &values) {
            Ok(normal) => {
                answers.insert(question.code.clone(), normal);
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(answers)
    } else {
        Err(errors)
    }
}

fn check_one(question: &ServiceAttribute, values: &[&str]) -> Result<Vec<String>, FieldError> {
    let code = question.code.as_str();
    let single = || {
        if values.len() > 1 {
            Err(error(
                code,
                "one_value",
                "此项只能填一个值",
                "give one value only",
            ))
        } else {
            Ok(values[0])
        }
    };
    let within = |value: &str, max: usize| {
        if value.chars().count() > max || value.chars().any(|c| c.is_control() && c != '\n') {
            Err(error(
                code,
                "too_long",
                "内容过长或含有无法识别的字符",
                "too long, or contains characters that are not allowed",
            ))
        } else {
            Ok(vec![value.to_owned()])
        }
    };
    let is_choice = |value: &str| question.values.iter().any(|c| c.key == value);
    let not_a_choice = || {
        error(
            code,
            "not_a_choice",
            "请从给定的选项中选择",
            "choose one of the listed values",
        )
    };
    match question.datatype {
        AttributeType::String => within(single()?, MAX_STRING_CHARS),
        AttributeType::Text => within(single()?, MAX_TEXT_CHARS),
        AttributeType::Number => single()?
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(|n| vec![n.to_string()])
            .ok_or_else(|| error(code, "not_a_number", "请填写数字", "enter a number")),
        AttributeType::Datetime => DateTime::parse_from_rfc3339(single()?)
            .map(|t| vec![t.to_rfc3339()])
            .map_err(|_| {
                error(
                    code,
                    "not_a_datetime",
                    "请填写带时区的时间，如 2026-11-26T08:00:00+08:00",
                    "enter a time with its offset, like 2026-11-26T08:00:00+08:00",
                )
            }),
        AttributeType::Singlevaluelist => {
            let value = single()?;
            if is_choice(value) {
                Ok(vec![value.to_owned()])
            } else {
                Err(not_a_choice())
            }
        }
        AttributeType::Multivaluelist => {
            let mut chosen: Vec<String> = Vec::new();
            for value in values {
                if !is_choice(value) {
                    return Err(not_a_choice());
                }
                if !chosen.iter().any(|c| c == value) {
                    chosen.push((*value).to_owned());
                }
            }
            Ok(chosen)
        }
    }
}

fn error(code: &str, what: &str, zh: &str, en: &str) -> FieldError {
    FieldError::new(&format!("attribute[{code}]"), what, zh, en)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(code: &str, datatype: AttributeType, required: bool) -> ServiceAttribute {
        let choice = |key: &str| AttributeChoice {
            key: key.into(),
            name_zh: key.into(),
            name_en: key.into(),
        };
        ServiceAttribute {
            code: code.into(),
            datatype,
            description_zh: String::new(),
            description_en: String::new(),
            required,
            values: match datatype {
                AttributeType::Singlevaluelist | AttributeType::Multivaluelist => {
                    vec![choice("day"), choice("night")]
                }
                _ => vec![],
            },
        }
    }

    fn given(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<String>> {
        let mut map = BTreeMap::<String, Vec<String>>::new();
        for (k, v) in pairs {
            map.entry((*k).into()).or_default().push((*v).into());
        }
        map
    }

    fn questions() -> Vec<ServiceAttribute> {
        vec![
            question("when", AttributeType::Singlevaluelist, true),
            question("kinds", AttributeType::Multivaluelist, false),
            question("count", AttributeType::Number, false),
            question("since", AttributeType::Datetime, false),
            question("landmark", AttributeType::String, false),
            question("details", AttributeType::Text, false),
        ]
    }

    #[test]
    fn good_answers_of_every_type_are_kept_in_normal_form() {
        let answers = check_attributes(
            &questions(),
            &given(&[
                ("when", "night"),
                ("kinds", "day"),
                ("kinds", "night"),
                ("kinds", "day"),
                ("count", " 3.50 "),
                ("since", "2026-11-20T22:00:00+08:00"),
                ("landmark", "公交站旁"),
                ("details", ""),
            ]),
        )
        .unwrap();
        assert_eq!(answers["when"], ["night"]);
        assert_eq!(answers["kinds"], ["day", "night"]);
        assert_eq!(answers["count"], ["3.5"]);
        assert_eq!(answers["since"], ["2026-11-20T22:00:00+08:00"]);
        assert!(!answers.contains_key("details"), "blank is not given");
    }

    #[test]
    fn every_wrong_answer_names_its_attribute() {
        let errors = check_attributes(
            &questions(),
            &given(&[
                ("kinds", "noon"),
                ("count", "many"),
                ("since", "yesterday"),
                ("landmark", &"长".repeat(201)),
                ("colour", "red"),
            ]),
        )
        .unwrap_err();
        let mut found: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        found.sort();
        assert_eq!(
            found,
            [
                ("attribute[colour]", "unknown"),
                ("attribute[count]", "not_a_number"),
                ("attribute[kinds]", "not_a_choice"),
                ("attribute[landmark]", "too_long"),
                ("attribute[since]", "not_a_datetime"),
                ("attribute[when]", "required"),
            ]
        );
    }

    #[test]
    fn a_single_value_question_takes_one_value() {
        let errors = check_attributes(&questions(), &given(&[("when", "day"), ("when", "night")]))
            .unwrap_err();
        assert_eq!(errors[0].code, "one_value");
    }
}
