//! The dependency graph of an HTML report: one box per service that depends on another or
//! is depended on, coloured by its worst status, in columns from the services that depend on
//! nothing (left) to those that depend on the most (right); each edge runs from a dependency
//! to its dependent, labelled with the delay between their impacts.
//!
//! Every piece of text is XML-escaped here; colours come from CSS classes, as in the
//! timeline (see [`super::svg`]).

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use chrono::TimeDelta;

use super::view::{EdgeView, View};
use crate::escape::xml as esc;
use crate::metrics::human_duration;
use crate::model::ServiceStatus;

const NODE_W: f64 = 150.0;
const NODE_H: f64 = 34.0;
/// Room between two columns, for the edges and their labels.
const GAP: f64 = 120.0;
/// The height a box takes in its column, and the height a passing edge takes.
const ROW: f64 = 52.0;
const PASS: f64 = 24.0;
const PAD: f64 = 16.0;
/// The width the legend needs.
const MIN_WIDTH: f64 = 1050.0;
/// Room above the columns for the legend.
const TOP: f64 = 34.0;
/// The most boxes, and the most column crossings of edges, a graph is drawn with: past them
/// it could not be read (and the layout would cost time for nothing), so there is none; the
/// reports still say how many services were hit through dependencies.
const MAX_BOXES: usize = 100;
const MAX_PASSES: usize = 1_000;
/// The longest name shown whole in a box; longer ones end in `…` (the tooltip has it all).
const NAME_CHARS: usize = 20;

/// One box of the graph.
struct Node<'a> {
    name: &'a str,
    worst: Option<ServiceStatus>,
    origin: bool,
    column: usize,
    /// The top of its box.
    y: f64,
}

/// What takes a place in a column: a box, or an edge passing through on its way to a
/// column further right (it gets its own place, so it never runs behind a box).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    Node(usize),
    /// Edge `e` of `view.dependencies` passing through.
    Pass(usize),
}

/// The graph laid out: boxes, and for each edge the heights at which it crosses the columns
/// between its ends.
struct Layout<'a> {
    nodes: Vec<Node<'a>>,
    /// By edge of `view.dependencies`: the middle height of each column it passes.
    passes: Vec<Vec<(usize, f64)>>,
    columns: usize,
    height: f64,
}

/// The dependency graph of `view` as an inline `<svg>` element; empty when no service
/// depends on another.
pub fn dependencies(view: &View) -> String {
    if view.dependencies.is_empty() {
        return String::new();
    }
    let Some(layout) = layout(view) else {
        return String::new();
    };
    let at: HashMap<&str, &Node> = layout.nodes.iter().map(|n| (n.name, n)).collect();
    let columns = layout.columns;
    // Never narrower than the legend: a small graph keeps its boxes at their size (the page
    // scales the picture to its width) instead of blowing them up.
    let width = (2.0 * PAD + columns as f64 * NODE_W + (columns - 1) as f64 * GAP).max(MIN_WIDTH);
    let height = TOP + layout.height + PAD;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-labelledby="graph-title"><title id="graph-title">{}</title>"#,
        esc(&format!(
            "Dependencies of {}: {} service{} hit through them",
            view.title,
            view.hit_through_dependencies,
            if view.hit_through_dependencies == 1 {
                ""
            } else {
                "s"
            }
        ))
    );
    let _ = write!(
        s,
        r#"<text class="legend" x="{PAD}" y="20">Arrows run from a service to those that depend on it, labelled with the delay between their impacts (negative: already impaired). Bold: an origin.</text>"#
    );
    // Edges first, so boxes and labels draw over them.
    let mut labels = Labels::default();
    for (edge, passes) in view.dependencies.iter().zip(&layout.passes) {
        let (Some(from), Some(to)) = (
            at.get(edge.dependency.as_str()),
            at.get(edge.dependent.as_str()),
        ) else {
            continue;
        };
        draw_edge(&mut s, &mut labels, edge, from, to, passes);
    }
    for node in &layout.nodes {
        draw_node(&mut s, node);
    }
    s.push_str(&labels.svg);
    s.push_str("</svg>");
    s
}

