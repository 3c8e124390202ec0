//! The suite's data folders, `scenarios/` and `vectors/`, read from the copies compiled into
//! the binary (by `build.rs`) or from a folder on disk through the same few calls. The binary
//! therefore runs its suite from any directory, after `cargo install` or a plain copy, and
//! `--scenarios DIR` / `--vectors DIR` point it at another folder.

use std::io;
use std::path::PathBuf;

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// A folder of data files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Folder {
    /// Compiled in from `conformance/<path>` (a `/`-separated path such as `scenarios/v1`).
    Embedded(String),
    /// A folder on disk.
    Disk(PathBuf),
}

/// One entry directly inside a folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub name: String,
    pub is_dir: bool,
}

impl Folder {
    /// The compiled-in copy of `conformance/<path>`.
    pub fn embedded(path: &str) -> Folder {
        Folder::Embedded(path.to_owned())
    }

    pub fn join(&self, name: &str) -> Folder {
        match self {
            Folder::Embedded(path) => Folder::Embedded(format!("{path}/{name}")),
            Folder::Disk(path) => Folder::Disk(path.join(name)),
        }
    }

    /// Where the folder is, for messages: embedded ones are shown as `(embedded) <path>`.
    pub fn path(&self) -> PathBuf {
        match self {
            Folder::Embedded(path) => PathBuf::from(format!("(embedded) conformance/{path}")),
            Folder::Disk(path) => path.clone(),
        }
    }

    /// The entries directly inside, sorted by name so runs are reproducible. A folder that does
    /// not exist is a `NotFound` error, as for `std::fs::read_dir`.
    pub fn entries(&self) -> io::Result<Vec<Entry>> {
        let mut entries = match self {
            Folder::Embedded(path) => embedded_entries(path)?,
            Folder::Disk(path) => disk_entries(path)?,
        };
        entries.sort();
        Ok(entries)
    }

    /// The bytes of the file `name` directly inside.
    pub fn read(&self, name: &str) -> io::Result<Vec<u8>> {
        match self {
            Folder::Embedded(path) => {
                let wanted = format!("{path}/{name}");
                EMBEDDED
                    .iter()
                    .find(|(file, _)| *file == wanted)
                    .map(|(_, bytes)| bytes.to_vec())
                    .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "not embedded"))
            }
            Folder::Disk(path) => std::fs::read(path.join(name)),
        }
    }
}

fn embedded_entries(path: &str) -> io::Result<Vec<Entry>> {
    let prefix = format!("{path}/");
    let mut entries: Vec<Entry> = EMBEDDED
        .iter()
        .filter_map(|(file, _)| file.strip_prefix(&prefix))
        .map(|rest| match rest.split_once('/') {
            Some((dir, _)) => Entry {
                name: dir.to_owned(),
                is_dir: true,
            },
            None => Entry {
                name: rest.to_owned(),
                is_dir: false,
            },
        })
        .collect();
    entries.sort();
    entries.dedup();
    if entries.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            "no such embedded folder",
        ));
    }
    Ok(entries)
}

fn disk_entries(path: &std::path::Path) -> io::Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(path)? {
        let entry = entry?;
        let name = entry.file_name().into_string().map_err(|name| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("file name {name:?} is not UTF-8"),
            )
        })?;
        entries.push(Entry {
            name,
            is_dir: entry.file_type()?.is_dir(),
        });
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file of the repository's folders, as `build.rs` sees them.
    fn on_disk(folder: &Folder, relative: &str, files: &mut Vec<(String, Vec<u8>)>) {
        for entry in folder.entries().unwrap() {
            let path = format!("{relative}/{}", entry.name);
            if entry.is_dir {
                on_disk(&folder.join(&entry.name), &path, files);
            } else {
                files.push((path, folder.read(&entry.name).unwrap()));
            }
        }
    }

    #[test]
    fn the_embedded_copies_are_the_repository_files() {
        let crate_dir = Folder::Disk(PathBuf::from(env!("CARGO_MANIFEST_DIR")));
        let mut disk = Vec::new();
        for name in ["scenarios", "vectors"] {
            on_disk(&crate_dir.join(name), name, &mut disk);
        }
        disk.sort();
        let embedded: Vec<(String, Vec<u8>)> = EMBEDDED
            .iter()
            .map(|(path, bytes)| ((*path).to_owned(), bytes.to_vec()))
            .collect();
        assert_eq!(embedded, disk);
    }

    #[test]
    fn embedded_and_disk_folders_list_and_read_alike() {
        let disk = Folder::Disk(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors"));
        let embedded = Folder::embedded("vectors");
        assert_eq!(embedded.entries().unwrap(), disk.entries().unwrap());
        assert!(embedded.entries().unwrap().contains(&Entry {
            name: "v1".to_owned(),
            is_dir: true
        }));
        let case = "v1/value-space";
        assert_eq!(
            embedded.join(case).read("signature.txt").unwrap(),
            disk.join(case).read("signature.txt").unwrap()
        );
        for missing in [embedded.join("v9").entries(), disk.join("v9").entries()] {
            assert_eq!(missing.unwrap_err().kind(), io::ErrorKind::NotFound);
        }
        let absent = embedded.join(case).read("nope.txt").unwrap_err();
        assert_eq!(absent.kind(), io::ErrorKind::NotFound);
    }
}
