//! Which old item is which new item. Items with the same id match; the rest are aligned in
//! order by content with a real sequence alignment (patience: unique texts anchor it, Myers
//! from `similar` fills the gaps), then each stretch that differs is aligned again by word
//! similarity, and the
//! alignment is repeated on what is left so that an item that moved past others is found.
//! What still has no partner was added or removed.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use similar::{Algorithm, DiffTag, capture_diff_slices};

#[cfg(test)]
use super::words::similarity;
use super::words::{Pattern, words};

/// Two texts count as the same item reworded when their word similarity is at least this.
pub const SIMILARITY_THRESHOLD: f32 = 0.5;

/// Two reworded events must also be at most this far apart in time.
pub const NEAR_HOURS: i64 = 3;

/// In a long stretch of changes, each old item is compared with at most this many new items
/// (the nearest in time), which keeps the alignment near-linear.
const MAX_CANDIDATES: usize = 64;

/// How many times the alignment runs on what is left after the previous run.
const PASSES: usize = 3;

/// One item to align: an event or an action item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Item<'a> {
    pub id: Option<&'a str>,
    pub text: &'a str,
    /// When it happened; items without a time are compared regardless of time.
    pub at: Option<DateTime<Utc>>,
}

/// Why two items were paired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchedBy {
    /// The same `id`.
    Id,
    /// The same text (whitespace aside).
    Text,
    /// Similar text, near in time.
    Similar,
}

impl MatchedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchedBy::Id => "id",
            MatchedBy::Text => "text",
            MatchedBy::Similar => "similar",
        }
    }
}

/// An old item and the new item it became.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pair {
    pub old: usize,
    pub new: usize,
    pub by: MatchedBy,
}

/// Every item of both sides, paired or left over; indices into the slices given to [`align`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Alignment {
    /// Sorted by old index.
    pub pairs: Vec<Pair>,
    /// Old items with no partner, in order.
    pub removed: Vec<usize>,
    /// New items with no partner, in order.
    pub added: Vec<usize>,
}

impl Alignment {
    /// The same alignment seen from the other side.
    fn mirror(self) -> Alignment {
        let mut pairs: Vec<Pair> = self
            .pairs
            .into_iter()
            .map(|p| Pair {
                old: p.new,
                new: p.old,
                by: p.by,
            })
            .collect();
        pairs.sort();
        Alignment {
            pairs,
            removed: self.added,
            added: self.removed,
        }
    }
}

/// Aligns `old` with `new`. The result does not depend on which side is which: aligning
/// `new` with `old` gives the mirror image (ties are broken the same way both times).
pub fn align(old: &[Item], new: &[Item]) -> Alignment {
    if old <= new {
        align_ordered(old, new)
    } else {
        align_ordered(new, old).mirror()
    }
}

fn align_ordered(old: &[Item], new: &[Item]) -> Alignment {
    let mut pairs = by_id(old, new);
    let mut old_taken = vec![false; old.len()];
    let mut new_taken = vec![false; new.len()];
    for p in &pairs {
        old_taken[p.old] = true;
        new_taken[p.new] = true;
    }
    let keys = Keys::new(old, new);
    for _ in 0..PASSES {
        let rest_old: Vec<usize> = (0..old.len()).filter(|&i| !old_taken[i]).collect();
        let rest_new: Vec<usize> = (0..new.len()).filter(|&j| !new_taken[j]).collect();
        if rest_old.is_empty() || rest_new.is_empty() {
            break;
        }
        let found = by_content(old, new, &keys, &rest_old, &rest_new);
        if found.is_empty() {
            break;
        }
        for p in found {
            old_taken[p.old] = true;
            new_taken[p.new] = true;
            pairs.push(p);
        }
    }
    pairs.sort();
    Alignment {
        pairs,
        removed: (0..old.len()).filter(|&i| !old_taken[i]).collect(),
        added: (0..new.len()).filter(|&j| !new_taken[j]).collect(),
    }
}

/// Pairs the items that carry the same id.
fn by_id(old: &[Item], new: &[Item]) -> Vec<Pair> {
    let mut new_ids: HashMap<&str, usize> = HashMap::new();
    for (j, item) in new.iter().enumerate() {
        if let Some(id) = item.id {
            new_ids.entry(id).or_insert(j);
        }
    }
    let mut pairs = Vec::new();
    for (i, item) in old.iter().enumerate() {
        if let Some(&j) = item.id.and_then(|id| new_ids.get(id)) {
            new_ids.remove(item.id.unwrap_or_default());
            pairs.push(Pair {
                old: i,
                new: j,
                by: MatchedBy::Id,
            });
        }
    }
    pairs
}

