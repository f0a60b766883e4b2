//! Turning an appeal's text (and its channel and kind) into hashed terms: character 1–3-grams
//! and the metadata as tokens.
//!
//! Word features from a segmenter (jieba) were tried and measured: on real work orders they
//! added nothing over character 1–3-grams (which already cover most Chinese words), so the
//! engine does without a segmenter and its dictionary.

use crate::rng::hash_u32s;

const NS_CHAR: u64 = 1; // + n for n-grams of length n
const NS_CHANNEL: u64 = 20;
const NS_KIND: u64 = 21;

/// Which kinds of term to extract; the engine's `Config` carries one.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct TermConfig {
    /// Longest character n-gram (1..=max_char_ngram).
    pub max_char_ngram: usize,
    /// Add `channel` and `kind` as tokens. Off by default: on real work orders they changed
    /// nothing measurable, and catalogue pseudo-cases have neither, which biases mixed training.
    pub metadata: bool,
}

impl Default for TermConfig {
    fn default() -> Self {
        Self {
            max_char_ngram: 3,
            metadata: false,
        }
    }
}

/// Folds the variants that mean the same for routing: full-width ASCII to half-width, upper to
/// lower case, every digit to `0` (house numbers and dates say nothing about the unit).
fn fold(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    if c.is_ascii_digit() {
        '0'
    } else {
        c.to_ascii_lowercase()
    }
}

fn is_noise(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

/// Appends the hashed terms of one text to `out` (repeats kept: the caller counts them).
pub(crate) fn terms(
    text: &str,
    channel: Option<&str>,
    kind: Option<&str>,
    cfg: &TermConfig,
    out: &mut Vec<u64>,
) {
    let chars: Vec<u32> = text
        .chars()
        .map(fold)
        .filter(|c| !is_noise(*c))
        .map(|c| c as u32)
        .collect();
    for n in 1..=cfg.max_char_ngram {
        for window in chars.windows(n) {
            out.push(hash_u32s(NS_CHAR + n as u64, window.iter().copied()));
        }
    }
    if cfg.metadata {
        for (ns, value) in [(NS_CHANNEL, channel), (NS_KIND, kind)] {
            if let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) {
                out.push(hash_u32s(ns, v.chars().map(|c| c as u32)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        terms(text, None, None, &TermConfig::default(), &mut out);
        out
    }

    #[test]
    fn full_width_and_digits_fold_to_the_same_terms() {
        assert_eq!(keys("路灯３号坏了"), keys("路灯7号坏了"));
        assert_eq!(keys("ＡＢ"), keys("ab"));
    }

    #[test]
    fn metadata_adds_tokens() {
        let mut with = Vec::new();
        terms(
            "噪音扰民",
            Some("微信"),
            Some("投诉"),
            &TermConfig {
                metadata: true,
                ..TermConfig::default()
            },
            &mut with,
        );
        assert_eq!(with.len(), keys("噪音扰民").len() + 2);
    }
}
