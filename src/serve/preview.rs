//! The state of a preview: the site built into a folder, its version, and, while the logs
//! cannot be built, what is wrong with them. [`Preview::poll`] rebuilds when a watched file
//! changes; [`Preview::respond`] answers a request path. No sockets here, so both are tested
//! directly.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::reload;
use super::url::{self, Target};
use super::watch::{self, Snapshot};
use crate::config::Config;
use crate::diagnostics::RenderStyle;
use crate::parse::Limits;
use crate::redact::Audience;
use crate::render::TemplateSet;
use crate::site::Options;
use crate::site::build::{self, Problem, Request, Silent};
use crate::site::load::Reader;

/// Finds the log files to build; called on every rebuild, so new logs join the site.
pub type Finder = dyn Fn() -> Result<Vec<PathBuf>, String>;

/// Reads the organisation's config (`postevent.toml`); called on every rebuild, so an edit
/// to it applies at once. The error is the text to show, as `check` would print it.
pub type ConfigReader = dyn Fn() -> Result<Config, String>;

/// What a preview builds, and from where.
pub struct Setup {
    pub files: Box<Finder>,
    pub read: Box<Reader>,
    pub limits: Limits,
    pub audience: Audience,
    pub config: Box<ConfigReader>,
    /// Where a config may be (see [`crate::config::candidates`]): watched, so creating,
    /// editing or removing one rebuilds the site.
    pub config_files: Vec<PathBuf>,
    /// Template folders, in override order, loaded again on every rebuild.
    pub template_dirs: Vec<PathBuf>,
    /// The log files and folders, watched for changes to `*.yaml` and `*.yml` files (the
    /// template folders are watched for changes to any file).
    pub logs: Vec<PathBuf>,
    /// The folder the site is built into; the caller makes it and removes it.
    pub out: PathBuf,
}

/// The result of the latest build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// The site is up to date.
    Built {
        incidents: usize,
        /// Incident pages rendered by this build (the others were unchanged).
        rendered: usize,
    },
    /// The site could not be built; the text says why, as `build` would print it without
    /// colour. The previous site (if any) is still in the folder.
    Broken(String),
}

/// One build: what triggered it and how it went.
#[derive(Debug, Clone)]
pub struct Rebuild {
    pub version: u64,
    /// The watched files that changed (empty for the first build).
    pub changed: Vec<PathBuf>,
    pub took: Duration,
    pub status: Status,
}

/// An answer to a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// Where a redirect goes.
    pub location: Option<String>,
}

impl Reply {
    fn text(status: u16, text: &str) -> Reply {
        Reply {
            status,
            content_type: "text/plain; charset=utf-8",
            body: text.as_bytes().to_vec(),
            location: None,
        }
    }

    fn html(status: u16, html: String) -> Reply {
        Reply {
            status,
            content_type: "text/html; charset=utf-8",
            body: html.into_bytes(),
            location: None,
        }
    }
}

pub struct Preview {
    setup: Setup,
    version: u64,
    status: Status,
    snapshot: Snapshot,
    nonce: String,
}

impl Preview {
    /// Builds the site a first time; a broken log does not stop the preview.
    pub fn start(setup: Setup) -> (Preview, Rebuild) {
        let mut preview = Preview {
            setup,
            version: 0,
            status: Status::Broken(String::new()),
            snapshot: Snapshot::default(),
            nonce: reload::nonce(),
        };
        let snapshot = preview.snapshot();
        let rebuild = preview.rebuild(snapshot, Vec::new());
        (preview, rebuild)
    }

    /// Bumped by every build, good or broken; open pages reload when it changes.
    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn status(&self) -> &Status {
        &self.status
    }

    /// Rebuilds if a watched file changed since the last build.
    pub fn poll(&mut self) -> Option<Rebuild> {
        let snapshot = self.snapshot();
        let changed = snapshot.changed_since(&self.snapshot);
        if changed.is_empty() {
            return None;
        }
        Some(self.rebuild(snapshot, changed))
    }

    fn snapshot(&self) -> Snapshot {
        let logs = Snapshot::take(&self.setup.logs, watch::is_log);
        logs.merge(Snapshot::take(&self.setup.template_dirs, watch::any))
            .merge(Snapshot::take(&self.setup.config_files, watch::any))
    }

