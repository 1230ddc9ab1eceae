//! The files of a Slack export, read from the unpacked folder or from the `.zip` Slack gives
//! you, within a budget of bytes: only the files an import asks for are read, each through a
//! counter that stops at the budget whatever sizes the zip declares, so a zip bomb costs at
//! most the budget. Nothing is ever extracted to disk.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::{Path, PathBuf};

use zip::ZipArchive;
use zip::result::ZipError;

use super::super::ImportError;

/// Entries a zip may list; a Slack export of a large workspace has tens of thousands.
const MAX_ENTRIES: usize = 1_000_000;

/// Anything a zip can be read from.
pub trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

/// An open export.
pub struct Archive {
    files: Files,
    /// Bytes that may still be read.
    budget: usize,
    /// The budget at the start, for messages.
    limit: usize,
}

enum Files {
    Dir(PathBuf),
    Zip {
        zip: Box<ZipArchive<Box<dyn ReadSeek>>>,
        /// Every entry's name.
        names: Vec<String>,
        /// The folder inside the zip that holds `channels.json` (`""` at the top).
        root: String,
    },
    /// For tests and fuzzing: names to contents.
    Memory(Vec<(String, Vec<u8>)>),
}

impl Archive {
    /// The folder or the zip at `path`; `limit` bounds the bytes read from it in all.
    pub fn open(path: &Path, limit: usize) -> Result<Archive, ImportError> {
        if path.is_dir() {
            return Ok(Archive::with(Files::Dir(path.to_owned()), limit));
        }
        let file = File::open(path).map_err(|e| {
            ImportError::input(
                format!("cannot read `{}`: {e}", path.display()),
                Some("give the folder of an unpacked Slack export or its .zip".into()),
            )
        })?;
        Archive::zip(Box::new(BufReader::new(file)), limit)
    }

    /// A zip read from `reader`.
    pub fn zip(reader: Box<dyn ReadSeek>, limit: usize) -> Result<Archive, ImportError> {
        let zip = ZipArchive::new(reader).map_err(|e| {
            ImportError::input(
                format!("not a zip archive: {}", zip_reason(&e)),
                Some(
                    "give the .zip that Slack's export page offers, or its unpacked folder".into(),
                ),
            )
        })?;
        if zip.len() > MAX_ENTRIES {
            return Err(ImportError::input(
                format!("the zip lists {} files, more than {MAX_ENTRIES}", zip.len()),
                Some("unpack it and give the folder".into()),
            ));
        }
        let names: Vec<String> = zip
            .file_names()
            .filter_map(Result::ok)
            .map(|n| n.into_owned())
            .collect();
        let root = names
            .iter()
            .filter(|n| n.rsplit('/').next() == Some("channels.json"))
            .min_by_key(|n| (n.matches('/').count(), n.as_str()))
            .map(|n| n[..n.len() - "channels.json".len()].to_owned())
            .unwrap_or_default();
        Ok(Archive::with(
            Files::Zip {
                zip: Box::new(zip),
                names,
                root,
            },
            limit,
        ))
    }

    /// Files given by name, for tests and fuzzing.
    pub fn memory(files: Vec<(String, Vec<u8>)>, limit: usize) -> Archive {
        Archive::with(Files::Memory(files), limit)
    }

    fn with(files: Files, limit: usize) -> Archive {
        Archive {
            files,
            budget: limit,
            limit,
        }
    }

