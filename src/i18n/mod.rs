//! Every visible string, in Chinese (first) and English, and the language switch.

use leptos::prelude::*;
use yousu_core::{CaseStatus, Countdown};

mod en;
mod zh;

const STORAGE_KEY: &str = "yousu.locale";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locale {
    Zh,
    En,
}

impl Locale {
    pub fn strings(self) -> &'static Strings {
        match self {
            Locale::Zh => &zh::STRINGS,
            Locale::En => &en::STRINGS,
        }
    }

    pub fn html_lang(self) -> &'static str {
        match self {
            Locale::Zh => "zh-CN",
            Locale::En => "en",
        }
    }

    pub fn other(self) -> Self {
        match self {
            Locale::Zh => Locale::En,
            Locale::En => Locale::Zh,
        }
    }

    /// Picks the name in this language from a bilingual record.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Locale::Zh => zh,
            Locale::En => en,
        }
    }

    pub fn status(self, status: CaseStatus) -> &'static str {
        let s = self.strings();
        match status {
            CaseStatus::Submitted => s.status_submitted,
            CaseStatus::Accepted => s.status_accepted,
            CaseStatus::Dispatched => s.status_dispatched,
            CaseStatus::Claimed => s.status_claimed,
            CaseStatus::InProgress => s.status_in_progress,
            CaseStatus::Completed => s.status_completed,
            CaseStatus::Rated => s.status_rated,
            CaseStatus::Archived => s.status_archived,
            CaseStatus::ReturnRequested => s.status_return_requested,
            CaseStatus::Reopened => s.status_reopened,
            CaseStatus::Invalid => s.status_invalid,
            CaseStatus::Merged => s.status_merged,
            CaseStatus::Withdrawn => s.status_withdrawn,
        }
    }

    /// "还剩 6 天 23 小时" — days and hours, or hours and minutes in the last day.
    pub fn countdown(self, countdown: Countdown) -> String {
        let (overdue, days, hours, minutes) = match countdown {
            Countdown::Remaining {
                days,
                hours,
                minutes,
            } => (false, days, hours, minutes),
            Countdown::Overdue {
                days,
                hours,
                minutes,
            } => (true, days, hours, minutes),
        };
        match self {
            Locale::Zh => {
                let span = if days > 0 {
                    format!("{days} 天 {hours} 小时")
                } else {
                    format!("{hours} 小时 {minutes} 分钟")
                };
                if overdue {
                    format!("已超期 {span}")
                } else {
                    format!("还剩 {span}")
                }
            }
            Locale::En => {
                let span = if days > 0 {
                    format!("{days} d {hours} h")
                } else {
                    format!("{hours} h {minutes} min")
                };
                if overdue {
                    format!("overdue by {span}")
                } else {
                    format!("{span} left")
                }
            }
        }
    }

    pub fn char_count(self, count: usize, max: usize) -> String {
        match self {
            Locale::Zh => format!("已输入 {count} / {max} 字"),
            Locale::En => format!("{count} / {max} characters"),
        }
    }

    pub fn satisfaction(self, satisfaction: yousu_core::rates::Satisfaction) -> &'static str {
        use yousu_core::rates::Satisfaction as S;
        let s = self.strings();
        match satisfaction {
            S::Satisfied => s.satisfied,
            S::BasicallySatisfied => s.basically_satisfied,
            S::Dissatisfied => s.dissatisfied,
        }
    }

    /// "有 2 件诉求等待发送".
    pub fn waiting_count(self, count: usize) -> String {
        match self {
            Locale::Zh => format!("有 {count} 件诉求等待发送，联网后会自动发送"),
            Locale::En if count == 1 => {
                "1 appeal is waiting to be sent when the network returns".into()
            }
            Locale::En => {
                format!("{count} appeals are waiting to be sent when the network returns")
            }
        }
    }

    /// "第 2 步，共 5 步".
    pub fn step_count(self, step: usize, total: usize) -> String {
        match self {
            Locale::Zh => format!("第 {step} 步，共 {total} 步"),
            Locale::En => format!("Step {step} of {total}"),
        }
    }

    /// The name of the n-th photo (from 1), for its thumbnail and its remove button.
    pub fn photo_name(self, n: usize) -> String {
        match self {
            Locale::Zh => format!("第 {n} 张照片"),
            Locale::En => format!("Photo {n}"),
        }
    }

    pub fn remove_photo(self, n: usize) -> String {
        match self {
            Locale::Zh => format!("删除第 {n} 张照片"),
            Locale::En => format!("Remove photo {n}"),
        }
    }

    pub fn photo_count(self, count: usize) -> String {
        match self {
            Locale::Zh => format!("{count} 张"),
            Locale::En if count == 1 => "1 photo".into(),
            Locale::En => format!("{count} photos"),
        }
    }

    /// A rate with the counts it rests on: "85%（17 / 20）", or "—（0 / 0）" with nothing to divide.
    pub fn rate(self, rate: &yousu_core::rates::Rate) -> String {
        let percent = rate_percent(rate).map_or_else(|| "—".to_owned(), |p| format!("{p}%"));
        match self {
            Locale::Zh => format!("{percent}（{} / {}）", rate.numerator, rate.denominator),
            Locale::En => format!("{percent} ({} of {})", rate.numerator, rate.denominator),
        }
    }

    /// What "read aloud" says about a case: its number, its code and where it stands.
    pub fn case_speech(
        self,
        case_number: &str,
        lookup_code: Option<&str>,
        status: CaseStatus,
    ) -> String {
        let spaced = |digits: &str| {
            digits
                .chars()
                .map(String::from)
                .collect::<Vec<_>>()
                .join(" ")
        };
        let status = self.status(status);
        match (self, lookup_code) {
            (Locale::Zh, Some(code)) => format!(
                "工单号：{}。查询码：{}。状态：{status}。",
                spaced(case_number),
                spaced(code)
            ),
            (Locale::Zh, None) => format!("工单号：{}。状态：{status}。", spaced(case_number)),
            (Locale::En, Some(code)) => format!(
                "Case number: {}. Lookup code: {}. Status: {status}.",
                spaced(case_number),
                spaced(code)
            ),
            (Locale::En, None) => {
                format!("Case number: {}. Status: {status}.", spaced(case_number))
            }
        }
    }
}

