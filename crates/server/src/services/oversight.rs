//! 督 beyond the clocks: a supervisor's notice (督办单) that the case's unit must acknowledge,
//! and a subdistrict's whistle (吹哨) summoning departments to one case, each to report (报到).

use axum::http::StatusCode;
use chrono::Duration;
use yousu_core::FieldError;
use yousu_core::api::{
    NoteRequest, NoticeList, NoticeRequest, NoticeView, StaffRole, WhistleList, WhistleReport,
    WhistleRequest, WhistleView,
};
use yousu_core::{CaseNumber, CaseStatus};

use crate::app::AppState;
use crate::auth::StaffSession;
use crate::dispatching::is_open;
use crate::error::{AppError, AppResult};
use crate::services::handling::{note, staff_case};
use crate::store::oversight::{NewWhistle, NoticeRow, OversightFilter, ReportRow, WhistleRow};

/// The longest a whistle may give the summoned units, and the most it may summon.
const MAX_LIMIT_HOURS: u32 = 7 * 24;
const MAX_SUMMONED: usize = 10;

fn notice_view(row: NoticeRow) -> AppResult<NoticeView> {
    Ok(NoticeView {
        notice_id: row.notice_id,
        case_number: parse_number(&row.case_number)?,
        unit_id: row.unit_id,
        note: row.note,
        issued_by: row.issued_by,
        issued_at: row.issued_at,
        acknowledged_by: row.acknowledged_by,
        acknowledged_at: row.acknowledged_at,
    })
}

fn whistle_view((row, reports): (WhistleRow, Vec<ReportRow>)) -> AppResult<WhistleView> {
    Ok(WhistleView {
        whistle_id: row.whistle_id,
        case_number: parse_number(&row.case_number)?,
        subdistrict_id: row.subdistrict_id,
        note: row.note,
        blown_by: row.blown_by,
        blown_at: row.blown_at,
        report_by: row.report_by,
        reports: reports
            .into_iter()
            .map(|r| WhistleReport {
                unit_id: r.unit_id,
                reported_at: r.reported_at,
                reported_by: r.reported_by,
                note: r.note,
            })
            .collect(),
    })
}

fn parse_number(text: &str) -> AppResult<CaseNumber> {
    CaseNumber::parse(text).ok_or_else(|| {
        AppError::Store(crate::store::StoreError::Corrupt(format!(
            "case number {text:?}"
        )))
    })
}

fn not_open(status: CaseStatus) -> AppError {
    AppError::client(
        StatusCode::CONFLICT,
        "case_not_open",
        format!("the case is {status}: there is nothing left to supervise"),
    )
}

/// A supervisor orders the case's unit, in writing, to act.
pub async fn issue_notice(
    state: &AppState,
    session: &StaffSession,
    case_number: &str,
    request: NoticeRequest,
) -> AppResult<NoticeView> {
    session.require(&[StaffRole::Supervisor, StaffRole::Admin])?;
    let text = note("note", &request.note, true)?.unwrap_or_default();
    let record = staff_case(state, session, case_number).await?;
    if !is_open(record.status) {
        return Err(not_open(record.status));
    }
    let unit = record.handling.unit_id.clone().ok_or_else(|| {
        AppError::client(
            StatusCode::CONFLICT,
            "not_dispatched",
            "the case has no unit yet: dispatch it first",
        )
    })?;
    let who = &session.account.staff_account_id;
    let now = state.clock.now();
    let id = state
        .store
        .insert_notice(record.case_id, &unit, &text, who, now)
        .await?;
    notice_view(NoticeRow {
        notice_id: id,
        case_number: record.case_number.to_string(),
        unit_id: unit,
        note: text,
        issued_by: who.clone(),
        issued_at: now,
        acknowledged_by: None,
        acknowledged_at: None,
    })
}

/// The unit's handler acknowledges a notice to their unit, once.
pub async fn acknowledge_notice(
    state: &AppState,
    session: &StaffSession,
    notice_id: i64,
) -> AppResult<NoticeView> {
    session.require(&[StaffRole::UnitHandler])?;
    let unit = session.account.unit_id.clone();
    let filter = OversightFilter {
        unit_id: unit.clone(),
        ..OversightFilter::default()
    };
    let notice = state
        .store
        .notices(&filter)
        .await?
        .into_iter()
        .find(|n| n.notice_id == notice_id)
        .ok_or(AppError::NotFound("notice to your unit"))?;
    if notice.acknowledged_at.is_some() {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "already_acknowledged",
            "this notice was acknowledged already",
        ));
    }
    let now = state.clock.now();
    let who = session.account.staff_account_id.clone();
    if !state.store.acknowledge_notice(notice_id, &who, now).await? {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "already_acknowledged",
            "this notice was acknowledged already",
        ));
    }
    notice_view(NoticeRow {
        acknowledged_by: Some(who),
        acknowledged_at: Some(now),
        ..notice
    })
}

/// Supervisors and admins see every notice; a unit handler their unit's.
pub async fn notices(
    state: &AppState,
    session: &StaffSession,
    pending_only: bool,
) -> AppResult<NoticeList> {
    let unit_id = match session.account.role {
        StaffRole::Supervisor | StaffRole::Admin => None,
        StaffRole::UnitHandler => session.account.unit_id.clone(),
        _ => {
            session.require(&[
                StaffRole::Supervisor,
                StaffRole::Admin,
                StaffRole::UnitHandler,
            ])?;
            None
        }
    };
    let filter = OversightFilter {
        unit_id,
        pending_only,
        ..OversightFilter::default()
    };
    let notices = state.store.notices(&filter).await?;
    Ok(NoticeList {
        notices: notices
            .into_iter()
            .map(notice_view)
            .collect::<AppResult<_>>()?,
    })
}

