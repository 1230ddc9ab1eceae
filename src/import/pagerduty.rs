//! PagerDuty.
