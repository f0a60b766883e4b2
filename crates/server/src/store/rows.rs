//! The rows both back ends read, and their conversion into the store's records.

use chrono::{DateTime, Utc};
use yousu_core::api::EventKind;
use yousu_core::attribute::AttributeAnswers;
use yousu_core::catalog::{Catalog, CatalogItem, Category, Community, District, Grid, Subdistrict};
use yousu_core::lifecycle::Actor;
use yousu_core::rates::Satisfaction;
use yousu_core::{CaseNumber, CaseStatus, Channel, LookupCode, PhotoId, Position, TimeTier};

use super::{CaseRecord, EventRecord, Handling, Result, StoreError, StoredRating};

#[derive(sqlx::FromRow)]
pub(crate) struct NamedRow {
    pub id: String,
    pub parent_id: Option<String>,
    pub name_zh: String,
    pub name_en: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct CatalogItemRow {
    pub catalog_item_id: String,
    pub category_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit_id: String,
    pub tier: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct CaseRow {
    pub case_id: i64,
    pub case_number: String,
    pub access_token_hash: Option<String>,
    pub lookup_code: String,
    pub channel: String,
    pub status: String,
    pub category_id: String,
    pub community_id: String,
    pub description: String,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: String,
    pub anonymous: bool,
    pub hide_identity: bool,
    pub volunteer_name: Option<String>,
    pub tier: String,
    pub submitted_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub deadline_at: Option<DateTime<Utc>>,
    pub unit_id: Option<String>,
    pub catalog_item_id: Option<String>,
    pub dispatched_at: Option<DateTime<Utc>>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub reply: Option<String>,
    pub rated_at: Option<DateTime<Utc>>,
    pub rating_resolved: Option<bool>,
    pub rating_satisfaction: Option<String>,
    pub rating_comment: Option<String>,
    pub reopened: bool,
    pub merged_into: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub attributes: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct KeyRow {
    pub request_hash: String,
    pub state: String,
    pub response_status: Option<i64>,
    pub response_body: Option<String>,
}

impl KeyRow {
    pub(crate) fn reservation(self, request_hash: &str) -> super::Reservation {
        use super::Reservation;
        if self.request_hash != request_hash {
            return Reservation::Reused;
        }
        match (
            self.state.as_str(),
            self.response_status,
            self.response_body,
        ) {
            ("done", Some(status), Some(body)) => Reservation::Replay {
                status: u16::try_from(status).unwrap_or(200),
                body,
            },
            _ => Reservation::InFlight,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct EventRow {
    pub kind: String,
    pub status: String,
    pub actor: String,
    pub actor_id: Option<String>,
    pub unit_id: Option<String>,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

/// A stored position, when both halves are there.
pub(crate) fn position(latitude: Option<f64>, longitude: Option<f64>) -> Option<Position> {
    Some(Position {
        lat: latitude?,
        long: longitude?,
    })
}

/// Attribute answers as stored: a JSON object of arrays.
pub(crate) fn attributes_json(answers: &AttributeAnswers) -> String {
    serde_json::to_string(answers).expect("string maps serialise")
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {value:?}"))
}

pub(crate) fn status(value: &str) -> Result<CaseStatus> {
    CaseStatus::parse(value).ok_or_else(|| corrupt("status", value))
}

fn tier(value: &str) -> Result<TimeTier> {
    TimeTier::parse(value).ok_or_else(|| corrupt("tier", value))
}

impl CaseRow {
    pub(crate) fn into_record(
        self,
        events: Vec<EventRow>,
        photos: Vec<(String,)>,
    ) -> Result<CaseRecord> {
        Ok(CaseRecord {
            position: position(self.latitude, self.longitude),
            attributes: serde_json::from_str(&self.attributes)
                .map_err(|_| corrupt("attributes of", &self.case_number))?,
            photo_ids: photos
                .into_iter()
                .map(|(id,)| PhotoId::parse(&id).ok_or_else(|| corrupt("photo id", &id)))
                .collect::<Result<_>>()?,
            case_id: self.case_id,
            case_number: CaseNumber::parse(&self.case_number)
                .ok_or_else(|| corrupt("case number", &self.case_number))?,
            access_token_hash: self.access_token_hash,
            lookup_code: LookupCode::parse(&self.lookup_code)
                .ok_or_else(|| corrupt("lookup code of", &self.case_number))?,
            channel: Channel::parse(&self.channel)
                .ok_or_else(|| corrupt("channel", &self.channel))?,
            status: status(&self.status)?,
            category_id: self.category_id,
            community_id: self.community_id,
            description: self.description,
            address: self.address,
            contact_name: self.contact_name,
            contact_phone: self.contact_phone,
            anonymous: self.anonymous,
            hide_identity: self.hide_identity,
            volunteer_name: self.volunteer_name,
            tier: tier(&self.tier)?,
            submitted_at: self.submitted_at,
            accepted_at: self.accepted_at,
            deadline_at: self.deadline_at,
            handling: Handling {
                unit_id: self.unit_id,
                catalog_item_id: self.catalog_item_id,
                dispatched_at: self.dispatched_at,
                claimed_at: self.claimed_at,
                completed_at: self.completed_at,
                reply: self.reply,
                rating: match (
                    self.rated_at,
                    self.rating_resolved,
                    self.rating_satisfaction,
                ) {
                    (Some(rated_at), Some(resolved), Some(satisfaction)) => Some(StoredRating {
                        rated_at,
                        resolved,
                        satisfaction: Satisfaction::parse(&satisfaction)
                            .ok_or_else(|| corrupt("satisfaction", &satisfaction))?,
                        comment: self.rating_comment,
                    }),
                    _ => None,
                },
                reopened: self.reopened,
                merged_into: self.merged_into,
            },
            events: events
                .into_iter()
                .map(|e| {
                    Ok(EventRecord {
                        kind: match e.kind.as_str() {
                            "note" => EventKind::Note,
                            _ => EventKind::Transition,
                        },
                        status: status(&e.status)?,
                        actor: Actor::parse(&e.actor).ok_or_else(|| corrupt("actor", &e.actor))?,
                        actor_id: e.actor_id,
                        unit_id: e.unit_id,
                        at: e.at,
                        note: e.note,
                    })
                })
                .collect::<Result<_>>()?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct CategoryRow {
    pub category_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub attributes: String,
}

pub(crate) fn build_catalog(
    categories: Vec<CategoryRow>,
    items: Vec<CatalogItemRow>,
) -> Result<Catalog> {
    let mut categories: Vec<Category> = categories
        .into_iter()
        .map(|c| {
            Ok(Category {
                attributes: serde_json::from_str(&c.attributes)
                    .map_err(|_| corrupt("attributes of category", &c.category_id))?,
                category_id: c.category_id,
                name_zh: c.name_zh,
                name_en: c.name_en,
                items: Vec::new(),
            })
        })
        .collect::<Result<_>>()?;
    for item in items {
        let category = categories
            .iter_mut()
            .find(|c| c.category_id == item.category_id)
            .ok_or_else(|| corrupt("category of item", &item.catalog_item_id))?;
        category.items.push(CatalogItem {
            tier: tier(&item.tier)?,
            catalog_item_id: item.catalog_item_id,
            name_zh: item.name_zh,
            name_en: item.name_en,
            unit_id: item.unit_id,
        });
    }
    Ok(Catalog { categories })
}

pub(crate) fn build_grid(
    districts: Vec<NamedRow>,
    subdistricts: Vec<NamedRow>,
    communities: Vec<NamedRow>,
) -> Result<Grid> {
    let mut districts: Vec<District> = districts
        .into_iter()
        .map(|d| District {
            district_id: d.id,
            name_zh: d.name_zh,
            name_en: d.name_en,
            subdistricts: Vec::new(),
        })
        .collect();
    for s in subdistricts {
        let parent = s.parent_id.unwrap_or_default();
        districts
            .iter_mut()
            .find(|d| d.district_id == parent)
            .ok_or_else(|| corrupt("district of subdistrict", &s.id))?
            .subdistricts
            .push(Subdistrict {
                subdistrict_id: s.id,
                name_zh: s.name_zh,
                name_en: s.name_en,
                communities: Vec::new(),
            });
    }
    for c in communities {
        let parent = c.parent_id.unwrap_or_default();
        districts
            .iter_mut()
            .flat_map(|d| d.subdistricts.iter_mut())
            .find(|s| s.subdistrict_id == parent)
            .ok_or_else(|| corrupt("subdistrict of community", &c.id))?
            .communities
            .push(Community {
                community_id: c.id,
                name_zh: c.name_zh,
                name_en: c.name_en,
            });
    }
    Ok(Grid { districts })
}
