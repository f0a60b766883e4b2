//! The vocabulary and sublinear TF-IDF vectors: hashed terms in, L2-normalised sparse rows out.

use crate::rng::KeyMap;
use crate::text::{TermConfig, terms};

/// One document as sorted feature indices and their weights.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct SparseVec {
    pub(crate) idx: Vec<u32>,
    pub(crate) val: Vec<f32>,
}

/// Many documents in compressed sparse rows: 8 bytes a non-zero, which is what keeps training on
/// 100,000 cases inside a few hundred megabytes.
#[derive(Clone, Debug, Default)]
pub(crate) struct Csr {
    indptr: Vec<usize>,
    idx: Vec<u32>,
    val: Vec<f32>,
}

impl Csr {
    pub(crate) fn rows(&self) -> usize {
        self.indptr.len().saturating_sub(1)
    }

    pub(crate) fn row(&self, i: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.indptr[i], self.indptr[i + 1]);
        (&self.idx[a..b], &self.val[a..b])
    }
}

/// A document to vectorise: its text and metadata, and whether its terms count regardless of
/// document frequency (catalogue entries: one entry may be the only place a keyword appears).
pub(crate) struct Doc<'a> {
    pub(crate) text: &'a str,
    pub(crate) channel: Option<&'a str>,
    pub(crate) kind: Option<&'a str>,
    pub(crate) always_keep: bool,
}

/// Term → feature index, with each feature's inverse document frequency.
#[derive(Clone, Debug, Default)]
pub(crate) struct Vocab {
    index: KeyMap<u32>,
    idf: Vec<f32>,
    terms: TermConfig,
}

/// How many documents are segmented at once by the worker threads before their terms are merged:
/// bounds the memory held in un-merged term lists.
const CHUNK: usize = 2048;

