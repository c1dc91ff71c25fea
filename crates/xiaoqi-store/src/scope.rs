//! The read scope: which private records a lookup may return, enforced in the query.

use crate::{AccountId, OrgId};

/// The organisations and account a caller reads private records through. The store turns it
/// into a condition, so a lookup never returns a record of an organisation the caller is not
/// part of; the app's finer rules (roles, record states) apply on top of this floor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadScope {
    /// Alliance administrators (who run governance over member organisations) and the
    /// operator's own jobs and tools.
    Everything,
    /// A person reading through the organisations they hold roles in and their own account.
    Member { account: AccountId, orgs: Vec<OrgId> },
}
