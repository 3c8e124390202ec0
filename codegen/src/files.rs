//! The output directory on disk: comparing with it and writing it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Differences between generated files and the tree at `dir`, as a unified diff; empty when
/// the tree is fresh.
pub fn diff_against(dir: &Path, files: &BTreeMap<PathBuf, String>) -> String {
    let mut out = String::new();
    let on_disk = list_rs_files(dir);
    for (path, expected) in files {
        let actual = std::fs::read_to_string(dir.join(path)).unwrap_or_default();
        if &actual != expected {
            let name = path.display().to_string();
            let diff = similar::TextDiff::from_lines(&actual, expected);
            out.push_str(
                &diff
                    .unified_diff()
                    .context_radius(2)
                    .header(&format!("a/{name}"), &format!("b/{name}"))
                    .to_string(),
            );
        }
    }
    for stale in on_disk.iter().filter(|p| !files.contains_key(*p)) {
        out.push_str(&format!(
            "stale file (no longer generated): {}\n",
            stale.display()
        ));
    }
    out
}

/// Writes `files` under `dir`, removing `.rs` files that are no longer generated.
pub fn write_all(dir: &Path, files: &BTreeMap<PathBuf, String>) -> std::io::Result<()> {
    for stale in list_rs_files(dir)
        .iter()
        .filter(|p| !files.contains_key(*p))
    {
        std::fs::remove_file(dir.join(stale))?;
    }
    for (path, text) in files {
        let full = dir.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        if std::fs::read_to_string(&full).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&full, text)?;
        }
    }
    Ok(())
}

fn list_rs_files(dir: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                if let Ok(rel) = p.strip_prefix(dir) {
                    out.insert(rel.to_owned());
                }
            }
        }
    }
    out
}

/// The repository's output directory of the v1 spec, `generated/v1/src/gen`.
pub fn default_output_dir() -> PathBuf {
    output_dir("v1")
}

/// The repository's output directory of a generation (`v1`, `v2`): `generated/<it>/src/gen`,
/// in the generation's own crate.
pub fn output_dir(generation: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../generated")
        .join(generation)
        .join("src/gen")
}
