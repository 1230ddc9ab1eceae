//! Finding and reading the incident logs named on the command line.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::source::Source;

/// A path that could not be read, with the reason for a person.
#[derive(Debug)]
pub struct InputError {
    pub path: String,
    pub reason: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot read `{}`: {}", self.path, self.reason)
    }
}

impl std::error::Error for InputError {}

/// Every log named by `paths`: files as given, folders searched for `*.yaml` and `*.yml`
/// (sorted, so output is deterministic), `-` for standard input. A file or folder named here
/// may be a symlink, but links met inside a folder are not followed (like ripgrep without
/// `-L`): a link such as `creds.yaml -> ~/.git-credentials` would print the secret in a
/// diagnostic, and a link to `/usr` would pull in thousands of files.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, InputError> {
    let mut files = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" || path.is_file() {
            files.push(path.clone());
        } else if path.is_dir() {
            let mut found: Vec<PathBuf> = walkdir::WalkDir::new(path)
                .follow_links(false)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file() && is_yaml(e.path()))
                .map(|e| e.into_path())
                .collect();
            // The order of `Path`'s comparison (component by component), from one key per path
            // instead of splitting both paths into components at every comparison: the bytes
            // with each separator made the lowest byte, so `a/b` comes before `a-b`.
            found.sort_by_cached_key(|p| {
                p.as_os_str()
                    .as_encoded_bytes()
                    .iter()
                    .map(|&b| {
                        if std::path::is_separator(char::from(b)) {
                            0
                        } else {
                            b
                        }
                    })
                    .collect::<Vec<u8>>()
            });
            files.extend(found);
        } else {
            return Err(InputError {
                path: path.display().to_string(),
                reason: "no such file or folder".into(),
            });
        }
    }
    Ok(files)
}

fn is_yaml(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    )
}

/// The text of a log read as `bytes`: at most `max_bytes`, UTF-8, without a byte-order mark.
pub fn decode(bytes: Vec<u8>, max_bytes: usize) -> Result<String, String> {
    if bytes.len() > max_bytes {
        return Err(format!(
            "larger than the limit of {max_bytes} bytes (raise it with `--max-file-bytes`)"
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}

/// Reads one log into a [`Source`], refusing files above `max_bytes`.
pub fn read(path: &Path, max_bytes: usize) -> Result<Source, InputError> {
    let error = |reason: String| InputError {
        path: path.display().to_string(),
        reason,
    };
    let mut bytes = Vec::new();
    let limit = max_bytes as u64 + 1;
    let result = if path.as_os_str() == "-" {
        std::io::stdin().take(limit).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit).read_to_end(&mut bytes))
    };
    result.map_err(|e| error(e.to_string()))?;
    let text = decode(bytes, max_bytes).map_err(error)?;
    if path.as_os_str() == "-" {
        Ok(Source::new("<stdin>", None, text))
    } else {
        Ok(Source::new(
            path.display().to_string(),
            Some(path.to_owned()),
            text,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The walk gives the order of the paths sorted component by component, however names
    /// mix folders, dots, dashes and digits.
    #[test]
    fn a_folder_is_listed_in_path_order() {
        let dir = tempfile::tempdir().unwrap();
        let names = [
            "a/x.yaml",
            "a/b/y.yaml",
            "a-b.yaml",
            "a.b/z.yaml",
            "a/b-c.yaml",
            "10.yaml",
            "9.yml",
            "B.yaml",
            "a/b/c/d.yaml",
            "a b/x.yaml",
            "a!.yaml",
            "a/b!.yaml",
        ];
        for name in names {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "").unwrap();
        }
        let found = collect(&[dir.path().to_owned()]).unwrap();
        let mut sorted = found.clone();
        sorted.sort();
        assert_eq!(found, sorted);
        assert_eq!(found.len(), names.len());
    }
}