fn x_of(column: usize) -> f64 {
    PAD + column as f64 * (NODE_W + GAP)
}

/// The services on an edge, each in the column after its deepest dependency; in each column
/// the boxes and passing edges are ordered by the mean place of what leads into them in the
/// column before (fewer crossings), then as declared.
fn layout(view: &View) -> Option<Layout<'_>> {
    let on_edge: HashSet<&str> = view
        .dependencies
        .iter()
        .flat_map(|e| [e.dependency.as_str(), e.dependent.as_str()])
        .collect();
    let services: Vec<_> = view
        .services
        .iter()
        .filter(|s| on_edge.contains(s.name.as_str()))
        .collect();
    let index: HashMap<&str, usize> = services
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    // Each edge by the indices of its ends.
    let edges: Vec<Option<(usize, usize)>> = view
        .dependencies
        .iter()
        .map(|e| {
            Some((
                *index.get(e.dependency.as_str())?,
                *index.get(e.dependent.as_str())?,
            ))
        })
        .collect();
    // The edges at each service, so that ordering stays linear in the graph.
    let mut touching: Vec<Vec<usize>> = vec![Vec::new(); services.len()];
    for (e, ends) in edges.iter().enumerate() {
        if let Some((from, to)) = *ends {
            touching[from].push(e);
            touching[to].push(e);
        }
    }
    let column = columns(services.len(), &edges);
    let columns = column.iter().max().map_or(0, |c| c + 1);
    let passing: usize = edges
        .iter()
        .flatten()
        .map(|&(from, to)| column[to].saturating_sub(column[from] + 1))
        .sum();
    if services.len() > MAX_BOXES || passing > MAX_PASSES {
        return None;
    }
    let mut slots: Vec<Vec<Slot>> = vec![Vec::new(); columns];
    for (i, &c) in column.iter().enumerate() {
        slots[c].push(Slot::Node(i));
    }
    for (e, ends) in edges.iter().enumerate() {
        if let Some((from, to)) = *ends {
            for slot in slots.iter_mut().take(column[to]).skip(column[from] + 1) {
                slot.push(Slot::Pass(e));
            }
        }
    }
    // Place of each slot in its column: sweep right, then back left, then right again, each
    // time ordering a column by where its neighbours sit in the column just swept.
    let mut place_of_node: Vec<usize> = vec![0; services.len()];
    let mut place_of_pass: HashMap<(usize, usize), usize> = HashMap::new();
    let occupant_place =
        |e: usize, k: usize, nodes: &[usize], passes: &HashMap<(usize, usize), usize>| {
            let (from, to) = edges[e]?;
            match k {
                k if k == column[from] => Some(nodes[from]),
                k if k == column[to] => Some(nodes[to]),
                k if k > column[from] && k < column[to] => passes.get(&(e, k)).copied(),
                _ => None,
            }
        };
    let sweeps = (1..columns)
        .map(|c| (c, c - 1))
        .chain((0..columns.saturating_sub(1)).rev().map(|c| (c, c + 1)))
        .chain((1..columns).map(|c| (c, c - 1)));
    let initial = (0..1).map(|c| (c, usize::MAX));
    for (c, other) in initial.chain(sweeps) {
        let neighbours = |slot: &Slot| -> Vec<usize> {
            let on = |e: usize| occupant_place(e, other, &place_of_node, &place_of_pass);
            match *slot {
                Slot::Node(i) => touching[i].iter().filter_map(|&e| on(e)).collect(),
                Slot::Pass(e) => on(e).into_iter().collect(),
            }
        };
        let mut keyed: Vec<(f64, usize, Slot)> = slots[c]
            .iter()
            .enumerate()
            .map(|(k, slot)| {
                let places = neighbours(slot);
                let key = match places.len() {
                    0 => k as f64,
                    n => places.iter().sum::<usize>() as f64 / n as f64,
                };
                (key, k, *slot)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        slots[c] = keyed.into_iter().map(|(_, _, slot)| slot).collect();
        for (place, slot) in slots[c].iter().enumerate() {
            match *slot {
                Slot::Node(i) => place_of_node[i] = place,
                Slot::Pass(e) => {
                    place_of_pass.insert((e, c), place);
                }
            }
        }
    }
    // Heights: a box takes a row, a passing edge a narrower one.
    let mut top = vec![0.0; services.len()];
    let mut passes: Vec<Vec<(usize, f64)>> = vec![Vec::new(); edges.len()];
    let mut height: f64 = 0.0;
    for (c, column_slots) in slots.iter().enumerate() {
        let mut y = TOP;
        for slot in column_slots {
            match *slot {
                Slot::Node(i) => {
                    top[i] = y;
                    y += ROW;
                }
                Slot::Pass(e) => {
                    passes[e].push((c, y + PASS / 2.0));
                    y += PASS;
                }
            }
        }
        height = height.max(y - TOP);
    }
    let origins: HashSet<&str> = view.origin_services.iter().map(String::as_str).collect();
    let nodes = services
        .iter()
        .enumerate()
        .map(|(i, s)| Node {
            name: &s.name,
            worst: s
                .windows
                .iter()
                .map(|w| w.worst_status)
                .max_by_key(|w| w.badness()),
            origin: origins.contains(s.name.as_str()),
            column: column[i],
            y: top[i],
        })
        .collect();
    Some(Layout {
        nodes,
        passes,
        columns,
        height,
    })
}

/// Each service's column: the longest path to it from a service that depends on nothing, in
/// topological order (linear in the graph; services on a cycle, which a checked log never
/// has, stay where they are).
fn columns(n: usize, edges: &[Option<(usize, usize)>]) -> Vec<usize> {
    let mut column = vec![0usize; n];
    let mut waiting = vec![0usize; n];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(from, to) in edges.iter().flatten() {
        waiting[to] += 1;
        dependents[from].push(to);
    }
    let mut ready: Vec<usize> = (0..n).filter(|&i| waiting[i] == 0).collect();
    while let Some(i) = ready.pop() {
        for &d in &dependents[i] {
            column[d] = column[d].max(column[i] + 1);
            waiting[d] -= 1;
            if waiting[d] == 0 {
                ready.push(d);
            }
        }
    }
    column
}

fn draw_node(s: &mut String, node: &Node) {
    let (x, y) = (x_of(node.column), node.y);
    // A name that would run past its box (wide letters) is squeezed into it.
    let name = shorten(node.name);
    let room = NODE_W - 14.0;
    let fit = if name.chars().count() as f64 * 8.5 > room {
        format!(r#" textLength="{room}" lengthAdjust="spacingAndGlyphs""#)
    } else {
        String::new()
    };
    let class = node.worst.map_or("operational", ServiceStatus::as_str);
    let label = node.worst.map_or("not impacted", ServiceStatus::label);
    let origin = if node.origin { " origin" } else { "" };
    let tooltip = format!(
        "{}: {label}{}",
        node.name,
        if node.origin { " (an origin)" } else { "" }
    );
    let _ = write!(
        s,
        r#"<g class="node {class}{origin}"><title>{}</title><rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="6"/><text x="{:.1}" y="{:.1}"{fit}>{}</text></g>"#,
        esc(&tooltip),
        x + NODE_W / 2.0,
        y + NODE_H / 2.0 + 4.5,
        esc(&name)
    );
}

/// A point of a cubic curve from `a` to `b` that leaves and arrives horizontally, at `t`.
fn curve_at(a: (f64, f64), b: (f64, f64), t: f64) -> (f64, f64) {
    let bend = ((b.0 - a.0) / 2.0).max(30.0);
    let (p1, p2) = ((a.0 + bend, a.1), (b.0 - bend, b.1));
    let u = 1.0 - t;
    let mix = |a: f64, p1: f64, p2: f64, b: f64| {
        u * u * u * a + 3.0 * u * u * t * p1 + 3.0 * u * t * t * p2 + t * t * t * b
    };
    (mix(a.0, p1.0, p2.0, b.0), mix(a.1, p1.1, p2.1, b.1))
}

fn draw_edge(
    s: &mut String,
    labels: &mut Labels,
    edge: &EdgeView,
    from: &Node,
    to: &Node,
    passes: &[(usize, f64)],
) {
    // Through each column it passes: in at the left of the column, out at the right.
    let mut points = vec![(x_of(from.column) + NODE_W, from.y + NODE_H / 2.0)];
    for &(c, y) in passes {
        points.push((x_of(c), y));
        points.push((x_of(c) + NODE_W, y));
    }
    points.push((x_of(to.column), to.y + NODE_H / 2.0));
    let mut d = format!("M{:.1} {:.1}", points[0].0, points[0].1);
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if (b.0 - a.0 - NODE_W).abs() < 0.5 && (a.1 - b.1).abs() < 0.5 {
            // Straight through a column.
            let _ = write!(d, " L{:.1} {:.1}", b.0, b.1);
        } else {
            let bend = ((b.0 - a.0) / 2.0).max(30.0);
            let _ = write!(
                d,
                " C{:.1} {:.1} {:.1} {:.1} {:.1} {:.1}",
                a.0 + bend,
                a.1,
                b.0 - bend,
                b.1,
                b.0,
                b.1
            );
        }
    }
    // The head, drawn in place: every edge arrives horizontally (no `url(#marker)`, which
    // a self-contained page would have to resolve).
    let (hx, hy) = points[points.len() - 1];
    let _ = write!(
        s,
        r#"<path class="edge" d="{d}"/><path class="arrow" d="M{:.1} {:.1} L{hx:.1} {hy:.1} L{:.1} {:.1} z"/>"#,
        hx - 8.0,
        hy - 4.0,
        hx - 8.0,
        hy + 4.0
    );
    let Some(delay) = edge.delay else {
        return;
    };
    let text = signed(delay);
    let n = points.len();
    let (lx, ly) = labels.place(points[n - 2], points[n - 1], &text);
    let class = if delay < TimeDelta::zero() {
        "delay before"
    } else {
        "delay"
    };
    let _ = write!(
        labels.svg,
        r#"<text class="{class}" x="{lx:.1}" y="{:.1}"><title>{}</title>{}</text>"#,
        ly + 4.5,
        esc(&format!(
            "{} was hit {} {} {}",
            edge.dependent,
            delay_text(delay),
            if delay < TimeDelta::zero() {
                "before"
            } else {
                "after"
            },
            edge.dependency
        )),
        esc(&text)
    );
}

/// The delay labels: each sits on its edge's last stretch, where it overlaps no label
/// placed before it (the first of a few places along the curve that is free).
#[derive(Default)]
struct Labels {
    svg: String,
    /// Boxes taken: left, top, right, bottom.
    taken: Vec<(f64, f64, f64, f64)>,
}

impl Labels {
    fn place(&mut self, a: (f64, f64), b: (f64, f64), text: &str) -> (f64, f64) {
        let half = text.chars().count() as f64 * 4.0 + 3.0;
        let boxed = |(x, y): (f64, f64)| (x - half, y - 8.0, x + half, y + 8.0);
        let free = |r: &(f64, f64, f64, f64)| {
            !self
                .taken
                .iter()
                .any(|t| r.0 < t.2 && t.0 < r.2 && r.1 < t.3 && t.1 < r.3)
        };
        let spot = [0.5, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6]
            .iter()
            .map(|&t| curve_at(a, b, t))
            .find(|&p| free(&boxed(p)))
            .unwrap_or_else(|| curve_at(a, b, 0.5));
        self.taken.push(boxed(spot));
        spot
    }
}

/// `+5h 42m`, `−2m`, `+0m`.
fn signed(delay: TimeDelta) -> String {
    if delay < TimeDelta::zero() {
        format!("−{}", human_duration(-delay))
    } else {
        format!("+{}", human_duration(delay))
    }
}

fn delay_text(delay: TimeDelta) -> String {
    human_duration(delay.abs())
}

/// A name cut to [`NAME_CHARS`] characters, with `…` when cut.
fn shorten(name: &str) -> String {
    if name.chars().count() <= NAME_CHARS {
        return name.to_owned();
    }
    let mut out: String = name.chars().take(NAME_CHARS - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(log: &str) -> View {
        let source = crate::source::Source::from_text("t.yaml", log);
        let incident = crate::validate::check(&source, Default::default())
            .incident
            .expect("valid");
        let redacted = crate::redact::redact(&incident, crate::redact::Audience::Public);
        super::super::view::build(&redacted, chrono_tz::UTC)
    }

    const LOG: &str = "\
title: T
severity: SEV2
services:
  - DB
  - name: API <b>
    depends_on: [DB]
  - name: Web
    depends_on: [API <b>, DB]
  - name: Vault
    internal: true
  - name: Jobs
    depends_on: [Vault]
timeline:
  - at: 2026-01-01T10:00:00Z
    phase: started
    status: {DB: major_outage, Vault: major_outage}
    text: x
  - at: 2026-01-01T10:05:00Z
    status: {API <b>: partial_outage, Jobs: partial_outage}
    text: y
  - at: 2026-01-01T11:00:00Z
    status: {Web: degraded_performance}
    text: z
";

    #[test]
    fn columns_follow_the_dependencies_and_edges_carry_delays() {
        let view = report(LOG);
        let nodes = layout(&view).expect("a small graph").nodes;
        let placed: Vec<(&str, usize)> = nodes.iter().map(|n| (n.name, n.column)).collect();
        assert_eq!(placed, [("DB", 0), ("API <b>", 1), ("Web", 2)]);
        let svg = dependencies(&view);
        assert!(
            svg.contains("API &lt;b&gt;") && !svg.contains("<b>"),
            "{svg}"
        );
        assert!(svg.contains(">+5m</text>") && svg.contains(">+55m</text>"));
        assert!(svg.contains(">+1h</text>"), "Web an hour after DB");
        assert!(svg.contains(r#"class="node major_outage origin""#));
        assert!(svg.contains(r#"class="node degraded_performance""#));
    }

    /// A public graph never draws an internal service, nor an edge to one.
    #[test]
    fn an_internal_service_is_not_drawn_publicly() {
        let view = report(LOG);
        let svg = dependencies(&view);
        assert!(!svg.contains("Vault") && !svg.contains("Jobs"), "{svg}");
        assert!(view.origin_services.contains(&"Jobs".to_owned()));
    }

    #[test]
    fn no_edges_no_graph() {
        let view = report(
            "title: T\nseverity: SEV2\nservices: [A]\ntimeline:\n  - at: 2026-01-01T10:00:00Z\n    status: {A: major_outage}\n    text: x\n",
        );
        assert_eq!(dependencies(&view), "");
    }

    /// A graph too big to read is not drawn (nor laid out); the report still says how many
    /// services were hit through their dependencies.
    #[test]
    fn a_graph_past_the_limits_is_not_drawn() {
        let mut log = String::from("title: T\nseverity: SEV2\nservices:\n  - S0\n");
        for i in 1..=MAX_BOXES {
            log.push_str(&format!("  - name: S{i}\n    depends_on: [S{}]\n", i - 1));
        }
        log.push_str("timeline:\n  - at: 2026-01-01T10:00:00Z\n    status: {S0: major_outage}\n    text: x\n");
        let view = report(&log);
        assert_eq!(view.dependencies.len(), MAX_BOXES);
        assert_eq!(dependencies(&view), "");
        let html = crate::render::TemplateSet::load::<&str>(&[])
            .unwrap()
            .render("summary.html", &crate::render::context(&view))
            .unwrap();
        assert!(html.contains("services were hit through services they depend on"));
        assert!(!html.contains("<svg class=\"graph\""));
    }

    #[test]
    fn long_names_are_cut_and_delays_signed() {
        assert_eq!(shorten("Console sign-in"), "Console sign-in");
        assert_eq!(
            shorten("A very long service name indeed"),
            "A very long service…"
        );
        assert_eq!(signed(TimeDelta::minutes(-2)), "−2m");
        assert_eq!(signed(TimeDelta::zero()), "+0m");
    }
}
