//! Writing logs for people in the middle of an incident: a new log from a template, and an
//! event appended to a log as text (comments, order and formatting kept), validated before it
//! atomically replaces the file, under a lock so that concurrent appends never lose an event.

mod append;
mod template;
pub mod yaml;

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, SecondsFormat, SubsecRound, Utc};
use chrono_tz::Tz;
use thiserror::Error;

pub use append::{Layout, LayoutError, insert, insert_before, layout};
pub use template::{NewLog, new_log};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::model::{Phase, ServiceStatus, Status};
use crate::output::write_atomic;
use crate::parse::{self, Limits};
use crate::source::Source;
use crate::time::{self, TimeError, TimeSpec};
use crate::validate::{self, Checked};

/// An event to write, with its `at` value already in the text it will have in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub id: Option<String>,
    pub at: String,
    pub phase: Option<Phase>,
    /// A level of the scale: the severity from this moment on.
    pub severity: Option<String>,
    pub status: Vec<(String, ServiceStatus)>,
    /// Markdown.
    pub text: String,
    /// Markdown published to customers at this moment.
    pub update: Option<String>,
    pub internal: bool,
}

/// The YAML list item for `event`, its `-` at `dash` spaces and its keys at `field` spaces;
/// every line ends with a newline.
pub fn event_text(event: &NewEvent, dash: usize, field: usize) -> String {
    let field = field.max(dash + 2);
    let pad = " ".repeat(field);
    let mut lines = Vec::new();
    if let Some(id) = &event.id {
        lines.push(yaml::field("id", id, field));
    }
    lines.push(format!("{pad}at: {}", event.at));
    if let Some(phase) = event.phase {
        lines.push(format!("{pad}phase: {phase}"));
    }
    if let Some(severity) = &event.severity {
        lines.push(yaml::field("severity", severity, field));
    }
    if !event.status.is_empty() {
        lines.push(format!("{pad}status:"));
        for (service, status) in &event.status {
            lines.push(format!("{pad}  {}: {status}", yaml::scalar(service)));
        }
    }
    lines.push(yaml::field("text", &event.text, field));
    if let Some(update) = &event.update {
        lines.push(yaml::field("update", update, field));
    }
    if event.internal {
        lines.push(format!("{pad}internal: true"));
    }
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i == 0 {
            out.push_str(&" ".repeat(dash));
            out.push('-');
            out.push_str(&" ".repeat(field - dash - 1));
            out.push_str(&line[field..]);
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// How an instant is written as an `at` value in a log whose zone is `zone`: local time
/// (`2025-10-19 23:48`, seconds when not zero), with the zone's abbreviation when the local
/// time happens twice, or an RFC 3339 instant when nothing shorter reads back exactly.
pub fn at_value(at: DateTime<Utc>, zone: Tz) -> String {
    let local = at.with_timezone(&zone);
    let format = if at.timestamp_subsec_nanos() != 0 {
        "%Y-%m-%d %H:%M:%S%.f"
    } else if local.timestamp() % 60 != 0 {
        "%Y-%m-%d %H:%M:%S"
    } else {
        "%Y-%m-%d %H:%M"
    };
    let plain = local.format(format).to_string();
    let reads_back = |text: &str| {
        time::parse(text)
            .and_then(|spec| time::resolve(&spec, zone, None))
            .is_ok_and(|t| t == at)
    };
    let with_abbreviation = format!("{plain} {}", time::abbreviation_of(&local));
    if reads_back(&plain) {
        plain
    } else if reads_back(&with_abbreviation) {
        with_abbreviation
    } else {
        local.to_rfc3339_opts(SecondsFormat::AutoSi, true)
    }
}

/// A control character that may not be written into `text`: any, in one-line values and
/// comments, where a line break would end the comment or the value and start a key of its own;
/// any but line breaks and tabs in `multiline` text (Markdown).
pub fn control_character(text: &str, multiline: bool) -> Option<char> {
    text.chars()
        .find(|&c| c.is_control() && !(multiline && matches!(c, '\n' | '\r' | '\t')))
}

/// The error for a control character found in `what`.
fn control_error(what: &'static str, found: char) -> ControlCharacter {
    ControlCharacter { what, found }
}

/// A control character in something a command was asked to write.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "the {what} holds a control character (U+{:04X}); nothing was written",
    u32::from(*.found)
)]
pub struct ControlCharacter {
    /// What holds it: `title`, `schema`, `text`, `service name`.
    pub what: &'static str,
    pub found: char,
}

