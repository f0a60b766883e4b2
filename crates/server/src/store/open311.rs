//! What the public and Open311 clients read and write, on both back ends: the filtered list of
//! cases (`GET requests`), Open311 submission tokens, uploaded photos and API keys.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use yousu_core::{PhotoId, PhotoKind, Position};

use super::Result;

/// `GET requests`' filters, already checked. `case_numbers`, when given, overrides the rest.
#[derive(Clone, Debug, Default)]
pub struct PublicFilter {
    pub case_numbers: Vec<String>,
    pub category_ids: Vec<String>,
    pub statuses: Vec<&'static str>,
    pub submitted_from: Option<DateTime<Utc>>,
    pub submitted_to: Option<DateTime<Utc>>,
    pub updated_after: Option<DateTime<Utc>>,
    pub updated_before: Option<DateTime<Utc>>,
    pub offset: i64,
    pub limit: i64,
}

/// One case as the public may see it: nothing personal is even read.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PublicCaseRow {
    pub case_id: i64,
    pub case_number: String,
    pub channel: String,
    pub status: String,
    pub category_id: String,
    pub community_id: String,
    pub description: String,
    pub unit_id: Option<String>,
    pub reply: Option<String>,
    pub merged_into: Option<String>,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: Option<DateTime<Utc>>,
    pub deadline_at: Option<DateTime<Utc>>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub first_photo: Option<String>,
}

/// One timeline entry as the public may see it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PublicEventRow {
    pub case_id: i64,
    pub kind: String,
    pub status: String,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

/// The timelines (oldest entry first) and photos (in order) of some cases.
#[derive(Clone, Debug, Default)]
pub struct PublicExtras {
    pub events: Vec<PublicEventRow>,
    pub photos: Vec<(i64, String)>,
}

/// `$1, $2, …` for `n` values.
pub(super) fn marks(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn events_of_sql(n: usize) -> String {
    format!(
        "SELECT case_id, kind, status, at, note FROM case_event WHERE case_id IN ({}) \
         ORDER BY case_id, case_event_id",
        marks(n)
    )
}

pub(super) fn photos_of_sql(n: usize) -> String {
    format!(
        "SELECT case_id, photo_id FROM photo WHERE case_id IN ({}) ORDER BY case_id, sort_order",
        marks(n)
    )
}

/// An issued API key, without its secret.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ApiKeyRow {
    pub api_key_id: String,
    pub label: String,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A photo to keep: `uploader` is a hash of its sender's address (see `services::photos`).
pub struct NewPhoto<'a> {
    pub photo_id: &'a PhotoId,
    pub kind: PhotoKind,
    pub bytes: &'a [u8],
    pub uploader: &'a str,
    pub now: DateTime<Utc>,
}

/// What a new photo may not push past: its uploader's bytes kept after `since`, and the bytes of
/// all unattached photos together.
pub struct PhotoLimits {
    pub since: DateTime<Utc>,
    pub uploader_bytes: i64,
    pub unattached_bytes: i64,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct PhotoUsage {
    pub uploader_bytes: i64,
    pub uploader_oldest: Option<DateTime<Utc>>,
    pub unattached_bytes: i64,
}

#[async_trait]
pub trait PublicStore: Send + Sync {
    /// Cases matching the filter, newest first.
    async fn public_cases(&self, filter: &PublicFilter) -> Result<Vec<PublicCaseRow>>;

    /// The timelines and photos of a page of cases, for `extensions=true`: two queries for the
    /// page, not three for each case.
    async fn public_extras(&self, case_ids: &[i64]) -> Result<PublicExtras>;

    /// The case number an Open311 submission token stands for.
    async fn case_number_by_service_token(&self, token: &str) -> Result<Option<String>>;

    /// The communities whose centre is known.
    async fn community_positions(&self) -> Result<Vec<(String, Position)>>;

