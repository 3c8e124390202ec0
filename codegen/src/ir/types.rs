//! Type entries: one per shape (and per operation request), with resolved member types.

use amazon_pay_spec::Location;

/// A named type to generate.
#[derive(Debug, Clone)]
pub struct TypeEntry {
    /// The spec name, which is also the Rust type name.
    pub name: String,
    pub doc: String,
    pub kind: TypeKind,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A string newtype (identifiers, constrained strings).
    Newtype,
    /// Known values; unknown ones are kept.
    Enum(Vec<Variant>),
    Structure(Structure),
    List(List),
    /// The runtime's amount with currency.
    Money,
    /// A JSON object with free (text) keys and values of one type.
    Map(TypeRef),
}

/// An enum value.
#[derive(Debug, Clone)]
pub struct Variant {
    /// As written on the wire.
    pub wire: String,
    /// The Rust variant name.
    pub rust: String,
    pub doc: String,
}

/// A structure: a shape, or an operation's request.
#[derive(Debug, Clone)]
pub struct Structure {
    /// The Rust type name.
    pub name: String,
    pub doc: String,
    pub fields: Vec<Field>,
    pub role: StructRole,
}

/// What a structure is for, which decides what is generated besides its fields and builder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StructRole {
    /// An operation's request: sent, never a document.
    Request,
    /// A shape of documents; `in_input` when some operation's request contains it.
    Shape { in_input: bool },
}

impl Structure {
    /// Whether the structure travels inside a request (so it is also read back from one).
    pub fn in_request(&self) -> bool {
        matches!(
            self.role,
            StructRole::Request | StructRole::Shape { in_input: true }
        )
    }
}

/// A structure member or an operation input.
#[derive(Debug, Clone)]
pub struct Field {
    /// The wire name (element name, parameter name segment).
    pub wire: String,
    /// The Rust field name (snake case).
    pub rust: String,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: String,
    /// Other element names accepted when reading.
    pub aliases: Vec<String>,
    /// The maximum length, the member's own or its type's, when the value is text.
    pub max_length: Option<u32>,
    pub range: Option<[i64; 2]>,
    pub location: Location,
    /// Holds buyer personal data.
    pub personal: bool,
    /// A list whose items travel as JSON documents inside strings.
    pub json_strings: bool,
}

/// A list shape.
#[derive(Debug, Clone)]
pub struct List {
    pub item: TypeRef,
    /// The item element name in documents.
    pub xml_member: String,
    /// The segment between the prefix and the index in flattened parameters.
    pub query_member: String,
    pub member_aliases: Vec<String>,
    /// Some operation's request contains it.
    pub in_input: bool,
}

/// A resolved member type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    Scalar(Scalar),
    Money,
    Newtype(String),
    Enum(String),
    Structure(String),
    List(String),
    Map(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    String,
    Integer,
    Boolean,
    Timestamp,
    /// A decimal number kept as text.
    Decimal,
    /// Any JSON value (rest-json documents the sources do not describe).
    Json,
}

impl TypeRef {
    /// Structure or list: has its own constraint checks and parser.
    pub fn is_composite(&self) -> bool {
        matches!(self, TypeRef::Structure(_) | TypeRef::List(_))
    }

    /// Whether the flattened form lives under `Name.` (structures, lists, money) rather than
    /// at `Name` itself; decides the member's position in canonical order.
    pub fn is_prefix(&self) -> bool {
        self.is_composite() || matches!(self, TypeRef::Money)
    }

    /// Whether the value can be compared against a `max_length` as text.
    pub fn is_text(&self) -> bool {
        matches!(
            self,
            TypeRef::Scalar(Scalar::String | Scalar::Decimal) | TypeRef::Newtype(_)
        )
    }
}
