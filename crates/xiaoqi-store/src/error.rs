//! Storage errors, free of any driver type.

/// What can go wrong in a storage call; adapters map driver errors into these.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record that must exist does not.
    #[error("{entity} not found")]
    NotFound {
        /// Which kind of record, e.g. `organization`.
        entity: &'static str,
    },
    /// A uniqueness or foreign-key constraint refused the write.
    #[error("constraint violated: {constraint}")]
    Conflict {
        /// The constraint or column named by the database, best effort.
        constraint: String,
    },
    /// Anything else from the database or the connection; the text is for logs only.
    #[error("storage backend error: {0}")]
    Backend(String),
}

/// Result of a storage call.
pub type StoreResult<T> = Result<T, StoreError>;
