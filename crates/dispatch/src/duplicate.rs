//! Likely duplicates among open cases: per group (dispatch item + community), bottom-k sketches
//! of character-bigram shingles compared by estimated Jaccard similarity.

use std::collections::HashMap;

use crate::rng::hash_u32s;

/// Where duplicates are looked for: the same dispatch item in the same community.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DuplicateGroup {
    pub item_code: String,
    pub community_id: String,
}

impl DuplicateGroup {
    pub fn new(item_code: impl Into<String>, community_id: impl Into<String>) -> Self {
        Self {
            item_code: item_code.into(),
            community_id: community_id.into(),
        }
    }
}

#[derive(Clone, Debug)]
struct Entry {
    case_id: String,
    sketch: Box<[u32]>,
}

/// Open cases by group. The caller inserts a case when it is accepted and removes it when it is
/// closed; `find` is then a scan of one small group, a few microseconds per stored case.
#[derive(Clone, Debug)]
pub struct DuplicateIndex {
    groups: HashMap<DuplicateGroup, Vec<Entry>>,
    threshold: f32,
    sketch_size: usize,
    len: usize,
}

/// 64 hashes a case bound both memory (~300 bytes a case) and the error of the estimate
/// (±0.06 at worst); texts with fewer bigrams are compared exactly.
pub const DEFAULT_SKETCH_SIZE: usize = 64;

impl DuplicateIndex {
    /// An empty index reporting cases whose similarity is at least `threshold` (0..=1).
    pub fn new(threshold: f32) -> Self {
        Self::with_sketch_size(threshold, DEFAULT_SKETCH_SIZE)
    }

    pub fn with_sketch_size(threshold: f32, sketch_size: usize) -> Self {
        Self {
            groups: HashMap::new(),
            threshold,
            sketch_size: sketch_size.max(1),
            len: 0,
        }
    }

    /// Stored cases over all groups.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds (or replaces) a case's text in its group.
    pub fn insert(&mut self, group: DuplicateGroup, case_id: impl Into<String>, text: &str) {
        let case_id = case_id.into();
        let sketch = sketch(text, self.sketch_size).into_boxed_slice();
        let entries = self.groups.entry(group).or_default();
        match entries.iter_mut().find(|e| e.case_id == case_id) {
            Some(e) => e.sketch = sketch,
            None => {
                entries.push(Entry { case_id, sketch });
                self.len += 1;
            }
        }
    }

    /// Removes a case (closed, archived); false if it was not there.
    pub fn remove(&mut self, group: &DuplicateGroup, case_id: &str) -> bool {
        let Some(entries) = self.groups.get_mut(group) else {
            return false;
        };
        let Some(pos) = entries.iter().position(|e| e.case_id == case_id) else {
            return false;
        };
        entries.swap_remove(pos);
        self.len -= 1;
        if entries.is_empty() {
            self.groups.remove(group);
        }
        true
    }

    /// Up to `limit` cases of `group` at least `threshold`-similar to `text`, most similar first
    /// (ties by case id).
    pub fn find(&self, group: &DuplicateGroup, text: &str, limit: usize) -> Vec<(String, f32)> {
        let Some(entries) = self.groups.get(group) else {
            return Vec::new();
        };
        let q = sketch(text, self.sketch_size);
        let mut hits: Vec<(&str, f32)> = entries
            .iter()
            .filter_map(|e| {
                let s = similarity(&q, &e.sketch, self.sketch_size);
                (s >= self.threshold).then_some((e.case_id.as_str(), s))
            })
            .collect();
        hits.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        hits.into_iter()
            .take(limit)
            .map(|(id, s)| (id.to_owned(), s))
            .collect()
    }
}

/// The `k` smallest distinct hashes of the text's character bigrams (punctuation and spaces
/// dropped, so re-punctuated copies still match).
fn sketch(text: &str, k: usize) -> Vec<u32> {
    let chars: Vec<u32> = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| c.to_lowercase().next().unwrap_or(c) as u32)
        .collect();
    let mut h: Vec<u32> = chars
        .windows(2)
        .map(|w| hash_u32s(7, [w[0], w[1]]) as u32)
        .collect();
    if chars.len() == 1 {
        h.push(hash_u32s(7, [chars[0]]) as u32);
    }
    h.sort_unstable();
    h.dedup();
    h.truncate(k);
    h
}

/// Bottom-k estimate of Jaccard similarity: among the k smallest hashes of the union, the share
/// present in both sketches (exact when both sets have fewer than k members).
fn similarity(a: &[u32], b: &[u32], k: usize) -> f32 {
    let (mut i, mut j, mut union, mut both) = (0, 0, 0usize, 0usize);
    while union < k && (i < a.len() || j < b.len()) {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                both += 1;
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => i += 1,
            (Some(_), Some(_)) => j += 1,
            (Some(_), None) => i += 1,
            (None, _) => j += 1,
        }
        union += 1;
    }
    if union == 0 {
        0.0
    } else {
        both as f32 / union as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_close_text_in_the_same_group_only() {
        let mut index = DuplicateIndex::new(0.5);
        let here = DuplicateGroup::new("item-noise", "community-1");
        let there = DuplicateGroup::new("item-noise", "community-2");
        index.insert(
            here.clone(),
            "case-1",
            "楼下烧烤店每天晚上油烟很大，噪音扰民到凌晨两点",
        );
        index.insert(here.clone(), "case-2", "小区门口路灯不亮已经一周了");
        index.insert(
            there.clone(),
            "case-3",
            "楼下烧烤店每天晚上油烟很大，噪音扰民到凌晨两点",
        );
        let hits = index.find(&here, "楼下烧烤店每晚油烟很大，噪音扰民到凌晨", 5);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].0, "case-1");
        assert!(hits[0].1 > 0.5);
        let elsewhere = DuplicateGroup::new("item-lamp", "community-1");
        assert!(
            index
                .find(&elsewhere, "楼下烧烤店每晚油烟很大", 5)
                .is_empty()
        );
    }

    #[test]
    fn removed_cases_are_not_found() {
        let mut index = DuplicateIndex::new(0.3);
        let g = DuplicateGroup::new("i", "c");
        index.insert(g.clone(), "a", "垃圾桶满了没人清理");
        assert_eq!(index.len(), 1);
        assert!(index.remove(&g, "a"));
        assert!(!index.remove(&g, "a"));
        assert!(index.find(&g, "垃圾桶满了没人清理", 5).is_empty());
        assert!(index.is_empty());
    }

    #[test]
    fn identical_texts_are_fully_similar_even_past_the_sketch_size() {
        let long = "施工工地夜间作业噪音很大影响居民休息希望有关部门尽快处理".repeat(5);
        let a = sketch(&long, 16);
        assert_eq!(a.len(), 16);
        assert!((similarity(&a, &a, 16) - 1.0).abs() < 1e-6);
    }
}
