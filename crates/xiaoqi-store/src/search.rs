//! The search index: one search box over organisations, talent demands, majors, services and
//! teams, in Chinese and English.
//!
//! Callers write a [`SearchDoc`] whenever the searchable text of a record changes (in the same
//! transaction as the record) and delete it with the record. The adapter segments the text
//! (`xiaoqi_engine::search`); a query matches a document when the document holds every word of
//! the query. Hits come most recently indexed first (an upsert moves a document to the front),
//! in the same order on every engine.

use async_trait::async_trait;
use serde::Serialize;
use xiaoqi_domain::page::PageRequest;

use crate::{Millis, OrgId, StoreResult};

/// Most matches counted for [`SearchResults::total`]; beyond it the total is reported as capped.
pub const SEARCH_COUNT_CAP: u64 = 1000;

/// What a search document stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SearchKind {
    /// An organisation (enterprise, college, …).
    Org,
    /// A talent demand of an enterprise.
    Demand,
    /// A major of a college.
    Major,
    /// A service offered by a member.
    Service,
    /// A team (teaching or project team).
    Team,
    /// The public summary of an enterprise's open technical problem.
    Problem,
}

impl SearchKind {
    /// Every kind, in declaration order.
    pub const ALL: [SearchKind; 6] = [
        SearchKind::Org,
        SearchKind::Demand,
        SearchKind::Major,
        SearchKind::Service,
        SearchKind::Team,
        SearchKind::Problem,
    ];

    /// The stored code.
    pub fn as_str(self) -> &'static str {
        match self {
            SearchKind::Org => "org",
            SearchKind::Demand => "demand",
            SearchKind::Major => "major",
            SearchKind::Service => "service",
            SearchKind::Team => "team",
            SearchKind::Problem => "problem",
        }
    }

    /// The kind of a stored code.
    pub fn parse(s: &str) -> Option<SearchKind> {
        SearchKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A document to index: the record it stands for and its searchable text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    pub kind: SearchKind,
    /// The id of the record (organisation, demand, …) in its own table.
    pub ref_id: i64,
    /// The organisation the record belongs to, if any.
    pub org_id: Option<OrgId>,
    /// Shown in hits and searched.
    pub title: String,
    /// Shown in hits and searched.
    pub summary: String,
    /// Searched but not stored: every other searchable text (descriptions, English names, …).
    pub body: String,
    pub updated_at: Millis,
}

/// A search request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// What the user typed; every word must occur. Blank text (or only punctuation) finds nothing.
    pub text: String,
    /// Only these kinds; empty means all.
    pub kinds: Vec<SearchKind>,
    pub page: PageRequest,
}

/// One document found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SearchHit {
    pub kind: SearchKind,
    pub ref_id: i64,
    pub org_id: Option<OrgId>,
    pub title: String,
    pub summary: String,
    pub updated_at: Millis,
}

/// One page of hits and how many documents match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// Number of matching documents, at most [`SEARCH_COUNT_CAP`].
    pub total: u64,
    /// True when more than [`SEARCH_COUNT_CAP`] documents match (show "1000+").
    pub total_capped: bool,
}

/// The search index.
#[async_trait]
pub trait SearchRepo: Send {
    /// Indexes a document, replacing the one of the same kind and `ref_id` (whose words then no
    /// longer match) and moving it to the front of the hit order.
    async fn upsert_search_doc(&mut self, doc: &SearchDoc) -> StoreResult<()>;
    /// Removes a document; returns whether there was one.
    async fn delete_search_doc(&mut self, kind: SearchKind, ref_id: i64) -> StoreResult<bool>;
    /// Documents holding every word of the query, most recently indexed first.
    async fn search(&mut self, q: &SearchQuery) -> StoreResult<SearchResults>;
    /// Indexes many new documents quickly (initial loads, benchmarks); a document whose kind and
    /// `ref_id` are already indexed (or repeated in `docs`) is a conflict. Later documents in
    /// `docs` come first in the hit order.
    async fn bulk_insert_search_docs(&mut self, docs: &[SearchDoc]) -> StoreResult<()>;
    /// Number of indexed documents.
    async fn count_search_docs(&mut self) -> StoreResult<u64>;
    /// Refreshes the planner statistics and compacts the index after a large load (not inside a
    /// transaction on PostgreSQL, where it runs `VACUUM ANALYZE`).
    async fn optimize_search_index(&mut self) -> StoreResult<()>;
}
