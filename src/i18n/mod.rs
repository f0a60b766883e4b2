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

    pub fn date_time_format(self) -> &'static str {
        match self {
            Locale::Zh => "%Y年%-m月%-d日 %H:%M",
            Locale::En => "%Y-%m-%d %H:%M",
        }
    }
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
