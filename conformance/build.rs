//! Compiles `scenarios/` and `vectors/` into the binary (see `src/folder.rs`), so the suite
//! runs wherever the binary is installed or copied. Writes `$OUT_DIR/embedded.rs`: a table of
//! (path relative to this crate, `include_bytes!` of the file), sorted by path.

use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const EMBEDDED_FOLDERS: [&str; 2] = ["scenarios", "vectors"];

fn main() -> Result<(), Box<dyn Error>> {
    let crate_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").ok_or("no crate dir")?);
    let mut files = Vec::new();
    for folder in EMBEDDED_FOLDERS {
        // Cargo reruns this script when any file below a watched folder changes or is added.
        println!("cargo:rerun-if-changed={folder}");
        collect(&crate_dir, &crate_dir.join(folder), &mut files)?;
    }
    files.sort();
    let mut table = String::from("static EMBEDDED: &[(&str, &[u8])] = &[\n");
    for (relative, absolute) in &files {
        writeln!(table, "    ({relative:?}, include_bytes!({absolute:?})),")?;
    }
    table.push_str("];\n");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("no OUT_DIR")?);
    std::fs::write(out.join("embedded.rs"), table)?;
    Ok(())
}

/// Every file below `dir` as (`/`-separated path relative to `root`, absolute path).
fn collect(
    root: &Path,
    dir: &Path,
    files: &mut Vec<(String, String)>,
) -> Result<(), Box<dyn Error>> {
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect(root, &path, files)?;
            continue;
        }
        let not_utf8 = || format!("{}: not a UTF-8 path", path.display());
        let mut relative = Vec::new();
        for part in path.strip_prefix(root)?.components() {
            relative.push(part.as_os_str().to_str().ok_or_else(not_utf8)?);
        }
        let absolute = path.to_str().ok_or_else(not_utf8)?;
        files.push((relative.join("/"), absolute.to_owned()));
    }
    Ok(())
}
