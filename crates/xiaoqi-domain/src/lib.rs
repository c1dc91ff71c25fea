#![doc = include_str!("../README.md")]

pub mod benefit;
pub mod contact;
pub mod conversion;
pub mod credit_code;
pub mod decimal;
pub mod destination;
pub mod error;
pub mod funding;
pub mod internship;
pub mod money;
pub mod order_class;
pub mod org;
pub mod page;
pub mod placement;
pub mod research;
pub mod service;
pub mod sharing;
pub mod sme;
pub mod talent;
pub mod time;

pub use error::{FieldError, ValidationErrors};
