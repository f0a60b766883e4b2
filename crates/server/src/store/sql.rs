//! The SQL both back ends run, and the one implementation of `Store` over it. `impl_store!` stamps
//! that implementation onto each back end's pool type, so a query is written once and the shared
//! integration suite checks it against both databases.

use chrono::{DateTime, Utc};
use yousu_core::catalog::{Catalog, CatalogItem, Category, Community, District, Grid, Subdistrict};
use yousu_core::{CaseNumber, CaseStatus, Channel, LookupCode, TimeTier};

use super::{CaseRecord, EventRecord, Result, StoreError};

pub(super) const COUNT_CATEGORIES: &str = "SELECT COUNT(*) FROM category";

pub(super) const INSERT_DISTRICT: &str =
    "INSERT INTO district (district_id, name_zh, name_en, sort_order) VALUES ($1, $2, $3, $4)";
pub(super) const INSERT_SUBDISTRICT: &str = "INSERT INTO subdistrict \
     (subdistrict_id, district_id, name_zh, name_en, sort_order) VALUES ($1, $2, $3, $4, $5)";
pub(super) const INSERT_COMMUNITY: &str = "INSERT INTO community \
     (community_id, subdistrict_id, name_zh, name_en, sort_order) VALUES ($1, $2, $3, $4, $5)";
pub(super) const INSERT_UNIT: &str =
    "INSERT INTO unit (unit_id, name_zh, name_en, level) VALUES ($1, $2, $3, $4)";
pub(super) const INSERT_CATEGORY: &str =
    "INSERT INTO category (category_id, name_zh, name_en, sort_order) VALUES ($1, $2, $3, $4)";
pub(super) const INSERT_CATALOG_ITEM: &str = "INSERT INTO catalog_item \
     (catalog_item_id, category_id, name_zh, name_en, unit_id, tier, sort_order) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

// Every level of the grid and the categories read into one row type, `NamedRow`.
pub(super) const SELECT_CATEGORIES: &str = "SELECT category_id AS id, NULL AS parent_id, name_zh, \
     name_en FROM category ORDER BY sort_order, category_id";
pub(super) const SELECT_CATALOG_ITEMS: &str = "SELECT catalog_item_id, category_id, name_zh, \
     name_en, unit_id, tier FROM catalog_item ORDER BY sort_order, catalog_item_id";
pub(super) const SELECT_DISTRICTS: &str = "SELECT district_id AS id, NULL AS parent_id, name_zh, \
     name_en FROM district ORDER BY sort_order, district_id";
pub(super) const SELECT_SUBDISTRICTS: &str = "SELECT subdistrict_id AS id, district_id AS parent_id, \
     name_zh, name_en FROM subdistrict ORDER BY sort_order, subdistrict_id";
pub(super) const SELECT_COMMUNITIES: &str = "SELECT community_id AS id, subdistrict_id AS parent_id, \
     name_zh, name_en FROM community ORDER BY sort_order, community_id";

/// Takes the next serial of a day; the row lock makes concurrent takers wait their turn.
pub(super) const NEXT_SERIAL: &str = "INSERT INTO case_number_counter (day, last_serial) \
     VALUES ($1, 1) ON CONFLICT (day) DO UPDATE \
     SET last_serial = case_number_counter.last_serial + 1 RETURNING last_serial";
pub(super) const INSERT_CASE: &str = "INSERT INTO \"case\" (case_number, idempotency_key_hash, \
     lookup_code, channel, status, category_id, community_id, description, address, \
     contact_name, contact_phone, tier, submitted_at, accepted_at, deadline_at, access_token_hash) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
     RETURNING case_id";

pub(super) const RESERVE_KEY: &str = "INSERT INTO idempotency_key \
     (key_hash, request_hash, state, created_at) VALUES ($1, $2, 'in_flight', $3) \
     ON CONFLICT (key_hash) DO NOTHING";
pub(super) const SELECT_KEY: &str = "SELECT request_hash, state, response_status, response_body \
     FROM idempotency_key WHERE key_hash = $1";
