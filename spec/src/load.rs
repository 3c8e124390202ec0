//! Reading the spec directory.

use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::error::{SpecError, SpecErrors};
use crate::model::{ErrorsFile, Operation, ServiceFile, Shape, Spec};
use crate::validate;

/// Loads `dir` (e.g. `spec/v1`): `service.toml`, `errors.toml`, `operations/*.toml`,
/// `shapes/*.toml`; then validates the whole. Returns every problem found.
pub fn load(dir: &Path) -> Result<Spec, SpecErrors> {
    let mut errors = Vec::new();
    let service = read_toml::<ServiceFile>(&dir.join("service.toml"), &mut errors);
    let error_defs = read_toml::<ErrorsFile>(&dir.join("errors.toml"), &mut errors);
    let operations = read_named::<Operation>(&dir.join("operations"), |o| &o.name, &mut errors);
    let shapes = read_named::<Shape>(&dir.join("shapes"), |s| &s.name, &mut errors);
    let (Some(service), Some(error_defs)) = (service, error_defs) else {
        return Err(SpecErrors(errors));
    };
    validate::validate(&service, &error_defs, &operations, &shapes, &mut errors);
    if !errors.is_empty() {
        return Err(SpecErrors(errors));
    }
    let mut operations: Vec<Operation> = operations.into_iter().map(|(o, _, _)| o).collect();
    operations.sort_by(|a, b| a.name.get_ref().cmp(b.name.get_ref()));
    let mut shapes: Vec<Shape> = shapes.into_iter().map(|(s, _, _)| s).collect();
    shapes.sort_by(|a, b| a.name.get_ref().cmp(b.name.get_ref()));
    Ok(Spec {
        service: service.0,
        errors: error_defs.0.errors,
        operations,
        shapes,
    })
}

/// A parsed file with its path and text, kept for error positions during validation.
pub(crate) type Sourced<T> = (T, PathBuf, String);

/// Every file of a directory of one-item-per-file TOML, whose `name` must match the file name.
fn read_named<T: DeserializeOwned>(
    dir: &Path,
    name: fn(&T) -> &toml::Spanned<String>,
    errors: &mut Vec<SpecError>,
) -> Vec<Sourced<T>> {
    let mut items = Vec::new();
    for (path, source) in read_dir_toml(dir, errors) {
        if let Some(item) = parse::<T>(&path, &source, errors) {
            check_file_name(&path, &source, name(&item), errors);
            items.push((item, path, source));
        }
    }
    items
}

fn read_toml<T: DeserializeOwned>(path: &Path, errors: &mut Vec<SpecError>) -> Option<Sourced<T>> {
    let source = match fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => {
            errors.push(SpecError::file(path, format!("cannot read: {e}")));
            return None;
        }
    };
    parse(path, &source, errors).map(|t| (t, path.to_owned(), source))
}

fn parse<T: DeserializeOwned>(path: &Path, source: &str, errors: &mut Vec<SpecError>) -> Option<T> {
    match toml::from_str::<T>(source) {
        Ok(t) => Some(t),
        Err(e) => {
            let message = e.message().trim_end().to_owned();
            errors.push(match e.span() {
                Some(span) => SpecError::at(path, source, span, message),
                None => SpecError::file(path, message),
            });
            None
        }
    }
}

/// The `*.toml` files of a directory, sorted by name.
fn read_dir_toml(dir: &Path, errors: &mut Vec<SpecError>) -> Vec<(PathBuf, String)> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(SpecError::file(dir, format!("cannot read directory: {e}")));
            return Vec::new();
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| match fs::read_to_string(&p) {
            Ok(s) => Some((p, s)),
            Err(e) => {
                errors.push(SpecError::file(&p, format!("cannot read: {e}")));
                None
            }
        })
        .collect()
}

fn check_file_name(
    path: &Path,
    source: &str,
    name: &toml::Spanned<String>,
    errors: &mut Vec<SpecError>,
) {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if stem != name.get_ref() {
        errors.push(SpecError::at(
            path,
            source,
            name.span(),
            format!(
                "name `{}` does not match the file name `{stem}.toml`",
                name.get_ref()
            ),
        ));
    }
}
