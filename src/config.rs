//! `postevent.toml`: how one organisation runs incidents. Its severity scale, the milestones it
//! times beside the six phases, the metrics it measures between them, what a log of each
//! severity must hold (policy), the site's title and the lints it wants.
//!
//! It is found as rustfmt finds `rustfmt.toml`: the nearest one in the log's folder or above
//! ([`discover`]); `--config FILE` names one instead. No file means [`Config::default`], which
//! is postevent's built-in behaviour exactly. A config is read like a log: every problem is a
//! [`Diagnostic`] with the codes a log's would have (E001 syntax, E002 unknown key, E003 wrong
//! type, E005 invalid value, E007 duplicate), located in the file, with a hint.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::{Code, Diagnostic, RenderStyle, did_you_mean, one_of, render_human};
use crate::model::{Level, Phase, Scale};
use crate::source::Source;

/// The file name looked for.
pub const FILE_NAME: &str = "postevent.toml";

/// At most this many severity levels (Datadog allows ten).
pub const MAX_LEVELS: usize = 10;

/// The built-in metrics, from `started` to each phase; a custom metric cannot take their names.
pub const BUILT_IN_METRICS: &[&str] = &[
    "time_to_detect",
    "time_to_acknowledge",
    "time_to_identify",
    "time_to_mitigate",
    "time_to_resolve",
    "time_to_first_update",
];

/// Top-level fields of a log a policy can require.
pub const REQUIRABLE: &[&str] = &[
    "summary",
    "impact",
    "root_cause",
    "trigger",
    "detection",
    "resolution",
    "contributing_factors",
    "lessons",
    "action_items",
    "links",
    "regions",
    "tags",
    "authors",
    "roles",
    "responders",
    "services",
];

/// Fields of an action item a policy can require.
pub const ACTION_ITEM_FIELDS: &[&str] = &["id", "owner", "due", "link"];

// ---------------------------------------------------------------------------------------------
// The file as written

