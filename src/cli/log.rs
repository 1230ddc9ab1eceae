//! `postevent log`: append an event to a log, keeping the file's comments and layout.

use std::io::Read;
use std::path::PathBuf;

use chrono::Utc;
use clap::Args;
use clap::builder::{NonEmptyStringValueParser, PossibleValuesParser, TypedValueParser};

use super::Io;
use super::check::LimitArgs;
use super::new::fail;
use crate::authoring::{self, LogError, LogRequest, Refused};
use crate::diagnostics::{Diagnostic, RenderStyle, one_of, render_human};
use crate::exit;
use crate::model::{Phase, ServiceStatus, Status};
use crate::source::Source;
use crate::time;

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The incident log to append to.
    pub file: PathBuf,

    /// What happened (Markdown); `-` reads it from standard input.
    #[arg(value_parser = NonEmptyStringValueParser::new())]
    pub text: String,

    /// When (default now, in the log's zone): `2025-10-20 02:40`, `02:40` (the date of the
    /// event written last, or the day after when that is nearer), `02:40 PDT`, or RFC 3339.
    /// An event earlier than the last goes into the timeline in time order.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,

    /// The milestone this event marks.
    #[arg(long, value_parser = phase_parser())]
    pub phase: Option<Phase>,

    /// A declared service's status from this moment on, repeated for several services. STATUS
    /// is operational, degraded_performance, partial_outage, major_outage or under_maintenance.
    #[arg(long = "status", value_name = "SERVICE=STATUS", value_parser = parse_status)]
    pub status: Vec<(String, ServiceStatus)>,

    /// Keep the event out of public reports.
    #[arg(long)]
    pub internal: bool,

    /// What was published to customers at this moment (a status page post, Markdown): the
    /// event's `update:`, listed in the public summary.
    #[arg(long, value_name = "TEXT", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    pub update: Option<String>,

    /// A stable id for the event (lowercase letters, digits and `-`).
    #[arg(long)]
    pub id: Option<String>,

    /// The severity from this event on: a level of the scale (any letter case). Worse than the
    /// incident's, it raises the top-level `severity:` too (the worst reached).
    #[arg(long, value_name = "LEVEL")]
    pub severity: Option<String>,

    /// Set the incident's top-level `status:` too (investigating, identified, monitoring or
    /// resolved), e.g. `--phase resolved --set-status resolved`.
    #[arg(long, value_name = "STATUS", value_parser = status_parser())]
    pub set_status: Option<Status>,

    #[command(flatten)]
    pub limits: LimitArgs,

    #[command(flatten)]
    pub config: super::pipeline::ConfigArg,
}

fn status_parser() -> impl TypedValueParser<Value = Status> {
    PossibleValuesParser::new(Status::NAMES)
        .try_map(|s| Status::parse(&s).ok_or_else(|| format!("unknown status `{s}`")))
}

fn phase_parser() -> impl TypedValueParser<Value = Phase> {
    PossibleValuesParser::new(Phase::NAMES)
        .try_map(|s| Phase::parse(&s).ok_or_else(|| format!("unknown phase `{s}`")))
}

/// `DynamoDB=major_outage` -> (`DynamoDB`, major outage).
fn parse_status(value: &str) -> Result<(String, ServiceStatus), String> {
    let Some((service, status)) = value.rsplit_once('=') else {
        return Err(format!(
            "write SERVICE=STATUS, e.g. `API=major_outage`; a status is {}",
            one_of(ServiceStatus::NAMES)
        ));
    };
    let service = service.trim();
    if service.is_empty() {
        return Err("the service name before `=` is empty".into());
    }
    match ServiceStatus::parse(status.trim()) {
        Some(s) => Ok((service.to_owned(), s)),
        None => Err(format!(
            "`{status}` is not a status; use {}",
            one_of(ServiceStatus::NAMES)
        )),
    }
}

pub fn run(args: &LogArgs, io: &mut Io) -> u8 {
    let text = if args.text == "-" {
        let mut text = String::new();
        if let Err(e) = std::io::stdin().read_to_string(&mut text) {
            return fail(io, &format!("cannot read standard input: {e}"), None);
        }
        text
    } else {
        args.text.clone()
    };
    let request = LogRequest {
        text,
        at: args.at.clone(),
        now: Utc::now(),
        phase: args.phase,
        status: args.status.clone(),
        internal: args.internal,
        id: args.id.clone(),
        set_status: args.set_status,
        severity: args.severity.clone(),
        update: args.update.clone(),
    };
    let style = RenderStyle {
        color: io.stderr_color,
        ..RenderStyle::default()
    };
    let config = match super::pipeline::config(&args.file, io) {
        Ok(config) => config,
        Err(e) => return fail(io, &e.to_string(), None),
    };
    match authoring::log(&args.file, &request, args.limits.limits(), &config) {
        Ok(logged) => {
            print_diagnostics(io, &logged.source, &logged.new_warnings, style);
            let _ = writeln!(
                io.stdout,
                "logged {} ({}) at {}:{}",
                time::show(logged.at, logged.zone),
                time::show(logged.at, chrono_tz::UTC),
                args.file.display(),
                logged.line
            );
            exit::SUCCESS
        }
        Err(e @ (LogError::Invalid(_) | LogError::Rejected(_))) => {
            if let LogError::Invalid(refused) | LogError::Rejected(refused) = &e {
                let Refused { file, checked } = refused.as_ref();
                let errors: Vec<Diagnostic> = checked
                    .diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .cloned()
                    .collect();
                print_diagnostics(io, file, &errors, style);
            }
            let _ = writeln!(io.stderr, "error: {e}");
            exit::FAILURE
        }
        Err(e) => {
            let code = fail(io, &e.to_string(), e.hint().as_deref());
            match e {
                LogError::Layout { .. } => exit::FAILURE,
                _ => code,
            }
        }
    }
}

fn print_diagnostics(io: &mut Io, source: &Source, diagnostics: &[Diagnostic], style: RenderStyle) {
    for d in diagnostics {
        let _ = write!(io.stderr, "{}", render_human(source, d, style));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(
            parse_status("Console sign-in=partial_outage"),
            Ok(("Console sign-in".into(), ServiceStatus::PartialOutage))
        );
        assert_eq!(
            parse_status("a=b=operational"),
            Ok(("a=b".into(), ServiceStatus::Operational))
        );
        assert!(parse_status("API").unwrap_err().contains("SERVICE=STATUS"));
        assert!(
            parse_status("API=down")
                .unwrap_err()
                .contains("`major_outage`")
        );
        assert!(parse_status("=operational").is_err());
    }
}