    /// Keeps a photo if it fits the limits (checked in the same statement); says whether it did.
    async fn insert_photo(&self, photo: &NewPhoto<'_>, limits: &PhotoLimits) -> Result<bool>;

    /// The bytes an uploader kept since `since` (and when the oldest of them came), and the
    /// bytes of all photos no case has taken yet.
    async fn photo_usage(&self, uploader: &str, since: DateTime<Utc>) -> Result<PhotoUsage>;

    /// A photo's content type and bytes.
    async fn photo(&self, photo_id: &PhotoId) -> Result<Option<(String, Vec<u8>)>>;

    /// Whether the photo exists and belongs to no case yet.
    async fn photo_is_unattached(&self, photo_id: &PhotoId) -> Result<bool>;

    /// Deletes photos uploaded before `before` that no submission took, and forgets who uploaded
    /// the others; says how many were deleted.
    async fn purge_unattached_photos(&self, before: DateTime<Utc>) -> Result<u64>;

    async fn insert_api_key(&self, key: &ApiKeyRow, key_hash: &str) -> Result<()>;

    /// The id of the unrevoked key with this hash.
    async fn api_key_by_hash(&self, key_hash: &str) -> Result<Option<String>>;

    /// Revokes a key; says whether it was live.
    async fn revoke_api_key(&self, api_key_id: &str, now: DateTime<Utc>) -> Result<bool>;

    async fn api_keys(&self) -> Result<Vec<ApiKeyRow>>;
}

/// A value bound to the filtered query, in order.
pub(super) enum Bind {
    Text(String),
    Time(DateTime<Utc>),
    Int(i64),
}

/// The SQL of `public_cases` for a filter, with its parameters (`$n` in both back ends).
pub(super) fn public_cases_query(filter: &PublicFilter) -> (String, Vec<Bind>) {
    let mut sql = String::from(
        "SELECT c.case_id, c.case_number, c.channel, c.status, c.category_id, c.community_id, \
         c.description, c.unit_id, c.reply, c.merged_into, c.submitted_at, c.updated_at, \
         c.deadline_at, c.latitude, c.longitude, \
         (SELECT p.photo_id FROM photo p WHERE p.case_id = c.case_id \
          ORDER BY p.sort_order LIMIT 1) AS first_photo \
         FROM \"case\" c WHERE 1 = 1",
    );
    let mut binds = Vec::new();
    let mut any_of = |sql: &mut String, column: &str, values: &[String]| {
        let marks: Vec<String> = values
            .iter()
            .map(|v| {
                binds.push(Bind::Text(v.clone()));
                format!("${}", binds.len())
            })
            .collect();
        sql.push_str(&format!(" AND {column} IN ({})", marks.join(", ")));
    };
    if !filter.case_numbers.is_empty() {
        any_of(&mut sql, "c.case_number", &filter.case_numbers);
    } else {
        if !filter.category_ids.is_empty() {
            any_of(&mut sql, "c.category_id", &filter.category_ids);
        }
        if !filter.statuses.is_empty() {
            let statuses: Vec<String> = filter.statuses.iter().map(|s| s.to_string()).collect();
            any_of(&mut sql, "c.status", &statuses);
        }
        for (column, op, value) in [
            ("c.submitted_at", ">=", filter.submitted_from),
            ("c.submitted_at", "<=", filter.submitted_to),
            ("c.updated_at", ">", filter.updated_after),
            ("c.updated_at", "<", filter.updated_before),
        ] {
            if let Some(value) = value {
                binds.push(Bind::Time(value));
                sql.push_str(&format!(" AND {column} {op} ${}", binds.len()));
            }
        }
    }
    binds.push(Bind::Int(filter.limit));
    binds.push(Bind::Int(filter.offset));
    sql.push_str(&format!(
        " ORDER BY c.submitted_at DESC, c.case_id DESC LIMIT ${} OFFSET ${}",
        binds.len() - 1,
        binds.len()
    ));
    (sql, binds)
}

pub(super) const SELECT_SERVICE_TOKEN: &str =
    "SELECT case_number FROM \"case\" WHERE service_token = $1";
/// One statement, so that on SQLite (one writer) no two uploads both squeeze past a limit; on
/// PostgreSQL two inserts at the same instant may, by at most one photo each.
pub(super) const INSERT_PHOTO: &str = "INSERT INTO photo \
     (photo_id, content_type, bytes, uploaded_at, uploader, byte_count) \
     SELECT $1, $2, $3, $4, $5, $6 \
     WHERE (SELECT COALESCE(SUM(byte_count), 0) FROM photo \
            WHERE uploader = $5 AND uploaded_at > $7) + $6 <= $8 \
       AND (SELECT COALESCE(SUM(byte_count), 0) FROM photo WHERE case_id IS NULL) + $6 <= $9";
pub(super) const UPLOADER_USAGE: &str = "SELECT CAST(COALESCE(SUM(byte_count), 0) AS BIGINT), \
     MIN(uploaded_at) FROM photo WHERE uploader = $1 AND uploaded_at > $2";
pub(super) const UNATTACHED_USAGE: &str =
    "SELECT CAST(COALESCE(SUM(byte_count), 0) AS BIGINT) FROM photo WHERE case_id IS NULL";
/// Who uploaded a photo matters only for the hour its bytes count; after a day it is forgotten.
pub(super) const FORGET_UPLOADERS: &str =
    "UPDATE photo SET uploader = NULL WHERE uploader IS NOT NULL AND uploaded_at < $1";
pub(super) const SELECT_PHOTO: &str = "SELECT content_type, bytes FROM photo WHERE photo_id = $1";
pub(super) const COUNT_UNATTACHED_PHOTO: &str =
    "SELECT COUNT(*) FROM photo WHERE photo_id = $1 AND case_id IS NULL";
pub(super) const PURGE_PHOTOS: &str =
    "DELETE FROM photo WHERE case_id IS NULL AND uploaded_at < $1";
pub(super) const INSERT_API_KEY: &str = "INSERT INTO api_key \
     (api_key_id, key_hash, label, created_by, created_at) VALUES ($1, $2, $3, $4, $5)";
pub(super) const SELECT_API_KEY: &str =
    "SELECT api_key_id FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL";
pub(super) const REVOKE_API_KEY: &str =
    "UPDATE api_key SET revoked_at = $1 WHERE api_key_id = $2 AND revoked_at IS NULL";
pub(super) const SELECT_API_KEYS: &str = "SELECT api_key_id, label, created_by, created_at, \
     revoked_at FROM api_key ORDER BY created_at, api_key_id";

macro_rules! impl_public_store {
    ($store:ident) => {
        #[async_trait::async_trait]
        impl $crate::store::open311::PublicStore for $store {
            async fn public_cases(
                &self,
                filter: &$crate::store::open311::PublicFilter,
            ) -> $crate::store::Result<Vec<$crate::store::open311::PublicCaseRow>> {
                use $crate::store::open311::{Bind, public_cases_query};
                let (sql, binds) = public_cases_query(filter);
                let mut query = sqlx::query_as(&sql);
                for bind in binds {
                    query = match bind {
                        Bind::Text(text) => query.bind(text),
                        Bind::Time(time) => query.bind(time),
                        Bind::Int(n) => query.bind(n),
                    };
                }
                Ok(query.fetch_all(&self.pool).await?)
            }

            async fn public_extras(
                &self,
                case_ids: &[i64],
            ) -> $crate::store::Result<$crate::store::open311::PublicExtras> {
                use $crate::store::open311::*;
                if case_ids.is_empty() {
                    return Ok(PublicExtras::default());
                }
                let sql = events_of_sql(case_ids.len());
                let mut events = sqlx::query_as(&sql);
                for id in case_ids {
                    events = events.bind(*id);
                }
                let sql = photos_of_sql(case_ids.len());
                let mut photos = sqlx::query_as(&sql);
                for id in case_ids {
                    photos = photos.bind(*id);
                }
                Ok(PublicExtras {
                    events: events.fetch_all(&self.pool).await?,
                    photos: photos.fetch_all(&self.pool).await?,
                })
            }

            async fn case_number_by_service_token(
                &self,
                token: &str,
            ) -> $crate::store::Result<Option<String>> {
                let row: Option<(String,)> =
                    sqlx::query_as($crate::store::open311::SELECT_SERVICE_TOKEN)
                        .bind(token)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(|(n,)| n))
            }

            async fn community_positions(
                &self,
            ) -> $crate::store::Result<Vec<(String, yousu_core::Position)>> {
                let rows: Vec<(String, f64, f64)> =
                    sqlx::query_as($crate::store::sql::SELECT_COMMUNITY_POSITIONS)
                        .fetch_all(&self.pool)
                        .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, lat, long)| (id, yousu_core::Position { lat, long }))
                    .collect())
            }