/// `postevent.toml`, as written.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "postevent.toml",
    description = "How an organisation runs incidents: severity scale, milestones, metrics, policy."
)]
pub struct RawConfig {
    /// The severity scale, worst first.
    #[serde(default)]
    pub severities: Option<RawSeverities>,
    /// Custom milestones, beside the six phases; an event names one with `milestone: NAME`.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, RawMilestone>")]
    pub milestones: IndexMap<Spanned<String>, RawMilestone>,
    /// Custom metrics: the time from one milestone or phase to another.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, RawMetric>")]
    pub metrics: IndexMap<Spanned<String>, RawMetric>,
    /// What a log of each severity must have, by severity.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, RawPolicy>")]
    pub policy: IndexMap<Spanned<String>, RawPolicy>,
    /// The docs site.
    #[serde(default)]
    pub site: RawSite,
    /// Lints `check` runs.
    #[serde(default)]
    pub lint: RawLint,
    /// Show roles in public reports (they are internal by default).
    #[serde(default)]
    pub public_roles: bool,
    /// How reports draw the incident.
    #[serde(default)]
    pub report: RawReport,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawReport {
    /// Give every declared service a lane in the timeline chart, not only those impaired
    /// (default false).
    #[serde(default)]
    pub chart_all_services: bool,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSeverities {
    /// Every level, worst first, e.g. `["SEV0", "SEV1", "SEV2", "SEV3", "SEV4"]`.
    #[schemars(with = "Vec<String>")]
    pub levels: Spanned<Vec<Spanned<String>>>,
    /// A label for a level, shown beside it (`SEV0 = "Critical"`).
    #[serde(default)]
    #[schemars(with = "IndexMap<String, String>")]
    pub labels: IndexMap<Spanned<String>, String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMilestone {
    /// How reports name it; default: the name with `_` as spaces, capitalised.
    #[serde(default)]
    pub label: Option<String>,
    /// Whether public reports show it (default false: a milestone is internal).
    #[serde(default)]
    pub public: bool,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMetric {
    /// A phase or milestone where the metric starts.
    #[schemars(with = "String")]
    pub from: Spanned<String>,
    /// A phase or milestone where it ends.
    #[schemars(with = "String")]
    pub to: Spanned<String>,
    /// How reports name it; default: the name with `_` as spaces, capitalised.
    #[serde(default)]
    pub label: Option<String>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    /// Fields the log must fill (`root_cause`, `action_items`, ...), `phase:NAME` for a phase
    /// the timeline must mark, `milestone:NAME` for a milestone, `role:NAME` for a role
    /// `roles:` must name somebody for.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub require: Vec<Spanned<String>>,
    /// Fields every action item must fill: `owner`, `due`, `link`, `id`.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub action_items_need: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    /// The site's title (default "Incidents").
    #[serde(default)]
    pub title: Option<String>,
    /// Incidents per page of the index and of each service, tag and severity page (default
    /// 100); the search box still finds every incident.
    #[serde(default)]
    pub page_size: Option<std::num::NonZeroUsize>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLint {
    /// The truth check (W007): durations and clock times in the prose against the timeline.
    #[serde(default = "yes")]
    pub prose: bool,
}

impl Default for RawLint {
    fn default() -> Self {
        RawLint { prose: true }
    }
}

fn yes() -> bool {
    true
}

// ---------------------------------------------------------------------------------------------
// The config, checked

/// An organisation's process, checked. [`Config::default`] is postevent's built-in behaviour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The file it was read from; `None` for the defaults.
    pub path: Option<PathBuf>,
    pub severities: Scale,
    pub milestones: Vec<Milestone>,
    pub metrics: Vec<MetricDef>,
    pub policy: Vec<Policy>,
    pub site_title: Option<String>,
    /// `[site] page_size`: incidents per listing page.
    pub page_size: usize,
    pub lint_prose: bool,
    pub public_roles: bool,
    /// `[report] chart_all_services`: a chart lane for every service, impaired or not.
    pub chart_all_services: bool,
}

/// Incidents per listing page when `[site] page_size` does not say.
pub const DEFAULT_PAGE_SIZE: usize = 100;

impl Config {
    /// A hash of everything the config says (not where it was read from), so that a site
    /// built with another config is rebuilt.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let without_path = Config {
            path: None,
            ..self.clone()
        };
        let mut h = std::hash::DefaultHasher::new();
        format!("{without_path:?}").hash(&mut h);
        h.finish()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            path: None,
            severities: Scale::default(),
            milestones: Vec::new(),
            metrics: Vec::new(),
            policy: Vec::new(),
            site_title: None,
            page_size: DEFAULT_PAGE_SIZE,
            lint_prose: true,
            public_roles: false,
            chart_all_services: false,
        }
    }
}

/// A custom milestone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    pub name: String,
    pub label: String,
    pub public: bool,
}

/// Where a metric starts or ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Point {
    Phase(Phase),
    Milestone(String),
}

/// A custom metric: the time from one point to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricDef {
    pub name: String,
    pub label: String,
    pub from: Point,
    pub to: Point,
}

/// What a log of one severity must have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub severity: String,
    pub require: Vec<Required>,
    /// Fields every action item must fill, with the line each is written on.
    pub action_items_need: Vec<(String, usize)>,
}

/// One requirement, with the line of the config it is written on (for messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Required {
    pub what: Requirement,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    /// A top-level field, one of [`REQUIRABLE`].
    Field(&'static str),
    Phase(Phase),
    Milestone(String),
    /// A role the log must fill (`role:incident_commander`).
    Role(String),
}

/// `impact_started` -> `Impact started`.
pub fn label_of(name: &str) -> String {
    let words = name.replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Finding and reading

/// The nearest `postevent.toml` in `start`'s folder (or `start`, when it is a folder) or above.
pub fn discover(start: &Path) -> Option<PathBuf> {
    candidates(start)
        .into_iter()
        .find(|candidate| candidate.is_file())
}

/// Every place [`discover`] looks, nearest first: `postevent.toml` in `start`'s folder (or
/// `start`, when it is a folder) and in each folder above it. `serve` watches them all, so a
/// config created or removed while it runs applies too.
pub fn candidates(start: &Path) -> Vec<PathBuf> {
    let start = if start.as_os_str().is_empty() || start == Path::new("-") {
        Path::new(".")
    } else {
        start
    };
    let Ok(absolute) = std::path::absolute(start) else {
        return Vec::new();
    };
    let folder = if absolute.is_dir() {
        absolute.as_path()
    } else {
        match absolute.parent() {
            Some(parent) => parent,
            None => return Vec::new(),
        }
    };
    folder.ancestors().map(|dir| dir.join(FILE_NAME)).collect()
}

/// Why a config could not be used.
#[derive(Debug)]
pub enum ConfigError {
    /// The file could not be read.
    Read { path: PathBuf, reason: String },
    /// It was read, and these are its problems (at least one error).
    Invalid {
        source: Source,
        diagnostics: Vec<Diagnostic>,
    },
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::Read { path, reason } => {
                write!(f, "cannot read `{}`: {reason}", path.display())
            }
            ConfigError::Invalid {
                source,
                diagnostics,
            } => {
                let n = diagnostics.iter().filter(|d| d.is_error()).count();
                let s = if n == 1 { "" } else { "s" };
                write!(f, "`{}` has {n} error{s}", source.name())
            }
        }
    }
}

