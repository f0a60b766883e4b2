//! Turning an appeal's text (and its channel and kind) into hashed terms: character 1–3-grams,
//! jieba words and word bigrams, and the metadata as tokens.

use std::sync::OnceLock;

use jieba_rs::Jieba;

use crate::rng::hash_u32s;

const NS_CHAR: u64 = 1; // + n for n-grams of length n
const NS_WORD: u64 = 10;
const NS_WORD_PAIR: u64 = 11;
const NS_CHANNEL: u64 = 20;
const NS_KIND: u64 = 21;

/// jieba's dictionary is built once per process: it takes ~0.2 s and is read-only afterwards.
fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// Which kinds of term to extract; the engine's `Config` carries one.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct TermConfig {
    /// Longest character n-gram (1..=max_char_ngram).
    pub max_char_ngram: usize,
    /// Add jieba words and consecutive word pairs.
    pub words: bool,
    /// Add `channel` and `kind` as tokens.
    pub metadata: bool,
}

impl Default for TermConfig {
    fn default() -> Self {
        Self {
            max_char_ngram: 3,
            words: true,
            metadata: true,
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

fn is_word(token: &str) -> bool {
    token.chars().any(|c| c.is_alphanumeric())
}

/// Appends the hashed terms of one text to `out` (repeats kept: the caller counts them).
pub(crate) fn terms(
    text: &str,
    channel: Option<&str>,
    kind: Option<&str>,
    cfg: &TermConfig,
    out: &mut Vec<u64>,
) {
    let folded: String = text.chars().map(fold).collect();
    let chars: Vec<u32> = folded
        .chars()
        .filter(|c| !is_noise(*c))
        .map(|c| c as u32)
        .collect();
    for n in 1..=cfg.max_char_ngram {
        for window in chars.windows(n) {
            out.push(hash_u32s(NS_CHAR + n as u64, window.iter().copied()));
        }
    }
    if cfg.words {
        let mut previous: Option<u64> = None;
        for token in jieba().cut(&folded, true) {
            if !is_word(token.word) {
                previous = None;
                continue;
            }
            let word = hash_u32s(NS_WORD, token.word.chars().map(|c| c as u32));
            out.push(word);
            if let Some(p) = previous {
                out.push(hash_u32s(
                    NS_WORD_PAIR,
                    [(p >> 32) as u32, p as u32, (word >> 32) as u32, word as u32],
                ));
            }
            previous = Some(word);
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
            &TermConfig::default(),
            &mut with,
        );
        assert_eq!(with.len(), keys("噪音扰民").len() + 2);
    }
}
