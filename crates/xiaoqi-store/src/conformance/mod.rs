//! The conformance suite: scenarios written once against the storage traits, which every adapter
//! must pass on every engine it supports.
//!
//! Each scenario is a `pub async fn name(store: &dyn Store)` that expects a fresh, migrated and
//! empty database and panics (with a message naming the broken behaviour) when the store does not
//! behave as the ports promise. Scenarios never rely on what another scenario wrote.
//!
//! An adapter runs the whole suite from an integration test with [`conformance_tests!`](crate::conformance_tests),
//! which expands to one `#[tokio::test]` per scenario, named after it:
//!
//! ```text
//! async fn run_scenario(name: &'static str, scenario: xiaoqi_store::conformance::ScenarioFn) {
//!     let store = open_a_fresh_database(name).await; // an adapter type implementing `Store`
//!     scenario(&store).await;
//!     remove_the_database(store).await;
//! }
//!
//! xiaoqi_store::conformance_tests!(run_scenario);
//! ```
//!
//! The expansion uses `::tokio::test`, so the adapter's test crate needs `tokio` (with the
//! `macros` and `rt` features) as a dev-dependency. [`SCENARIOS`] lists the same scenarios for
//! adapters that prefer to drive them by hand.
//!
//! Some promises cannot be checked through the traits alone and belong in the adapter's own tests:
//! that migrations can be applied twice, and that the audit log refuses edits made with raw SQL.

mod accounts;
mod audit;
mod auth;
mod benefit;
mod college;
mod destination;
mod order_class;
mod orgs;
mod placement;
mod practice;
mod refdata;
mod research;
mod search;
mod services;
mod talent;

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;

pub use accounts::*;
pub use audit::*;
pub use auth::*;
pub use benefit::*;
pub use college::*;
pub use destination::*;
pub use order_class::*;
pub use orgs::*;
pub use placement::*;
pub use practice::*;
pub use refdata::*;
pub use research::*;
pub use search::*;
pub use services::*;
pub use talent::*;
use xiaoqi_domain::org::{MembershipStatus, OrgKind};
use xiaoqi_domain::page::{Page, PageRequest};

use crate::prelude::*;
use crate::{AccountId, Millis, NewAccount, OrgId, OrgProfile, StoreError, StoreResult};

/// The future of one running scenario.
pub type ScenarioFuture<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// A scenario as a plain function pointer: give it a store on a fresh database and await it.
pub type ScenarioFn = for<'a> fn(&'a dyn Store) -> ScenarioFuture<'a>;

/// One named scenario of the suite.
#[derive(Clone, Copy)]
pub struct Scenario {
    /// The scenario's function name, which says the behaviour it proves.
    pub name: &'static str,
    /// Runs the scenario.
    pub run: ScenarioFn,
}

impl Debug for Scenario {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scenario").field("name", &self.name).finish_non_exhaustive()
    }
}

/// Every scenario of the suite, in the order [`conformance_tests!`](crate::conformance_tests) declares them.
pub const SCENARIOS: &[Scenario] = crate::__xiaoqi_store_scenarios!(list);

/// Expands to one `#[tokio::test]` per conformance scenario.
///
/// The argument is the path of an adapter-provided async function
/// `async fn(name: &'static str, scenario: xiaoqi_store::conformance::ScenarioFn)` that opens a
/// fresh, migrated, empty database, awaits `scenario(&store)`, and cleans up. A scenario reports
/// failure by panicking.
///
/// `conformance_tests!(harness, ignore = "reason")` marks every test `#[ignore = "reason"]`, for an
/// engine that needs a server the test run may not have: such tests show as ignored, never as
/// passed, until they are run with `--include-ignored`.
#[macro_export]
macro_rules! conformance_tests {
    ($harness:path) => {
        $crate::__xiaoqi_store_scenarios!(tests $harness);
    };
    ($harness:path, ignore = $reason:literal) => {
        $crate::__xiaoqi_store_scenarios!(ignored_tests $harness, $reason);
    };
}