impl ConfigError {
    /// Its diagnostics as `check` prints a log's, each located in the file (nothing for a
    /// file that could not be read: the error's message says it all).
    pub fn diagnostics_text(&self, style: RenderStyle) -> String {
        let mut out = String::new();
        if let ConfigError::Invalid {
            source,
            diagnostics,
        } = self
        {
            for d in diagnostics {
                out.push_str(&render_human(source, d, style));
            }
        }
        out
    }
}

/// Reads and checks the config at `path`.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    let source = Source::new(path.display().to_string(), Some(path.to_owned()), text);
    let mut config = parse(&source).map_err(|diagnostics| ConfigError::Invalid {
        source: source.clone(),
        diagnostics,
    })?;
    config.path = Some(path.to_owned());
    Ok(config)
}

/// The config for a log at `log` (or a folder of logs): `explicit` when given, else the
/// nearest `postevent.toml`, else the defaults.
pub fn for_path(explicit: Option<&Path>, log: &Path) -> Result<Config, ConfigError> {
    match explicit.map(Path::to_owned).or_else(|| discover(log)) {
        Some(path) => load(&path),
        None => Ok(Config::default()),
    }
}

/// Checks a config's text. Errors come back all at once, sorted by place.
pub fn parse(source: &Source) -> Result<Config, Vec<Diagnostic>> {
    let raw: RawConfig = match toml::from_str(source.text()) {
        Ok(raw) => raw,
        Err(e) => return Err(vec![from_toml_error(&e)]),
    };
    let mut c = Checker {
        source,
        diagnostics: Vec::new(),
    };
    let config = c.config(raw);
    let mut diagnostics = c.diagnostics;
    diagnostics.sort_by_key(|d| d.span.as_ref().map(|s| s.start));
    if diagnostics.iter().any(Diagnostic::is_error) {
        Err(diagnostics)
    } else {
        Ok(config)
    }
}

/// The JSON Schema of `postevent.toml` (for editors with a TOML language server).
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(RawConfig);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// A TOML parse or shape error as a diagnostic, with the code a log's would have.
fn from_toml_error(e: &toml::de::Error) -> Diagnostic {
    let message = e.message().trim().to_owned();
    let (code, label, hint) = if let Some(rest) = message.strip_prefix("unknown field ") {
        let expected = rest.split_once(", expected ").map(|(_, e)| e);
        let hint = match expected {
            Some(list) => format!("keys here are {}", list.trim_end_matches('.')),
            None => "see docs/config.md for every key".to_owned(),
        };
        (Code::UnknownField, "unknown key", hint)
    } else if message.starts_with("invalid type") {
        (
            Code::WrongType,
            "wrong type",
            "see docs/config.md for the type of each key".to_owned(),
        )
    } else if message.starts_with("missing field") {
        (
            Code::MissingField,
            "in this table",
            "see docs/config.md for the keys each table needs".to_owned(),
        )
    } else if message.contains("duplicate key") {
        (
            Code::DuplicateId,
            "written twice",
            "each key once per table".to_owned(),
        )
    } else {
        (
            Code::YamlSyntax,
            "here",
            "postevent.toml is TOML: `key = \"value\"`, tables as `[name]`".to_owned(),
        )
    };
    let mut d = Diagnostic::new(code, message).hint(hint);
    if let Some(span) = e.span() {
        d = d.at(span, label);
    }
    d
}

