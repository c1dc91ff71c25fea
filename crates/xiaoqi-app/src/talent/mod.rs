//! Talent demand and supply (issue 3): demands, occupation suggestion, majors' teaching,
//! student profiles with consent, matching and demand insight.

pub mod demand;
pub mod insight;
pub mod matching;
pub mod supply;
pub mod vocab;

use std::sync::OnceLock;

use serde::Serialize;
use xiaoqi_engine::occupation::{OccupationEntry, OccupationIndex};

use crate::error::{AppError, AppResult};

/// How many occupations are suggested for a title.
pub const SUGGESTIONS: usize = 5;

/// The occupation suggester over the embedded classification, built once per process.
pub fn occupation_index() -> AppResult<&'static OccupationIndex> {
    static INDEX: OnceLock<Result<OccupationIndex, String>> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let occupations = xiaoqi_refdata::occupations().map_err(|e| e.to_string())?;
            let entries: Vec<OccupationEntry> = occupations
                .iter()
                .map(|o| OccupationEntry {
                    code: o.code.clone(),
                    level: o.level,
                    name: o.name.clone(),
                    aliases: o.aliases.clone(),
                    definition: o.definition.clone(),
                })
                .collect();
            Ok(OccupationIndex::new(&entries))
        })
        .as_ref()
        .map_err(|e| AppError::internal(e.clone()))
}

/// One suggested standard occupation for a job title.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct OccupationSuggestion {
    pub code: String,
    pub name: String,
    /// 0–1, higher is more likely.
    pub score: f64,
}

/// The five most likely standard occupations for a free-text job title, best first. Titles of
/// any length or script are accepted; a blank title gets no suggestions.
pub fn suggest_occupations(title: &str) -> AppResult<Vec<OccupationSuggestion>> {
    // Long pastes are cut (on a character boundary): a title is never longer than this.
    let title: String = title.chars().take(200).collect();
    Ok(occupation_index()?
        .suggest(&title, SUGGESTIONS)
        .into_iter()
        .map(|s| OccupationSuggestion { code: s.code, name: s.name, score: (s.score * 10_000.0).round() / 10_000.0 })
        .collect())
}