fn doc_terms(docs: &[Doc<'_>], cfg: &TermConfig, threads: usize) -> Vec<Vec<u64>> {
    let threads = threads.clamp(1, 16).min(docs.len().max(1));
    if threads == 1 {
        return docs
            .iter()
            .map(|d| {
                let mut out = Vec::new();
                terms(d.text, d.channel, d.kind, cfg, &mut out);
                out
            })
            .collect();
    }
    let per = docs.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = docs
            .chunks(per)
            .map(|part| s.spawn(move || doc_terms(part, cfg, 1)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

impl Vocab {
    /// Builds the vocabulary (terms in at least `min_df` documents, or in an `always_keep` one,
    /// at most `max_features` of them)
    /// and returns it with every document as a TF-IDF row.
    pub(crate) fn fit(
        docs: &[Doc<'_>],
        cfg: &TermConfig,
        min_df: u32,
        max_features: usize,
        threads: usize,
    ) -> (Vocab, Csr) {
        // Pass 1: provisional ids for every term, per-document (id, count) rows, document counts.
        let mut provisional: KeyMap<u32> = KeyMap::default();
        let mut df: Vec<u32> = Vec::new();
        let mut keep: Vec<bool> = Vec::new();
        let mut indptr = vec![0usize];
        let mut idx: Vec<u32> = Vec::new();
        let mut val: Vec<f32> = Vec::new();
        let mut row: Vec<u32> = Vec::new();
        for chunk in docs.chunks(CHUNK) {
            for (doc, keys) in chunk.iter().zip(doc_terms(chunk, cfg, threads)) {
                row.clear();
                for key in keys {
                    let next = df.len() as u32;
                    let id = *provisional.entry(key).or_insert(next);
                    if id == next {
                        df.push(0);
                        keep.push(false);
                    }
                    row.push(id);
                }
                row.sort_unstable();
                let mut k = 0;
                while k < row.len() {
                    let id = row[k];
                    let run = row[k..].iter().take_while(|&&x| x == id).count();
                    df[id as usize] += 1;
                    keep[id as usize] |= doc.always_keep;
                    idx.push(id);
                    val.push(run as f32);
                    k += run;
                }
                indptr.push(idx.len());
            }
        }
        // Final ids in order of first appearance (deterministic), dropping rare terms.
        let mut remap = vec![u32::MAX; df.len()];
        let mut idf = Vec::new();
        let n = docs.len() as f32;
        let mut order: Vec<(u32, u64)> = provisional
            .iter()
            .map(|(&k, &id)| (id, k))
            .filter(|&(id, _)| df[id as usize] >= min_df || keep[id as usize])
            .collect();
        if order.len() > max_features {
            // Keep the most frequent terms (and every catalogue term first): the cap bounds the
            // weight table, K × features floats, however much history there is.
            order.sort_unstable_by_key(|&(id, _)| {
                (!keep[id as usize], u32::MAX - df[id as usize], id)
            });
            order.truncate(max_features);
        }
        order.sort_unstable();
        let mut index = KeyMap::default();
        for (id, key) in order {
            let d = df[id as usize];
            {
                remap[id as usize] = idf.len() as u32;
                index.insert(key, idf.len() as u32);
                idf.push(((1.0 + n) / (1.0 + d as f32)).ln() + 1.0);
            }
        }
        drop(provisional);
        // Pass 2 in place: remap, weight, normalise; ids stay sorted because remap is monotone.
        let mut out = Csr {
            indptr: vec![0],
            idx: Vec::new(),
            val: Vec::new(),
        };
        let mut write = 0usize;
        for r in 0..indptr.len() - 1 {
            let start = write;
            for k in indptr[r]..indptr[r + 1] {
                let id = remap[idx[k] as usize];
                if id != u32::MAX {
                    idx[write] = id;
                    val[write] = (1.0 + val[k].ln()) * idf[id as usize];
                    write += 1;
                }
            }
            normalise(&mut val[start..write]);
            out.indptr.push(write);
        }
        idx.truncate(write);
        val.truncate(write);
        idx.shrink_to_fit();
        val.shrink_to_fit();
        out.idx = idx;
        out.val = val;
        (
            Vocab {
                index,
                idf,
                terms: cfg.clone(),
            },
            out,
        )
    }

    pub(crate) fn len(&self) -> usize {
        self.idf.len()
    }

    /// The TF-IDF row of a new text; unknown terms are dropped.
    pub(crate) fn vectorize(
        &self,
        text: &str,
        channel: Option<&str>,
        kind: Option<&str>,
    ) -> SparseVec {
        let mut keys = Vec::new();
        terms(text, channel, kind, &self.terms, &mut keys);
        let mut ids: Vec<u32> = keys
            .iter()
            .filter_map(|k| self.index.get(k).copied())
            .collect();
        ids.sort_unstable();
        let mut v = SparseVec::default();
        let mut k = 0;
        while k < ids.len() {
            let id = ids[k];
            let run = ids[k..].iter().take_while(|&&x| x == id).count();
            v.idx.push(id);
            v.val
                .push((1.0 + (run as f32).ln()) * self.idf[id as usize]);
            k += run;
        }
        normalise(&mut v.val);
        v
    }
}

fn normalise(vals: &mut [f32]) {
    let norm = vals.iter().map(|v| v * v).sum::<f32>().sqrt();
    if norm > 0.0 {
        vals.iter_mut().for_each(|v| *v /= norm);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Doc<'_> {
        Doc {
            text,
            channel: None,
            kind: None,
            always_keep: false,
        }
    }

    #[test]
    fn rows_are_unit_length_and_rare_terms_drop() {
        let docs = [doc("路灯不亮"), doc("路灯坏了"), doc("噪音扰民")];
        let (vocab, csr) = Vocab::fit(&docs, &TermConfig::default(), 2, usize::MAX, 1);
        assert_eq!(csr.rows(), 3);
        let (_, v0) = csr.row(0);
        let norm: f32 = v0.iter().map(|v| v * v).sum();
        assert!((norm - 1.0).abs() < 1e-5);
        // "噪音扰民" shares nothing with the others: every term is rare, the row is empty.
        assert!(csr.row(2).0.is_empty());
        let q = vocab.vectorize("路灯", None, None);
        assert!(!q.idx.is_empty());
    }

    #[test]
    fn always_keep_documents_keep_their_terms() {
        let docs = [
            doc("路灯不亮"),
            Doc {
                always_keep: true,
                ..doc("噪音扰民")
            },
        ];
        let (vocab, _) = Vocab::fit(&docs, &TermConfig::default(), 2, usize::MAX, 1);
        assert!(!vocab.vectorize("噪音", None, None).idx.is_empty());
    }
}