struct Checker<'a> {
    source: &'a Source,
    diagnostics: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn line(&self, span: &std::ops::Range<usize>) -> usize {
        self.source.line_col(span.start).line
    }

    fn invalid(
        &mut self,
        span: std::ops::Range<usize>,
        message: String,
        label: &str,
        hint: String,
    ) {
        self.push(
            Diagnostic::new(Code::InvalidValue, message)
                .at(span, label)
                .hint(hint),
        );
    }

    fn config(&mut self, raw: RawConfig) -> Config {
        let severities = match raw.severities {
            Some(s) => self.scale(s),
            None => Scale::default(),
        };
        let milestones = self.milestones(raw.milestones);
        let metrics = self.metrics(raw.metrics, &milestones);
        let policy = self.policy(raw.policy, &severities, &milestones);
        Config {
            path: None,
            severities,
            milestones,
            metrics,
            policy,
            site_title: raw.site.title,
            page_size: raw.site.page_size.map_or(DEFAULT_PAGE_SIZE, |n| n.get()),
            lint_prose: raw.lint.prose,
            public_roles: raw.public_roles,
            chart_all_services: raw.report.chart_all_services,
        }
    }

    fn scale(&mut self, raw: RawSeverities) -> Scale {
        let list_span = raw.levels.span();
        let written = raw.levels.into_inner();
        if written.is_empty() {
            self.invalid(
                list_span.clone(),
                "the severity scale is empty".into(),
                "no levels",
                "list every level, worst first: `levels = [\"SEV1\", \"SEV2\", \"SEV3\"]`".into(),
            );
        }
        if written.len() > MAX_LEVELS {
            self.invalid(
                list_span,
                format!("{} severity levels; at most {MAX_LEVELS}", written.len()),
                "too many",
                "merge levels nobody tells apart".into(),
            );
        }
        let mut levels: Vec<Level> = Vec::new();
        for level in &written {
            let name = level.get_ref();
            if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c.is_control()) {
                self.invalid(
                    level.span(),
                    format!("invalid severity level `{name}`"),
                    "not a level name",
                    "a level is one word, such as `SEV0` or `P1`".into(),
                );
            } else if levels.iter().any(|l| &l.name == name) {
                self.push(
                    Diagnostic::new(
                        Code::DuplicateId,
                        format!("the level `{name}` is listed twice"),
                    )
                    .at(level.span(), "again")
                    .hint("each level once, worst first"),
                );
            } else {
                levels.push(Level {
                    name: name.clone(),
                    label: None,
                });
            }
        }
        for (key, label) in raw.labels {
            match levels.iter_mut().find(|l| l.name == *key.get_ref()) {
                Some(level) => level.label = Some(label),
                None => {
                    let names: Vec<&str> = written.iter().map(|l| l.get_ref().as_str()).collect();
                    let hint = match did_you_mean(key.get_ref(), names.iter().copied()) {
                        Some(close) => {
                            format!("did you mean `{close}`? the levels are {}", one_of(&names))
                        }
                        None => format!("the levels are {}", one_of(&names)),
                    };
                    self.invalid(
                        key.span(),
                        format!("a label for `{}`, which is not on the scale", key.get_ref()),
                        "not a level",
                        hint,
                    );
                }
            }
        }
        if levels.is_empty() {
            Scale::default()
        } else {
            Scale { levels }
        }
    }

    /// A name for a milestone or metric: lowercase letters, digits and `_`, starting with a
    /// letter (it becomes a JSON key, `metrics.<name>_s`).
    fn name_ok(&mut self, key: &Spanned<String>, what: &str) -> bool {
        let name = key.get_ref();
        let ok = name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !ok {
            self.invalid(
                key.span(),
                format!("invalid {what} name `{name}`"),
                "not a name",
                "use lowercase letters, digits and `_`, starting with a letter: `impact_started`"
                    .into(),
            );
        }
        ok
    }

    fn milestones(&mut self, raw: IndexMap<Spanned<String>, RawMilestone>) -> Vec<Milestone> {
        let mut out = Vec::new();
        for (key, m) in raw {
            if !self.name_ok(&key, "milestone") {
                continue;
            }
            let name = key.get_ref();
            if Phase::parse(name).is_some() {
                self.invalid(
                    key.span(),
                    format!("`{name}` is a phase, not a custom milestone"),
                    "a phase",
                    format!(
                        "the phases ({}) are built in; name the milestone otherwise",
                        Phase::NAMES.join(", ")
                    ),
                );
                continue;
            }
            out.push(Milestone {
                label: m.label.unwrap_or_else(|| label_of(name)),
                name: name.clone(),
                public: m.public,
            });
        }
        out
    }

    fn point(&mut self, raw: &Spanned<String>, milestones: &[Milestone]) -> Option<Point> {
        let name = raw.get_ref();
        if let Some(phase) = Phase::parse(name) {
            return Some(Point::Phase(phase));
        }
        if milestones.iter().any(|m| &m.name == name) {
            return Some(Point::Milestone(name.clone()));
        }
        let known: Vec<&str> = Phase::NAMES
            .iter()
            .copied()
            .chain(milestones.iter().map(|m| m.name.as_str()))
            .collect();
        let hint = match did_you_mean(name, known.iter().copied()) {
            Some(close) => format!(
                "did you mean `{close}`? a metric runs between {}",
                one_of(&known)
            ),
            None => format!(
                "a metric runs between phases and milestones: {}; declare a milestone under `[milestones.{name}]`",
                one_of(&known)
            ),
        };
        self.invalid(
            raw.span(),
            format!("`{name}` is neither a phase nor a milestone"),
            "unknown",
            hint,
        );
        None
    }

    fn metrics(
        &mut self,
        raw: IndexMap<Spanned<String>, RawMetric>,
        milestones: &[Milestone],
    ) -> Vec<MetricDef> {
        let mut out = Vec::new();
        for (key, m) in raw {
            if !self.name_ok(&key, "metric") {
                continue;
            }
            let name = key.get_ref();
            if BUILT_IN_METRICS.contains(&name.as_str()) {
                self.invalid(
                    key.span(),
                    format!("`{name}` is a built-in metric"),
                    "built in",
                    "name the custom metric otherwise".into(),
                );
                continue;
            }
            let (from, to) = (
                self.point(&m.from, milestones),
                self.point(&m.to, milestones),
            );
            let (Some(from), Some(to)) = (from, to) else {
                continue;
            };
            if from == to {
                self.invalid(
                    m.to.span(),
                    format!(
                        "the metric `{name}` starts and ends at `{}`",
                        m.to.get_ref()
                    ),
                    "the same point",
                    "a metric measures from one point to another".into(),
                );
                continue;
            }
            out.push(MetricDef {
                label: m.label.unwrap_or_else(|| label_of(name)),
                name: name.clone(),
                from,
                to,
            });
        }
        out
    }

    fn policy(
        &mut self,
        raw: IndexMap<Spanned<String>, RawPolicy>,
        scale: &Scale,
        milestones: &[Milestone],
    ) -> Vec<Policy> {
        let mut out = Vec::new();
        for (key, p) in raw {
            let severity = key.get_ref();
            if scale.parse(severity).is_none() {
                let names = scale.names();
                let hint = match did_you_mean(severity, names.iter().copied()) {
                    Some(close) => {
                        format!("did you mean `{close}`? the scale is {}", one_of(&names))
                    }
                    None => format!("the scale is {}", one_of(&names)),
                };
                self.invalid(
                    key.span(),
                    format!("a policy for `{severity}`, which is not on the severity scale"),
                    "not a severity",
                    hint,
                );
                continue;
            }
            let mut require = Vec::new();
            for r in &p.require {
                if let Some(what) = self.requirement(r, milestones) {
                    require.push(Required {
                        what,
                        line: self.line(&r.span()),
                    });
                }
            }
            let mut need = Vec::new();
            for field in &p.action_items_need {
                let name = field.get_ref();
                if ACTION_ITEM_FIELDS.contains(&name.as_str()) {
                    need.push((name.clone(), self.line(&field.span())));
                } else {
                    let hint = match did_you_mean(name, ACTION_ITEM_FIELDS.iter().copied()) {
                        Some(close) => format!(
                            "did you mean `{close}`? an action item can be required to have {}",
                            one_of(ACTION_ITEM_FIELDS)
                        ),
                        None => format!(
                            "an action item can be required to have {}",
                            one_of(ACTION_ITEM_FIELDS)
                        ),
                    };
                    self.invalid(
                        field.span(),
                        format!("`{name}` is not an action item field a policy can require"),
                        "unknown",
                        hint,
                    );
                }
            }
            out.push(Policy {
                severity: severity.clone(),
                require,
                action_items_need: need,
            });
        }
        out
    }

    fn requirement(
        &mut self,
        raw: &Spanned<String>,
        milestones: &[Milestone],
    ) -> Option<Requirement> {
        let text = raw.get_ref();
        if let Some(phase) = text.strip_prefix("phase:") {
            if let Some(p) = Phase::parse(phase.trim()) {
                return Some(Requirement::Phase(p));
            }
            let hint = match did_you_mean(phase.trim(), Phase::NAMES.iter().copied()) {
                Some(close) => format!(
                    "did you mean `phase:{close}`? the phases are {}",
                    one_of(Phase::NAMES)
                ),
                None => format!("the phases are {}", one_of(Phase::NAMES)),
            };
            self.invalid(
                raw.span(),
                format!("unknown phase in `{text}`"),
                "unknown phase",
                hint,
            );
            return None;
        }
        if let Some(name) = text.strip_prefix("milestone:") {
            let name = name.trim();
            if milestones.iter().any(|m| m.name == name) {
                return Some(Requirement::Milestone(name.to_owned()));
            }
            let names: Vec<&str> = milestones.iter().map(|m| m.name.as_str()).collect();
            let hint = if names.is_empty() {
                format!("declare it first under `[milestones.{name}]`")
            } else {
                format!(
                    "the milestones are {}; or declare it under `[milestones.{name}]`",
                    one_of(&names)
                )
            };
            self.invalid(
                raw.span(),
                format!("unknown milestone in `{text}`"),
                "unknown milestone",
                hint,
            );
            return None;
        }
        if let Some(role) = text.strip_prefix("role:") {
            let role = role.trim();
            if !role.is_empty() {
                return Some(Requirement::Role(role.to_owned()));
            }
            self.invalid(
                raw.span(),
                format!("no role in `{text}`"),
                "no role",
                "name the role the log must fill, as its `roles:` writes it: `role:incident_commander`".to_owned(),
            );
            return None;
        }
        if let Some(field) = REQUIRABLE.iter().find(|f| **f == text.as_str()) {
            return Some(Requirement::Field(field));
        }
        let hint = match did_you_mean(text, REQUIRABLE.iter().copied()) {
            Some(close) => format!(
                "did you mean `{close}`? a policy can require {}, `phase:NAME`, `milestone:NAME` or `role:NAME`",
                one_of(REQUIRABLE)
            ),
            None => format!(
                "a policy can require {}, `phase:NAME`, `milestone:NAME` or `role:NAME`",
                one_of(REQUIRABLE)
            ),
        };
        self.invalid(
            raw.span(),
            format!("`{text}` is not something a policy can require"),
            "unknown",
            hint,
        );
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The contract of the issue: this file is read as written, whatever else is added.
    const ACME: &str = r#"
[severities]
levels = ["SEV0", "SEV1", "SEV2", "SEV3", "SEV4"]   # worst first
[severities.labels]                                  # optional
SEV0 = "Critical"

[milestones.impact_started]          # custom milestones, beside the six phases
label = "Impact started"
public = true
[milestones.first_public_update]
label = "First public update"

[metrics.impact_to_detect]           # custom metrics: from one milestone or phase to another
from = "impact_started"
to = "detected"
label = "Impact to detection"

[policy.SEV1]                        # what a log of this severity must have
require = ["root_cause", "resolution", "action_items", "phase:identified"]
action_items_need = ["owner", "due"]

[site]
title = "Acme incident history"
"#;

    fn read(text: &str) -> Result<Config, Vec<Diagnostic>> {
        parse(&Source::from_text("postevent.toml", text))
    }

    /// (code, the text the diagnostic points at, its message) of each problem.
    fn problems(text: &str) -> Vec<(&'static str, String, String)> {
        let diagnostics = read(text).expect_err("the config should be refused");
        diagnostics
            .iter()
            .map(|d| {
                let at = d
                    .span
                    .clone()
                    .map(|s| text[s].to_owned())
                    .unwrap_or_default();
                (d.code.code(), at, d.message.clone())
            })
            .collect()
    }

    #[test]
    fn candidates_are_the_folder_and_every_one_above() {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("org/incidents");
        std::fs::create_dir_all(&logs).unwrap();
        let found = candidates(&logs.join("a.yaml"));
        assert_eq!(found[0], logs.join(FILE_NAME));
        assert_eq!(found[1], dir.path().join("org").join(FILE_NAME));
        assert_eq!(found.last().unwrap(), Path::new("/postevent.toml"));
        assert_eq!(discover(&logs), None.or_else(|| discover(dir.path())));
        std::fs::write(dir.path().join("org").join(FILE_NAME), "").unwrap();
        assert_eq!(discover(&logs), Some(found[1].clone()));
    }

    #[test]
    fn the_contract_reads_as_written() {
        let c = read(ACME).unwrap();
        assert_eq!(
            c.severities.names(),
            ["SEV0", "SEV1", "SEV2", "SEV3", "SEV4"]
        );
        assert_eq!(c.severities.levels[0].label.as_deref(), Some("Critical"));
        assert_eq!(c.severities.levels[1].label, None);
        let names: Vec<(&str, &str, bool)> = c
            .milestones
            .iter()
            .map(|m| (m.name.as_str(), m.label.as_str(), m.public))
            .collect();
        // In the order written, the label given, internal unless said.
        assert_eq!(
            names,
            [
                ("impact_started", "Impact started", true),
                ("first_public_update", "First public update", false)
            ]
        );
        assert_eq!(
            c.metrics,
            [MetricDef {
                name: "impact_to_detect".into(),
                label: "Impact to detection".into(),
                from: Point::Milestone("impact_started".into()),
                to: Point::Phase(Phase::Detected),
            }]
        );
        let policy = &c.policy[0];
        assert_eq!(policy.severity, "SEV1");
        let required: Vec<&Requirement> = policy.require.iter().map(|r| &r.what).collect();
        assert_eq!(
            required,
            [
                &Requirement::Field("root_cause"),
                &Requirement::Field("resolution"),
                &Requirement::Field("action_items"),
                &Requirement::Phase(Phase::Identified),
            ]
        );
        assert_eq!(
            policy.require[0].line, 19,
            "the line of the policy, for messages"
        );
        assert_eq!(
            policy.action_items_need,
            [("owner".into(), 20), ("due".into(), 20)]
        );
        assert_eq!(c.site_title.as_deref(), Some("Acme incident history"));
        assert!(c.lint_prose && !c.public_roles);
    }

    #[test]
    fn an_empty_file_is_the_defaults() {
        assert_eq!(read("").unwrap(), Config::default());
        assert_eq!(read("# nothing yet\n").unwrap(), Config::default());
        assert_eq!(
            Config::default().severities.names(),
            crate::model::Severity::NAMES
        );
        let c = read("public_roles = true\n[lint]\nprose = false\n").unwrap();
        assert!(c.public_roles && !c.lint_prose);
        assert!(!Config::default().chart_all_services);
        let c = read("[report]\nchart_all_services = true\n").unwrap();
        assert!(
            c.chart_all_services,
            "[report] chart_all_services (docs/config.md)"
        );
    }

    #[test]
    fn unknown_keys_are_located_with_the_keys_there() {
        let p = problems("[site]\ntitel = \"x\"\n");
        assert_eq!(p[0].0, "E002");
        assert_eq!(p[0].1, "titel");
        let d = read("[site]\ntitel = \"x\"\n").unwrap_err();
        assert!(
            d[0].hint.as_deref().unwrap().contains("`title`"),
            "{:?}",
            d[0].hint
        );
        let p = problems("[milestones.impact_started]\nlabel = \"x\"\npublik = true\n");
        assert_eq!((p[0].0, p[0].1.as_str()), ("E002", "publik"));
        assert_eq!(problems("severity = 1\n")[0].0, "E002");
    }

    #[test]
    fn syntax_and_types_are_located() {
        let p = problems("[site\ntitle = 1\n");
        assert_eq!(p[0].0, "E001");
        let p = problems("[site]\ntitle = 1\n");
        assert_eq!((p[0].0, p[0].1.as_str()), ("E003", "1"));
        let p = problems("[metrics.x]\nfrom = \"started\"\n");
        assert_eq!(p[0].0, "E004");
    }

    #[test]
    fn every_bad_value_is_reported_at_once() {
        let text = r#"
[severities]
levels = ["P1", "P2", "P2", "bad level"]
[severities.labels]
P3 = "Minor"
[milestones.detected]
[milestones.Impact]
[metrics.time_to_resolve]
from = "started"
to = "resolved"
[metrics.x]
from = "impact_strated"
to = "resolved"
[metrics.y]
from = "started"
to = "started"
[policy.SEV1]
require = ["root_cuase", "phase:fixed", "milestone:nope"]
[policy.P1]
action_items_need = ["ownr"]
"#;
        let p = problems(text);
        let at: Vec<(&str, &str)> = p.iter().map(|(c, at, _)| (*c, at.as_str())).collect();
        assert_eq!(
            at,
            [
                ("E007", "\"P2\""),
                ("E005", "\"bad level\""),
                ("E005", "P3"),
                ("E005", "detected"),
                ("E005", "Impact"),
                ("E005", "time_to_resolve"),
                ("E005", "\"impact_strated\""),
                ("E005", "\"started\""),
                ("E005", "SEV1"),
                ("E005", "\"ownr\""),
            ]
        );
        let d = read(text).unwrap_err();
        let hint = |i: usize| d[i].hint.clone().unwrap_or_default();
        assert!(hint(8).contains("the scale is `P1` or `P2`"), "{}", hint(8));
        assert!(hint(9).contains("did you mean `owner`?"), "{}", hint(9));
        // The SEV1 policy is refused as a whole, so its requirements are not looked at.
        assert!(!p.iter().any(|(_, at, _)| at.contains("root_cuase")));
    }

    #[test]
    fn requirements_are_checked() {
        let text = "[milestones.impact_started]\n[policy.SEV2]\nrequire = [\"root_cuase\", \"phase:fixed\", \"milestone:nope\", \"milestone:impact_started\"]\n";
        let p = problems(text);
        let at: Vec<&str> = p.iter().map(|(_, at, _)| at.as_str()).collect();
        assert_eq!(
            at,
            ["\"root_cuase\"", "\"phase:fixed\"", "\"milestone:nope\""]
        );
        let d = read(text).unwrap_err();
        assert!(
            d[0].hint
                .as_deref()
                .unwrap()
                .contains("did you mean `root_cause`?")
        );
    }

    #[test]
    fn too_many_levels() {
        let levels: Vec<String> = (0..11).map(|i| format!("\"L{i}\"")).collect();
        let p = problems(&format!("[severities]\nlevels = [{}]\n", levels.join(", ")));
        assert!(p[0].2.contains("11 severity levels; at most 10"), "{p:?}");
        assert!(
            problems("[severities]\nlevels = []\n")[0]
                .2
                .contains("empty")
        );
    }

    #[test]
    fn labels_from_names() {
        assert_eq!(label_of("impact_started"), "Impact started");
        assert_eq!(label_of("x"), "X");
    }

    #[test]
    fn found_in_the_folder_or_above() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("incidents/2026");
        std::fs::create_dir_all(&nested).unwrap();
        let log = nested.join("a.yaml");
        std::fs::write(&log, "title: x\n").unwrap();
        assert_eq!(discover(&log).filter(|p| p.starts_with(dir.path())), None);
        std::fs::write(dir.path().join(FILE_NAME), "").unwrap();
        assert_eq!(discover(&log), Some(dir.path().join(FILE_NAME)));
        assert_eq!(discover(&nested), Some(dir.path().join(FILE_NAME)));
        std::fs::write(nested.join(FILE_NAME), "[site]\ntitle = \"near\"\n").unwrap();
        assert_eq!(discover(&log), Some(nested.join(FILE_NAME)));
        let c = for_path(None, &log).unwrap();
        assert_eq!(c.site_title.as_deref(), Some("near"));
        assert_eq!(c.path, Some(nested.join(FILE_NAME)));
        let explicit = dir.path().join(FILE_NAME);
        assert_eq!(for_path(Some(&explicit), &log).unwrap().site_title, None);
        let missing = dir.path().join("nope.toml");
        assert!(matches!(
            for_path(Some(&missing), &log),
            Err(ConfigError::Read { .. })
        ));
    }

    #[test]
    fn the_schema_names_every_table() {
        let schema: serde_json::Value = serde_json::from_str(&json_schema()).unwrap();
        let keys: Vec<&str> = schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for key in [
            "severities",
            "milestones",
            "metrics",
            "policy",
            "site",
            "lint",
            "public_roles",
        ] {
            assert!(keys.contains(&key), "{key} in {keys:?}");
        }
    }
}
