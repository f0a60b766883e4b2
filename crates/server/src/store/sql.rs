//! The SQL both back ends run, and the one implementation of `Store` over it. `impl_store!` stamps
//! that implementation onto each back end's pool type, so a query is written once and the shared
//! integration suite checks it against both databases.

pub(super) use super::rows::*;

pub(super) const COUNT_CATEGORIES: &str = "SELECT COUNT(*) FROM category";

// Reference data is upserted, so a catalogue can be loaded again with corrections.
pub(super) const INSERT_DISTRICT: &str = "INSERT INTO district \
     (district_id, name_zh, name_en, sort_order) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (district_id) DO UPDATE SET name_zh = excluded.name_zh, \
     name_en = excluded.name_en, sort_order = excluded.sort_order";
pub(super) const INSERT_SUBDISTRICT: &str = "INSERT INTO subdistrict \
     (subdistrict_id, district_id, name_zh, name_en, sort_order) VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (subdistrict_id) DO UPDATE SET district_id = excluded.district_id, \
     name_zh = excluded.name_zh, name_en = excluded.name_en, sort_order = excluded.sort_order";
pub(super) const INSERT_COMMUNITY: &str = "INSERT INTO community \
     (community_id, subdistrict_id, name_zh, name_en, sort_order, latitude, longitude) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) \
     ON CONFLICT (community_id) DO UPDATE SET subdistrict_id = excluded.subdistrict_id, \
     name_zh = excluded.name_zh, name_en = excluded.name_en, sort_order = excluded.sort_order, \
     latitude = excluded.latitude, longitude = excluded.longitude";
pub(super) const INSERT_UNIT: &str = "INSERT INTO unit (unit_id, name_zh, name_en, level) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (unit_id) DO UPDATE SET name_zh = excluded.name_zh, \
     name_en = excluded.name_en, level = excluded.level";
pub(super) const INSERT_CATEGORY: &str = "INSERT INTO category \
     (category_id, name_zh, name_en, sort_order, attributes) VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (category_id) DO UPDATE SET name_zh = excluded.name_zh, \
     name_en = excluded.name_en, sort_order = excluded.sort_order, \
     attributes = excluded.attributes";
pub(super) const INSERT_CATALOG_ITEM: &str = "INSERT INTO catalog_item \
     (catalog_item_id, category_id, name_zh, name_en, unit_id, tier, sort_order) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (catalog_item_id) DO UPDATE SET \
     category_id = excluded.category_id, name_zh = excluded.name_zh, \
     name_en = excluded.name_en, unit_id = excluded.unit_id, tier = excluded.tier, \
     sort_order = excluded.sort_order";

// Every level of the grid and the categories read into one row type, `NamedRow`.
pub(super) const SELECT_CATEGORIES: &str = "SELECT category_id, name_zh, name_en, attributes \
     FROM category ORDER BY sort_order, category_id";
pub(super) const SELECT_COMMUNITY_POSITIONS: &str = "SELECT community_id, latitude, longitude \
     FROM community WHERE latitude IS NOT NULL AND longitude IS NOT NULL";
pub(super) const SELECT_CATALOG_ITEMS: &str = "SELECT catalog_item_id, category_id, name_zh, \
     name_en, unit_id, tier FROM catalog_item WHERE retired_at IS NULL \
     ORDER BY sort_order, catalog_item_id";
pub(super) const SELECT_DISTRICTS: &str = "SELECT district_id AS id, NULL AS parent_id, name_zh, \
     name_en FROM district ORDER BY sort_order, district_id";
pub(super) const SELECT_SUBDISTRICTS: &str = "SELECT subdistrict_id AS id, district_id AS parent_id, \
     name_zh, name_en FROM subdistrict ORDER BY sort_order, subdistrict_id";
pub(super) const SELECT_COMMUNITIES: &str = "SELECT community_id AS id, subdistrict_id AS parent_id, \
     name_zh, name_en FROM community ORDER BY sort_order, community_id";

pub(super) const SELECT_UNITS: &str =
    "SELECT unit_id, name_zh, name_en, level FROM unit WHERE retired_at IS NULL ORDER BY unit_id";
pub(super) const SELECT_RETIRED_UNITS: &str = "SELECT unit_id, name_zh, name_en, level FROM unit \
     WHERE retired_at IS NOT NULL ORDER BY unit_id";

/// Takes the next serial of a day; the row lock makes concurrent takers wait their turn.
pub(super) const NEXT_SERIAL: &str = "INSERT INTO case_number_counter (day, last_serial) \
     VALUES ($1, 1) ON CONFLICT (day) DO UPDATE \
     SET last_serial = case_number_counter.last_serial + 1 RETURNING last_serial";