/// The list of scenario names, expanded as tests or as [`SCENARIOS`]; the single place to add one.
#[doc(hidden)]
#[macro_export]
macro_rules! __xiaoqi_store_scenarios {
    ($mode:ident $($arg:tt)*) => {
        $crate::__xiaoqi_store_expand! { $mode [$($arg)*] [
            store_answers_ping,
            // Organisations.
            org_create_then_find_returns_the_same_record,
            org_find_missing_returns_none,
            org_update_changes_fields_and_updated_at,
            org_update_of_missing_org_is_not_found,
            org_credit_code_is_unique,
            org_found_by_credit_code,
            org_membership_status_is_set,
            // The member directory.
            directory_filters_by_kind_region_industry_size_and_membership,
            directory_region_prefix_matches_codes_below_it,
            directory_name_search_ignores_case_and_full_width,
            directory_name_search_treats_like_wildcards_literally,
            directory_pages_report_total_limit_and_offset,
            directory_orders_names_by_code_point,
            // Transactions.
            transaction_dropped_without_commit_leaves_nothing,
            transaction_committed_is_visible_and_isolated_until_then,
            // Accounts and roles.
            account_created_is_found_by_id_email_and_mobile,
            account_duplicate_email_or_mobile_conflicts,
            account_password_and_name_are_updated,
            role_grant_is_idempotent,
            role_revoke_removes_the_grant_and_missing_is_not_found,
            role_list_joins_org_name_and_kind,
            role_grant_to_missing_org_or_account_conflicts,
            members_are_paged_with_roles_grouped_per_account,
            // Students.
            student_is_found_by_number,
            student_number_is_unique_within_an_org,
            // Membership applications.
            application_is_created_found_and_listed_by_status_and_org,
            application_is_decided_only_once,
            // Sessions, tokens, login throttling.
            session_lookup_ignores_expired_sessions,
            session_is_extended_and_deleted,
            sessions_of_an_account_are_deleted_together,
            token_is_created_found_by_hash_and_listed,
            token_is_revoked_only_by_its_owner_and_only_once,
            login_failures_count_since_and_after_last_success,
            failures_before_an_attempt_and_trimming,
            devices_are_remembered_per_account,
            password_reset_codes_work_once_and_expire,
            expired_sessions_and_old_login_attempts_are_purged,
            login_attempts_resolve_and_tokens_are_revoked_per_account,
            an_organisation_is_locked_inside_a_transaction,
            // Audit, notifications, outbox.
            audit_is_listed_newest_first_with_json_intact,
            notifications_are_listed_newest_first_with_unread_count,
            notification_is_marked_read_only_by_its_owner,
            outbox_counts_pending_messages,
            // Reference data.
            refdata_replace_sets_version_and_tree,
            refdata_occupations_are_searched_by_name_alias_and_code,
            refdata_occupation_search_ignores_ascii_case,
            refdata_regions_are_searched_by_name_code_and_pinyin_ignoring_case,
            refdata_replace_replaces_instead_of_appending,
            refdata_replace_rolled_back_keeps_the_previous_set,
            refdata_replace_keeps_every_row_of_a_large_set,
            // College structure.
            college_structure_is_created_and_listed_per_org,
            college_major_code_is_unique_within_an_org,
            college_department_and_class_names_are_unique_within_an_org,
            // Talent demand and supply.
            demand_round_trips_and_records_first_publication,
            demands_are_filtered_and_listed_newest_first,
            major_supply_round_trips_and_member_majors_are_listed,
            consents_are_recorded_revocable_and_scope_profiles,
            // Full-text search.
            search_finds_chinese_words_and_english_ignoring_case,
            search_requires_every_word,
            search_filters_by_kind,
            search_upsert_replaces_the_document,
            search_delete_removes_the_document,
            search_pages_hits_in_a_stable_order,
            search_total_is_capped,
            search_of_blank_punctuation_or_huge_text_is_harmless,
            search_index_follows_transactions_and_refuses_bulk_duplicates,
            // The services marketplace.
            offering_is_created_found_updated_and_listed_by_kind_college_and_status,
            offerings_are_paged_newest_first_and_member_colleges_filtered,
            service_request_is_created_and_found_with_party_names,
            service_requests_are_listed_per_party_and_filtered,
            service_request_steps_record_values_who_and_when,
            service_request_step_from_a_stale_status_changes_nothing,
            role_holders_are_listed_per_org_and_role,
            // Practice places and allocation rounds.
            practice_place_is_created_found_updated_and_listed,
            practice_round_keeps_applications_rankings_and_one_allocation,
            research_team_is_created_found_updated_and_listed_with_members,
            research_admission_goes_request_terms_admit_once_each,
            research_selection_makes_one_project_with_milestones_and_a_budget_line,
            research_expenditures_never_pass_their_budget_line,
            // Placements, agreements, mentors and the record of the internship.
            placement_round_trips_and_saves_only_from_the_status_read,
            placement_journal_keeps_tasks_logs_attendance_reports_signoffs_and_reviews,
            // Graduate destinations.
            destinations_are_scoped_checked_once_and_take_the_class_major,
            // Order classes.
            order_class_terms_versions_and_signatures_round_trip,
            order_class_enrolments_scores_offers_and_an_append_only_ledger,
            // Agreements, results, conversions, programmes.
            agreement_versions_are_signed_once_per_party_and_a_new_proposal_supersedes_a_pending_one,
            conversions_keep_their_ledger_lines_in_order_and_results_sum_their_income,
            a_programme_application_is_unique_per_project_and_awarded_once,
        ] }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __xiaoqi_store_expand {
    (tests [$harness:path] [$($name:ident),* $(,)?]) => {
        $(
            #[::tokio::test]
            async fn $name() {
                $harness(
                    ::core::stringify!($name),
                    |store| ::std::boxed::Box::pin($crate::conformance::$name(store)),
                )
                .await;
            }
        )*
    };
    (ignored_tests [$harness:path, $reason:literal] [$($name:ident),* $(,)?]) => {
        $(
            #[::tokio::test]
            #[ignore = $reason]
            async fn $name() {
                $harness(
                    ::core::stringify!($name),
                    |store| ::std::boxed::Box::pin($crate::conformance::$name(store)),
                )
                .await;
            }
        )*
    };
    (list [] [$($name:ident),* $(,)?]) => {
        &[$(
            $crate::conformance::Scenario {
                name: ::core::stringify!($name),
                run: |store| ::std::boxed::Box::pin($crate::conformance::$name(store)),
            },
        )*]
    };
}

/// The store answers a trivial query.
pub async fn store_answers_ping(store: &dyn Store) {
    store.ping().await.expect("ping a freshly opened store");
}

// ----- Helpers shared by the scenarios -----

/// A fixed instant (2023-11-14T22:13:20Z) the scenarios count from.
pub(crate) const T0: Millis = 1_700_000_000_000;

/// A page request.
pub(crate) fn page(limit: u32, offset: u64) -> PageRequest {
    PageRequest { limit, offset }
}

/// A page with room for everything a scenario writes.
pub(crate) fn all() -> PageRequest {
    page(100, 0)
}

/// A plain connection, or a panic.
pub(crate) async fn conn(store: &dyn Store) -> Box<dyn Conn> {
    store.conn().await.expect("open a connection")
}

/// A profile with only the kind and the name set.
pub(crate) fn profile(kind: OrgKind, name: &str) -> OrgProfile {
    OrgProfile::new(kind, name)
}

/// Creates an organisation with only a kind and a name.
pub(crate) async fn add_org(c: &mut Box<dyn Conn>, kind: OrgKind, name: &str) -> OrgId {
    c.create_org(&profile(kind, name), MembershipStatus::None, T0).await.expect("create an organisation")
}

/// The input of an account.
pub(crate) fn new_account(email: Option<&str>, mobile: Option<&str>, name: &str) -> NewAccount {
    NewAccount {
        email: email.map(str::to_string),
        mobile: mobile.map(str::to_string),
        display_name: name.to_string(),
        password_hash: format!("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA${name}"),
        must_change_password: false,
        created_at: T0,
    }
}

/// Creates an account with the given email.
pub(crate) async fn add_account(c: &mut Box<dyn Conn>, email: &str) -> AccountId {
    c.create_account(&new_account(Some(email), None, email)).await.expect("create an account")
}

/// Asserts that a write was refused with `StoreError::Conflict`.
#[track_caller]
pub(crate) fn assert_conflict<T: Debug>(r: StoreResult<T>, what: &str) {
    match r {
        Err(StoreError::Conflict { .. }) => {}
        other => panic!("{what}: expected StoreError::Conflict, got {other:?}"),
    }
}

/// Asserts that a write was refused with `StoreError::NotFound`.
#[track_caller]
pub(crate) fn assert_not_found<T: Debug>(r: StoreResult<T>, what: &str) {
    match r {
        Err(StoreError::NotFound { .. }) => {}
        other => panic!("{what}: expected StoreError::NotFound, got {other:?}"),
    }
}

/// Checks the bookkeeping fields of a page against its request and the expected total.
#[track_caller]
pub(crate) fn assert_page_meta<T>(p: &Page<T>, req: PageRequest, total: u64, len: usize, what: &str) {
    assert_eq!(p.total, total, "{what}: total");
    assert_eq!(p.items.len(), len, "{what}: number of items on the page");
    assert_eq!((p.limit, p.offset), (req.limit, req.offset), "{what}: the page echoes its request");
}

/// The set of some ids, for comparisons that do not depend on order.
pub(crate) fn set<I: IntoIterator<Item = i64>>(ids: I) -> BTreeSet<i64> {
    ids.into_iter().collect()
}
