//! Practice places (实习岗位) and their allocation (DESIGN.md §2.2): enterprises offer places
//! under the 2021 internship rules; a college opens an allocation round over some places; its
//! students rank up to ten places; each enterprise ranks the applicants of its places (or takes
//! the platform's default: by matching score against the place's skills, ties in order of
//! application); the college runs the student-proposing
//! deferred acceptance (`xiaoqi_alloc`), and every student gets a certificate of why each place
//! they preferred is not a blocking pair.

mod allocation;
mod places;
mod rounds;

pub use allocation::{OutcomeView, build_instance};
pub use places::{PlaceInput, validate_place};
pub use rounds::{
    ApplicantScore, MAX_PREFERENCES, MAX_ROUND_PLACES, PreferencesInput, RankingInput, RankingView, RoundInput,
    RoundView, runs_rounds,
};