/// A subdistrict summons departments to a case; each must report within the limit.
pub async fn blow_whistle(
    state: &AppState,
    session: &StaffSession,
    case_number: &str,
    request: WhistleRequest,
) -> AppResult<WhistleView> {
    session.require(&[
        StaffRole::Dispatcher,
        StaffRole::Supervisor,
        StaffRole::Admin,
    ])?;
    let mut errors = Vec::new();
    let in_grid = state
        .reference
        .grid
        .districts
        .iter()
        .flat_map(|d| &d.subdistricts)
        .any(|s| s.subdistrict_id == request.subdistrict_id);
    if !in_grid {
        errors.push(FieldError::new(
            "subdistrict_id",
            "unknown",
            "该街道不存在",
            "this subdistrict does not exist",
        ));
    }
    let mut units: Vec<String> = Vec::new();
    for unit in &request.unit_ids {
        if !state.reference.has_unit(unit) {
            errors.push(FieldError::new(
                "unit_ids",
                "unknown",
                "有单位不存在",
                "a unit does not exist",
            ));
        } else if !units.contains(unit) {
            units.push(unit.clone());
        }
    }
    if units.is_empty() || units.len() > MAX_SUMMONED {
        errors.push(FieldError::new(
            "unit_ids",
            "count",
            "请召集1到10个单位",
            "summon 1 to 10 units",
        ));
    }
    let hours = request.limit_hours.unwrap_or(24);
    if !(1..=MAX_LIMIT_HOURS).contains(&hours) {
        errors.push(FieldError::new(
            "limit_hours",
            "out_of_range",
            "报到时限为1到168小时",
            "the limit to report is 1 to 168 hours",
        ));
    }
    let text = note("note", &request.note, true);
    if let Err(AppError::Invalid(fields)) = &text {
        errors.extend(fields.iter().cloned());
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let text = text?.unwrap_or_default();
    let record = staff_case(state, session, case_number).await?;
    if !is_open(record.status) {
        return Err(not_open(record.status));
    }
    let now = state.clock.now();
    let whistle = NewWhistle {
        case_id: record.case_id,
        subdistrict_id: request.subdistrict_id,
        note: text,
        blown_by: session.account.staff_account_id.clone(),
        blown_at: now,
        report_by: now + Duration::hours(i64::from(hours)),
        unit_ids: units,
    };
    let id = state.store.insert_whistle(&whistle).await?;
    let reports = whistle
        .unit_ids
        .iter()
        .map(|unit| ReportRow {
            whistle_id: id,
            unit_id: unit.clone(),
            reported_by: None,
            reported_at: None,
            note: None,
        })
        .collect();
    whistle_view((
        WhistleRow {
            whistle_id: id,
            case_number: record.case_number.to_string(),
            subdistrict_id: whistle.subdistrict_id,
            note: whistle.note,
            blown_by: whistle.blown_by,
            blown_at: now,
            report_by: whistle.report_by,
        },
        reports,
    ))
}

/// A summoned unit's handler reports, once, stating the unit's part.
pub async fn report(
    state: &AppState,
    session: &StaffSession,
    whistle_id: i64,
    body: NoteRequest,
) -> AppResult<WhistleView> {
    session.require(&[StaffRole::UnitHandler])?;
    let text = note("note", &body.note, true)?.unwrap_or_default();
    let unit = session.account.unit_id.clone().unwrap_or_default();
    let find = |whistles: Vec<(WhistleRow, Vec<ReportRow>)>| {
        whistles
            .into_iter()
            .find(|(w, _)| w.whistle_id == whistle_id)
    };
    let filter = OversightFilter {
        unit_id: Some(unit.clone()),
        ..OversightFilter::default()
    };
    find(state.store.whistles(&filter).await?)
        .ok_or(AppError::NotFound("whistle summoning your unit"))?;
    let now = state.clock.now();
    let who = &session.account.staff_account_id;
    if !state
        .store
        .report_whistle(whistle_id, &unit, who, now, &text)
        .await?
    {
        return Err(AppError::client(
            StatusCode::CONFLICT,
            "already_reported",
            "your unit has reported on this whistle already",
        ));
    }
    let whistle =
        find(state.store.whistles(&filter).await?).ok_or(AppError::NotFound("whistle"))?;
    whistle_view(whistle)
}

/// Whistles on one case (any staff role that may open the case), or, without a case, those
/// summoning the handler's unit (platform roles: every whistle still waiting for a report).
pub async fn whistles(
    state: &AppState,
    session: &StaffSession,
    case_number: Option<&str>,
) -> AppResult<WhistleList> {
    let mut filter = OversightFilter::default();
    match case_number {
        Some(number) => filter.case_id = Some(staff_case(state, session, number).await?.case_id),
        None if session.account.role == StaffRole::UnitHandler => {
            filter.unit_id = session.account.unit_id.clone();
        }
        None => {
            session.require(&[
                StaffRole::Dispatcher,
                StaffRole::Supervisor,
                StaffRole::Admin,
            ])?;
            filter.pending_only = true;
        }
    }
    let whistles = state.store.whistles(&filter).await?;
    Ok(WhistleList {
        whistles: whistles
            .into_iter()
            .map(whistle_view)
            .collect::<AppResult<_>>()?,
    })
}
