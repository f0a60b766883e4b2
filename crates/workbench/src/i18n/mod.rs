//! Every visible string, Chinese first and English, and the language switch. Each string is
//! written once, both languages side by side, in `strings.rs`.

use gloo_storage::Storage;
use leptos::prelude::*;
use yousu_core::api::StaffRole;
use yousu_core::deadline::NodeKind;
use yousu_core::{CaseStatus, Channel, Countdown, TimeTier};

mod strings;
pub use strings::Strings;

const STORAGE_KEY: &str = "yousu.staff.locale";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locale {
    Zh,
    En,
}

impl Locale {
    pub fn strings(self) -> &'static Strings {
        match self {
            Locale::Zh => &strings::ZH,
            Locale::En => &strings::EN,
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

    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Locale::Zh => zh,
            Locale::En => en,
        }
    }

    pub fn role(self, role: StaffRole) -> &'static str {
        let s = self.strings();
        match role {
            StaffRole::Operator => s.role_operator,
            StaffRole::Dispatcher => s.role_dispatcher,
            StaffRole::UnitHandler => s.role_unit_handler,
            StaffRole::Supervisor => s.role_supervisor,
            StaffRole::Admin => s.role_admin,
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

    pub fn channel(self, channel: Channel) -> &'static str {
        let s = self.strings();
        match channel {
            Channel::Web => s.channel_web,
            Channel::MiniProgram => s.channel_mini_program,
            Channel::Hotline => s.channel_hotline,
            Channel::Media => s.channel_media,
            Channel::Volunteer => s.channel_volunteer,
            Channel::Letter => s.channel_letter,
            Channel::Visit => s.channel_visit,
            Channel::Open311 => s.channel_open311,
        }
    }

    pub fn tier(self, tier: TimeTier) -> &'static str {
        let s = self.strings();
        match tier {
            TimeTier::Urgent => s.tier_urgent,
            TimeTier::General => s.tier_general,
            TimeTier::Complex => s.tier_complex,
            TimeTier::Difficult => s.tier_difficult,
        }
    }

    pub fn node(self, kind: NodeKind) -> &'static str {
        let s = self.strings();
        match kind {
            NodeKind::Response => s.node_response,
            NodeKind::HalfTime => s.node_half_time,
            NodeKind::DayBeforeDue => s.node_day_before_due,
            NodeKind::Due => s.node_due,
        }
    }

    /// "还剩 6 天 23 小时" / "已超期 2 小时 5 分钟".
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

    /// A count the rates rest on: "18/20".
    pub fn counts(self, numerator: u64, denominator: u64) -> String {
        format!("{numerator}/{denominator}")
    }
}

#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Locale>);

impl I18n {
    pub fn locale(&self) -> Locale {
        self.0.get()
    }

    pub fn toggle(&self) {
        let next = self.0.get_untracked().other();
        let _ = gloo_storage::LocalStorage::raw().set_item(STORAGE_KEY, next.html_lang());
        self.0.set(next);
    }
}

pub fn provide_i18n() -> I18n {
    let stored = gloo_storage::LocalStorage::raw()
        .get_item(STORAGE_KEY)
        .ok()
        .flatten();
    let locale = if stored.as_deref() == Some("en") {
        Locale::En
    } else {
        Locale::Zh
    };
    let i18n = I18n(RwSignal::new(locale));
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", i18n.0.get().html_lang());
        }
    });
    provide_context(i18n);
    i18n
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// A reactive string: `{tr(|s| s.sign_in)}` follows the language switch.
pub fn tr(
    pick: fn(&'static Strings) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || pick(i18n.0.get().strings())
}

/// A rate as "90.0%", or "—" when there was nothing to divide by.
pub fn rate_percent(rate: &yousu_core::rates::Rate) -> String {
    rate.value
        .map(|v| format!("{:.1}%", v * 100.0))
        .unwrap_or_else(|| "—".to_owned())
}