/// Only one of several racing retries can move a stale reservation's time forward.
pub(super) const TAKE_OVER_KEY: &str = "UPDATE idempotency_key SET created_at = $1 \
     WHERE key_hash = $2 AND state = 'in_flight' AND created_at < $3";
pub(super) const FINISH_KEY: &str = "UPDATE idempotency_key \
     SET state = 'done', response_status = $1, response_body = $2 WHERE key_hash = $3";
pub(super) const RELEASE_KEY: &str =
    "DELETE FROM idempotency_key WHERE key_hash = $1 AND state = 'in_flight'";
pub(super) const PURGE_KEYS: &str = "DELETE FROM idempotency_key WHERE created_at < $1";
pub(super) const INSERT_EVENT: &str =
    "INSERT INTO case_event (case_id, status, actor, at, note) VALUES ($1, $2, $3, $4, $5)";

const CASE_COLUMNS: &str = "case_id, case_number, access_token_hash, lookup_code, channel, \
     status, category_id, community_id, description, address, contact_name, contact_phone, tier, \
     submitted_at, accepted_at, deadline_at";

pub(super) fn select_case_by(column: &str) -> String {
    format!("SELECT {CASE_COLUMNS} FROM \"case\" WHERE {column} = $1")
}

pub(super) const SELECT_EVENTS: &str = "SELECT status, actor, at, note FROM case_event \
     WHERE case_id = $1 ORDER BY case_event_id";

#[derive(sqlx::FromRow)]
pub(super) struct NamedRow {
    pub id: String,
    pub parent_id: Option<String>,
    pub name_zh: String,
    pub name_en: String,
}

#[derive(sqlx::FromRow)]
pub(super) struct CatalogItemRow {
    pub catalog_item_id: String,
    pub category_id: String,
    pub name_zh: String,
    pub name_en: String,
    pub unit_id: String,
    pub tier: String,
}

