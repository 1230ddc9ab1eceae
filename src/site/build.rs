//! One build, start to finish: load (with the cache), stop on invalid logs unless asked to
//! keep going, render in parallel, write. Problems come back as data for the CLI to print.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use thiserror::Error;

use super::cache::{self, Cache, NewCache};
use super::load::{self, Last, Loaded, Reader};
use super::related::{self, Node, RelatedLink};
use super::write::{self, WriteError};
use super::{Entry, Options, TemplateSet, Tree, pages};
use crate::diagnostics::{Diagnostic, RenderStyle, render_human};
use crate::model::Incident;
use crate::parse::Limits;
use crate::redact::redact_with;
use crate::render::TemplateError;
use crate::render::view::Forms;
use crate::source::Source;
use crate::validate::Checked;

/// Progress of a long build, for a progress bar; every method may be called from any thread.
pub trait Progress: Sync {
    /// A new stage of `len` steps begins.
    fn stage(&self, name: &'static str, len: u64);
    /// One step of the current stage is done.
    fn tick(&self);
}

/// No progress shown.
pub struct Silent;

impl Progress for Silent {
    fn stage(&self, _: &'static str, _: u64) {}
    fn tick(&self) {}
}

/// What a build needs besides the logs.
pub struct Request<'a> {
    pub files: &'a [PathBuf],
    pub read: &'a Reader,
    pub limits: Limits,
    pub out: &'a Path,
    pub options: &'a Options,
    pub templates: &'a TemplateSet,
    /// Build the valid logs even when others are invalid.
    pub keep_going: bool,
}

impl Request<'_> {
    /// Loads one log, from the `last` build (with the log's key) when it is unchanged there.
    fn load(&self, path: &Path, last: Option<(Last, &str)>) -> Loaded {
        load::load_one(path, self.read, self.limits, &self.options.config, last)
    }
}

/// A log that could not go into the site.
pub enum Problem {
    /// Validation found errors (the diagnostics include any warnings).
    Invalid {
        source: Box<Source>,
        diagnostics: Vec<Diagnostic>,
    },
    Unreadable {
        path: PathBuf,
        reason: String,
    },
    /// Several logs have the same id, so they would share a page.
    DuplicateId {
        id: String,
        paths: Vec<PathBuf>,
    },
}

impl Problem {
    /// The logs it concerns.
    pub fn paths(&self) -> Vec<String> {
        match self {
            Problem::Invalid { source, .. } => vec![source.name().to_owned()],
            Problem::Unreadable { path, .. } => vec![path.display().to_string()],
            Problem::DuplicateId { paths, .. } => {
                paths.iter().map(|p| p.display().to_string()).collect()
            }
        }
    }

    /// The problem as `build`, `export` and the preview print it: the errors of an invalid
    /// log with their locations, else one line and a hint.
    pub fn render(&self, style: RenderStyle) -> String {
        match self {
            Problem::Invalid {
                source,
                diagnostics,
            } => diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| render_human(source, d, style))
                .collect(),
            Problem::Unreadable { path, reason } => {
                format!("error: cannot read `{}`: {reason}\n", path.display())
            }
            Problem::DuplicateId { id, paths } => {
                let shown: Vec<String> =
                    paths.iter().map(|p| format!("`{}`", p.display())).collect();
                format!(
                    "error: the id `{id}` is used by {}\n  = hint: each incident needs its own id, since it names its page; set `id:` in all but one\n",
                    shown.join(" and ")
                )
            }
        }
    }
}

/// The incident of a checked log, or the problem that keeps it out of a site or an export.
pub fn incident_of(source: Source, checked: Checked) -> Result<Incident, Problem> {
    let errors = checked.errors();
    match checked.incident {
        Some(incident) if errors == 0 => Ok(incident),
        _ => Err(Problem::Invalid {
            source: Box::new(source),
            diagnostics: checked.diagnostics,
        }),
    }
}

/// Adds a problem for each id more than one log uses (paths sorted); returns those ids.
pub fn duplicate_ids<'a>(
    logs: impl IntoIterator<Item = (&'a str, &'a Path)>,
    problems: &mut Vec<Problem>,
) -> BTreeSet<String> {
    let mut by_id: BTreeMap<&str, Vec<&Path>> = BTreeMap::new();
    for (id, path) in logs {
        by_id.entry(id).or_default().push(path);
    }
    let mut dup = BTreeSet::new();
    for (id, paths) in by_id.iter().filter(|(_, paths)| paths.len() > 1) {
        let mut paths: Vec<PathBuf> = paths.iter().map(|p| p.to_path_buf()).collect();
        paths.sort();
        problems.push(Problem::DuplicateId {
            id: (*id).to_owned(),
            paths,
        });
        dup.insert((*id).to_owned());
    }
    dup
}

