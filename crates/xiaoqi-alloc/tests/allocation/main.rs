//! Behaviour of the allocation engine through its public API.

mod brute;
mod examples;
mod input;
mod properties;

use xiaoqi_alloc::{Instance, PositionPrefs, StudentPrefs};

/// An instance from student lists and (capacity, list) per position.
pub fn instance(students: &[&[u32]], positions: &[(u32, &[u32])]) -> Instance {
    Instance {
        students: students.iter().map(|p| StudentPrefs { prefs: p.to_vec() }).collect(),
        positions: positions.iter().map(|&(capacity, p)| PositionPrefs { capacity, prefs: p.to_vec() }).collect(),
    }
}