#[derive(sqlx::FromRow)]
pub(super) struct CaseRow {
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
    pub tier: String,
    pub submitted_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub deadline_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
pub(super) struct KeyRow {
    pub request_hash: String,
    pub state: String,
    pub response_status: Option<i64>,
    pub response_body: Option<String>,
}

impl KeyRow {
    pub(super) fn reservation(self, request_hash: &str) -> super::Reservation {
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
pub(super) struct EventRow {
    pub status: String,
    pub actor: String,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {value:?}"))
}

fn status(value: &str) -> Result<CaseStatus> {
    CaseStatus::parse(value).ok_or_else(|| corrupt("status", value))
}

fn tier(value: &str) -> Result<TimeTier> {
    TimeTier::parse(value).ok_or_else(|| corrupt("tier", value))
}

impl CaseRow {
    pub(super) fn into_record(self, events: Vec<EventRow>) -> Result<CaseRecord> {
        Ok(CaseRecord {
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
            tier: tier(&self.tier)?,
            submitted_at: self.submitted_at,
            accepted_at: self.accepted_at,
            deadline_at: self.deadline_at,
            events: events
                .into_iter()
                .map(|e| {
                    Ok(EventRecord {
                        status: status(&e.status)?,
                        actor: e.actor,
                        at: e.at,
                        note: e.note,
                    })
                })
                .collect::<Result<_>>()?,
        })
    }
}

pub(super) fn build_catalog(
    categories: Vec<NamedRow>,
    items: Vec<CatalogItemRow>,
) -> Result<Catalog> {
    let mut categories: Vec<Category> = categories
        .into_iter()
        .map(|c| Category {
            category_id: c.id,
            name_zh: c.name_zh,
            name_en: c.name_en,
            items: Vec::new(),
        })
        .collect();
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

pub(super) fn build_grid(
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

macro_rules! impl_store {
    ($store:ident, $backend:literal) => {
        #[async_trait::async_trait]
        impl $crate::store::Store for $store {
            fn backend(&self) -> &'static str {
                $backend
            }

            async fn ping(&self) -> $crate::store::Result<()> {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            async fn is_empty(&self) -> $crate::store::Result<bool> {
                let (count,): (i64,) = sqlx::query_as($crate::store::sql::COUNT_CATEGORIES)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(count == 0)
            }

            async fn load_reference(
                &self,
                data: &$crate::demo::DemoData,
            ) -> $crate::store::Result<()> {
                use $crate::store::sql::*;
                let mut tx = self.pool.begin().await?;
                for (d_order, d) in data.districts.iter().enumerate() {
                    sqlx::query(INSERT_DISTRICT)
                        .bind(&d.id)
                        .bind(&d.name_zh)
                        .bind(&d.name_en)
                        .bind(d_order as i64)
                        .execute(&mut *tx)
                        .await?;
                    for (s_order, s) in d.subdistricts.iter().enumerate() {
                        sqlx::query(INSERT_SUBDISTRICT)
                            .bind(&s.id)
                            .bind(&d.id)
                            .bind(&s.name_zh)
                            .bind(&s.name_en)
                            .bind(s_order as i64)
                            .execute(&mut *tx)
                            .await?;
                        for (c_order, c) in s.communities.iter().enumerate() {
                            sqlx::query(INSERT_COMMUNITY)
                                .bind(&c.id)
                                .bind(&s.id)
                                .bind(&c.name_zh)
                                .bind(&c.name_en)
                                .bind(c_order as i64)
                                .execute(&mut *tx)
                                .await?;
                        }
                    }
                }
                for u in &data.units {
                    sqlx::query(INSERT_UNIT)
                        .bind(&u.id)
                        .bind(&u.name_zh)
                        .bind(&u.name_en)
                        .bind(&u.level)
                        .execute(&mut *tx)
                        .await?;
                }
                for (c_order, c) in data.categories.iter().enumerate() {
                    sqlx::query(INSERT_CATEGORY)
                        .bind(&c.id)
                        .bind(&c.name_zh)
                        .bind(&c.name_en)
                        .bind(c_order as i64)
                        .execute(&mut *tx)
                        .await?;
                    for (i_order, i) in c.items.iter().enumerate() {
                        sqlx::query(INSERT_CATALOG_ITEM)
                            .bind(&i.id)
                            .bind(&c.id)
                            .bind(&i.name_zh)
                            .bind(&i.name_en)
                            .bind(&i.unit_id)
                            .bind(i.tier.as_str())
                            .bind(i_order as i64)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                tx.commit().await?;
                Ok(())
            }

            async fn catalog(&self) -> $crate::store::Result<yousu_core::catalog::Catalog> {
                use $crate::store::sql::*;
                let categories = sqlx::query_as(SELECT_CATEGORIES)
                    .fetch_all(&self.pool)
                    .await?;
                let items = sqlx::query_as(SELECT_CATALOG_ITEMS)
                    .fetch_all(&self.pool)
                    .await?;
                build_catalog(categories, items)
            }

            async fn grid(&self) -> $crate::store::Result<yousu_core::catalog::Grid> {
                use $crate::store::sql::*;
                let districts = sqlx::query_as(SELECT_DISTRICTS)
                    .fetch_all(&self.pool)
                    .await?;
                let subdistricts = sqlx::query_as(SELECT_SUBDISTRICTS)
                    .fetch_all(&self.pool)
                    .await?;
                let communities = sqlx::query_as(SELECT_COMMUNITIES)
                    .fetch_all(&self.pool)
                    .await?;
                build_grid(districts, subdistricts, communities)
            }

            async fn reserve_key(
                &self,
                key_hash: &str,
                request_hash: &str,
                now: chrono::DateTime<chrono::Utc>,
                stale_before: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::Result<$crate::store::Reservation> {
                use $crate::store::Reservation;
                use $crate::store::sql::*;
                let reserved = sqlx::query(RESERVE_KEY)
                    .bind(key_hash)
                    .bind(request_hash)
                    .bind(now)
                    .execute(&self.pool)
                    .await?;
                if reserved.rows_affected() == 1 {
                    return Ok(Reservation::Reserved);
                }
                let Some(row): Option<KeyRow> = sqlx::query_as(SELECT_KEY)
                    .bind(key_hash)
                    .fetch_optional(&self.pool)
                    .await?
                else {
                    // Purged between the two statements: a new key in effect; try once more.
                    return Ok(Reservation::InFlight);
                };
                let reservation = row.reservation(request_hash);
                if reservation != Reservation::InFlight {
                    return Ok(reservation);
                }
                let taken = sqlx::query(TAKE_OVER_KEY)
                    .bind(now)
                    .bind(key_hash)
                    .bind(stale_before)
                    .execute(&self.pool)
                    .await?;
                Ok(if taken.rows_affected() == 1 {
                    Reservation::Reserved
                } else {
                    Reservation::InFlight
                })
            }

            async fn release_key(&self, key_hash: &str) -> $crate::store::Result<()> {
                sqlx::query($crate::store::sql::RELEASE_KEY)
                    .bind(key_hash)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn purge_keys(
                &self,
                before: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::Result<u64> {
                let purged = sqlx::query($crate::store::sql::PURGE_KEYS)
                    .bind(before)
                    .execute(&self.pool)
                    .await?;
                Ok(purged.rows_affected())
            }

            async fn insert_case(
                &self,
                case: &$crate::store::CaseInsert,
                answer: &$crate::store::RenderAnswer<'_>,
            ) -> $crate::store::Result<(yousu_core::CaseNumber, $crate::store::Answer)> {
                use $crate::store::sql::*;
                use $crate::store::{CaseRecord, StoreError};
                let mut tx = self.pool.begin().await?;
                let (serial,): (i64,) = sqlx::query_as(NEXT_SERIAL)
                    .bind(case.number_day)
                    .fetch_one(&mut *tx)
                    .await?;
                let case_number = u32::try_from(serial)
                    .ok()
                    .and_then(|serial| yousu_core::CaseNumber::new(case.number_day, serial))
                    .ok_or(StoreError::SerialsExhausted(case.number_day))?;
                let (case_id,): (i64,) = sqlx::query_as(INSERT_CASE)
                    .bind(case_number.as_str())
                    .bind(&case.idempotency_key_hash)
                    .bind(case.lookup_code.as_str())
                    .bind(case.channel.as_str())
                    .bind(case.status.as_str())
                    .bind(&case.category_id)
                    .bind(&case.community_id)
                    .bind(&case.description)
                    .bind(&case.address)
                    .bind(&case.contact_name)
                    .bind(&case.contact_phone)
                    .bind(case.tier.as_str())
                    .bind(case.submitted_at)
                    .bind(case.accepted_at)
                    .bind(case.deadline_at)
                    .bind(&case.access_token_hash)
                    .fetch_one(&mut *tx)
                    .await?;
                for event in &case.events {
                    sqlx::query(INSERT_EVENT)
                        .bind(case_id)
                        .bind(event.status.as_str())
                        .bind(&event.actor)
                        .bind(event.at)
                        .bind(&event.note)
                        .execute(&mut *tx)
                        .await?;
                }
                let (status, body) =
                    answer(&CaseRecord::written(case, case_id, case_number.clone()));
                sqlx::query(FINISH_KEY)
                    .bind(i64::from(status))
                    .bind(&body)
                    .bind(&case.idempotency_key_hash)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok((case_number, (status, body)))
            }

            async fn case_by_number(
                &self,
                case_number: &yousu_core::CaseNumber,
            ) -> $crate::store::Result<Option<$crate::store::CaseRecord>> {
                self.case_by("case_number", case_number.as_str()).await
            }
        }

        impl $store {
            /// The case whose text `column` equals `value`.
            async fn case_by(
                &self,
                column: &'static str,
                value: &str,
            ) -> $crate::store::Result<Option<$crate::store::CaseRecord>> {
                use $crate::store::sql::*;
                let query = select_case_by(column);
                let row: Option<CaseRow> = sqlx::query_as(&query)
                    .bind(value)
                    .fetch_optional(&self.pool)
                    .await?;
                let Some(row) = row else { return Ok(None) };
                let events: Vec<EventRow> = sqlx::query_as(SELECT_EVENTS)
                    .bind(row.case_id)
                    .fetch_all(&self.pool)
                    .await?;
                row.into_record(events).map(Some)
            }
        }
    };
}
pub(super) use impl_store;