/// Every distinct normalised text as a small number, so the sequence alignment compares
/// integers.
struct Keys {
    old: Vec<u32>,
    new: Vec<u32>,
}

impl Keys {
    /// Numbers the texts without copying them: a hash of their words picks a bucket, and
    /// texts in a bucket are compared word by word.
    fn new<'a>(old: &[Item<'a>], new: &[Item<'a>]) -> Keys {
        let mut table: HashMap<u64, Vec<(u32, &'a str)>> =
            HashMap::with_capacity(old.len() + new.len());
        let mut next = 0u32;
        let mut key = |item: &Item<'a>| {
            let bucket = table.entry(hash_words(item.text)).or_default();
            let same = |t: &&str| t.split_whitespace().eq(item.text.split_whitespace());
            match bucket.iter().find(|(_, t)| same(t)) {
                Some(&(k, _)) => k,
                None => {
                    next += 1;
                    bucket.push((next - 1, item.text));
                    next - 1
                }
            }
        };
        let old = old.iter().map(&mut key).collect();
        let new = new.iter().map(&mut key).collect();
        Keys { old, new }
    }
}

/// A hash of a text's words, so that texts differing only in whitespace hash alike.
fn hash_words(text: &str) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut h = DefaultHasher::new();
    for word in text.split_whitespace() {
        word.hash(&mut h);
    }
    h.finish()
}

/// One run of the content alignment over the items not yet paired.
fn by_content(
    old: &[Item],
    new: &[Item],
    keys: &Keys,
    rest_old: &[usize],
    rest_new: &[usize],
) -> Vec<Pair> {
    let ko: Vec<u32> = rest_old.iter().map(|&i| keys.old[i]).collect();
    let kn: Vec<u32> = rest_new.iter().map(|&j| keys.new[j]).collect();
    let mut pairs = Vec::new();
    let (mut a, mut c) = (0, 0);
    let equal = equal_pairs(&ko, &kn, 0, 0, 0);
    for &(i, j) in equal.iter().chain(std::iter::once(&(ko.len(), kn.len()))) {
        pairs.extend(by_similarity(old, new, &rest_old[a..i], &rest_new[c..j]));
        if i < ko.len() {
            pairs.push(Pair {
                old: rest_old[i],
                new: rest_new[j],
                by: MatchedBy::Text,
            });
        }
        (a, c) = (i + 1, j + 1);
    }
    for p in &mut pairs {
        if p.by == MatchedBy::Similar && keys.old[p.old] == keys.new[p.new] {
            p.by = MatchedBy::Text;
        }
    }
    pairs
}

/// How deep patience alignment recurses into the gaps between its anchors before it leaves
/// the rest of a gap to Myers.
const PATIENCE_DEPTH: usize = 8;

