//! Impact by region: an event with `region:` changes statuses in that region only, one
//! without changes them in every region of the incident. Each region gets its own impact
//! windows per service, and a recovery: when its last impaired service came back.

use chrono::{DateTime, TimeDelta, Utc};

use super::{ServiceImpact, windows_in};
use crate::model::Incident;

/// One region's impact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionImpact {
    pub region: String,
    /// One per service of the incident (or of what an audience may see), in declaration
    /// order; a service never impaired there has no windows.
    pub services: Vec<ServiceImpact>,
    /// The first moment any service there was impaired; `None` if none was.
    pub first: Option<DateTime<Utc>>,
    /// The last moment any service there went back to operational; `None` if none was
    /// impaired or one still is.
    pub recovered_at: Option<DateTime<Utc>>,
    /// From `first` to `recovered_at` (to the last event while one is still impaired); zero
    /// when nothing was impaired there.
    pub impact: TimeDelta,
}

impl RegionImpact {
    /// The summary of `services`' windows in `region`; an open window counts up to `last`.
    pub fn new(region: String, services: Vec<ServiceImpact>, last: DateTime<Utc>) -> Self {
        let windows = || services.iter().flat_map(|s| &s.windows);
        let first = windows().map(|w| w.from).min();
        let ongoing = windows().any(|w| w.is_ongoing());
        let recovered_at = match ongoing {
            true => None,
            false => windows().filter_map(|w| w.to).max(),
        };
        let impact = first.map_or(TimeDelta::zero(), |first| {
            (recovered_at.unwrap_or(last) - first).max(TimeDelta::zero())
        });
        RegionImpact {
            region,
            services,
            first,
            recovered_at,
            impact,
        }
    }
}

/// Every region of the incident, in the order of `regions:`, with every declared service's
/// windows there.
pub fn region_impacts(incident: &Incident) -> Vec<RegionImpact> {
    let (_, last) = incident.span();
    incident
        .regions
        .iter()
        .map(|region| {
            let services = incident
                .services
                .iter()
                .zip(windows_in(incident, &[region.as_str()]))
                .map(|(service, windows)| ServiceImpact {
                    name: service.name.clone(),
                    total: windows.iter().map(|w| w.duration(last)).sum(),
                    windows,
                })
                .collect();
            RegionImpact::new(region.clone(), services, last)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Source;

    /// Global errors everywhere, most regions back first, one region hours later: each
    /// region's recovery is its own; the service's whole window is the union.
    const LOG: &str = "\
title: T
severity: SEV1
status: resolved
timezone: UTC
regions: [us-central1, us-east1, europe-west1]
services: [API, Auth]
timeline:
  - at: 2025-06-12 17:49
    phase: started
    status: {API: major_outage}
    text: errors everywhere
  - at: 2025-06-12 18:10
    region: europe-west1
    status: {Auth: partial_outage}
    text: auth slow in Europe
  - at: 2025-06-12 18:40
    region: us-east1
    status: {API: operational}
    text: east back
  - at: 2025-06-12 18:45
    region: europe-west1
    status: {API: operational, Auth: operational}
    text: europe back
  - at: 2025-06-12 20:30
    region: us-central1
    status: {API: operational}
    phase: resolved
    text: central back
";

    fn incident() -> Incident {
        crate::validate::check(&Source::from_text("t.yaml", LOG), Default::default())
            .incident
            .expect("valid")
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[test]
    fn each_region_recovers_on_its_own() {
        let regions = region_impacts(&incident());
        let got: Vec<(&str, Option<DateTime<Utc>>, i64)> = regions
            .iter()
            .map(|r| (r.region.as_str(), r.recovered_at, r.impact.num_minutes()))
            .collect();
        assert_eq!(
            got,
            [
                ("us-central1", Some(at("2025-06-12T20:30:00Z")), 161),
                ("us-east1", Some(at("2025-06-12T18:40:00Z")), 51),
                ("europe-west1", Some(at("2025-06-12T18:45:00Z")), 56),
            ]
        );
        let europe = &regions[2];
        assert_eq!(europe.services[1].total, TimeDelta::minutes(35));
        assert!(
            regions[0].services[1].windows.is_empty(),
            "no Auth impact in us-central1"
        );
    }

    #[test]
    fn a_service_is_impaired_while_any_region_is() {
        let windows = super::super::all_windows(&incident());
        let api = &windows[0];
        assert_eq!(api.len(), 1);
        assert_eq!(api[0].from, at("2025-06-12T17:49:00Z"));
        assert_eq!(api[0].to, Some(at("2025-06-12T20:30:00Z")));
        assert_eq!(windows[1][0].to, Some(at("2025-06-12T18:45:00Z")));
    }

    #[test]
    fn a_region_never_hit_has_no_recovery_and_a_still_impaired_one_none_yet() {
        let last = at("2025-06-12T20:00:00Z");
        let quiet = RegionImpact::new("a".into(), Vec::new(), last);
        assert_eq!((quiet.first, quiet.recovered_at), (None, None));
        assert_eq!(quiet.impact, TimeDelta::zero());
        let mut open = region_impacts(&incident()).remove(0);
        open.services[0].windows[0].to = None;
        let open = RegionImpact::new(open.region, open.services, last);
        assert_eq!(open.recovered_at, None);
        assert_eq!(open.impact, TimeDelta::minutes(131));
    }
}
