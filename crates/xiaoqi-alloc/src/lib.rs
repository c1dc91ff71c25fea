#![doc = include_str!("../README.md")]

pub mod bench;
mod index;
mod json;
mod model;
mod solve;
mod verify;

pub use bench::{AllocateBenchReport, run_allocate_bench};
pub use json::{Ids, InputError, Side, parse_instance, render_result, run_cli};
pub use model::{Allocation, Instance, InstanceError, PositionPrefs, StudentPrefs};
pub use solve::solve;
pub use verify::{PreferredPosition, Reason, StudentCertificate, Violation, certificate_for, verify};
