//! Re-encoding an uploaded photo: decoded within size limits, turned upright by its EXIF
//! orientation, and encoded afresh from its pixels alone — so nothing the camera wrote beside the
//! picture (EXIF with the GPS position, maker notes, XMP, comments, ICC profiles) is kept, and a
//! file that is not really a whole image is refused.
//!
//! JPEG stays JPEG (quality 85; the phone sends 0.82) and PNG stays PNG (screenshots stay sharp);
//! WebP becomes JPEG, as the `image` crate encodes WebP losslessly only, which would make a photo
//! several times larger.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use yousu_core::PhotoKind;
use yousu_core::photo::{MAX_PHOTO_PIXELS, MAX_PHOTO_SIDE};

/// The quality of a re-encoded JPEG: a little above the app's 0.82, so a second generation loses
/// nothing visible. The kept photo is about the size of the one sent (a 1600×1200 photo sent at
/// 0.82: 549 KB in, 562 KB kept).
const JPEG_QUALITY: u8 = 85;

/// A photo as it is kept.
#[derive(Debug)]
pub struct Reencoded {
    pub kind: PhotoKind,
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("the photo does not decode")]
    Unreadable,
    #[error("the photo has too many pixels")]
    TooManyPixels,
}

/// Decodes `bytes` (whose signature said `kind`) and encodes the picture again, upright.
pub fn reencode(kind: PhotoKind, bytes: &[u8]) -> Result<Reencoded, Error> {
    let format = match kind {
        PhotoKind::Jpeg => ImageFormat::Jpeg,
        PhotoKind::Png => ImageFormat::Png,
        PhotoKind::Webp => ImageFormat::WebP,
    };
    // The JPEG decoder fills in what is missing from a file cut short (an upload broken off)
    // and calls it decoded: a JPEG must end its image data with the end marker.
    if kind == PhotoKind::Jpeg && !jpeg_is_whole(bytes) {
        return Err(Error::Unreadable);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_PHOTO_SIDE);
    limits.max_image_height = Some(MAX_PHOTO_SIDE);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(refusal)?;
    let (width, height) = decoder.dimensions();
    if width > MAX_PHOTO_SIDE
        || height > MAX_PHOTO_SIDE
        || u64::from(width) * u64::from(height) > MAX_PHOTO_PIXELS
    {
        return Err(Error::TooManyPixels);
    }
    // Unreadable EXIF is no reason to refuse the picture: it is then shown as stored.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).map_err(refusal)?;
    picture.apply_orientation(orientation);

    let (width, height) = (picture.width(), picture.height());
    let mut out = Vec::with_capacity(bytes.len());
    let kind = match kind {
        PhotoKind::Png => {
            PngEncoder::new_with_quality(&mut out, CompressionType::Default, FilterType::Adaptive)
                .write_image_from(&picture)?;
            PhotoKind::Png
        }
        PhotoKind::Jpeg | PhotoKind::Webp => {
            let picture = match picture {
                DynamicImage::ImageLuma8(_) | DynamicImage::ImageRgb8(_) => picture,
                // JPEG has no transparency: a white ground, as the app's canvas draws one.
                other if other.color().has_alpha() => DynamicImage::ImageRgb8(on_white(&other)),
                other => DynamicImage::ImageRgb8(other.into_rgb8()),
            };
            JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY).write_image_from(&picture)?;
            PhotoKind::Jpeg
        }
    };
    Ok(Reencoded {
        kind,
        bytes: out,
        width,
        height,
    })
}

/// Writing one whole picture to an encoder.
trait WriteImage {
    fn write_image_from(self, picture: &DynamicImage) -> Result<(), Error>;
}

impl<E: image::ImageEncoder> WriteImage for E {
    fn write_image_from(self, picture: &DynamicImage) -> Result<(), Error> {
        // Encoding into memory fails only for a colour type the encoder lacks, which the
        // conversions above rule out; should it happen, the photo is refused, not the server.
        self.write_image(
            picture.as_bytes(),
            picture.width(),
            picture.height(),
            picture.color().into(),
        )
        .map_err(|_| Error::Unreadable)
    }
}

fn on_white(picture: &DynamicImage) -> image::RgbImage {
    let rgba = picture.to_rgba8();
    image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        image::Rgb([over(r), over(g), over(b)])
    })
}