/// A rate as a whole percentage, `None` when there is nothing to divide by.
pub fn rate_percent(rate: &yousu_core::rates::Rate) -> Option<u64> {
    (rate.denominator > 0).then(|| (rate.numerator * 100 + rate.denominator / 2) / rate.denominator)
}

/// The texts of one language.
pub struct Strings {
    pub app_name: &'static str,
    pub app_tagline: &'static str,
    pub switch_language: &'static str,
    pub switch_language_label: &'static str,
    pub nav_submit: &'static str,
    pub nav_my_cases: &'static str,
    pub home_submit_hint: &'static str,
    pub home_my_cases_hint: &'static str,
    pub emergency_notice: &'static str,
    pub loading: &'static str,
    pub load_failed: &'static str,
    pub retry: &'static str,
    pub submit_title: &'static str,
    pub field_category: &'static str,
    pub choose: &'static str,
    pub field_description: &'static str,
    pub description_placeholder: &'static str,
    pub field_district: &'static str,
    pub field_subdistrict: &'static str,
    pub field_community: &'static str,
    pub field_address: &'static str,
    pub field_name: &'static str,
    pub field_phone: &'static str,
    pub phone_hint: &'static str,
    pub optional: &'static str,
    pub send: &'static str,
    pub sending: &'static str,
    pub fix_errors: &'static str,
    pub send_failed_kept: &'static str,
    pub draft_restored: &'static str,
    pub receipt_title: &'static str,
    pub case_title: &'static str,
    pub receipt_keep: &'static str,
    pub case_number: &'static str,
    pub lookup_code: &'static str,
    pub status: &'static str,
    pub deadline: &'static str,
    pub accepted_at: &'static str,
    pub time_left: &'static str,
    pub timeline: &'static str,
    pub category: &'static str,
    pub what_next: &'static str,
    pub my_cases_title: &'static str,
    pub my_cases_empty: &'static str,
    pub case_unknown: &'static str,
    pub shown_from_cache: &'static str,
    pub not_found_title: &'static str,
    pub back_home: &'static str,
    pub rating_title: &'static str,
    pub resolved_question: &'static str,
    pub resolved_yes: &'static str,
    pub resolved_no: &'static str,
    pub satisfaction_question: &'static str,
    pub satisfied: &'static str,
    pub basically_satisfied: &'static str,
    pub dissatisfied: &'static str,
    pub comment_label: &'static str,
    pub send_rating: &'static str,
    pub reopen: &'static str,
    pub reopen_hint: &'static str,
    pub withdraw: &'static str,
    pub withdraw_confirm: &'static str,
    pub cancel: &'static str,
    pub add_info_title: &'static str,
    pub add_info_send: &'static str,
    pub reply: &'static str,
    pub your_rating: &'static str,
    pub action_failed: &'static str,
    pub timeline_note: &'static str,
    pub nav_lookup: &'static str,
    pub home_lookup_hint: &'static str,
    pub lookup_send: &'static str,
    pub lookup_not_found: &'static str,
    pub lookup_locked: &'static str,
    pub case_number_invalid: &'static str,
    pub lookup_code_invalid: &'static str,
    pub anonymous_label: &'static str,
    pub anonymous_hint: &'static str,
    pub hide_identity_label: &'static str,
    pub waiting_to_send: &'static str,
    pub queued_notice: &'static str,
    pub refused_in_outbox: &'static str,
    pub elder_mode: &'static str,
    pub status_submitted: &'static str,
    pub status_accepted: &'static str,
    pub status_dispatched: &'static str,
    pub status_claimed: &'static str,
    pub status_in_progress: &'static str,
    pub status_completed: &'static str,
    pub status_rated: &'static str,
    pub status_archived: &'static str,
    pub status_return_requested: &'static str,
    pub status_reopened: &'static str,
    pub status_invalid: &'static str,
    pub status_merged: &'static str,
    pub status_withdrawn: &'static str,
    pub step_what: &'static str,
    pub step_details: &'static str,
    pub step_where: &'static str,
    pub step_who: &'static str,
    pub step_review: &'static str,
    pub steps_label: &'static str,
    pub next: &'static str,
    pub previous: &'static str,
    pub what_title: &'static str,
    pub search_catalog: &'static str,
    pub search_hint: &'static str,
    pub search_none: &'static str,
    pub categories_label: &'static str,
    pub let_platform_decide: &'static str,
    pub let_platform_hint: &'static str,
    pub details_title: &'static str,
    pub photos_label: &'static str,
    pub add_photos: &'static str,
    pub photo_uploading: &'static str,
    pub photo_waiting: &'static str,
    pub photo_unreadable: &'static str,
    pub photos_kept_hint: &'static str,
    pub where_title: &'static str,
    pub use_position: &'static str,
    pub locating: &'static str,
    pub position_attached: &'static str,
    pub remove_position: &'static str,
    pub position_failed: &'static str,
    pub who_title: &'static str,
    pub proxy_label: &'static str,
    pub proxy_hint: &'static str,
    pub for_whom_label: &'static str,
    pub volunteer_name_label: &'static str,
    pub proxy_name: &'static str,
    pub proxy_phone: &'static str,
    pub review_title: &'static str,
    pub change: &'static str,
    pub platform_decides: &'static str,
    pub photos: &'static str,
    pub position: &'static str,
    pub contact: &'static str,
    pub anonymous: &'static str,
    pub identity_hidden: &'static str,
    pub proposal_title: &'static str,
    pub proposal_unit: &'static str,
    pub use_proposal: &'static str,
    pub keep_platform: &'static str,
    pub duplicates_title: &'static str,
    pub duplicates_hint: &'static str,
    pub follow_instead: &'static str,
    pub follow_failed: &'static str,
    pub nav_figures: &'static str,
    pub home_figures_hint: &'static str,
    pub figures_title: &'static str,
    pub received: &'static str,
    pub finished: &'static str,
    pub on_time_rate: &'static str,
    pub by_category: &'static str,
    pub by_district: &'static str,
    pub hot_spots: &'static str,
    pub unit_rates: &'static str,
    pub unit: &'static str,
    pub response_rate: &'static str,
    pub resolution_rate: &'static str,
    pub satisfaction_rate: &'static str,
    pub too_few_cases: &'static str,
    pub figures_note: &'static str,
    pub no_figures: &'static str,
    pub proxy_cases_title: &'static str,
    pub followed_cases_title: &'static str,
    pub handover_title: &'static str,
    pub handover_for: &'static str,
    pub volunteer: &'static str,
    pub followed_note: &'static str,
    pub read_aloud: &'static str,
    pub description: &'static str,
    pub case_list_label: &'static str,
}

