//! The dependency graph of an HTML report: one box per service that depends on another or
//! is depended on, coloured by its worst status, in columns from the services that depend on
//! nothing (left) to those that depend on the most (right); each edge runs from a dependency
//! to its dependent, labelled with the delay between their impacts.
//!
//! Every piece of text is XML-escaped here; colours come from CSS classes, as in the
//! timeline (see [`super::svg`]).

use std::collections::HashMap;
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
const ROW: f64 = 56.0;
const PAD: f64 = 16.0;
/// Room above the columns for the legend.
const TOP: f64 = 34.0;
/// The longest name shown whole in a box; longer ones end in `…` (the tooltip has it all).
const NAME_CHARS: usize = 20;

/// One box of the graph.
struct Node<'a> {
    name: &'a str,
    worst: Option<ServiceStatus>,
    origin: bool,
    column: usize,
    row: usize,
}

/// The dependency graph of `view` as an inline `<svg>` element; empty when no service
/// depends on another.
pub fn dependencies(view: &View) -> String {
    if view.dependencies.is_empty() {
        return String::new();
    }
    let nodes = layout(view);
    let at: HashMap<&str, &Node> = nodes.iter().map(|n| (n.name, n)).collect();
    let columns = nodes.iter().map(|n| n.column + 1).max().unwrap_or(1);
    let rows = nodes.iter().map(|n| n.row + 1).max().unwrap_or(1);
    let width = 2.0 * PAD + columns as f64 * NODE_W + (columns - 1) as f64 * GAP;
    let height = TOP + PAD + rows as f64 * ROW;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-labelledby="graph-title"><title id="graph-title">{}</title>"#,
        esc(&format!(
            "Dependencies of {}: {} service{} hit through them",
            view.title,
            view.hit_through_dependencies,
            if view.hit_through_dependencies == 1 { "" } else { "s" }
        ))
    );
    s.push_str(r#"<defs><marker id="graph-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L8 4 L0 8 z" class="arrow"/></marker></defs>"#);
    let _ = write!(
        s,
        r#"<text class="legend" x="{PAD}" y="20">Arrows run from a service to the ones that depend on it, labelled with the delay between their impacts; a bold box is an origin.</text>"#
    );
    // Edges first, so boxes and labels draw over them.
    let mut labels = String::new();
    for edge in &view.dependencies {
        let (Some(from), Some(to)) = (at.get(edge.dependency.as_str()), at.get(edge.dependent.as_str())) else {
            continue;
        };
        draw_edge(&mut s, &mut labels, edge, from, to);
    }
    for node in &nodes {
        draw_node(&mut s, node);
    }
    s.push_str(&labels);
    s.push_str("</svg>");
    s
}

fn x_of(node: &Node) -> f64 {
    PAD + node.column as f64 * (NODE_W + GAP)
}

fn y_of(node: &Node) -> f64 {
    TOP + PAD / 2.0 + node.row as f64 * ROW
}

