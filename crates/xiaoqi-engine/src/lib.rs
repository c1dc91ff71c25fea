#![doc = include_str!("../README.md")]

pub mod occupation;
pub mod search;
pub mod text;