/// The chosen language, for every component below the app.
#[derive(Clone, Copy)]
pub struct I18n {
    locale: RwSignal<Locale>,
}

impl I18n {
    pub fn locale(&self) -> Locale {
        self.locale.get()
    }

    /// The current language's texts (tracked: a view reading them follows a switch).
    pub fn t(&self) -> &'static Strings {
        self.locale.get().strings()
    }

    pub fn toggle(&self) {
        self.locale.update(|l| *l = l.other());
    }
}

/// Chinese unless the resident chose English before; the choice is remembered and sets `<html lang>`.
pub fn provide_i18n() {
    let saved = crate::store::load::<String>(STORAGE_KEY);
    let locale = RwSignal::new(if saved.as_deref() == Some("en") {
        Locale::En
    } else {
        Locale::Zh
    });
    Effect::new(move |_| {
        let current = locale.get();
        crate::store::save(
            STORAGE_KEY,
            &match current {
                Locale::Zh => "zh",
                Locale::En => "en",
            },
        );
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", current.html_lang());
        }
    });
    provide_context(I18n { locale });
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// One text of the tables that follows the language switch. Every text of every view goes
/// through this one signal type, so the wasm carries one copy of the code that renders it.
pub fn tr(pick: fn(&'static Strings) -> &'static str) -> Signal<&'static str> {
    let i18n = use_i18n();
    Signal::derive(move || pick(i18n.t()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use yousu_core::rates::Rate;

    #[test]
    fn a_rate_is_shown_with_its_counts_and_rounded() {
        assert_eq!(Locale::Zh.rate(&Rate::new(2, 3)), "67%（2 / 3）");
        assert_eq!(Locale::En.rate(&Rate::new(17, 20)), "85% (17 of 20)");
        assert_eq!(Locale::Zh.rate(&Rate::new(0, 0)), "—（0 / 0）");
    }

    #[test]
    fn numbers_are_read_aloud_digit_by_digit() {
        let speech =
            Locale::Zh.case_speech("20261126000001", Some("12345678"), CaseStatus::Accepted);
        assert!(
            speech.starts_with("工单号：2 0 2 6 1 1 2 6 0 0 0 0 0 1。查询码：1 2 3 4 5 6 7 8。")
        );
        assert!(speech.ends_with("状态：已受理。"));
    }
}
