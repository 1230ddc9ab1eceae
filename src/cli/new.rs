//! `postevent new`: start a log from the template, named `<date>-<slug>.yaml`.

use std::path::PathBuf;

use chrono::{SubsecRound, Utc};
use clap::Args;

use super::Io;
use crate::authoring::{self, CreateError, NewLog};
use crate::exit;
use crate::model::{Scale, Severity};
use crate::time;
use crate::validate::{is_device_name, is_valid_id, slug};

/// The longest slug taken from a title, so file names stay readable.
const MAX_SLUG: usize = 60;

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The incident's title.
    #[arg(value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub title: String,

    /// How bad it is: a level of the scale, SEV1 (worst) to SEV5 or the levels of the folder's
    /// postevent.toml; default the middle level (SEV3).
    #[arg(long, value_name = "LEVEL")]
    pub severity: Option<String>,

    /// IANA zone that reads times written without an offset, and shows times in reports.
    #[arg(long, value_name = "ZONE", default_value = "UTC")]
    pub tz: String,

    /// The folder to write the log in.
    #[arg(long, value_name = "DIR", default_value = "incidents")]
    pub dir: PathBuf,

    #[command(flatten)]
    pub config: super::pipeline::ConfigArg,

    /// The incident id and file stem; default `<date>-<slug of the title>`.
    #[arg(long)]
    pub id: Option<String>,

    /// When it started (default now): `2025-10-19 23:48`, `2025-10-19 23:48 PDT`, or RFC 3339.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,

    /// The text of the `started` event; default "Incident opened: TITLE".
    #[arg(long)]
    pub text: Option<String>,

    /// What the `yaml-language-server` modeline points editors at.
    #[arg(
        long,
        value_name = "URL",
        default_value = "../docs/incident.schema.json"
    )]
    pub schema: String,
}

/// `--severity` on `scale`: exact, or in another letter case; the middle level by default.
fn severity_on(scale: &Scale, given: Option<&str>) -> Result<Severity, String> {
    let Some(given) = given else {
        return Ok(scale.at(scale.levels.len() / 2));
    };
    scale
        .parse(given)
        .or_else(|| {
            let level = scale
                .names()
                .into_iter()
                .find(|n| n.eq_ignore_ascii_case(given))?;
            scale.parse(level)
        })
        .ok_or_else(|| {
            format!(
                "the scale is {} (worst first)",
                crate::diagnostics::one_of(&scale.names())
            )
        })
}

pub fn run(args: &NewArgs, io: &mut Io) -> u8 {
    let Some(zone) = time::parse_zone(&args.tz) else {
        let hint = match time::suggest_zone(&args.tz) {
            Some(z) => format!("did you mean `{z}`?"),
            None => "use an IANA zone name such as `UTC` or `America/Los_Angeles`".into(),
        };
        return fail(io, &format!("unknown timezone `{}`", args.tz), Some(&hint));
    };
    let started = match &args.at {
        None => Utc::now().trunc_subsecs(0),
        Some(at) => match authoring::resolve_at(at, zone, None) {
            Ok(t) => t,
            Err(e) => return fail(io, &format!("`--at {at}`: {e}"), Some(&e.hint())),
        },
    };
    let date = started.with_timezone(&zone).date_naive();
    let id = match &args.id {
        Some(id) if is_valid_id(id) => id.clone(),
        Some(id) => {
            let hint = if is_device_name(id) {
                "that is a device name on Windows; use a longer id"
            } else {
                "use lowercase letters, digits and `-`, starting with a letter or digit"
            };
            return fail(io, &format!("invalid id `{id}`"), Some(hint));
        }
        None => {
            let slug = short_slug(&args.title);
            if slug.is_empty() {
                let hint = "give the file a name with `--id`, e.g. `--id db-outage`";
                return fail(io, "cannot make a file name from the title", Some(hint));
            }
            format!("{date}-{slug}")
        }
    };
    let config = match super::pipeline::config(&args.dir, io) {
        Ok(config) => config,
        Err(e) => return fail(io, &e.to_string(), None),
    };
    let severity = match severity_on(&config.severities, args.severity.as_deref()) {
        Ok(severity) => severity,
        Err(hint) => {
            let given = args.severity.as_deref().unwrap_or_default();
            return fail(io, &format!("unknown severity `{given}`"), Some(&hint));
        }
    };
    let log = NewLog {
        id,
        title: args.title.clone(),
        severity,
        timezone: zone,
        started,
        text: args
            .text
            .clone()
            .unwrap_or_else(|| format!("Incident opened: {}", args.title)),
        schema: args.schema.clone(),
    };
    match authoring::create(&args.dir, &log) {
        Ok(path) => {
            let _ = writeln!(io.stdout, "{}", path.display());
            exit::SUCCESS
        }
        Err(e @ CreateError::Exists(_)) => fail(
            io,
            &e.to_string(),
            Some("pick another title or `--id`, or add events with `postevent log`"),
        ),
        Err(e) => fail(io, &e.to_string(), None),
    }
}

/// Prints `error: MESSAGE` and an optional hint; returns the usage-error exit code.
pub(super) fn fail(io: &mut Io, message: &str, hint: Option<&str>) -> u8 {
    let _ = writeln!(io.stderr, "error: {message}");
    if let Some(hint) = hint {
        let _ = writeln!(io.stderr, "  hint: {hint}");
    }
    exit::TROUBLE
}

/// The slug of a title, cut at a word boundary to at most [`MAX_SLUG`] characters.
fn short_slug(title: &str) -> String {
    let slug = slug(title);
    if slug.len() <= MAX_SLUG {
        return slug;
    }
    let cut = slug[..=MAX_SLUG].rfind('-').unwrap_or(MAX_SLUG);
    slug[..cut].trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_are_cut_at_a_word() {
        let title = "DynamoDB DNS race takes down us-east-1 and cascades into EC2, NLB and more";
        let slug = short_slug(title);
        assert_eq!(
            slug,
            "dynamodb-dns-race-takes-down-us-east-1-and-cascades-into-ec2"
        );
        assert!(slug.len() <= MAX_SLUG);
        assert_eq!(short_slug("Short one"), "short-one");
    }
}
