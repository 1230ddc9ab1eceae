//! The cascade: which impaired services were origins and which were hit through their
//! dependencies (`depends_on:`), and how long the impact took along each edge.
//!
//! A service is an origin when none of its dependencies was impaired at or before the moment
//! it first was; every other impaired service was hit through a dependency.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};

use super::{ImpactWindow, ServiceImpact};
use crate::model::Service;

/// One dependency edge: `dependent` needs `dependency`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    pub dependency: String,
    pub dependent: String,
    /// From the dependency's first impact to the start of the dependent's impact then (a
    /// window still open at that moment, or the next one): negative when the dependent was
    /// already impaired; `None` unless the dependent was impaired then or later.
    pub delay: Option<TimeDelta>,
}

/// The cascade over a set of services.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cascade {
    /// Impaired services none of whose dependencies was impaired at or before them, in
    /// declaration order.
    pub origins: Vec<String>,
    /// The other impaired services, in declaration order.
    pub through_dependencies: Vec<String>,
    /// Every edge between two of the services, in declaration order of the dependents.
    pub edges: Vec<Edge>,
}

/// The cascade over `services`, each with its impact (`impacts` in the same order). A
/// dependency that is not among `services` (left out for an audience) is no edge.
pub fn cascade(services: &[Service], impacts: &[ServiceImpact]) -> Cascade {
    let windows: HashMap<&str, &[ImpactWindow]> = services
        .iter()
        .zip(impacts)
        .map(|(s, i)| (s.name.as_str(), i.windows.as_slice()))
        .collect();
    let first = |name: &str| Some(windows.get(name)?.first()?.from);
    let mut out = Cascade::default();
    for service in services {
        let hit = first(&service.name);
        let mut through = false;
        for dependency in &service.depends_on {
            if !windows.contains_key(dependency.as_str()) {
                continue;
            }
            let dep_hit = first(dependency);
            through |= matches!((dep_hit, hit), (Some(d), Some(h)) if d <= h);
            out.edges.push(Edge {
                dependency: dependency.clone(),
                dependent: service.name.clone(),
                delay: dep_hit.and_then(|d| delay(windows[service.name.as_str()], d)),
            });
        }
        if hit.is_some() {
            match through {
                true => out.through_dependencies.push(service.name.clone()),
                false => out.origins.push(service.name.clone()),
            }
        }
    }
    out
}

/// From `since` (a dependency's first impact) to the start of the dependent's first window
/// still open then or opened later: negative when it was already impaired, `None` when it
/// was never impaired again.
fn delay(windows: &[ImpactWindow], since: DateTime<Utc>) -> Option<TimeDelta> {
    let window = windows.iter().find(|w| w.to.is_none_or(|to| to > since))?;
    Some(window.from - since)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ServiceStatus;

    fn service(name: &str, depends_on: &[&str]) -> Service {
        Service {
            name: name.to_owned(),
            description: None,
            internal: false,
            depends_on: depends_on.iter().map(|d| d.to_string()).collect(),
        }
    }

    /// An impact starting `minute` minutes past 06:00, or none.
    fn impact(name: &str, minute: Option<i64>) -> ServiceImpact {
        let base = DateTime::parse_from_rfc3339("2025-10-20T06:00:00Z")
            .unwrap()
            .to_utc();
        let windows = minute
            .map(|m| ImpactWindow {
                from: base + TimeDelta::minutes(m),
                to: None,
                worst: ServiceStatus::MajorOutage,
                segments: Vec::new(),
                opened_by: 0,
                closed_by: None,
            })
            .into_iter()
            .collect();
        ServiceImpact {
            name: name.to_owned(),
            windows,
            total: TimeDelta::zero(),
        }
    }

    #[test]
    fn origins_and_services_hit_through_dependencies() {
        let services = [
            service("DynamoDB", &[]),
            service("EC2", &["DynamoDB"]),
            service("NLB", &["EC2"]),
            service("STS", &["DynamoDB", "NLB"]),
            service("Billing", &["EC2"]),
            service("Search", &["NLB"]),
        ];
        let impacts = [
            impact("DynamoDB", Some(48)),
            impact("EC2", Some(48)),
            impact("NLB", Some(390)),
            impact("STS", Some(50)),
            impact("Billing", None),
            impact("Search", Some(10)),
        ];
        let c = cascade(&services, &impacts);
        assert_eq!(
            c.origins,
            ["DynamoDB", "Search"],
            "Search was hit before NLB"
        );
        assert_eq!(c.through_dependencies, ["EC2", "NLB", "STS"]);
        let delays: Vec<(&str, &str, Option<i64>)> = c
            .edges
            .iter()
            .map(|e| {
                let delay = e.delay.map(|d| d.num_minutes());
                (e.dependency.as_str(), e.dependent.as_str(), delay)
            })
            .collect();
        assert_eq!(
            delays,
            [
                ("DynamoDB", "EC2", Some(0)),
                ("EC2", "NLB", Some(342)),
                ("DynamoDB", "STS", Some(2)),
                ("NLB", "STS", Some(-340)),
                ("EC2", "Billing", None),
                ("NLB", "Search", Some(-380)),
            ]
        );
    }

    /// STS recovers from DynamoDB, then fails again with NLB: that edge's delay is measured
    /// to the second window; a service never hit again after its dependency gets none.
    #[test]
    fn the_delay_reaches_the_window_open_after_the_dependency_was_hit() {
        let services = [
            service("DynamoDB", &[]),
            service("NLB", &[]),
            service("STS", &["DynamoDB", "NLB"]),
            service("Console", &["NLB"]),
        ];
        let mut sts = impact("STS", Some(0));
        let second = ImpactWindow {
            from: sts.windows[0].from + TimeDelta::minutes(390),
            ..sts.windows[0].clone()
        };
        sts.windows[0].to = Some(sts.windows[0].from + TimeDelta::minutes(90));
        sts.windows.push(second);
        let mut console = impact("Console", Some(0));
        console.windows[0].to = Some(console.windows[0].from + TimeDelta::minutes(30));
        let impacts = [
            impact("DynamoDB", Some(0)),
            impact("NLB", Some(390)),
            sts,
            console,
        ];
        let delays: Vec<Option<i64>> = cascade(&services, &impacts)
            .edges
            .iter()
            .map(|e| e.delay.map(|d| d.num_minutes()))
            .collect();
        assert_eq!(delays, [Some(0), Some(0), None]);
    }

    #[test]
    fn a_dependency_left_out_is_no_edge() {
        let services = [service("EC2", &["Hidden"])];
        let c = cascade(&services, &[impact("EC2", Some(5))]);
        assert!(c.edges.is_empty());
        assert_eq!(c.origins, ["EC2"]);
    }
}
