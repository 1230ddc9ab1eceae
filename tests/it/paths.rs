//! Names that look like paths: ids, titles, tags and service names such as `../x`, absolute
//! paths, Windows device names (`CON`, `NUL`) or names that differ only by case never make a
//! command write outside its output folder, and never make two outputs share a file silently.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::run;

/// Names an attacker (or an unlucky author) might use.
const HOSTILE: &[&str] = &[
    "../x",
    "../../etc/passwd",
    "/etc/passwd",
    "/tmp/postevent-escape",
    "..\\..\\windows\\x",
    "C:\\Windows\\x",
    "CON",
    "NUL",
    "com1",
    "LPT9",
    "a/../../b",
    ".",
    "..",
    "~/x",
];

/// Every file under `dir`, relative to it.
fn files(dir: &Path) -> BTreeSet<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_owned())
        .collect()
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn q(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// A valid log whose tags, regions, authors and services are all the hostile names.
fn hostile_names_log() -> String {
    let list = |items: &[&str]| -> String {
        let quoted: Vec<String> = items.iter().map(|i| q(i)).collect();
        format!("[{}]", quoted.join(", "))
    };
    let services: Vec<String> = HOSTILE.iter().map(|h| format!("{h} svc")).collect();
    let services: Vec<&str> = services.iter().map(String::as_str).collect();
    let mut status = String::new();
    for name in &services {
        status += &format!("      {}: major_outage\n", q(name));
    }
    format!(
        "id: paths-test\ntitle: {}\nseverity: SEV3\nstatus: resolved\ntags: {}\nregions: {}\n\
         authors: {}\nservices: {}\ntimeline:\n  - at: 2026-01-01 10:00\n    phase: started\n\
         \x20   status:\n{status}    text: start\n  - at: 2026-01-01 10:30\n    phase: resolved\n\
         \x20   status:\n{}    text: end\n",
        q(&HOSTILE.join(" ")),
        list(HOSTILE),
        list(HOSTILE),
        list(HOSTILE),
        list(&services),
        status.replace("major_outage", "operational"),
    )
}

#[test]
fn report_writes_only_the_file_it_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.yaml");
    std::fs::write(&log, hostile_names_log()).unwrap();
    run(&["check", s(&log)]).code(0);
    for audience in ["internal", "public"] {
        for ext in ["md", "html", "json"] {
            let out = dir.path().join(format!("out/{audience}.{ext}"));
            run(&["report", s(&log), "--audience", audience, "-o", s(&out)]).code(0);
        }
    }
    let expected: BTreeSet<PathBuf> =
        ["log.yaml"]
            .into_iter()
            .map(PathBuf::from)
            .chain(["internal", "public"].into_iter().flat_map(|a| {
                ["md", "html", "json"].map(|e| PathBuf::from(format!("out/{a}.{e}")))
            }))
            .collect();
    assert_eq!(files(dir.path()), expected);
    assert!(!Path::new("/tmp/postevent-escape").exists());
}

#[test]
fn path_like_ids_are_refused_and_device_names_too() {
    let dir = tempfile::tempdir().unwrap();
    for id in [
        "../x", "/etc/x", "a/b", "..", "con", "nul", "com1", "lpt1", "CON",
    ] {
        let log = dir.path().join("log.yaml");
        std::fs::write(
            &log,
            format!(
                "id: {}\ntitle: T\nseverity: SEV3\ntimeline:\n  - at: 2026-01-01 10:00\n    text: x\n",
                q(id)
            ),
        )
        .unwrap();
        run(&["check", s(&log)]).code(1).stderr_has(&["E006"]);
        let incidents = dir.path().join("incidents");
        run(&[
            "new",
            "Title",
            "--id",
            id,
            "--dir",
            s(&incidents),
            "--at",
            "2026-01-01 10:00",
        ])
        .code(2)
        .stderr_has(&["invalid id"]);
        assert!(!incidents.exists(), "{id}: something was written");
    }
    run(&["new", "T", "--id", "con", "--dir", s(dir.path())])
        .code(2)
        .stderr_has(&["device name on Windows"]);
}

