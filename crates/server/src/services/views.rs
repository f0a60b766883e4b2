//! How a stored case is shown: to its resident, and to staff by role (a handling unit sees the
//! phone number masked).

use yousu_core::PhoneNumber;
use yousu_core::api::{CaseView, ContactView, RatingView, StaffCaseView, StaffRole, TimelineEntry};
use yousu_core::deadline::ClockRules;

use crate::clock::Clock;
use crate::store::CaseRecord;

/// The resident's view: no contact details, no staff names.
pub fn view(record: CaseRecord, rules: &ClockRules, clock: Clock) -> CaseView {
    let nodes = record
        .accepted_at
        .map(|accepted| rules.nodes(record.tier, accepted).to_vec())
        .unwrap_or_default();
    CaseView {
        nodes,
        case_number: record.case_number,
        lookup_code: Some(record.lookup_code),
        status: record.status,
        channel: record.channel,
        category_id: record.category_id,
        community_id: record.community_id,
        description: record.description,
        address: record.address,
        photo_ids: record.photo_ids,
        tier: record.tier,
        submitted_at: record.submitted_at,
        accepted_at: record.accepted_at,
        deadline_at: record.deadline_at,
        completed_at: record.handling.completed_at,
        reply: record.handling.reply,
        rating: record.handling.rating.map(|r| RatingView {
            resolved: r.resolved,
            satisfaction: r.satisfaction,
            comment: r.comment,
            rated_at: r.rated_at,
        }),
        reopened: record.handling.reopened,
        timeline: record
            .events
            .into_iter()
            .map(|e| TimelineEntry {
                kind: e.kind,
                status: e.status,
                actor: e.actor,
                at: e.at,
                unit_id: e.unit_id,
                note: e.note,
            })
            .collect(),
        server_time: clock.now(),
    }
}

/// How much of the resident's contact a staff view shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disclosure {
    /// Lists, and handling units until they ask.
    Masked,
    /// One case opened by platform staff, or revealed to its unit: recorded by the caller.
    Full,
}

/// What a staff member sees of a case. A handling unit never sees a hidden identity.
pub fn staff_view(
    record: CaseRecord,
    role: StaffRole,
    disclosure: Disclosure,
    rules: &ClockRules,
    clock: Clock,
) -> StaffCaseView {
    let contact = if record.anonymous {
        ContactView::Anonymous
    } else if record.hide_identity && role == StaffRole::UnitHandler {
        ContactView::Hidden
    } else if disclosure == Disclosure::Full {
        ContactView::Full {
            name: record.contact_name.clone(),
            phone: record.contact_phone.clone(),
        }
    } else {
        ContactView::Masked {
            name: record.contact_name.as_deref().map(mask_name),
            phone: PhoneNumber::parse(&record.contact_phone)
                .map(|p| p.masked())
                .unwrap_or_else(|_| "***".into()),
        }
    };
    let volunteer_name = match (&record.volunteer_name, &contact) {
        (None, _) | (_, ContactView::Hidden) => None,
        (Some(name), _) if disclosure == Disclosure::Full => Some(name.clone()),
        (Some(name), _) => Some(mask_name(name)),
    };
    let unit_id = record.handling.unit_id.clone();
    let catalog_item_id = record.handling.catalog_item_id.clone();
    let hidden = matches!(contact, ContactView::Hidden);
    let mut case = view(record, rules, clock);
    // The code would let a staff member open the case as its resident: staff never see it.
    case.lookup_code = None;
    if hidden {
        // A resident who hid their identity from the unit may have written a number in the text.
        case.description = yousu_core::validation::mask_phone_numbers(&case.description);
    }
    StaffCaseView {
        case,
        unit_id,
        catalog_item_id,
        contact,
        volunteer_name,
    }
}

/// `李阿姨` → `李**`: the family name only.
fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    let first: String = chars.next().into_iter().collect();
    first + &"*".repeat(chars.count())
}
