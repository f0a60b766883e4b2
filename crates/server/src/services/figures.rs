//! The monthly evaluation of the units (评) and the public figures (宣), computed from the
//! store's counters by the core's definitions.

use std::collections::HashMap;

use yousu_core::api::{CountBy, Evaluation, Figures, UnitEvaluation};
use yousu_core::catalog::Unit;
use yousu_core::rates::{MIN_CASES_FOR_RATES, Month, Rate, UnitRates};

use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::store::figures::Grouped;

/// The month asked for (`YYYY-MM`), or the current one in the city.
pub fn month(state: &AppState, text: Option<&str>) -> AppResult<Month> {
    match text {
        None => Ok(Month::of(state.clock.now())),
        Some(text) => Month::parse(text)
            .ok_or_else(|| AppError::bad_request("invalid_month", "give the month as YYYY-MM")),
    }
}

fn month_text(month: Month) -> String {
    format!("{:04}-{:02}", month.year, month.month)
}

async fn unit_rates(
    state: &AppState,
    month: Month,
    units: &HashMap<String, Unit>,
) -> AppResult<Vec<UnitEvaluation>> {
    let counts = state
        .store
        .unit_counts(month, state.rules.policy.response_limit_hours)
        .await?;
    Ok(counts
        .into_iter()
        .map(|(unit_id, counts)| {
            let unit = units.get(&unit_id);
            UnitEvaluation {
                name_zh: unit.map(|u| u.name_zh.clone()).unwrap_or_default(),
                name_en: unit.map(|u| u.name_en.clone()).unwrap_or_default(),
                unit_id,
                rates: UnitRates::from(counts),
            }
        })
        .collect())
}

pub async fn evaluation(state: &AppState, month: Month) -> AppResult<Evaluation> {
    let units: HashMap<String, Unit> = state
        .store
        .units()
        .await?
        .units
        .into_iter()
        .map(|u| (u.unit_id.clone(), u))
        .collect();
    let (units_now, previous_month) = tokio::try_join!(
        unit_rates(state, month, &units),
        unit_rates(state, month.previous(), &units)
    )?;
    Ok(Evaluation {
        month: month_text(month),
        min_cases: MIN_CASES_FOR_RATES,
        units: units_now,
        previous_month,
    })
}

pub(crate) fn counts(rows: Grouped) -> Vec<CountBy> {
    rows.into_iter()
        .map(|(id, received, finished)| CountBy {
            id,
            received: received.max(0) as u64,
            finished: finished.max(0) as u64,
        })
        .collect()
}

pub async fn figures(state: &AppState, month: Month) -> AppResult<Figures> {
    let c = state
        .store
        .month_counts(month.start(), month.next().start())
        .await?;
    Ok(Figures {
        month: month_text(month),
        received: c.received.max(0) as u64,
        finished: c.finished.max(0) as u64,
        on_time: Rate::new(c.finished_on_time.max(0) as u64, c.finished.max(0) as u64),
        by_category: counts(c.by_category),
        by_district: counts(c.by_district),
        hot_spots: counts(c.hot_spots),
    })
}