#[test]
fn new_makes_a_safe_name_from_any_title() {
    let dir = tempfile::tempdir().unwrap();
    let incidents = dir.path().join("incidents");
    let mut written = BTreeSet::new();
    for title in HOSTILE {
        let out = run(&[
            "new",
            title,
            "--dir",
            s(&incidents),
            "--at",
            "2026-01-01 10:00",
        ]);
        if out.code == 0 {
            let path = PathBuf::from(out.stdout.trim());
            assert_eq!(
                path.parent(),
                Some(incidents.as_path()),
                "{title}: {path:?}"
            );
            let stem = path.file_stem().unwrap().to_str().unwrap();
            assert!(stem.starts_with("2026-01-01-"), "{title}: {stem}");
            assert!(written.insert(path), "{title}: the same file twice");
        } else {
            // Titles without a letter or digit (`.`, `..`) give no name, and titles with the
            // same slug (`/etc/passwd`, `../../etc/passwd`) the same one: refused either way.
            let out = out.code(2);
            assert!(
                out.stderr.contains("cannot make a file name")
                    || out
                        .stderr
                        .contains("already exists; `new` never overwrites"),
                "{title}: {}",
                out.stderr
            );
        }
    }
    assert_eq!(files(dir.path()).len(), written.len());
    // A title differing only by case names the same file: refused, never overwritten.
    let first = run(&[
        "new",
        "API down",
        "--dir",
        s(&incidents),
        "--at",
        "2026-01-01 10:00",
    ])
    .code(0);
    let path = PathBuf::from(first.stdout.trim());
    let before = std::fs::read(&path).unwrap();
    run(&[
        "new",
        "api DOWN",
        "--dir",
        s(&incidents),
        "--at",
        "2026-01-01 10:00",
    ])
    .code(2)
    .stderr_has(&["already exists"]);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

/// A Statuspage document whose incidents are named after the hostile names (and two that
/// differ only by case, and two with the same name): every log lands in `--dir`, each in its
/// own file.
#[test]
fn import_writes_every_incident_inside_its_folder() {
    let mut names: Vec<&str> = HOSTILE.to_vec();
    names.extend(["Outage", "OUTAGE", "Outage"]);
    let incidents: Vec<serde_json::Value> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            serde_json::json!({
                "id": format!("../id{i}/{name}"),
                "name": name,
                "status": "resolved",
                "impact": "minor",
                "created_at": "2026-01-01T10:05:00Z",
                "started_at": "2026-01-01T10:00:00Z",
                "resolved_at": "2026-01-01T11:00:00Z",
                "incident_updates": [{
                    "status": "resolved",
                    "body": "Fixed.",
                    "created_at": "2026-01-01T11:00:00Z",
                    "affected_components": [{"name": name, "new_status": "operational"}]
                }],
                "components": [{"name": name}]
            })
        })
        .collect();
    let doc = serde_json::json!({ "page": { "name": "../page" }, "incidents": incidents });
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("feed.json");
    std::fs::write(&input, doc.to_string()).unwrap();
    let logs = dir.path().join("logs");
    let out = run(&["import", "statuspage", s(&input), "--dir", s(&logs)]).code(0);
    let written: Vec<PathBuf> = out.stdout.lines().map(PathBuf::from).collect();
    assert_eq!(written.len(), names.len(), "{}", out.stdout);
    for path in &written {
        assert_eq!(path.parent(), Some(logs.as_path()), "{path:?}");
    }
    let on_disk = files(dir.path());
    assert_eq!(on_disk.len(), names.len() + 1, "{on_disk:?}");
    run(&["check", s(&logs)]).code(0);
    // Importing again refuses to overwrite, and says so.
    run(&["import", "statuspage", s(&input), "--dir", s(&logs)])
        .code(2)
        .stderr_has(&["already exist", "--force"]);
}