    /// The names (`FOLDER/NAME`) of the files directly in `folder`, sorted.
    pub fn list(&self, folder: &str) -> Vec<String> {
        let prefix = format!("{folder}/");
        let mut names: Vec<String> = match &self.files {
            Files::Dir(root) => std::fs::read_dir(root.join(folder))
                .into_iter()
                .flatten()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink()))
                .filter_map(|e| e.file_name().into_string().ok())
                .map(|n| format!("{prefix}{n}"))
                .collect(),
            Files::Zip { names, root, .. } => names
                .iter()
                .filter_map(|n| n.strip_prefix(root.as_str()))
                .filter(|n| n.strip_prefix(&prefix).is_some_and(|f| !f.contains('/')))
                .map(str::to_owned)
                .collect(),
            Files::Memory(files) => files
                .iter()
                .map(|(n, _)| n)
                .filter(|n| n.strip_prefix(&prefix).is_some_and(|f| !f.contains('/')))
                .cloned()
                .collect(),
        };
        names.sort();
        names.dedup();
        names
    }

    /// The text of the file `name` (`channels.json`, `general/2026-03-04.json`), or `None`
    /// when the export has no such file.
    pub fn read(&mut self, name: &str) -> Result<Option<String>, ImportError> {
        let budget = self.budget;
        let bytes = match &mut self.files {
            Files::Dir(root) => {
                let path = root.join(name);
                if !path.is_file() {
                    return Ok(None);
                }
                let file = File::open(&path).map_err(|e| unreadable(name, &e.to_string()))?;
                read_bounded(file, budget).map_err(|e| unreadable(name, &e.to_string()))?
            }
            Files::Zip { zip, root, .. } => {
                let full = format!("{root}{name}");
                let Some(index) = zip.index_for_name(&full) else {
                    return Ok(None);
                };
                let entry = zip
                    .by_index(index)
                    .map_err(|e| unreadable(name, &zip_reason(&e)))?;
                if entry.size() > budget as u64 {
                    None
                } else {
                    read_bounded(entry, budget).map_err(|e| unreadable(name, &e.to_string()))?
                }
            }
            Files::Memory(files) => match files.iter().find(|(n, _)| n == name) {
                None => return Ok(None),
                Some((_, bytes)) => (bytes.len() <= budget).then(|| bytes.clone()),
            },
        };
        let Some(bytes) = bytes else {
            return Err(ImportError::Input {
                file: Some(name.to_owned()),
                at: None,
                message: format!(
                    "the export's files are larger than the limit of {} bytes",
                    self.limit
                ),
                hint: Some("raise it with `--max-file-bytes`".into()),
            });
        };
        self.budget -= bytes.len();
        let text = String::from_utf8(bytes).map_err(|e| ImportError::Input {
            file: Some(name.to_owned()),
            at: None,
            message: format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
            hint: Some("Slack writes its exports as UTF-8 JSON".into()),
        })?;
        Ok(Some(match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_owned(),
            None => text,
        }))
    }
}

/// At most `budget` bytes of `reader`; `None` when it holds more.
fn read_bounded(reader: impl Read, budget: usize) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    reader.take(budget as u64 + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() <= budget).then_some(bytes))
}

fn unreadable(name: &str, reason: &str) -> ImportError {
    ImportError::Input {
        file: Some(name.to_owned()),
        at: None,
        message: format!("cannot read it: {reason}"),
        hint: Some("the export may be damaged: download it again".into()),
    }
}

/// Why the zip crate refused, in words for a person.
fn zip_reason(e: &ZipError) -> String {
    match e {
        ZipError::UnsupportedArchive(what) => format!("{what} (Slack exports use deflate)"),
        ZipError::InvalidPassword => "it is encrypted".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use zip::write::SimpleFileOptions;

    use super::*;

    fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in files {
            zip.start_file(*name, options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn a_zip_with_a_top_folder_reads_like_one_without() {
        for prefix in ["", "export/"] {
            let zip = zip_of(&[
                (&format!("{prefix}channels.json"), b"[]"),
                (&format!("{prefix}ops/2026-03-04.json"), b"[1]"),
                (&format!("{prefix}ops/2026-03-05.json"), b"[2]"),
                (&format!("{prefix}ops/deeper/x.json"), b"[3]"),
            ]);
            let mut archive = Archive::zip(Box::new(Cursor::new(zip)), 1000).unwrap();
            assert_eq!(
                archive.list("ops"),
                ["ops/2026-03-04.json", "ops/2026-03-05.json"]
            );
            assert_eq!(archive.read("ops/2026-03-05.json").unwrap().unwrap(), "[2]");
            assert_eq!(archive.read("users.json").unwrap(), None);
        }
    }

    /// A zip bomb: 16 MiB of zeros compress to about 16 KB. With a budget of 1 MiB the read
    /// stops at the budget, whatever size the entry declares.
    #[test]
    fn a_zip_bomb_stops_at_the_budget() {
        let zeros = vec![b'0'; 16 << 20];
        let zip = zip_of(&[("channels.json", &zeros)]);
        assert!(zip.len() < 32 << 10, "{}", zip.len());
        let mut archive = Archive::zip(Box::new(Cursor::new(zip)), 1 << 20).unwrap();
        let e = archive.read("channels.json").unwrap_err();
        assert!(e.to_string().contains("larger than the limit"), "{e}");
        assert_eq!(e.hint(), Some("raise it with `--max-file-bytes`"));
    }

    #[test]
    fn the_budget_is_shared_by_all_files() {
        let files = vec![
            ("a.json".to_owned(), vec![b' '; 600]),
            ("b.json".to_owned(), vec![b' '; 600]),
        ];
        let mut archive = Archive::memory(files, 1000);
        assert!(archive.read("a.json").unwrap().is_some());
        assert!(archive.read("b.json").is_err());
    }

    #[test]
    fn not_a_zip_says_so() {
        let e = Archive::zip(Box::new(Cursor::new(b"[1, 2]".to_vec())), 1000)
            .err()
            .unwrap();
        assert!(e.to_string().starts_with("not a zip archive"), "{e}");
    }
}
