//! The instance and the allocation, with dense `u32` indices.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One student's preference list: position indices, most preferred first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentPrefs {
    /// Position indices, most preferred first. A position not in the list is unacceptable.
    pub prefs: Vec<u32>,
}

/// One position (an internship post with several seats) and its ranking of students.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionPrefs {
    /// Seats; 0 is allowed (the position takes no one).
    pub capacity: u32,
    /// Student indices, most preferred first. A student not in the list is unacceptable.
    pub prefs: Vec<u32>,
}

/// An allocation round's input: students and positions, each side ranking the other.
///
/// A pair is acceptable only if each side lists the other. [`Instance::validate`] checks that
/// every index is in range and no list repeats an entry; [`crate::solve`], [`crate::verify`]
/// and [`crate::certificate_for`] never panic on an instance that fails it: they ignore
/// out-of-range entries and read a repeated entry at its first occurrence.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    /// Indexed 0, 1, 2, … in this order.
    pub students: Vec<StudentPrefs>,
    /// Indexed 0, 1, 2, … in this order.
    pub positions: Vec<PositionPrefs>,
}

/// The result of [`crate::solve`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocation {
    /// Per student (same order as [`Instance::students`]): the position it is matched to.
    pub assignment: Vec<Option<u32>>,
    /// Proposals made, including those to positions that do not list the student (rejected at
    /// once). The set of proposals of deferred acceptance does not depend on their order, so
    /// neither does this count.
    pub proposals: u64,
}

impl Allocation {
    /// Students matched to a position.
    pub fn matched(&self) -> usize {
        self.assignment.iter().filter(|a| a.is_some()).count()
    }
}

/// Why an [`Instance`] is not well formed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InstanceError {
    /// A student lists a position index that does not exist.
    UnknownPosition { student: u32, position: u32 },
    /// A position lists a student index that does not exist.
    UnknownStudent { position: u32, student: u32 },
    /// A student lists a position twice.
    RepeatedPosition { student: u32, position: u32 },
    /// A position lists a student twice.
    RepeatedStudent { position: u32, student: u32 },
    /// More students or positions than `u32` indices can name.
    TooLarge,
}

impl fmt::Display for InstanceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownPosition { student, position } => {
                write!(f, "student {student} lists position {position}, which does not exist")
            }
            Self::UnknownStudent { position, student } => {
                write!(f, "position {position} lists student {student}, who does not exist")
            }
            Self::RepeatedPosition { student, position } => {
                write!(f, "student {student} lists position {position} more than once")
            }
            Self::RepeatedStudent { position, student } => {
                write!(f, "position {position} lists student {student} more than once")
            }
            Self::TooLarge => f.write_str("more students or positions than 32-bit indices can name"),
        }
    }
}

impl std::error::Error for InstanceError {}

impl Instance {
    /// Checks that every index is in range and that no list repeats an entry; returns the first
    /// problem (students first, then positions, each in list order).
    pub fn validate(&self) -> Result<(), InstanceError> {
        let n = self.students.len();
        let m = self.positions.len();
        if u32::try_from(n).is_err() || u32::try_from(m).is_err() {
            return Err(InstanceError::TooLarge);
        }
        // seen[x] == owner + 1 when the current owner's list already holds x.
        let mut seen = vec![0usize; m];
        for (student, s) in self.students.iter().zip(0u32..) {
            for &p in &student.prefs {
                let slot =
                    seen.get_mut(p as usize).ok_or(InstanceError::UnknownPosition { student: s, position: p })?;
                if *slot == s as usize + 1 {
                    return Err(InstanceError::RepeatedPosition { student: s, position: p });
                }
                *slot = s as usize + 1;
            }
        }
        let mut seen = vec![0usize; n];
        for (position, p) in self.positions.iter().zip(0u32..) {
            for &s in &position.prefs {
                let slot = seen.get_mut(s as usize).ok_or(InstanceError::UnknownStudent { position: p, student: s })?;
                if *slot == p as usize + 1 {
                    return Err(InstanceError::RepeatedStudent { position: p, student: s });
                }
                *slot = p as usize + 1;
            }
        }
        Ok(())
    }
}