/// What a build did.
pub struct Outcome {
    /// Whether the site was written (false when problems stopped it).
    pub written: bool,
    /// Whether the whole site was rebuilt (rather than updated).
    pub full: bool,
    /// Incidents in the site.
    pub incidents: usize,
    /// Incident pages rendered this time; the others were unchanged.
    pub rendered: usize,
    /// Stale files removed.
    pub removed: usize,
    pub problems: Vec<Problem>,
}

#[derive(Debug, Error)]
pub enum BuildError {
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// One log of the site: unchanged since the last build (`encoded` holds its entry as the
/// cache had it) or rendered now (`html` holds its page, unless it went to the staging
/// folder).
struct Log {
    path: PathBuf,
    /// Its [`cache::log_key`].
    key: String,
    stamp: cache::Stamp,
    entry: Entry,
    encoded: Option<cache::Encoded>,
    html: Option<String>,
}

impl Log {
    fn fresh(&self) -> bool {
        self.encoded.is_none()
    }
}

/// One log after the first pass.
enum Step {
    /// Unchanged, its entry still in the cache.
    Cached(PathBuf, String, cache::Stamp),
    Rendered(Box<Log>),
    Problem(Problem),
}

/// Builds the site described by `req`.
///
/// One parallel pass reads, validates and renders each log. Without a usable cache the build
/// is a full one: pages stream into a staging folder beside the site as they are rendered, so
/// memory holds entries rather than pages, and the folder is thrown away if any log fails.
/// With a cache, unchanged logs are skipped (when none changed, only the cache's first line
/// is read) and the (few) changed pages wait in memory.
///
/// A page shows its related incidents both ways, which only all the entries tell: the first
/// pass renders each page without them, then every page (fresh or cached) whose list is not
/// the one it was rendered with is read and rendered again. Only logs with related incidents
/// pay for that second pass.
pub fn build(req: &Request, progress: &dyn Progress) -> Result<Outcome, BuildError> {
    write::check_target(req.out)?;
    let key = cache::key(req.options, req.templates);
    // The cache, the files of the site and the logs' keys, side by side (all file system
    // work; the files are of no use without a cache, which is rare).
    let ((old, present), keys) = rayon::join(
        || rayon::join(|| Cache::read(req.out, &key), || write::files_in(req.out)),
        || cache::log_keys(req.files),
    );
    let staging = match old {
        Some(_) => None,
        None => Some(write::Staging::begin(req.out)?),
    };
    let last = old.as_ref().map(|cache| Last {
        cache,
        files: &present,
    });
    // The Markdown forms the incident pages' template reads: a page renders only those.
    let forms = req
        .templates
        .text_forms(pages::incident_template(req.options.audience));
    progress.stage("building", req.files.len() as u64);
    let steps: Vec<Step> = req
        .files
        .par_iter()
        .zip(&keys)
        .map(|(path, key)| {
            let loaded = req.load(path, last.map(|l| (l, key.as_str())));
            let step = first_pass(loaded, key, req, forms, staging.as_ref(), &[]);
            progress.tick();
            step
        })
        .collect::<Result<_, BuildError>>()?;
    let (mut unchanged, mut logs, mut problems) = (Vec::new(), Vec::new(), Vec::new());
    for step in steps {
        match step {
            Step::Cached(path, key, stamp) => unchanged.push((path, key, stamp)),
            Step::Rendered(log) => logs.push(*log),
            Step::Problem(p) => problems.push(p),
        }
    }
    if let Some(old) = &old
        && logs.is_empty()
        && problems.is_empty()
        && up_to_date(old, &unchanged, &present)
    {
        return Ok(Outcome {
            written: true,
            full: false,
            incidents: unchanged.len(),
            rendered: 0,
            removed: 0,
            problems,
        });
    }
    if let Some(old) = &old {
        restore(old, unchanged, &mut logs, &mut problems, req, forms)?;
    }
    let dropped = drop_duplicates(&mut logs, &mut problems);
    rerender_related(&mut logs, &mut problems, req, forms, staging.as_ref())?;
    if !problems.is_empty() && !req.keep_going {
        return Ok(Outcome {
            written: false,
            full: false,
            incidents: 0,
            rendered: 0,
            removed: 0,
            problems,
        });
    }
    if let Some(s) = &staging {
        for id in &dropped {
            s.remove(&super::incident_path(id))?;
        }
    }
    let rendered_count = logs.iter().filter(|l| l.fresh()).count();
    let full = staging.is_some();

    let mut new = NewCache::new(key);
    let mut entries = Vec::with_capacity(logs.len());
    let mut files: BTreeSet<String> = BTreeSet::new();
    let mut tree = Tree::new();
    let encoded: Vec<cache::Encoded> = logs
        .par_iter_mut()
        .map(|l| {
            l.encoded
                .take()
                .unwrap_or_else(|| cache::Encoded::new(&l.entry))
        })
        .collect();
    for (log, encoded) in logs.into_iter().zip(encoded) {
        files.insert(log.entry.url.clone());
        if let Some(html) = log.html {
            tree.insert(log.entry.url.clone(), html.into_bytes());
        }
        let digest = encoded.digest;
        new.insert(log.key, log.stamp, log.entry.url.clone(), encoded);
        entries.push((log.entry, digest));
    }
    entries.sort_by(|a, b| Entry::newest_first(&a.0, &b.0));
    let (entries, digests): (Vec<Entry>, Vec<u64>) = entries.into_iter().unzip();
    let previous = old.as_ref().map(|o| pages::Previous {
        digests: &o.pages,
        files: &present,
    });
    let staged = staging.as_ref();
    let put = |rel: &str, bytes: &[u8]| match staged {
        Some(s) => s.write(rel, bytes),
        None => Ok(()),
    };
    let stream: Option<&pages::Put> = staged.map(|_| &put as &pages::Put);
    let aggregate = pages::aggregate(
        &entries,
        &digests,
        previous,
        stream,
        req.options,
        req.templates,
    )?;
    tree.extend(aggregate.tree);
    files.extend(tree.keys().cloned());
    files.extend(aggregate.digests.keys().cloned());
    new.files = files.iter().cloned().collect();
    new.pages = aggregate.digests;

    let mut removed = 0;
    match staging {
        None => {
            let stale: Vec<String> = old
                .iter()
                .flat_map(|o| o.files.iter())
                .filter(|f| !files.contains(*f))
                .cloned()
                .collect();
            removed = stale.len();
            Cache::remove(req.out)?;
            write::update(req.out, &tree, &stale)?;
        }
        Some(staging) => {
            tree.par_iter()
                .try_for_each(|(rel, bytes)| staging.write(rel, bytes))?;
            // A cache of another build key (another audience) must not outlive its site.
            Cache::remove(req.out)?;
            staging.commit()?;
        }
    }
    new.write(req.out)?;
    Ok(Outcome {
        written: true,
        full,
        incidents: entries.len(),
        rendered: rendered_count,
        removed,
        problems,
    })
}

/// Takes the entries of the `unchanged` logs from the cache; a log whose entry cannot be
/// read back there is read, validated and rendered again.
fn restore(
    old: &Cache,
    unchanged: Vec<(PathBuf, String, cache::Stamp)>,
    logs: &mut Vec<Log>,
    problems: &mut Vec<Problem>,
    req: &Request,
    forms: Forms,
) -> Result<(), BuildError> {
    let wanted: std::collections::HashSet<&str> =
        unchanged.iter().map(|(_, k, _)| k.as_str()).collect();
    let mut entries = old.entries(&wanted);
    let mut again = Vec::new();
    for (path, key, stamp) in unchanged {
        match entries.remove(&key) {
            Some((entry, encoded)) => logs.push(Log {
                path,
                key,
                stamp,
                entry,
                encoded: Some(encoded),
                html: None,
            }),
            None => again.push((path, key)),
        }
    }
    let steps: Vec<Step> = again
        .par_iter()
        .map(|(path, key)| first_pass(req.load(path, None), key, req, forms, None, &[]))
        .collect::<Result<_, BuildError>>()?;
    sort_steps(steps, logs, problems);
    Ok(())
}

/// Puts each step of a second pass (which never finds a log in the cache) in its place.
fn sort_steps(steps: Vec<Step>, logs: &mut Vec<Log>, problems: &mut Vec<Problem>) {
    for step in steps {
        match step {
            Step::Rendered(log) => logs.push(*log),
            Step::Problem(p) => problems.push(p),
            Step::Cached(..) => unreachable!("a second pass reads every log"),
        }
    }
}

/// Renders again every page whose related incidents (both ways, over every entry) are not the
/// ones it was rendered with: its log is read and validated again, since neither a cached nor
/// a fresh page keeps its incident.
fn rerender_related(
    logs: &mut Vec<Log>,
    problems: &mut Vec<Problem>,
    req: &Request,
    forms: Forms,
    staging: Option<&write::Staging>,
) -> Result<(), BuildError> {
    let graph = related::graph(logs.iter().map(|l| Node {
        id: &l.entry.id,
        title: &l.entry.title,
        related: &l.entry.related,
    }));
    let related_of = |id: &str| graph.get(id).map_or(&[][..], Vec::as_slice);
    let mut again: Vec<(PathBuf, String)> = Vec::new();
    logs.retain(|l| {
        related_of(&l.entry.id) == l.entry.related_pages.as_slice() || {
            again.push((l.path.clone(), l.key.clone()));
            false
        }
    });
    let steps: Vec<Step> = again
        .par_iter()
        .map(|(path, key)| {
            let loaded = req.load(path, None);
            let id = match &loaded {
                Loaded::Checked { checked, .. } => checked.incident.as_ref().map(|i| i.id.clone()),
                _ => None,
            };
            first_pass(
                loaded,
                key,
                req,
                forms,
                staging,
                id.map_or(&[][..], |id| related_of(&id)),
            )
        })
        .collect::<Result<_, BuildError>>()?;
    sort_steps(steps, logs, problems);
    Ok(())
}

/// Whether the site in `out` is what this build would write: every log unchanged (and
/// unchanged in time too, or the cache would need its new stamp), none added or removed, and
/// every file of the last build still there. Then nothing is rewritten.
fn up_to_date(
    old: &Cache,
    unchanged: &[(PathBuf, String, cache::Stamp)],
    present: &std::collections::HashSet<String>,
) -> bool {
    unchanged.len() == old.logs.len()
        && unchanged
            .iter()
            .all(|(_, key, stamp)| old.logs.get(key).is_some_and(|c| c.stamp == *stamp))
        // Incident pages were looked for while loading.
        && old
            .files
            .iter()
            .filter(|f| !f.starts_with("incidents/"))
            .all(|f| present.contains(f))
}

/// Validates, then renders a valid log (with `related`, its related incidents): into the
/// staging folder when there is one.
fn first_pass(
    loaded: Loaded,
    key: &str,
    req: &Request,
    forms: Forms,
    staging: Option<&write::Staging>,
    related: &[RelatedLink],
) -> Result<Step, BuildError> {
    let (path, stamp, source, checked) = match loaded {
        Loaded::Cached { path, stamp } => return Ok(Step::Cached(path, key.to_owned(), stamp)),
        Loaded::Unreadable { path, reason } => {
            return Ok(Step::Problem(Problem::Unreadable { path, reason }));
        }
        Loaded::Checked {
            path,
            stamp,
            source,
            checked,
        } => (path, stamp, source, checked),
    };
    let incident = match incident_of(source, *checked) {
        Ok(incident) => incident,
        Err(problem) => return Ok(Step::Problem(problem)),
    };
    let redacted = redact_with(&incident, req.options.audience, &req.options.config);
    let (mut entry, html) = pages::incident(&redacted, req.options, req.templates, forms, related)?;
    entry.related_pages = related.to_vec();
    let html = match staging {
        Some(s) => {
            s.write(&entry.url, html.as_bytes())?;
            None
        }
        None => Some(html),
    };
    Ok(Step::Rendered(Box::new(Log {
        path,
        key: key.to_owned(),
        stamp,
        entry,
        encoded: None,
        html,
    })))
}

/// Logs that share an id are all left out, each duplicate reported once; returns their ids.
fn drop_duplicates(logs: &mut Vec<Log>, problems: &mut Vec<Problem>) -> BTreeSet<String> {
    let dup = duplicate_ids(
        logs.iter().map(|l| (l.entry.id.as_str(), l.path.as_path())),
        problems,
    );
    logs.retain(|l| !dup.contains(&l.entry.id));
    dup
}