pub(super) const INSERT_CASE: &str = "INSERT INTO \"case\" (case_number, idempotency_key_hash, \
     lookup_code, channel, status, category_id, community_id, description, address, \
     contact_name, contact_phone, tier, submitted_at, accepted_at, deadline_at, access_token_hash, \
     anonymous, hide_identity, latitude, longitude, attributes, service_token, api_key_id, \
     volunteer_name, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
     $19, $20, $21, $22, $23, $24, $13) \
     RETURNING case_id";
/// Attaches an unattached photo to a case; a photo of another case is left alone.
pub(super) const ATTACH_PHOTO: &str = "UPDATE photo SET case_id = $1, sort_order = $2 \
     WHERE photo_id = $3 AND case_id IS NULL";
pub(super) const SELECT_PHOTO_IDS: &str =
    "SELECT photo_id FROM photo WHERE case_id = $1 ORDER BY sort_order";
pub(super) const TOUCH_CASE: &str = "UPDATE \"case\" SET updated_at = $1 WHERE case_id = $2";

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
pub(super) const PURGE_KEYS: &str = "DELETE FROM idempotency_key WHERE created_at < $1";
pub(super) const INSERT_EVENT: &str = "INSERT INTO case_event \
     (case_id, status, actor, actor_id, unit_id, at, note, kind) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

pub(super) const CASE_COLUMNS: &str = "case_id, case_number, access_token_hash, lookup_code, \
     channel, status, category_id, community_id, description, address, contact_name, \
     contact_phone, anonymous, hide_identity, volunteer_name, tier, submitted_at, accepted_at, \
     deadline_at, unit_id, catalog_item_id, \
     dispatched_at, claimed_at, completed_at, reply, rated_at, rating_resolved, \
     rating_satisfaction, rating_comment, reopened, merged_into, latitude, longitude, attributes";

pub(super) fn select_case_by(column: &str) -> String {
    format!("SELECT {CASE_COLUMNS} FROM \"case\" WHERE {column} = $1")
}

pub(super) const SELECT_EVENTS: &str = "SELECT kind, status, actor, actor_id, unit_id, at, note \
     FROM case_event \
     WHERE case_id = $1 ORDER BY case_event_id";

/// Writes one timeline entry of a case, on any executor of either back end.
macro_rules! insert_event {
    ($executor:expr, $case_id:expr, $event:expr) => {{
        let event: &$crate::store::EventInsert = $event;
        sqlx::query($crate::store::sql::INSERT_EVENT)
            .bind($case_id)
            .bind(event.status.as_str())
            .bind(event.actor.as_str())
            .bind(&event.actor_id)
            .bind(&event.unit_id)
            .bind(event.at)
            .bind(&event.note)
            .bind(event.kind.as_str())
            .execute($executor)
            .await?;
        // Open311's updated_datetime, and its updated_after / updated_before filters.
        sqlx::query($crate::store::sql::TOUCH_CASE)
            .bind(event.at)
            .bind($case_id)
            .execute($executor)
            .await?;
    }};
}
pub(super) use insert_event;

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

            async fn probe_writes(&self) -> $crate::store::Result<()> {
                self.probe_writes_now().await
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
                                .bind(c.lat)
                                .bind(c.long)
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
                        .bind(serde_json::to_string(&c.attributes).expect("attributes serialise"))
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

            async fn units(&self) -> $crate::store::Result<yousu_core::catalog::Units> {
                let mut lists = Vec::with_capacity(2);
                for sql in [
                    $crate::store::sql::SELECT_UNITS,
                    $crate::store::sql::SELECT_RETIRED_UNITS,
                ] {
                    let rows: Vec<(String, String, String, String)> =
                        sqlx::query_as(sql).fetch_all(&self.pool).await?;
                    lists.push(
                        rows.into_iter()
                            .map(
                                |(unit_id, name_zh, name_en, level)| yousu_core::catalog::Unit {
                                    unit_id,
                                    name_zh,
                                    name_en,
                                    level,
                                },
                            )
                            .collect::<Vec<_>>(),
                    );
                }
                let retired = lists.pop().unwrap_or_default();
                let units = lists.pop().unwrap_or_default();
                Ok(yousu_core::catalog::Units { units, retired })
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
                // One connection for the three reads: a case read is the commonest request.
                let mut conn = self.pool.acquire().await?;
                let row: Option<CaseRow> = sqlx::query_as(&query)
                    .bind(value)
                    .fetch_optional(&mut *conn)
                    .await?;
                let Some(row) = row else { return Ok(None) };
                let events: Vec<EventRow> = sqlx::query_as(SELECT_EVENTS)
                    .bind(row.case_id)
                    .fetch_all(&mut *conn)
                    .await?;
                let photos: Vec<(String,)> = sqlx::query_as(SELECT_PHOTO_IDS)
                    .bind(row.case_id)
                    .fetch_all(&mut *conn)
                    .await?;
                row.into_record(events, photos).map(Some)
            }
        }
    };
}
pub(super) use impl_store;
