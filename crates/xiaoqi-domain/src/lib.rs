#![doc = include_str!("../README.md")]

pub mod contact;
pub mod credit_code;
pub mod error;
pub mod internship;
pub mod money;
pub mod order_class;
pub mod org;
pub mod page;
pub mod service;
pub mod sharing;
pub mod sme;
pub mod talent;
pub mod time;

pub use error::{FieldError, ValidationErrors};
