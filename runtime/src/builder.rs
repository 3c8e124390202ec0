//! Errors from request builders.

use std::fmt;

/// Why `build()` refused to make a request. All problems are collected, so one call names
/// every missing field at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    /// The request type, e.g. `AuthorizeOnBillingAgreementRequest`.
    pub request: &'static str,
    /// Wire names of required fields that were not set.
    pub missing: Vec<&'static str>,
    /// Fields that were set to a value the spec does not allow, with the reason.
    pub invalid: Vec<(&'static str, String)>,
}

impl BuildError {
    pub fn new(request: &'static str) -> BuildError {
        BuildError {
            request,
            missing: Vec::new(),
            invalid: Vec::new(),
        }
    }

    /// Records a value that breaks a documented constraint.
    pub fn invalid(&mut self, field: &'static str, reason: impl Into<String>) {
        self.invalid.push((field, reason.into()));
    }

    /// `Err(self)` when anything was recorded.
    pub fn into_result(self) -> Result<(), BuildError> {
        if self.missing.is_empty() && self.invalid.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }

    /// Checks a `max_length` constraint, counted in characters as the service documents it.
    pub fn check_max_length(&mut self, field: &'static str, value: &str, max: usize) {
        // A character takes at least one byte, so only a value longer than `max` bytes can be
        // too long; counting characters is the slower part of building a request otherwise.
        if value.len() <= max {
            return;
        }
        let len = value.chars().count();
        if len > max {
            self.invalid(
                field,
                format!("is {len} characters long; the maximum is {max}"),
            );
        }
    }

    /// Checks an inclusive `range` constraint.
    pub fn check_range(&mut self, field: &'static str, value: i64, min: i64, max: i64) {
        if value < min || value > max {
            self.invalid(field, format!("is {value}; allowed is {min} to {max}"));
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot build {}:", self.request)?;
        if !self.missing.is_empty() {
            write!(f, " missing required field(s) {}", self.missing.join(", "))?;
        }
        for (i, (field, reason)) in self.invalid.iter().enumerate() {
            let sep = if i == 0 && self.missing.is_empty() {
                " "
            } else {
                "; "
            };
            write!(f, "{sep}{field} {reason}")?;
        }
        Ok(())
    }
}

impl std::error::Error for BuildError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_counted_in_characters_not_bytes() {
        let mut errors = BuildError::new("R");
        // 16 characters of three bytes each: within 16, although 48 bytes long.
        errors.check_max_length("SoftDescriptor", &"定".repeat(16), 16);
        errors.check_max_length("Ascii", &"a".repeat(16), 16);
        assert_eq!(errors.clone().into_result(), Ok(()));
        errors.check_max_length("SoftDescriptor", &"定".repeat(17), 16);
        errors.check_max_length("Ascii", &"a".repeat(17), 16);
        assert_eq!(
            errors.invalid,
            [
                (
                    "SoftDescriptor",
                    "is 17 characters long; the maximum is 16".to_owned()
                ),
                (
                    "Ascii",
                    "is 17 characters long; the maximum is 16".to_owned()
                ),
            ]
        );
    }
}
