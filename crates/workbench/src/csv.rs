//! The monthly evaluation as CSV (for a spreadsheet): every rate beside the counts it rests on
//! and last month's figure, and the too-few-cases mark, so the file cannot become a bare ranking.

use yousu_core::api::{Evaluation, UnitEvaluation};
use yousu_core::rates::Rate;

use crate::i18n::Locale;

/// One cell, quoted when it must be (RFC 4180).
pub fn cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// A rate as a percentage with one decimal, or empty when there was nothing to divide by.
pub fn percent(rate: &Rate) -> String {
    rate.value
        .map(|v| format!("{:.1}", v * 100.0))
        .unwrap_or_default()
}

pub fn previous<'a>(evaluation: &'a Evaluation, unit_id: &str) -> Option<&'a UnitEvaluation> {
    evaluation
        .previous_month
        .iter()
        .find(|u| u.unit_id == unit_id)
}

/// The whole table, with a byte-order mark so spreadsheet programs read the Chinese right.
pub fn evaluation_csv(evaluation: &Evaluation, locale: Locale, rows: &[UnitEvaluation]) -> String {
    let headers: &[&str] = match locale {
        Locale::Zh => &[
            "月份",
            "单位",
            "响应率%",
            "按时响应",
            "派单数",
            "上月响应率%",
            "解决率%",
            "已解决",
            "评价数",
            "上月解决率%",
            "满意率%",
            "满意及基本满意",
            "评价数",
            "上月满意率%",
            "按时办结率%",
            "按时办结",
            "办结数",
            "超期",
            "退单被驳回",
            "样本不足",
        ],
        Locale::En => &[
            "month",
            "unit",
            "response %",
            "responded in time",
            "dispatched",
            "last month response %",
            "resolution %",
            "resolved",
            "rated",
            "last month resolution %",
            "satisfaction %",
            "satisfied or basically",
            "rated",
            "last month satisfaction %",
            "on-time %",
            "completed on time",
            "completed",
            "overdue",
            "refused returns",
            "too few cases",
        ],
    };
    let mut out = String::from("\u{feff}");
    out.push_str(
        &headers
            .iter()
            .map(|h| cell(h))
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push_str("\r\n");
    for unit in rows {
        let r = &unit.rates;
        let last = previous(evaluation, &unit.unit_id).map(|p| &p.rates);
        let last_pct = |f: fn(&yousu_core::rates::UnitRates) -> &Rate| {
            last.map(|l| percent(f(l))).unwrap_or_default()
        };
        let row = [
            evaluation.month.clone(),
            locale.pick(&unit.name_zh, &unit.name_en).to_owned(),
            percent(&r.response),
            r.response.numerator.to_string(),
            r.response.denominator.to_string(),
            last_pct(|r| &r.response),
            percent(&r.resolution),
            r.resolution.numerator.to_string(),
            r.resolution.denominator.to_string(),
            last_pct(|r| &r.resolution),
            percent(&r.satisfaction),
            r.satisfaction.numerator.to_string(),
            r.satisfaction.denominator.to_string(),
            last_pct(|r| &r.satisfaction),
            percent(&r.on_time),
            r.on_time.numerator.to_string(),
            r.on_time.denominator.to_string(),
            r.overdue.to_string(),
            r.refused_returns.to_string(),
            if r.too_few_cases { "1" } else { "0" }.to_owned(),
        ];
        out.push_str(&row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use yousu_core::rates::{UnitCounts, UnitRates};

    fn unit(id: &str, name: &str, dispatched: u64, responded: u64) -> UnitEvaluation {
        UnitEvaluation {
            unit_id: id.into(),
            name_zh: name.into(),
            name_en: id.into(),
            rates: UnitRates::from(UnitCounts {
                dispatched,
                responded_in_time: responded,
                ..Default::default()
            }),
        }
    }

    #[test]
    fn cells_with_commas_or_quotes_are_quoted() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn each_rate_sits_beside_its_counts_and_last_month() {
        let evaluation = Evaluation {
            month: "2026-11".into(),
            min_cases: 10,
            units: vec![unit("ecology", "市生态环境局", 20, 18)],
            previous_month: vec![unit("ecology", "市生态环境局", 10, 5)],
        };
        let csv = evaluation_csv(&evaluation, Locale::Zh, &evaluation.units);
        let lines: Vec<&str> = csv.lines().collect();
        assert!(lines[0].starts_with('\u{feff}'));
        assert_eq!(lines.len(), 2);
        assert!(
            lines[1].starts_with("2026-11,市生态环境局,90.0,18,20,50.0,"),
            "{}",
            lines[1]
        );
        assert!(
            lines[1].ends_with(",0"),
            "20 dispatches are enough: {}",
            lines[1]
        );
    }
}
