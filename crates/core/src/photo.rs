//! Photos attached to an appeal: at most nine, each at most `MAX_PHOTO_BYTES`, and a JPEG, PNG or
//! WebP by its content (the first bytes), never by its name or declared type.

use serde::{Deserialize, Serialize};

use crate::validation::FieldError;

/// A case carries at most this many photos.
pub const MAX_PHOTOS: usize = 9;

/// The largest photo accepted. The app downscales before upload (a few hundred KB); third-party
/// Open311 clients may send a camera's original.
pub const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;

/// The longest side, in pixels, of a photo the platform decodes. A 64-megapixel phone camera's
/// original (9248×6936) fits; a "decompression bomb" (a few KB that claim 100 000 × 100 000
/// pixels) does not.
pub const MAX_PHOTO_SIDE: u32 = 10_000;

/// The most pixels a photo may have (about a 48-megapixel camera's), which bounds the memory one
/// decoding takes (3 bytes a pixel: 150 MB).
pub const MAX_PHOTO_PIXELS: u64 = 50_000_000;

/// The image formats accepted, known by their signatures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PhotoKind {
    Jpeg,
    Png,
    Webp,
}

impl PhotoKind {
    /// The format the bytes really are, if one we accept.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
        }
    }

    pub fn from_content_type(text: &str) -> Option<Self> {
        [Self::Jpeg, Self::Png, Self::Webp]
            .into_iter()
            .find(|kind| kind.content_type() == text)
    }
}

/// Checks one uploaded photo; `field` names the form field or JSON member it came in.
pub fn check_photo(field: &str, bytes: &[u8]) -> Result<PhotoKind, FieldError> {
    if bytes.is_empty() {
        return Err(FieldError::new(
            field,
            "empty",
            "照片是空的，请重新选择",
            "the photo is empty; choose it again",
        ));
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(FieldError::new(
            field,
            "too_large",
            "照片不能超过10MB",
            "a photo can be at most 10 MB",
        ));
    }
    PhotoKind::sniff(bytes).ok_or_else(|| {
        FieldError::new(
            field,
            "not_a_photo",
            "只能上传JPEG、PNG或WebP格式的照片",
            "only JPEG, PNG or WebP photos can be uploaded",
        )
    })
}

/// A photo whose content does not decode (damaged, cut short, or not an image at all).
pub fn unreadable_photo(field: &str) -> FieldError {
    FieldError::new(
        field,
        "unreadable",
        "照片无法读取，可能已损坏，请重新选择",
        "the photo cannot be read; it may be damaged — choose it again",
    )
}

/// A photo with more pixels than `MAX_PHOTO_SIDE` / `MAX_PHOTO_PIXELS` allow.
pub fn oversized_photo(field: &str) -> FieldError {
    FieldError::new(
        field,
        "too_many_pixels",
        "照片像素过多（最长边不超过10000像素，总数不超过5000万像素）",
        "a photo can be at most 10 000 pixels on a side and 50 megapixels in all",
    )
}

/// The id an uploaded photo is known by: 32 lowercase hex characters, random, so photos cannot
/// be found by guessing.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, pattern = "^[0-9a-f]{32}$"))]
pub struct PhotoId(String);

impl PhotoId {
    pub fn parse(text: &str) -> Option<Self> {
        (text.len() == 32 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
            .then(|| Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PhotoId {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text).ok_or_else(|| format!("{text:?} is not a photo id"))
    }
}

impl From<PhotoId> for String {
    fn from(id: PhotoId) -> Self {
        id.0
    }
}

/// A place on the map (WGS 84), as a phone's position or an Open311 client sends it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Position {
    pub lat: f64,
    pub long: f64,
}

impl Position {
    pub fn parse(lat: f64, long: f64) -> Result<Self, FieldError> {
        if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
            return Err(FieldError::new(
                "lat",
                "out_of_range",
                "纬度应在-90到90之间",
                "latitude must be between -90 and 90",
            ));
        }
        if !(long.is_finite() && (-180.0..=180.0).contains(&long)) {
            return Err(FieldError::new(
                "long",
                "out_of_range",
                "经度应在-180到180之间",
                "longitude must be between -180 and 180",
            ));
        }
        Ok(Self { lat, long })
    }

    /// Shown publicly to about a hundred metres (3 decimals), never to the resident's door.
    pub fn coarse(self) -> Self {
        let round = |x: f64| (x * 1000.0).round() / 1000.0;
        Self {
            lat: round(self.lat),
            long: round(self.long),
        }
    }

    /// The distance to another position in metres (haversine; the city is small enough).
    pub fn metres_to(self, other: Position) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.long - self.long).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * 6_371_000.0 * a.sqrt().asin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_are_known_by_their_content_not_their_name() {
        assert_eq!(
            PhotoKind::sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]),
            Some(PhotoKind::Jpeg)
        );
        assert_eq!(
            PhotoKind::sniff(b"\x89PNG\r\n\x1a\n\0\0"),
            Some(PhotoKind::Png)
        );
        assert_eq!(
            PhotoKind::sniff(b"RIFF\x10\0\0\0WEBPVP8 "),
            Some(PhotoKind::Webp)
        );
        assert_eq!(PhotoKind::sniff(b"GIF89a"), None);
        assert_eq!(PhotoKind::sniff(b"<svg xmlns="), None);
        let error = check_photo("media", b"%PDF-1.7").unwrap_err();
        assert_eq!(
            (error.field.as_str(), error.code.as_str()),
            ("media", "not_a_photo")
        );
    }

    #[test]
    fn empty_and_oversized_photos_are_refused() {
        assert_eq!(check_photo("photo", b"").unwrap_err().code, "empty");
        let mut big = vec![0xFF, 0xD8, 0xFF];
        big.resize(MAX_PHOTO_BYTES + 1, 0);
        assert_eq!(check_photo("photo", &big).unwrap_err().code, "too_large");
        big.truncate(MAX_PHOTO_BYTES);
        assert_eq!(check_photo("photo", &big), Ok(PhotoKind::Jpeg));
    }

    #[test]
    fn photo_ids_are_32_lowercase_hex() {
        assert!(PhotoId::parse("0123456789abcdef0123456789abcdef").is_some());
        assert!(PhotoId::parse("0123456789ABCDEF0123456789ABCDEF").is_none());
        assert!(PhotoId::parse("../../etc/passwd").is_none());
        assert!(PhotoId::parse("").is_none());
    }

    #[test]
    fn positions_are_checked_and_coarsened_for_the_public() {
        assert!(Position::parse(36.6171, 101.7782).is_ok());
        assert_eq!(Position::parse(91.0, 0.0).unwrap_err().field, "lat");
        assert_eq!(Position::parse(0.0, f64::NAN).unwrap_err().field, "long");
        let coarse = Position::parse(36.61719, 101.77829).unwrap().coarse();
        assert_eq!((coarse.lat, coarse.long), (36.617, 101.778));
        let one_km_north = Position::parse(36.6261, 101.7782).unwrap();
        let d = Position::parse(36.6171, 101.7782)
            .unwrap()
            .metres_to(one_km_north);
        assert!((990.0..1010.0).contains(&d), "{d}");
    }
}