/// Whether a JPEG's segments and image data run to its end marker (EOI). Whatever follows the
/// marker (some phones append a video) is no concern here: only the picture is kept.
fn jpeg_is_whole(bytes: &[u8]) -> bool {
    let mut at = 2; // past SOI, which `PhotoKind::sniff` saw
    loop {
        if bytes.get(at) != Some(&0xFF) {
            return false;
        }
        while bytes.get(at) == Some(&0xFF) {
            at += 1; // a marker may be preceded by fill bytes
        }
        let Some(&marker) = bytes.get(at) else {
            return false;
        };
        at += 1;
        match marker {
            0xD9 => return true,
            // Markers that stand alone, without a length.
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let Some(length) = bytes.get(at..at + 2) else {
            return false;
        };
        let length = usize::from(u16::from_be_bytes([length[0], length[1]]));
        if length < 2 {
            return false;
        }
        at += length;
        if marker == 0xDA {
            // Entropy-coded data runs to the next marker: 0xFF followed by neither a stuffed
            // zero, a restart marker nor another fill byte.
            loop {
                match bytes.get(at..at + 2) {
                    None => return false,
                    Some([0xFF, next]) if !matches!(next, 0x00 | 0xD0..=0xD7 | 0xFF) => break,
                    Some(_) => at += 1,
                }
            }
        }
    }
}

fn refusal(error: image::ImageError) -> Error {
    match error {
        image::ImageError::Limits(_) => Error::TooManyPixels,
        _ => Error::Unreadable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let pixels = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x * 3) as u8, (y * 5) as u8, 128])
        });
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&pixels)
            .unwrap();
        out
    }

    /// `jpeg` with an EXIF segment holding only an orientation tag.
    fn with_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
        let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
        tiff.extend(1u16.to_be_bytes());
        tiff.extend(0x0112u16.to_be_bytes());
        tiff.extend(3u16.to_be_bytes());
        tiff.extend(1u32.to_be_bytes());
        tiff.extend(orientation.to_be_bytes());
        tiff.extend([0, 0, 0, 0, 0, 0]);
        let mut out = jpeg[..2].to_vec();
        out.extend([0xFF, 0xE1]);
        out.extend(((2 + 6 + tiff.len()) as u16).to_be_bytes());
        out.extend(b"Exif\0\0");
        out.extend(tiff);
        out.extend(&jpeg[2..]);
        out
    }

    #[test]
    fn a_photo_taken_sideways_is_kept_upright_without_its_exif() {
        let sideways = with_orientation(&jpeg(64, 48), 6);
        let kept = reencode(PhotoKind::Jpeg, &sideways).unwrap();
        assert_eq!((kept.width, kept.height), (48, 64), "turned a quarter");
        let decoded = image::load_from_memory(&kept.bytes).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (48, 64));
        assert!(!kept.bytes.windows(6).any(|w| w == b"Exif\0\0"));
        let upright = reencode(PhotoKind::Jpeg, &with_orientation(&jpeg(64, 48), 1)).unwrap();
        assert_eq!((upright.width, upright.height), (64, 48));
    }

    #[test]
    fn a_cut_short_or_false_photo_is_unreadable() {
        let whole = jpeg(64, 48);
        assert_eq!(
            reencode(PhotoKind::Jpeg, &whole[..whole.len() / 2]).unwrap_err(),
            Error::Unreadable
        );
        assert_eq!(
            reencode(PhotoKind::Png, b"\x89PNG\r\n\x1a\n0000").unwrap_err(),
            Error::Unreadable
        );
        assert_eq!(
            reencode(PhotoKind::Jpeg, &whole).unwrap().kind,
            PhotoKind::Jpeg
        );
    }

    #[test]
    fn a_jpeg_is_whole_only_up_to_its_end_marker() {
        let whole = jpeg(320, 240);
        assert!(jpeg_is_whole(&whole));
        let mut with_trailer = whole.clone();
        with_trailer.extend(b"a motion photo's video");
        assert!(jpeg_is_whole(&with_trailer));
        for cut in [4, 100, whole.len() / 2, whole.len() - 2, whole.len() - 1] {
            assert!(!jpeg_is_whole(&whole[..cut]), "cut at {cut}");
        }
        assert_eq!(
            reencode(PhotoKind::Jpeg, &whole[..whole.len() / 2]).unwrap_err(),
            Error::Unreadable
        );
    }

    #[test]
    fn a_decompression_bomb_is_refused_before_it_is_decoded() {
        // A PNG header that claims 20 000 × 20 000 pixels: 1.2 GB once decoded.
        let mut bomb = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        let ihdr = [20_000u32.to_be_bytes(), 20_000u32.to_be_bytes()].concat();
        bomb.extend(&ihdr);
        bomb.extend([8, 2, 0, 0, 0]);
        let crc = crc32(&bomb[12..]);
        bomb.extend(crc.to_be_bytes());
        assert_eq!(
            reencode(PhotoKind::Png, &bomb).unwrap_err(),
            Error::TooManyPixels
        );
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}