/// `build` and every `export` of a log whose tags and services carry the hostile names (and a
/// 300-character one) write only inside their folders, under names a file system takes on
/// every platform: no device name, no name over 255 bytes. Regression: a long service name
/// failed the build ("File name too long"), and `nul` named the page `services/nul.html`.
#[test]
fn build_and_export_write_only_inside_their_folders() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    let long = "long ".repeat(60);
    let log = hostile_names_log().replace("tags: [", &format!("tags: [{}, ", q(&long)));
    std::fs::write(logs.join("log.yaml"), log).unwrap();
    run(&["check", s(&logs)]).code(0);
    let mut outputs = vec!["site".to_owned()];
    run(&["build", s(&logs), "-o", s(&dir.path().join("site")), "-q"]).code(0);
    for to in ["mdbook", "mkdocs", "hugo", "docusaurus", "zola"] {
        let out = dir.path().join(format!("export-{to}"));
        run(&["export", s(&logs), "--to", to, "-o", s(&out)]).code(0);
        outputs.push(format!("export-{to}"));
    }
    for file in files(dir.path()) {
        let top = file
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_str()
            .unwrap();
        // `build` keeps its cache beside the site (docs/site.md).
        assert!(
            top == "logs" || top == ".site.postevent-cache" || outputs.iter().any(|o| o == top),
            "{file:?} is outside the output folders"
        );
        for part in file.components() {
            let name = part.as_os_str().to_str().unwrap();
            let stem = name.split('.').next().unwrap().to_ascii_lowercase();
            assert!(
                !postevent::validate::is_device_name(&stem),
                "{file:?}: a device name"
            );
            assert!(name.len() <= 255, "{file:?}: a name too long");
        }
    }
    assert!(!Path::new("/tmp/postevent-escape").exists());
}

/// Regression: folders were walked following symlinks, so `incidents/creds.yaml ->
/// ~/.git-credentials` made `check incidents` print the token in a snippet, and a link to
/// `/usr` pulled in thousands of files. A folder is walked without following links (like
/// ripgrep without `-L`); a file or folder named on the command line may still be a link.
#[cfg(unix)]
#[test]
fn links_inside_a_folder_are_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("git-credentials");
    std::fs::write(&secret, "https://user:ghp_SECRET_TOKEN_42@github.com\n").unwrap();
    let outside = dir.path().join("elsewhere");
    std::fs::create_dir(&outside).unwrap();
    let valid = std::fs::read_to_string(crate::fixture("site/dns-typo-2025-12-01.yaml")).unwrap();
    let other = valid
        .replace("id: dns-typo-2025-12-01", "id: from-outside")
        .replace("Typo in a DNS zone file", "Pulled in through a link");
    std::fs::write(outside.join("other.yaml"), &other).unwrap();
    let logs = dir.path().join("incidents");
    std::fs::create_dir(&logs).unwrap();
    std::fs::write(logs.join("dns.yaml"), &valid).unwrap();
    symlink(&secret, logs.join("creds.yaml")).unwrap();
    symlink(&outside, logs.join("usr")).unwrap();

    let out = run(&["check", s(&logs)]).code(0);
    assert!(out.stderr.contains("checked 1 log:"), "{}", out.stderr);
    assert!(!out.stderr.contains("SECRET_TOKEN"), "{}", out.stderr);
    let site = dir.path().join("site");
    run(&["build", s(&logs), "-o", s(&site), "-q"]).code(0);
    assert!(site.join("incidents/dns-typo-2025-12-01.html").is_file());
    assert!(!site.join("incidents/from-outside.html").exists());
    let export = dir.path().join("export");
    run(&["export", s(&logs), "--to", "mkdocs", "-o", s(&export)]).code(0);
    let exported: Vec<String> = files(&export)
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        exported.iter().any(|p| p.contains("dns-typo-2025-12-01")),
        "{exported:?}"
    );
    assert!(
        !exported.iter().any(|p| p.contains("from-outside")),
        "{exported:?}"
    );

    // Named on the command line, a link is read: a file, a folder, and each side of `diff`.
    let named = dir.path().join("named.yaml");
    symlink(outside.join("other.yaml"), &named).unwrap();
    run(&["check", s(&named)]).code(0);
    run(&["report", s(&named)])
        .code(0)
        .stdout_has(&["Pulled in through a link"]);
    let linked_folder = dir.path().join("linked");
    symlink(&outside, &linked_folder).unwrap();
    run(&["check", s(&linked_folder)])
        .code(0)
        .stderr_has(&["checked 1 log:"]);
    run(&["diff", s(&named), s(&outside.join("other.yaml"))]).code(0);
}
