//! Conversion of scalar values to and from their text form in query parameters.

use std::borrow::Cow;

/// A scalar that has a text form on the wire: strings, integers, booleans, timestamps, and
/// the generated id newtypes and enums.
pub trait WireValue: Sized {
    fn to_wire(&self) -> Cow<'_, str>;
    fn from_wire(text: &str) -> Result<Self, String>;
}

impl WireValue for String {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
    fn from_wire(text: &str) -> Result<Self, String> {
        Ok(text.to_owned())
    }
}

impl WireValue for i64 {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
    fn from_wire(text: &str) -> Result<Self, String> {
        text.parse()
            .map_err(|_| format!("`{text}` is not an integer"))
    }
}

impl WireValue for bool {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
    fn from_wire(text: &str) -> Result<Self, String> {
        match text {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(format!("`{other}` is not `true` or `false`")),
        }
    }
}

impl WireValue for crate::Timestamp {
    fn to_wire(&self) -> Cow<'_, str> {
        Cow::Owned(crate::Timestamp::to_wire(self))
    }
    fn from_wire(text: &str) -> Result<Self, String> {
        crate::Timestamp::parse(text).map_err(|e| e.to_string())
    }
}