    /// Builds with `snapshot` taken just before, so a save during the build is seen by the
    /// next poll.
    fn rebuild(&mut self, snapshot: Snapshot, changed: Vec<PathBuf>) -> Rebuild {
        let start = Instant::now();
        self.snapshot = snapshot;
        self.status = self.build().unwrap_or_else(Status::Broken);
        self.version += 1;
        Rebuild {
            version: self.version,
            changed,
            took: start.elapsed(),
            status: self.status.clone(),
        }
    }

    fn build(&self) -> Result<Status, String> {
        let files = (self.setup.files)()?;
        let templates = TemplateSet::load(&self.setup.template_dirs).map_err(|e| e.to_string())?;
        let options = Options::new(self.setup.audience, None, (self.setup.config)()?);
        let request = Request {
            files: &files,
            read: &*self.setup.read,
            limits: self.setup.limits,
            out: &self.setup.out,
            options: &options,
            templates: &templates,
            keep_going: false,
        };
        let outcome = build::build(&request, &Silent).map_err(|e| format!("error: {e}"))?;
        if !outcome.written {
            return Err(problems_text(&outcome.problems));
        }
        Ok(Status::Built {
            incidents: outcome.incidents,
            rendered: outcome.rendered,
        })
    }

    /// The answer to a GET of `path` (with its query, as in the request line).
    pub fn respond(&self, path: &str) -> Reply {
        let bare = path.split(['?', '#']).next().unwrap_or_default();
        if bare == reload::VERSION_PATH {
            return Reply::text(200, &self.version.to_string());
        }
        if bare == reload::VERSION_SCRIPT_PATH {
            return Reply {
                content_type: "text/javascript; charset=utf-8",
                ..Reply::text(200, &reload::version_script(self.version))
            };
        }
        if bare.starts_with("/__postevent/") {
            return self.not_found();
        }
        let file = match url::target(&self.setup.out, path) {
            Target::File(file) => file,
            Target::Forbidden => return Reply::text(403, "403 forbidden\n"),
            Target::Redirect(to) => {
                return Reply {
                    location: Some(to),
                    ..Reply::text(301, "301 moved permanently\n")
                };
            }
        };
        let content_type = url::content_type(&file);
        let is_html = content_type.starts_with("text/html");
        if let (true, Status::Broken(text)) = (is_html, &self.status) {
            return Reply::html(500, reload::error_page(text, &self.nonce, self.version));
        }
        let Some(bytes) = self.read_inside(&file) else {
            return self.not_found();
        };
        if is_html {
            let html = String::from_utf8_lossy(&bytes);
            return Reply::html(200, reload::inject(&html, &self.nonce, self.version));
        }
        Reply {
            status: 200,
            content_type,
            body: bytes,
            location: None,
        }
    }

    /// The bytes of `file` if it is a file inside the site folder once links are resolved.
    fn read_inside(&self, file: &Path) -> Option<Vec<u8>> {
        let root = self.setup.out.canonicalize().ok()?;
        let real = file.canonicalize().ok()?;
        if !real.starts_with(&root) || !real.is_file() {
            return None;
        }
        std::fs::read(real).ok()
    }

    fn not_found(&self) -> Reply {
        let page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
            <title>Not found</title></head><body><h1>404 not found</h1>\
            <p><a href=\"/\">All incidents</a></p></body></html>\n";
        Reply::html(404, reload::inject(page, &self.nonce, self.version))
    }
}