/// The services on an edge, each in the column after its deepest dependency, rows ordered by
/// the mean row of their dependencies (fewer crossings), then by declaration.
fn layout(view: &View) -> Vec<Node<'_>> {
    let on_edge = |name: &str| {
        view.dependencies
            .iter()
            .any(|e| e.dependency == name || e.dependent == name)
    };
    let services: Vec<_> = view.services.iter().filter(|s| on_edge(&s.name)).collect();
    let index: HashMap<&str, usize> = services
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    let deps: Vec<Vec<usize>> = services
        .iter()
        .map(|s| {
            view.dependencies
                .iter()
                .filter(|e| e.dependent == s.name)
                .filter_map(|e| index.get(e.dependency.as_str()).copied())
                .collect()
        })
        .collect();
    // Longest path from a service that depends on nothing; at most n rounds (the graph has
    // no cycle, and a view built by hand with one still ends).
    let mut column = vec![0usize; services.len()];
    for _ in 0..services.len() {
        let mut changed = false;
        for (i, ds) in deps.iter().enumerate() {
            let c = ds.iter().map(|&d| column[d] + 1).max().unwrap_or(0);
            if c > column[i] {
                column[i] = c;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let columns = column.iter().max().map_or(0, |c| c + 1);
    let mut row = vec![0usize; services.len()];
    for c in 0..columns {
        let mut members: Vec<usize> = (0..services.len()).filter(|&i| column[i] == c).collect();
        let key = |i: usize| -> f64 {
            let ds = &deps[i];
            match ds.len() {
                0 => i as f64,
                n => ds.iter().map(|&d| row[d] as f64).sum::<f64>() / n as f64,
            }
        };
        members.sort_by(|&a, &b| key(a).total_cmp(&key(b)).then(a.cmp(&b)));
        for (r, i) in members.into_iter().enumerate() {
            row[i] = r;
        }
    }
    let origins = &view.origin_services;
    services
        .iter()
        .enumerate()
        .map(|(i, s)| Node {
            name: &s.name,
            worst: s.windows.iter().map(|w| w.worst_status).max_by_key(|w| w.badness()),
            origin: origins.contains(&s.name),
            column: column[i],
            row: row[i],
        })
        .collect()
}

fn draw_node(s: &mut String, node: &Node) {
    let (x, y) = (x_of(node), y_of(node));
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
        r#"<g class="node {class}{origin}"><title>{}</title><rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="6"/><text x="{:.1}" y="{:.1}">{}</text></g>"#,
        esc(&tooltip),
        x + NODE_W / 2.0,
        y + NODE_H / 2.0 + 4.0,
        esc(&shorten(node.name))
    );
}

fn draw_edge(s: &mut String, labels: &mut String, edge: &EdgeView, from: &Node, to: &Node) {
    let (x1, y1) = (x_of(from) + NODE_W, y_of(from) + NODE_H / 2.0);
    let (x2, y2) = (x_of(to), y_of(to) + NODE_H / 2.0);
    let bend = ((x2 - x1) / 2.0).max(40.0);
    let _ = write!(
        s,
        r#"<path class="edge" d="M{x1:.1} {y1:.1} C{:.1} {y1:.1} {:.1} {y2:.1} {x2:.1} {y2:.1}" marker-end="url(#graph-arrow)"/>"#,
        x1 + bend,
        x2 - bend
    );
    let Some(delay) = edge.delay else {
        return;
    };
    // The label sits just before the dependent, where edges into one box fan apart least
    // and overlap other columns never.
    let (lx, ly) = (x2 - GAP / 2.0, y2 + (y1 - y2) * 0.08 - 4.0);
    let _ = write!(
        labels,
        r#"<text class="delay" x="{lx:.1}" y="{ly:.1}"><title>{}</title>{}</text>"#,
        esc(&format!(
            "{} was hit {} {}",
            edge.dependent,
            delay_text(delay),
            if delay < TimeDelta::zero() {
                format!("before {}", edge.dependency)
            } else {
                format!("after {}", edge.dependency)
            }
        )),
        esc(&signed(delay))
    );
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
        let nodes = layout(&view);
        let placed: Vec<(&str, usize)> = nodes.iter().map(|n| (n.name, n.column)).collect();
        assert_eq!(placed, [("DB", 0), ("API <b>", 1), ("Web", 2)]);
        let svg = dependencies(&view);
        assert!(svg.contains("API &lt;b&gt;") && !svg.contains("<b>"), "{svg}");
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
        let view = report("title: T\nseverity: SEV2\nservices: [A]\ntimeline:\n  - at: 2026-01-01T10:00:00Z\n    status: {A: major_outage}\n    text: x\n");
        assert_eq!(dependencies(&view), "");
    }

    #[test]
    fn long_names_are_cut_and_delays_signed() {
        assert_eq!(shorten("Console sign-in"), "Console sign-in");
        assert_eq!(shorten("A very long service name indeed"), "A very long service…");
        assert_eq!(signed(TimeDelta::minutes(-2)), "−2m");
        assert_eq!(signed(TimeDelta::zero()), "+0m");
    }
}
