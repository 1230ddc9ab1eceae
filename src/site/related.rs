//! Recurrence: the incidents each one is related to, both ways. A log lists the ids it recurs
//! with (`related:`); its page shows those and every incident whose log lists it (backlinks),
//! so a link written once appears on both pages.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// An incident related to the one a page is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedLink {
    pub id: String,
    pub title: String,
    /// Its page, relative to the site root.
    pub url: String,
    /// Whether this incident's own log lists it (else only the other log lists this one).
    pub listed_here: bool,
    /// Whether the other log lists this incident.
    pub lists_this: bool,
}

/// One incident of the site: its id, title and `related:` ids.
pub struct Node<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub related: &'a [String],
}

/// The related incidents of every incident of `nodes`, both ways, by id; ids that name no
/// incident of the site are left out (`check` reports them). Each list is sorted by id.
pub fn graph<'a>(nodes: impl IntoIterator<Item = Node<'a>>) -> BTreeMap<String, Vec<RelatedLink>> {
    let nodes: Vec<Node> = nodes.into_iter().collect();
    let titles: BTreeMap<&str, &str> = nodes.iter().map(|n| (n.id, n.title)).collect();
    let edges: BTreeSet<(&str, &str)> = nodes
        .iter()
        .flat_map(|n| n.related.iter().map(move |r| (n.id, r.as_str())))
        .filter(|(from, to)| from != to && titles.contains_key(to))
        .collect();
    let mut out: BTreeMap<String, Vec<RelatedLink>> = BTreeMap::new();
    for &(from, to) in &edges {
        for (here, there) in [(from, to), (to, from)] {
            let list = out.entry(here.to_owned()).or_default();
            if list.iter().any(|l| l.id == there) {
                continue;
            }
            list.push(RelatedLink {
                id: there.to_owned(),
                title: titles[there].to_owned(),
                url: super::incident_path(there),
                listed_here: edges.contains(&(here, there)),
                lists_this: edges.contains(&(there, here)),
            });
        }
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| a.id.cmp(&b.id));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_go_both_ways_and_unknown_ids_drop() {
        let a = ["b".to_owned(), "ghost".to_owned()];
        let c = ["b".to_owned(), "a".to_owned()];
        let g = graph([
            Node {
                id: "a",
                title: "A",
                related: &a,
            },
            Node {
                id: "b",
                title: "B",
                related: &[],
            },
            Node {
                id: "c",
                title: "C",
                related: &c,
            },
        ]);
        let ids = |id: &str| -> Vec<(String, bool, bool)> {
            g.get(id)
                .map(|l| {
                    l.iter()
                        .map(|l| (l.id.clone(), l.listed_here, l.lists_this))
                        .collect()
                })
                .unwrap_or_default()
        };
        assert_eq!(
            ids("a"),
            [("b".into(), true, false), ("c".into(), false, true)]
        );
        assert_eq!(
            ids("b"),
            [("a".into(), false, true), ("c".into(), false, true)]
        );
        assert_eq!(
            ids("c"),
            [("a".into(), true, false), ("b".into(), true, false)]
        );
    }
}