            async fn insert_photo(
                &self,
                photo: &$crate::store::open311::NewPhoto<'_>,
                limits: &$crate::store::open311::PhotoLimits,
            ) -> $crate::store::Result<bool> {
                let done = sqlx::query($crate::store::open311::INSERT_PHOTO)
                    .bind(photo.photo_id.as_str())
                    .bind(photo.kind.content_type())
                    .bind(photo.bytes)
                    .bind(photo.now)
                    .bind(photo.uploader)
                    .bind(photo.bytes.len() as i64)
                    .bind(limits.since)
                    .bind(limits.uploader_bytes)
                    .bind(limits.unattached_bytes)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn photo_usage(
                &self,
                uploader: &str,
                since: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::Result<$crate::store::open311::PhotoUsage> {
                let (uploader_bytes, uploader_oldest): (
                    i64,
                    Option<chrono::DateTime<chrono::Utc>>,
                ) = sqlx::query_as($crate::store::open311::UPLOADER_USAGE)
                    .bind(uploader)
                    .bind(since)
                    .fetch_one(&self.pool)
                    .await?;
                let (unattached_bytes,): (i64,) =
                    sqlx::query_as($crate::store::open311::UNATTACHED_USAGE)
                        .fetch_one(&self.pool)
                        .await?;
                Ok($crate::store::open311::PhotoUsage {
                    uploader_bytes,
                    uploader_oldest,
                    unattached_bytes,
                })
            }

            async fn photo(
                &self,
                photo_id: &yousu_core::PhotoId,
            ) -> $crate::store::Result<Option<(String, Vec<u8>)>> {
                Ok(sqlx::query_as($crate::store::open311::SELECT_PHOTO)
                    .bind(photo_id.as_str())
                    .fetch_optional(&self.pool)
                    .await?)
            }

            async fn photo_is_unattached(
                &self,
                photo_id: &yousu_core::PhotoId,
            ) -> $crate::store::Result<bool> {
                let (count,): (i64,) =
                    sqlx::query_as($crate::store::open311::COUNT_UNATTACHED_PHOTO)
                        .bind(photo_id.as_str())
                        .fetch_one(&self.pool)
                        .await?;
                Ok(count == 1)
            }

            async fn purge_unattached_photos(
                &self,
                before: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::Result<u64> {
                let done = sqlx::query($crate::store::open311::PURGE_PHOTOS)
                    .bind(before)
                    .execute(&self.pool)
                    .await?;
                sqlx::query($crate::store::open311::FORGET_UPLOADERS)
                    .bind(before)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected())
            }

            async fn insert_api_key(
                &self,
                key: &$crate::store::open311::ApiKeyRow,
                key_hash: &str,
            ) -> $crate::store::Result<()> {
                sqlx::query($crate::store::open311::INSERT_API_KEY)
                    .bind(&key.api_key_id)
                    .bind(key_hash)
                    .bind(&key.label)
                    .bind(&key.created_by)
                    .bind(key.created_at)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn api_key_by_hash(
                &self,
                key_hash: &str,
            ) -> $crate::store::Result<Option<String>> {
                let row: Option<(String,)> = sqlx::query_as($crate::store::open311::SELECT_API_KEY)
                    .bind(key_hash)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.map(|(id,)| id))
            }

            async fn revoke_api_key(
                &self,
                api_key_id: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::store::Result<bool> {
                let done = sqlx::query($crate::store::open311::REVOKE_API_KEY)
                    .bind(now)
                    .bind(api_key_id)
                    .execute(&self.pool)
                    .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn api_keys(
                &self,
            ) -> $crate::store::Result<Vec<$crate::store::open311::ApiKeyRow>> {
                Ok(sqlx::query_as($crate::store::open311::SELECT_API_KEYS)
                    .fetch_all(&self.pool)
                    .await?)
            }
        }
    };
}
pub(super) use impl_public_store;
