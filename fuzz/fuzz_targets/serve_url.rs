//! Any request target through the preview server's URL mapping: never a panic; a file is
//! always below the site folder, named by plain segments; a redirect is always a path on the
//! same host (one `/`, then no `/` or `\`), with no control character or space, that maps to
//! a folder's `index.html` without redirecting again.
#![no_main]

use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use postevent::serve::url::{Target, content_type, target};

/// A site folder with the folders a built site has, made once per run.
fn root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("postevent-fuzz-url-{}", std::process::id()));
        for folder in ["incidents", "services/a b", "tags", "severities"] {
            std::fs::create_dir_all(dir.join(folder)).unwrap();
        }
        std::fs::write(dir.join("index.html"), "x").unwrap();
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    // What reaches the mapping: a request target as httparse passes it on, without spaces or
    // ASCII control characters.
    let Ok(path) = std::str::from_utf8(data) else {
        return;
    };
    if path.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return;
    }
    let root = root();
    match target(root, path) {
        Target::File(file) => {
            let rel = file.strip_prefix(root).expect("a file outside the site");
            assert!(
                rel.components().all(|c| matches!(c, Component::Normal(_))),
                "{path:?} -> {rel:?}"
            );
            let _ = content_type(&file);
        }
        Target::Redirect(location) => {
            assert!(
                location.starts_with('/') && !location.starts_with("//"),
                "{path:?} -> {location:?}"
            );
            assert!(!location.starts_with("/\\"), "{path:?} -> {location:?}");
            assert!(
                !location
                    .chars()
                    .any(|c| c.is_control() || c.is_ascii_whitespace()),
                "{path:?} -> {location:?}"
            );
            match target(root, &location) {
                Target::File(file) => assert!(file.ends_with("index.html"), "{location:?}"),
                again => panic!("{path:?} -> {location:?} -> {again:?}"),
            }
        }
        Target::Forbidden => {}
    }
});