/// Why a build wrote nothing, as `postevent build` says it, without colour.
fn problems_text(problems: &[Problem]) -> String {
    let style = RenderStyle {
        color: false,
        ..RenderStyle::default()
    };
    let mut text: String = problems.iter().map(|p| p.render(style)).collect();
    let n = problems.iter().flat_map(Problem::paths).count();
    text += &format!(
        "{n} log{} cannot go into the site; the preview shows this page until {} fixed\n",
        if n == 1 { "" } else { "s" },
        if n == 1 { "it is" } else { "they are" }
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::Audience;
    use crate::source::Source;

    const VALID: &str = include_str!("../../tests/fixtures/site/dns-typo-2025-12-01.yaml");

    /// A preview of one log in a fresh folder: (preview, log path, folder).
    fn preview_of(text: &str) -> (Preview, PathBuf, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let logs = dir.path().join("incidents");
        std::fs::create_dir(&logs).unwrap();
        let log = logs.join("dns.yaml");
        std::fs::write(&log, text).unwrap();
        let found = logs.clone();
        // The folder's own config, read as serve reads it: again on every build.
        let config_file = dir.path().join("postevent.toml");
        let read_config = config_file.clone();
        let setup = Setup {
            files: Box::new(move || {
                let mut files: Vec<PathBuf> = std::fs::read_dir(&found)
                    .map_err(|e| e.to_string())?
                    .map(|e| e.unwrap().path())
                    .collect();
                files.sort();
                Ok(files)
            }),
            read: Box::new(|p: &Path| {
                let text = std::fs::read_to_string(p).map_err(|e| e.to_string())?;
                Ok(Source::new(
                    p.display().to_string(),
                    Some(p.to_owned()),
                    text,
                ))
            }),
            limits: Limits::default(),
            audience: Audience::Internal,
            config: Box::new(move || match read_config.is_file() {
                true => crate::config::load(&read_config).map_err(|e| {
                    format!("{}error: {e}\n", e.diagnostics_text(RenderStyle::default()))
                }),
                false => Ok(Config::default()),
            }),
            config_files: vec![config_file],
            template_dirs: vec![dir.path().join("templates")],
            logs: vec![logs],
            out: dir.path().join("site"),
        };
        let (preview, first) = Preview::start(setup);
        assert_eq!(first.version, 1);
        (preview, log, dir)
    }

    fn body(reply: &Reply) -> &str {
        std::str::from_utf8(&reply.body).unwrap()
    }

    #[test]
    fn the_site_is_served_with_the_reload_script() {
        let (preview, _, _dir) = preview_of(VALID);
        assert!(matches!(
            preview.status(),
            Status::Built { incidents: 1, .. }
        ));
        let index = preview.respond("/");
        assert_eq!(
            (index.status, index.content_type),
            (200, "text/html; charset=utf-8")
        );
        assert!(body(&index).contains("Typo in a DNS zone file"));
        assert!(body(&index).contains(&format!("'nonce-{}'", preview.nonce)));
        assert!(body(&index).contains(&format!("<script nonce=\"{}\">", preview.nonce)));
        let page = preview.respond("/incidents/dns-typo-2025-12-01.html");
        assert_eq!(page.status, 200);
        assert_eq!(body(&preview.respond("/__postevent/version")), "1");
        assert!(body(&preview.respond("/__postevent/version.js?t=5")).contains("(\"1\")"));
        assert_eq!(preview.respond("/__postevent/other").status, 404);
        assert_eq!(preview.respond("/missing.html").status, 404);
        assert_eq!(preview.respond("/../site/index.html").status, 403);
        assert_eq!(preview.respond("/%2e%2e/incidents/dns.yaml").status, 403);
    }

    #[test]
    fn files_on_disk_never_get_the_script() {
        let (preview, _, dir) = preview_of(VALID);
        let on_disk = std::fs::read_to_string(dir.path().join("site/index.html")).unwrap();
        assert!(!on_disk.contains(&preview.nonce));
        assert!(!on_disk.contains("__postevent"));
    }

    #[test]
    fn a_broken_log_shows_its_diagnostics_until_it_is_fixed() {
        let (mut preview, log, _dir) = preview_of(VALID);
        assert!(preview.poll().is_none(), "nothing changed");

        let broken = VALID.replace("      Status page:", "      Status <b>pages</b>:");
        std::fs::write(&log, broken).unwrap();
        let rebuild = preview.poll().expect("the edit is seen");
        assert_eq!((rebuild.version, rebuild.changed), (2, vec![log.clone()]));
        let Status::Broken(text) = &rebuild.status else {
            panic!("still built: {:?}", rebuild.status);
        };
        assert!(text.contains("E012"), "{text}");
        let page = preview.respond("/");
        assert_eq!(page.status, 500);
        assert!(body(&page).contains("E012"));
        assert!(body(&page).contains("Status &lt;b&gt;pages&lt;/b&gt;"));
        assert!(!body(&page).contains("<b>pages"));
        assert!(body(&page).contains("var version = \"2\""));
        // What is not a page is still served from the last good build.
        assert_eq!(preview.respond("/search-index.json").status, 200);

        std::fs::write(&log, VALID.replace("A customer", "A user")).unwrap();
        let rebuild = preview.poll().expect("the fix is seen");
        assert_eq!(rebuild.version, 3);
        assert!(matches!(rebuild.status, Status::Built { rendered: 1, .. }));
        let index = preview.respond("/");
        assert_eq!(index.status, 200);
        assert!(!body(&index).contains("E012"));
    }

    #[test]
    fn a_new_log_joins_the_site() {
        let (mut preview, log, _dir) = preview_of(VALID);
        let other = VALID
            .replace("id: dns-typo-2025-12-01", "id: second-log")
            .replace("Typo in a DNS zone file", "Another typo");
        std::fs::write(log.with_file_name("second.yaml"), other).unwrap();
        let rebuild = preview.poll().expect("the new file is seen");
        assert!(matches!(rebuild.status, Status::Built { incidents: 2, .. }));
        assert_eq!(preview.respond("/incidents/second-log.html").status, 200);
    }

    #[test]
    fn a_template_save_rebuilds_and_a_broken_template_is_shown() {
        let (mut preview, _, dir) = preview_of(VALID);
        let site = dir.path().join("templates/site");
        std::fs::create_dir_all(&site).unwrap();
        std::fs::write(site.join("nav.css"), ".site-nav { --x: TEMPLATE-MARKER; }").unwrap();
        let rebuild = preview.poll().expect("the new template is seen");
        assert!(
            matches!(rebuild.status, Status::Built { .. }),
            "{rebuild:?}"
        );
        // The site's stylesheet has it, under a new name the index links.
        let index = body(&preview.respond("/")).to_owned();
        let css = index
            .split("<link rel=\"stylesheet\" href=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the index links its stylesheet");
        let sheet = preview.respond(&format!("/{css}"));
        assert_eq!(sheet.content_type, "text/css; charset=utf-8");
        assert!(body(&sheet).contains("TEMPLATE-MARKER"), "{css}");

        std::fs::write(site.join("index.html"), "{% if %}").unwrap();
        let rebuild = preview.poll().expect("the broken template is seen");
        let Status::Broken(text) = &rebuild.status else {
            panic!("still built: {:?}", rebuild.status);
        };
        assert!(text.contains("index.html"), "{text}");
        assert_eq!(preview.respond("/").status, 500);

        std::fs::remove_file(site.join("index.html")).unwrap();
        let rebuild = preview.poll().expect("the removal is seen");
        assert!(
            matches!(rebuild.status, Status::Built { .. }),
            "{rebuild:?}"
        );
        assert_eq!(preview.respond("/").status, 200);
    }

    #[cfg(unix)]
    #[test]
    fn a_config_save_rebuilds_and_a_broken_config_is_shown() {
        let (mut preview, _, dir) = preview_of(VALID);
        let config = dir.path().join("postevent.toml");
        std::fs::write(&config, "[site]\ntitle = \"Acme incident history\"\n").unwrap();
        let rebuild = preview.poll().expect("a new config is a change");
        assert_eq!(rebuild.changed, std::slice::from_ref(&config));
        assert!(body(&preview.respond("/")).contains("Acme incident history"));
        std::fs::write(&config, "[site]\ntitel = \"Acme\"\n").unwrap();
        preview.poll().expect("an edit is a change");
        let page = body(&preview.respond("/")).to_owned();
        assert!(matches!(preview.status(), Status::Broken(_)));
        assert!(page.contains("E002") && page.contains("titel"), "{page}");
        std::fs::remove_file(&config).unwrap();
        preview.poll().expect("a removed config is a change");
        let index = body(&preview.respond("/")).to_owned();
        assert!(
            index.contains("Post-mortems") && !index.contains("Acme"),
            "{index}"
        );
    }

    #[test]
    fn a_link_out_of_the_site_is_not_followed() {
        let (preview, log, dir) = preview_of(VALID);
        std::os::unix::fs::symlink(&log, dir.path().join("site/leak.html")).unwrap();
        assert_eq!(preview.respond("/leak.html").status, 404);
    }
}