/// Why `new` wrote nothing.
#[derive(Debug, Error)]
pub enum CreateError {
    #[error("`{0}` already exists; `new` never overwrites a log")]
    Exists(PathBuf),
    #[error(transparent)]
    Control(#[from] ControlCharacter),
    #[error("cannot write `{path}`: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Writes a new log to `dir/<id>.yaml`, never over an existing file; returns its path.
pub fn create(dir: &Path, log: &NewLog) -> Result<PathBuf, CreateError> {
    for (what, text, multiline) in [
        ("schema", &log.schema, false),
        ("title", &log.title, false),
        ("text", &log.text, true),
    ] {
        if let Some(found) = control_character(text, multiline) {
            return Err(control_error(what, found).into());
        }
    }
    let path = dir.join(format!("{}.yaml", log.id));
    let write_error = |source| CreateError::Write {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(write_error)?;
    // Claim the name first, so that two runs racing for it cannot both succeed.
    let permissions = match File::options().write(true).create_new(true).open(&path) {
        Ok(file) => file.metadata().map(|m| m.permissions()).ok(),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(CreateError::Exists(path));
        }
        Err(e) => return Err(write_error(e)),
    };
    if let Err(e) = write_atomic(&path, new_log(log).as_bytes()) {
        let _ = std::fs::remove_file(&path);
        return Err(write_error(e));
    }
    keep_permissions(&path, permissions);
    Ok(path)
}

/// What `log` is asked to append.
#[derive(Debug, Clone)]
pub struct LogRequest {
    /// Markdown.
    pub text: String,
    /// The `at` value as the user wrote it; `None` means `now`.
    pub at: Option<String>,
    pub now: DateTime<Utc>,
    pub phase: Option<Phase>,
    pub status: Vec<(String, ServiceStatus)>,
    pub internal: bool,
    pub id: Option<String>,
    /// A new top-level `status:` for the incident, written with the event.
    pub set_status: Option<Status>,
    /// The severity from this event on (`--severity`); a level worse than the incident's
    /// raises the top-level `severity:` too, since it is the worst reached.
    pub severity: Option<String>,
    /// Markdown published to customers at this moment (`--update`).
    pub update: Option<String>,
}

/// What `log` appended.
#[derive(Debug)]
pub struct Logged {
    pub at: DateTime<Utc>,
    pub zone: Tz,
    /// The 1-based line of the new event's `-`.
    pub line: usize,
    /// The file as written.
    pub source: Source,
    /// Warnings the new event brought that the file did not have before.
    pub new_warnings: Vec<Diagnostic>,
}

/// A log that did not pass `check`, with what `check` said.
#[derive(Debug)]
pub struct Refused {
    pub file: Source,
    pub checked: Checked,
}

/// Why `log` wrote nothing.
#[derive(Debug, Error)]
pub enum LogError {
    #[error("cannot read `{path}`: {reason}")]
    Read { path: PathBuf, reason: String },
    #[error("cannot lock `{path}`: {source}")]
    Lock {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write `{path}`: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("`{}` is not a valid incident log; fix it first (nothing was written)", .0.file.name())]
    Invalid(Box<Refused>),
    #[error("`--at {value}`: {error}")]
    Time { value: String, error: TimeError },
    #[error(transparent)]
    Control(#[from] ControlCharacter),
    #[error("unknown service `{name}` in `--status`")]
    UnknownService {
        name: String,
        suggestion: Option<String>,
        declared: Vec<String>,
    },
    #[error("unknown severity `{given}`")]
    UnknownSeverity { given: String, scale: Vec<String> },
    #[error("cannot append to `{path}`: {error}")]
    Layout { path: PathBuf, error: LayoutError },
    #[error("the event would make `{}` invalid (nothing was written)", .0.file.name())]
    Rejected(Box<Refused>),
}

impl LogError {
    /// How to fix it, when there is more to say than the message.
    pub fn hint(&self) -> Option<String> {
        match self {
            LogError::Time { error, .. } => Some(error.hint()),
            LogError::UnknownService {
                suggestion: Some(s),
                ..
            } => Some(format!("did you mean `{s}`?")),
            LogError::UnknownSeverity { scale, .. } => Some(format!(
                "the scale is {} (worst first)",
                crate::diagnostics::one_of(&scale.iter().map(String::as_str).collect::<Vec<_>>())
            )),
            LogError::UnknownService { declared, .. } if declared.is_empty() => {
                Some("the log declares no services: add them under `services:` first".into())
            }
            LogError::UnknownService { declared, .. } => Some(format!(
                "declared services: {}; add new ones under `services:` first",
                declared.join(", ")
            )),
            LogError::Layout { error, .. } => Some(error.hint().into()),
            _ => None,
        }
    }
}

/// The lock file beside `path` that serialises appends: `.NAME.lock`. It is left in place,
/// as removing it would let a waiting and a new process lock different files.
pub fn lock_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "log".to_owned(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.lock"))
}

/// Appends an event to the log at `path`: read, check, insert as text, check again, replace
/// atomically, all under an exclusive lock on [`lock_path`]. Any error leaves the file as it was.
pub fn log(
    path: &Path,
    request: &LogRequest,
    limits: Limits,
    config: &Config,
) -> Result<Logged, LogError> {
    if let Some(found) = control_character(&request.text, true) {
        return Err(control_error("text", found).into());
    }
    for (name, _) in &request.status {
        if let Some(found) = control_character(name, false) {
            return Err(control_error("service name", found).into());
        }
    }
    // Work on the file a symlink points at, so the link is not replaced by a copy.
    let real = std::fs::canonicalize(path).map_err(|e| LogError::Read {
        path: path.to_owned(),
        reason: match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".into(),
            _ => e.to_string(),
        },
    })?;
    let lock_file = lock_path(&real);
    let lock_error = |source| LogError::Lock {
        path: lock_file.clone(),
        source,
    };
    if !real.is_file() {
        return Err(LogError::Read {
            path: path.to_owned(),
            reason: "not a file".into(),
        });
    }
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_file)
        .map_err(lock_error)?;
    lock.lock().map_err(lock_error)?;
    let result = log_locked(path, &real, request, limits, config);
    drop(lock);
    result
}

/// `path` as the user named it, for messages; `real` is the file to read and replace.
fn log_locked(
    path: &Path,
    real: &Path,
    request: &LogRequest,
    limits: Limits,
    config: &Config,
) -> Result<Logged, LogError> {
    let (bom, text) = read(real, limits)?;
    let source = Source::new(path.display().to_string(), Some(path.to_owned()), text);
    let checked = validate::check_with(&source, limits, config);
    let Some(incident) = checked.incident.as_ref().filter(|_| checked.errors() == 0) else {
        return Err(LogError::Invalid(Box::new(Refused {
            file: source,
            checked,
        })));
    };
    let zone = incident.timezone;
    let at = match &request.at {
        None => request.now.trunc_subsecs(0),
        Some(value) => resolve_at(value, zone, last_written(&source, limits)).map_err(|error| {
            LogError::Time {
                value: value.clone(),
                error,
            }
        })?,
    };
    let declared: Vec<String> = incident.services.iter().map(|s| s.name.clone()).collect();
    for (name, _) in &request.status {
        if !declared.contains(name) {
            return Err(LogError::UnknownService {
                name: name.clone(),
                suggestion: did_you_mean(name, declared.iter().map(String::as_str))
                    .map(str::to_owned),
                declared,
            });
        }
    }
    let severity = match &request.severity {
        None => None,
        Some(given) => {
            let scale = &config.severities;
            let found = scale.parse(given).or_else(|| {
                let name = scale
                    .names()
                    .into_iter()
                    .find(|n| n.eq_ignore_ascii_case(given))?;
                scale.parse(name)
            });
            Some(found.ok_or_else(|| LogError::UnknownSeverity {
                given: given.clone(),
                scale: scale.names().into_iter().map(str::to_owned).collect(),
            })?)
        }
    };
    let layout = layout(source.text()).map_err(|error| LogError::Layout {
        path: path.to_owned(),
        error,
    })?;
    let event = NewEvent {
        id: request.id.clone(),
        at: at_value(at, zone),
        phase: request.phase,
        severity: severity.as_ref().map(|s| s.as_str().to_owned()),
        status: request.status.clone(),
        text: request.text.clone(),
        update: request.update.clone(),
        internal: request.internal,
    };
    let item = event_text(&event, layout.dash_indent, layout.field_indent);
    // In time order: before the first event, as written, that is later than this one (one at
    // the same instant stays before it, as `at` ties keep the order written).
    let later = checked
        .timeline_spans
        .iter()
        .zip(&incident.timeline)
        .filter(|(_, e)| e.at > at)
        .map(|(span, _)| span.start)
        .min();
    let before = later.and_then(|at_span| layout.items.iter().rev().find(|&&s| s <= at_span));
    let (new_text, item_start) = match before {
        Some(&before) => (insert_before(source.text(), &layout, before, &item), before),
        None => {
            let text = insert(source.text(), &layout, &item);
            let start = text.len() - (source.text().len() - layout.offset) - item.len();
            (text, start)
        }
    };
    let (new_text, item_start) = match request.set_status {
        None => (new_text, item_start),
        Some(status) => {
            let (edit, text) = set_status(&new_text, &layout, status, limits);
            // An edit above the event moves it by what the edit added or removed.
            let start = if edit <= item_start {
                (item_start + text.len()).saturating_sub(new_text.len())
            } else {
                item_start
            };
            (text, start)
        }
    };
    // An escalation past the incident's severity raises it: the top level is the worst reached.
    let (new_text, item_start) = match &severity {
        Some(level) if level.rank() < incident.severity.rank() => {
            let (edit, text) = set_severity(&new_text, level.as_str(), limits);
            let start = if edit <= item_start {
                (item_start + text.len()).saturating_sub(new_text.len())
            } else {
                item_start
            };
            (text, start)
        }
        _ => (new_text, item_start),
    };
    let new_source = Source::new(source.name(), Some(path.to_owned()), new_text);
    let new_checked = validate::check_with(&new_source, limits, config);
    // Exactly one event more, every other one as it was.
    let grew = new_checked.incident.as_ref().is_some_and(|i| {
        let mut old = incident.timeline.iter().peekable();
        let kept = i
            .timeline
            .iter()
            .filter(|e| old.next_if(|o| o == e).is_some())
            .count();
        i.timeline.len() == incident.timeline.len() + 1 && kept == incident.timeline.len()
    });
    if new_checked.errors() > 0 || !grew {
        return Err(LogError::Rejected(Box::new(Refused {
            file: new_source,
            checked: new_checked,
        })));
    }
    let permissions = std::fs::metadata(real).map(|m| m.permissions()).ok();
    let bytes = format!("{bom}{}", new_source.text());
    write_atomic(real, bytes.as_bytes()).map_err(|source| LogError::Write {
        path: path.to_owned(),
        source,
    })?;
    keep_permissions(real, permissions);
    Ok(Logged {
        at,
        zone,
        line: new_source.line_col(item_start).line,
        new_warnings: new_warnings(&checked, new_checked),
        source: new_source,
    })
}

/// `text` with its top-level `status:` set to `status`: the value replaced where it is written
/// (a comment after it kept), or a `status:` line added above `timeline:`. Returns where the
/// edit starts, and the new text.
fn set_status(text: &str, layout: &Layout, status: Status, limits: Limits) -> (usize, String) {
    let source = Source::from_text("log", text);
    let written = parse::parse(&source, limits)
        .ok()
        .and_then(|raw| raw.status.map(|s| parse::span(&source, &s)));
    match written {
        Some(span) => (
            span.start,
            format!("{}{}{}", &text[..span.start], status, &text[span.end..]),
        ),
        None => {
            let (at, indent) = layout.key;
            let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
            let line = format!("{:indent$}status: {status}{newline}", "");
            (at, format!("{}{line}{}", &text[..at], &text[at..]))
        }
    }
}

/// `text` with its top-level `severity:` value replaced by `level` (where it is written; a
/// comment after it is kept). Returns where the edit starts, and the new text.
fn set_severity(text: &str, level: &str, limits: Limits) -> (usize, String) {
    let source = Source::from_text("log", text);
    match parse::parse(&source, limits).map(|raw| parse::span(&source, &raw.severity)) {
        Ok(span) => (
            span.start,
            format!("{}{level}{}", &text[..span.start], &text[span.end..]),
        ),
        Err(_) => (text.len(), text.to_owned()),
    }
}

/// Gives a replaced file the permissions the one before it had (the temporary file that
/// replaced it was created private to its owner).
fn keep_permissions(path: &Path, permissions: Option<std::fs::Permissions>) {
    if let Some(permissions) = permissions {
        let _ = std::fs::set_permissions(path, permissions);
    }
}

/// The file's text, without a byte-order mark (returned apart, to be written back).
fn read(path: &Path, limits: Limits) -> Result<(&'static str, String), LogError> {
    let error = |reason: String| LogError::Read {
        path: path.to_owned(),
        reason,
    };
    let bytes = std::fs::read(path).map_err(|e| error(e.to_string()))?;
    if bytes.len() > limits.max_file_bytes {
        return Err(error(format!(
            "larger than the limit of {} bytes (raise it with `--max-file-bytes`)",
            limits.max_file_bytes
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        error(format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest.to_owned()),
        None => ("", text),
    })
}

/// The instant of the event written last in the file, which a time of day takes its date from.
fn last_written(source: &Source, limits: Limits) -> Option<DateTime<Utc>> {
    let raw = parse::parse(source, limits).ok()?;
    let zone = raw
        .timezone
        .as_ref()
        .and_then(|z| time::parse_zone(&z.value))
        .unwrap_or(chrono_tz::UTC);
    let mut previous = None;
    for event in &raw.timeline.value {
        let at =
            time::parse(&event.at.value.0).and_then(|spec| time::resolve(&spec, zone, previous));
        previous = at.ok().or(previous);
    }
    previous
}

/// An `--at` value placed in the log's zone. A time of day takes the date of the event written
/// last, or the day after when that is nearer to it (`00:05` after `23:50` is the next day;
/// `11:10` after `11:20` is the same day, and goes before it).
pub fn resolve_at(
    value: &str,
    zone: Tz,
    previous: Option<DateTime<Utc>>,
) -> Result<DateTime<Utc>, TimeError> {
    let spec = time::parse(value)?;
    let (TimeSpec::TimeOfDay { time, abbreviation }, Some(previous)) = (&spec, previous) else {
        return time::resolve(&spec, zone, previous);
    };
    let on = |date: NaiveDate| {
        let local = TimeSpec::Local {
            datetime: date.and_time(*time),
            abbreviation: abbreviation.clone(),
        };
        time::resolve(&local, zone, None)
    };
    let date = previous.with_timezone(&zone).date_naive();
    let same = on(date)?;
    if same >= previous {
        return Ok(same);
    }
    match date.succ_opt().map(on).transpose()? {
        Some(next) if next - previous < previous - same => Ok(next),
        _ => Ok(same),
    }
}

/// Warnings in `after` that `before` did not have (matched on code and message).
fn new_warnings(before: &Checked, after: Checked) -> Vec<Diagnostic> {
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for d in before.diagnostics.iter().filter(|d| !d.is_error()) {
        *seen
            .entry((d.code.code().into(), d.message.clone()))
            .or_default() += 1;
    }
    after
        .diagnostics
        .into_iter()
        .filter(|d| !d.is_error())
        .filter(
            |d| match seen.get_mut(&(d.code.code().to_owned(), d.message.clone())) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::Los_Angeles;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    /// A time of day takes the last event's date or the day after, whichever is nearer.
    #[test]
    fn a_time_of_day_takes_the_nearer_date() {
        let last = utc("2025-10-20T06:50:00Z"); // 23:50 PDT on the 19th
        let at = |v: &str| resolve_at(v, Los_Angeles, Some(last)).unwrap();
        assert_eq!(at("23:55"), utc("2025-10-20T06:55:00Z"));
        assert_eq!(
            at("00:05"),
            utc("2025-10-20T07:05:00Z"),
            "after midnight: the next day"
        );
        assert_eq!(
            at("22:00"),
            utc("2025-10-20T05:00:00Z"),
            "earlier the same day"
        );
        assert_eq!(
            at("11:49"),
            utc("2025-10-20T18:49:00Z"),
            "11h 59m on, not 12h 01m back"
        );
        assert_eq!(
            at("11:51"),
            utc("2025-10-19T18:51:00Z"),
            "11h 59m back, not 12h 01m on"
        );
        assert!(
            resolve_at("23:55", Los_Angeles, None).is_err(),
            "no event to date it"
        );
    }

    /// One row per instant: how it is written in a Los Angeles log.
    #[test]
    fn at_values_read_back() {
        let cases = [
            ("2025-10-20T06:48:00Z", "2025-10-19 23:48"),
            ("2025-10-20T06:48:05Z", "2025-10-19 23:48:05"),
            // 01:30 happens twice on 2 November 2025 in Los Angeles.
            ("2025-11-02T08:30:00Z", "2025-11-02 01:30 PDT"),
            ("2025-11-02T09:30:00Z", "2025-11-02 01:30 PST"),
            ("2025-10-20T06:48:00.250Z", "2025-10-19T23:48:00.250-07:00"),
        ];
        for (instant, written) in cases {
            assert_eq!(at_value(utc(instant), Los_Angeles), written, "{instant}");
        }
    }

    #[test]
    fn an_event_is_written_at_the_given_indents() {
        let event = NewEvent {
            id: Some("dns-fixed".into()),
            at: "2025-10-20 02:40".into(),
            phase: Some(Phase::Mitigated),
            severity: None,
            status: vec![("DynamoDB".into(), ServiceStatus::Operational)],
            text: "DNS restored: *all* clear #1".into(),
            update: Some("Recovered: all clear.".into()),
            internal: true,
        };
        assert_eq!(
            event_text(&event, 2, 4),
            "  - id: dns-fixed\n    at: 2025-10-20 02:40\n    phase: mitigated\n    status:\n      \
             DynamoDB: operational\n    text: 'DNS restored: *all* clear #1'\n    update: 'Recovered: all clear.'\n    internal: true\n"
        );
        let bare = NewEvent {
            id: None,
            status: Vec::new(),
            phase: None,
            internal: false,
            update: None,
            ..event
        };
        assert_eq!(
            event_text(&bare, 0, 4),
            "-   at: 2025-10-20 02:40\n    text: 'DNS restored: *all* clear #1'\n"
        );
    }
}