/// The pairs `(i, j)` with `old[i] == new[j]` of a patience alignment, increasing in both:
/// keys that occur exactly once on each side anchor the alignment (the longest increasing
/// run of them, found by patience sorting in O(n log n)); the gaps between anchors are aligned
/// the same way, and what has no unique keys left goes to Myers' algorithm (`similar`). Unlike
/// a plain Myers diff, the cost stays near-linear when the edits are spread out.
fn equal_pairs(old: &[u32], new: &[u32], o: usize, n: usize, depth: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    // Equal ends need no search.
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    out.extend((0..prefix).map(|k| (o + k, n + k)));
    let (old_mid, new_mid) = (&old[prefix..], &new[prefix..]);
    let suffix = old_mid
        .iter()
        .rev()
        .zip(new_mid.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (old_mid, new_mid) = (
        &old_mid[..old_mid.len() - suffix],
        &new_mid[..new_mid.len() - suffix],
    );
    let (o_mid, n_mid) = (o + prefix, n + prefix);
    if !old_mid.is_empty() && !new_mid.is_empty() {
        let anchors = if depth < PATIENCE_DEPTH {
            unique_anchors(old_mid, new_mid)
        } else {
            Vec::new()
        };
        if anchors.is_empty() && old_mid.len().saturating_mul(new_mid.len()) > MYERS_CELLS {
            let pairs = longest_increasing(&occurrence_pairs(old_mid, new_mid));
            out.extend(pairs.into_iter().map(|(i, j)| (o_mid + i, n_mid + j)));
        } else if anchors.is_empty() {
            for op in capture_diff_slices(Algorithm::Myers, old_mid, new_mid) {
                let (tag, a, b) = op.as_tag_tuple();
                if tag == DiffTag::Equal {
                    out.extend(a.zip(b).map(|(i, j)| (o_mid + i, n_mid + j)));
                }
            }
        } else {
            let (mut a, mut b) = (0, 0);
            for &(i, j) in &anchors {
                out.extend(equal_pairs(
                    &old_mid[a..i],
                    &new_mid[b..j],
                    o_mid + a,
                    n_mid + b,
                    depth + 1,
                ));
                out.push((o_mid + i, n_mid + j));
                (a, b) = (i + 1, j + 1);
            }
            out.extend(equal_pairs(
                &old_mid[a..],
                &new_mid[b..],
                o_mid + a,
                n_mid + b,
                depth + 1,
            ));
        }
    }
    let (o_end, n_end) = (o + old.len() - suffix, n + new.len() - suffix);
    out.extend((0..suffix).map(|k| (o_end + k, n_end + k)));
    out
}

/// Myers' algorithm costs up to (old + new) x differences; a gap larger than this many cells
/// (old x new) without unique keys is aligned by [`occurrence_pairs`] instead.
const MYERS_CELLS: usize = 1 << 22;

/// For a large gap where no key is unique: the k-th occurrence of a key on the old side pairs
/// with its k-th occurrence on the new side. Deterministic and O(n log n) with
/// [`longest_increasing`]; close to the best alignment when the edits are spread out.
fn occurrence_pairs(old: &[u32], new: &[u32]) -> Vec<(usize, usize)> {
    let mut positions: HashMap<u32, Vec<usize>> = HashMap::new();
    for (j, k) in new.iter().enumerate() {
        positions.entry(*k).or_default().push(j);
    }
    let mut used: HashMap<u32, usize> = HashMap::new();
    let mut pairs = Vec::new();
    for (i, k) in old.iter().enumerate() {
        let Some(list) = positions.get(k) else {
            continue;
        };
        let rank = used.entry(*k).or_insert(0);
        if let Some(&j) = list.get(*rank) {
            pairs.push((i, j));
        }
        *rank += 1;
    }
    pairs
}

/// The keys found exactly once on each side, as `(old index, new index)`, reduced to their
/// longest run increasing in both indices.
fn unique_anchors(old: &[u32], new: &[u32]) -> Vec<(usize, usize)> {
    // key -> (count in old, index in old, count in new, index in new)
    let mut seen: HashMap<u32, (u32, usize, u32, usize)> = HashMap::new();
    for (i, k) in old.iter().enumerate() {
        let e = seen.entry(*k).or_insert((0, i, 0, 0));
        e.0 += 1;
    }
    for (j, k) in new.iter().enumerate() {
        if let Some(e) = seen.get_mut(k) {
            e.2 += 1;
            e.3 = j;
        }
    }
    let mut candidates: Vec<(usize, usize)> = seen
        .into_values()
        .filter(|e| e.0 == 1 && e.2 == 1)
        .map(|e| (e.1, e.3))
        .collect();
    candidates.sort_unstable();
    longest_increasing(&candidates)
}

/// The longest subsequence of `pairs` (sorted by their first index) whose second index
/// increases, by patience sorting.
fn longest_increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut tails: Vec<usize> = Vec::new(); // index into pairs of the smallest tail per length
    let mut previous: Vec<usize> = vec![usize::MAX; pairs.len()];
    for (k, &(_, j)) in pairs.iter().enumerate() {
        let length = tails.partition_point(|&t| pairs[t].1 < j);
        if length > 0 {
            previous[k] = tails[length - 1];
        }
        if length == tails.len() {
            tails.push(k);
        } else {
            tails[length] = k;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied().unwrap_or(usize::MAX);
    while at != usize::MAX {
        out.push(pairs[at]);
        at = previous[at];
    }
    out.reverse();
    out
}

/// Aligns one stretch of differing items by word similarity: among the candidate pairs
/// (similar enough, near enough in time), the order-preserving set with the greatest total
/// similarity (a weighted chain, found with a Fenwick tree of prefix maxima).
fn by_similarity(old: &[Item], new: &[Item], hunk_old: &[usize], hunk_new: &[usize]) -> Vec<Pair> {
    if hunk_old.is_empty() || hunk_new.is_empty() {
        return Vec::new();
    }
    let mut vocabulary = HashMap::new();
    let new_words: Vec<Profile> = hunk_new
        .iter()
        .map(|&j| Profile::new(new[j].text, &mut vocabulary))
        .collect();
    let new_times: Vec<Option<DateTime<Utc>>> = hunk_new.iter().map(|&j| new[j].at).collect();
    let sorted = new_times.iter().all(Option::is_some) && new_times.is_sorted();
    let mut candidates: Vec<(usize, usize, u64)> = Vec::new();
    for (a, &i) in hunk_old.iter().enumerate() {
        let old_words = Profile::new(old[i].text, &mut vocabulary);
        let pattern = Pattern::new(&old_words.sequence);
        for b in nearest(old[i].at, &new_times, sorted) {
            if old_words.bound(&new_words[b]) < SIMILARITY_THRESHOLD {
                continue;
            }
            let score = pattern.similarity(&new_words[b].sequence);
            if score >= SIMILARITY_THRESHOLD {
                candidates.push((a, b, (score * 1000.0).round() as u64));
            }
        }
    }
    candidates.sort_unstable();
    chain(&candidates, hunk_new.len())
        .into_iter()
        .map(|(a, b)| Pair {
            old: hunk_old[a],
            new: hunk_new[b],
            by: MatchedBy::Similar,
        })
        .collect()
}

/// A text's words as numbers, in order and sorted, for fast similarity.
struct Profile {
    sequence: Vec<u32>,
    sorted: Vec<u32>,
}

impl Profile {
    fn new(text: &str, vocabulary: &mut HashMap<String, u32>) -> Profile {
        let sequence: Vec<u32> = words(text)
            .into_iter()
            .map(|w| {
                let next = vocabulary.len() as u32;
                *vocabulary.entry(w).or_insert(next)
            })
            .collect();
        let mut sorted = sequence.clone();
        sorted.sort_unstable();
        Profile { sequence, sorted }
    }

    /// An upper bound of [`similarity`] from the words the two texts share regardless of
    /// order; cheap, so most hopeless pairs skip the alignment of their words.
    fn bound(&self, other: &Profile) -> f32 {
        let total = self.sorted.len() + other.sorted.len();
        if total == 0 {
            return 1.0;
        }
        let (mut x, mut y, mut common) = (0, 0, 0);
        while x < self.sorted.len() && y < other.sorted.len() {
            match self.sorted[x].cmp(&other.sorted[y]) {
                std::cmp::Ordering::Less => x += 1,
                std::cmp::Ordering::Greater => y += 1,
                std::cmp::Ordering::Equal => {
                    common += 1;
                    x += 1;
                    y += 1;
                }
            }
        }
        2.0 * common as f32 / total as f32
    }
}

/// The new items an old item at `at` may be paired with: within [`NEAR_HOURS`], at most
/// [`MAX_CANDIDATES`] of them, the nearest first. `sorted` says that every new item has a
/// time and they are in order, so the window is found by binary search; otherwise (action
/// items) every item is a candidate, up to the limit.
fn nearest(at: Option<DateTime<Utc>>, times: &[Option<DateTime<Utc>>], sorted: bool) -> Vec<usize> {
    let near = TimeDelta::hours(NEAR_HOURS);
    let Some(at) = at.filter(|_| sorted) else {
        return (0..times.len().min(MAX_CANDIDATES)).collect();
    };
    let gap = |b: usize| times[b].map_or(near, |t| (t - at).abs());
    let start = times.partition_point(|t| t.is_some_and(|t| t < at));
    let (mut lo, mut hi) = (start, start);
    let mut found = Vec::new();
    while found.len() < MAX_CANDIDATES {
        let left = (lo > 0).then(|| gap(lo - 1)).filter(|g| *g <= near);
        let right = (hi < times.len()).then(|| gap(hi)).filter(|g| *g <= near);
        match (left, right) {
            (Some(l), Some(r)) if l <= r => {
                lo -= 1;
                found.push(lo);
            }
            (_, Some(_)) => {
                found.push(hi);
                hi += 1;
            }
            (Some(_), None) => {
                lo -= 1;
                found.push(lo);
            }
            (None, None) => break,
        }
    }
    found.sort_unstable();
    found
}

/// The heaviest chain of candidates `(a, b, weight)` strictly increasing in both `a` and `b`.
/// `candidates` is sorted by `a`, then `b`; `width` bounds `b`.
fn chain(candidates: &[(usize, usize, u64)], width: usize) -> Vec<(usize, usize)> {
    const NONE: usize = usize::MAX;
    let mut tree = vec![(0u64, NONE); width + 1];
    let mut best: Vec<(u64, usize)> = vec![(0, NONE); candidates.len()];
    let mut start = 0;
    while start < candidates.len() {
        let a = candidates[start].0;
        let end = start + candidates[start..].iter().take_while(|c| c.0 == a).count();
        for (k, &(_, b, weight)) in candidates.iter().enumerate().take(end).skip(start) {
            let (score, prev) = prefix_max(&tree, b);
            best[k] = (score + weight, prev);
        }
        for (k, &(_, b, _)) in candidates.iter().enumerate().take(end).skip(start) {
            raise(&mut tree, b + 1, (best[k].0, k));
        }
        start = end;
    }
    let mut at = (0..candidates.len())
        .max_by_key(|&k| (best[k].0, std::cmp::Reverse(k)))
        .unwrap_or(NONE);
    let mut out = Vec::new();
    while at != NONE {
        out.push((candidates[at].0, candidates[at].1));
        at = best[at].1;
    }
    out.reverse();
    out
}

/// The best (score, candidate) among positions `1..=end` of the Fenwick tree, that is among
/// chains ending before new index `end`.
fn prefix_max(tree: &[(u64, usize)], end: usize) -> (u64, usize) {
    let mut best = (0, usize::MAX);
    let mut p = end;
    while p > 0 {
        if better(tree[p], best) {
            best = tree[p];
        }
        p &= p - 1;
    }
    best
}

fn raise(tree: &mut [(u64, usize)], mut p: usize, value: (u64, usize)) {
    while p < tree.len() {
        if better(value, tree[p]) {
            tree[p] = value;
        }
        p += p & p.wrapping_neg();
    }
}

/// Higher score wins; on a tie the earlier candidate, so results are deterministic.
fn better(a: (u64, usize), b: (u64, usize)) -> bool {
    a.0 > b.0 || (a.0 == b.0 && a.1 < b.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items<'a>(texts: &[&'a str]) -> Vec<Item<'a>> {
        texts
            .iter()
            .map(|t| Item {
                id: None,
                text: t,
                at: None,
            })
            .collect()
    }

    fn pairs(a: &Alignment) -> Vec<(usize, usize, MatchedBy)> {
        a.pairs.iter().map(|p| (p.old, p.new, p.by)).collect()
    }

    #[test]
    fn equal_texts_align_in_order() {
        let old = items(&["alpha", "beta", "gamma"]);
        let new = items(&["alpha", "inserted here", "beta", "gamma"]);
        let a = align(&old, &new);
        assert_eq!(
            pairs(&a),
            [
                (0, 0, MatchedBy::Text),
                (1, 2, MatchedBy::Text),
                (2, 3, MatchedBy::Text)
            ]
        );
        assert_eq!(a.added, [1]);
        assert!(a.removed.is_empty());
    }

    #[test]
    fn reworded_items_pair_by_similarity() {
        let old = items(&["start", "engineers restart the DWFM hosts", "end"]);
        let new = items(&["start", "engineers restart all DWFM hosts", "end"]);
        let a = align(&old, &new);
        assert!(pairs(&a).contains(&(1, 1, MatchedBy::Similar)));
    }

    #[test]
    fn unrelated_texts_do_not_pair() {
        let old = items(&["start", "the database fails over", "end"]);
        let new = items(&["start", "a customer writes to support", "end"]);
        let a = align(&old, &new);
        assert_eq!(a.removed, [1]);
        assert_eq!(a.added, [1]);
    }

    #[test]
    fn moved_items_are_found_on_a_later_pass() {
        let old = items(&["a", "b", "c", "d"]);
        let new = items(&["b", "a", "c", "d"]);
        let a = align(&old, &new);
        assert_eq!(a.pairs.len(), 4, "{a:?}");
        assert!(a.added.is_empty() && a.removed.is_empty());
    }

    #[test]
    fn ids_win_over_text() {
        let mut old = items(&["same text", "other"]);
        let mut new = items(&["other", "same text"]);
        old[0].id = Some("x");
        new[0].id = Some("x");
        let a = align(&old, &new);
        // The id pairs the first items although their texts differ; the texts left over
        // ("other" and "same text") have nothing in common.
        assert_eq!(pairs(&a), [(0, 0, MatchedBy::Id)]);
        assert_eq!(
            (a.removed.as_slice(), a.added.as_slice()),
            (&[1][..], &[1][..])
        );
    }

    #[test]
    fn far_apart_rewordings_do_not_pair() {
        let t = |h| Some(DateTime::from_timestamp(h * 3600, 0).unwrap());
        let old = [Item {
            id: None,
            text: "engineers restart the hosts",
            at: t(0),
        }];
        let new = [Item {
            id: None,
            text: "engineers restart all hosts",
            at: t(NEAR_HOURS + 1),
        }];
        assert!(align(&old, &new).pairs.is_empty());
        let new = [Item { at: t(1), ..new[0] }];
        assert_eq!(align(&old, &new).pairs.len(), 1);
    }

    #[test]
    fn patience_anchors_on_unique_keys() {
        // 9 is unique and anchors; the repeated 1s and 2s are aligned by Myers around it.
        let old = [1, 2, 9, 1, 2, 5];
        let new = [2, 1, 9, 2, 1, 6];
        let pairs = equal_pairs(&old, &new, 0, 0, 0);
        assert!(pairs.contains(&(2, 2)), "{pairs:?}");
        assert!(pairs.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1));
        assert!(pairs.iter().all(|&(i, j)| old[i] == new[j]));
        assert_eq!(pairs.len(), 3);
    }

    #[test]
    fn large_gaps_without_unique_keys_pair_occurrences_in_order() {
        // Every key occurs 60 times on each side, so patience finds no anchor, and the gap is
        // too large for Myers.
        let old: Vec<u32> = (0..6000).map(|i| i % 100).collect();
        let mut new = old.clone();
        new.remove(10);
        new.remove(5000);
        assert!((old.len() - 20) * (new.len() - 20) > MYERS_CELLS);
        assert!(unique_anchors(&old, &new).is_empty());
        let pairs = equal_pairs(&old, &new, 0, 0, 0);
        assert!(pairs.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1));
        assert!(pairs.iter().all(|&(i, j)| old[i] == new[j]));
        // Most of the 5,998 common items pair (the best alignment would pair all of them).
        assert!(pairs.len() > 5800, "{}", pairs.len());
        // Nothing in common: no pairs, and no quadratic search for them.
        let other: Vec<u32> = (5000..8000).collect();
        assert!(equal_pairs(&old, &other, 0, 0, 0).is_empty());
    }

    #[test]
    fn longest_increasing_run() {
        let pairs = [(0, 3), (1, 0), (2, 1), (3, 4), (4, 2)];
        assert_eq!(longest_increasing(&pairs), [(1, 0), (2, 1), (4, 2)]);
        assert!(longest_increasing(&[]).is_empty());
    }

    #[test]
    fn nearest_takes_the_window_by_binary_search() {
        let t = |m: i64| Some(DateTime::from_timestamp(m * 60, 0).unwrap());
        let times = [t(0), t(10), t(100), t(200), t(400)];
        assert_eq!(nearest(t(150), &times, true), [0, 1, 2, 3]);
        assert_eq!(nearest(t(1000), &times, true), Vec::<usize>::new());
        assert_eq!(nearest(None, &times, true), [0, 1, 2, 3, 4]);
        let many: Vec<_> = (0..200).map(t).collect();
        let found = nearest(t(100), &many, true);
        assert_eq!(found.len(), MAX_CANDIDATES);
        assert!(found.contains(&100) && !found.contains(&10));
    }

    #[test]
    fn word_bag_bounds_similarity() {
        let mut vocabulary = HashMap::new();
        let a = Profile::new("engineers restart the hosts", &mut vocabulary);
        let b = Profile::new("the hosts restart engineers", &mut vocabulary);
        assert_eq!(a.bound(&b), 1.0);
        assert!(similarity(&a.sequence, &b.sequence) < 1.0);
    }

    #[test]
    fn chain_picks_the_heaviest_increasing_set() {
        // (0,1) and (1,0) cross; (0,0)+(1,1) is the heaviest chain.
        let c = [(0, 0, 600), (0, 1, 900), (1, 0, 900), (1, 1, 700)];
        assert_eq!(chain(&c, 2), [(0, 0), (1, 1)]);
        let c = [(0, 1, 900), (1, 0, 900)];
        assert_eq!(chain(&c, 2), [(0, 1)]);
    }

    #[test]
    fn alignment_mirrors() {
        let old = items(&["a", "b", "x y z", "c"]);
        let new = items(&["b", "a", "x y w", "c", "d"]);
        let ab = align(&old, &new);
        let ba = align(&new, &old);
        assert_eq!(ab.clone().mirror(), ba);
    }
}
