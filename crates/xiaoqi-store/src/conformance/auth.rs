//! Sessions, API tokens and login throttling.

use super::{T0, add_account, assert_conflict, assert_not_found, conn};
use crate::prelude::*;
use crate::{AccountId, LoginFailures, Millis, SessionRecord, TokenRecord};

fn session(id_hash: &str, account_id: AccountId, expires_at: i64) -> SessionRecord {
    SessionRecord {
        id_hash: id_hash.to_string(),
        account_id,
        csrf_token: format!("csrf-{id_hash}"),
        created_at: T0,
        expires_at,
    }
}

/// A session is found until it expires, and not after; unknown ids find nothing.
pub async fn session_lookup_ignores_expired_sessions(store: &dyn Store) {
    let mut c = conn(store).await;
    let acc = add_account(&mut c, "session@example.com").await;
    let s = session("9f86d081884c7d659a2feaa0c55ad015", acc, T0 + 60_000);
    c.create_session(&s).await.expect("create_session");
    assert_eq!(c.find_session(&s.id_hash, T0).await.expect("find_session"), Some(s.clone()), "when created");
    assert_eq!(c.find_session(&s.id_hash, T0 + 59_999).await.expect("find_session"), Some(s.clone()), "just before");
    assert_eq!(c.find_session(&s.id_hash, T0 + 60_001).await.expect("find_session"), None, "after it expired");
    assert_eq!(c.find_session(&s.id_hash, T0 + 86_400_000).await.expect("find_session"), None, "a day later");
    assert_eq!(c.find_session("unknown", T0).await.expect("find_session"), None, "unknown id");
    assert_conflict(c.create_session(&s).await, "a second session with the same id hash");
    assert_conflict(c.create_session(&session("orphan", acc + 1000, T0 + 1)).await, "a session of a missing account");
}

/// `extend_session` moves the expiry (also of an expired session); `delete_session` ends it.
pub async fn session_is_extended_and_deleted(store: &dyn Store) {
    let mut c = conn(store).await;
    let acc = add_account(&mut c, "session@example.com").await;
    let s = session("h1", acc, T0 + 60_000);
    let keep = session("h2", acc, T0 + 60_000);
    c.create_session(&s).await.expect("create_session");
    c.create_session(&keep).await.expect("create_session");
    c.extend_session("h1", T0 + 120_000).await.expect("extend_session");
    let got = c.find_session("h1", T0 + 90_000).await.expect("find_session");
    assert_eq!(got, Some(SessionRecord { expires_at: T0 + 120_000, ..s.clone() }), "after extending");
    assert_eq!(c.find_session("h2", T0 + 90_000).await.expect("find_session"), None, "the other one is not extended");
    c.extend_session("h2", T0 + 200_000).await.expect("extend an expired session");
    assert!(c.find_session("h2", T0 + 90_000).await.expect("find_session").is_some(), "an extended expired session");
    c.delete_session("h1").await.expect("delete_session");
    assert_eq!(c.find_session("h1", T0).await.expect("find_session"), None, "after deleting");
    assert!(c.find_session("h2", T0).await.expect("find_session").is_some(), "another session survives");
    c.delete_session("h1").await.expect("deleting a deleted session is not an error");
    c.extend_session("missing", T0).await.expect("extending a missing session is not an error");
}

/// `delete_sessions_of` ends every session of one account and no other.
pub async fn sessions_of_an_account_are_deleted_together(store: &dyn Store) {
    let mut c = conn(store).await;
    let a1 = add_account(&mut c, "a1@example.com").await;
    let a2 = add_account(&mut c, "a2@example.com").await;
    for (h, acc) in [("a1-phone", a1), ("a1-laptop", a1), ("a2-phone", a2)] {
        c.create_session(&session(h, acc, T0 + 60_000)).await.expect("create_session");
    }
    c.delete_sessions_of(a1).await.expect("delete_sessions_of");
    assert_eq!(c.find_session("a1-phone", T0).await.expect("find_session"), None);
    assert_eq!(c.find_session("a1-laptop", T0).await.expect("find_session"), None);
    let left = c.find_session("a2-phone", T0).await.expect("find_session");
    assert_eq!(left, Some(session("a2-phone", a2, T0 + 60_000)), "another account's session survives");
    c.delete_sessions_of(a1).await.expect("deleting no sessions is not an error");
}

/// A token is found by its hash and listed for its owner only; hashes are unique.
pub async fn token_is_created_found_by_hash_and_listed(store: &dyn Store) {
    let mut c = conn(store).await;
    let a1 = add_account(&mut c, "a1@example.com").await;
    let a2 = add_account(&mut c, "a2@example.com").await;
    let t1 = c.create_token(a1, "CI 部署", "sha256:aaaa", T0).await.expect("create_token");
    let t2 = c.create_token(a1, "备份脚本", "sha256:bbbb", T0 + 1).await.expect("create_token");
    assert_ne!(t1, t2);
    let r1 = TokenRecord {
        id: t1,
        account_id: a1,
        name: "CI 部署".to_string(),
        token_hash: "sha256:aaaa".to_string(),
        created_at: T0,
        revoked_at: None,
    };
    let r2 = TokenRecord {
        id: t2,
        account_id: a1,
        name: "备份脚本".to_string(),
        token_hash: "sha256:bbbb".to_string(),
        created_at: T0 + 1,
        revoked_at: None,
    };
    assert_eq!(c.find_token_by_hash("sha256:aaaa").await.expect("find_token_by_hash"), Some(r1.clone()));
    assert_eq!(c.find_token_by_hash("sha256:AAAA").await.expect("find_token_by_hash"), None, "hashes are exact");
    let mut listed = c.list_tokens(a1).await.expect("list_tokens");
    listed.sort_by_key(|t| t.id);
    assert_eq!(listed, vec![r1, r2], "tokens of the owner");
    assert!(c.list_tokens(a2).await.expect("list_tokens").is_empty(), "tokens of another account");
    assert_conflict(c.create_token(a2, "copy", "sha256:aaaa", T0).await, "a second token with the same hash");
    assert_conflict(c.create_token(a2 + 1000, "orphan", "sha256:cccc", T0).await, "a token of a missing account");
}

/// Only the owner revokes a token, once; a revoked token stays findable with its revocation time.
pub async fn token_is_revoked_only_by_its_owner_and_only_once(store: &dyn Store) {
    let mut c = conn(store).await;
    let owner = add_account(&mut c, "owner@example.com").await;
    let intruder = add_account(&mut c, "intruder@example.com").await;
    let id = c.create_token(owner, "CI", "sha256:cafe", T0).await.expect("create_token");
    assert!(!c.revoke_token(id, intruder, T0 + 1).await.expect("revoke_token"), "another account cannot revoke");
    let t = c.find_token_by_hash("sha256:cafe").await.expect("find").expect("the token");
    assert_eq!(t.revoked_at, None, "the refused revocation changed nothing");
    assert!(c.revoke_token(id, owner, T0 + 2).await.expect("revoke_token"), "the owner revokes");
    let t = c.find_token_by_hash("sha256:cafe").await.expect("find").expect("the revoked token");
    assert_eq!(t.revoked_at, Some(T0 + 2));
    assert!(!c.revoke_token(id, owner, T0 + 3).await.expect("revoke_token"), "revoking twice");
    let t = c.find_token_by_hash("sha256:cafe").await.expect("find").expect("the revoked token");
    assert_eq!(t.revoked_at, Some(T0 + 2), "the first revocation time is kept");
    let listed = c.list_tokens(owner).await.expect("list_tokens");
    assert_eq!(listed.iter().map(|t| t.revoked_at).collect::<Vec<_>>(), vec![Some(T0 + 2)], "listed as revoked");
    assert!(!c.revoke_token(id + 1000, owner, T0).await.expect("revoke_token"), "revoking a missing token");
}

/// Failures are counted from `since`, and only those after the key's last success.
pub async fn login_failures_count_since_and_after_last_success(store: &dyn Store) {
    let mut c = conn(store).await;
    let key = "login:li.lei@example.com";
    for (dt, ok) in [(1, false), (2, false), (3, true), (4, false), (5, false), (6, false)] {
        c.record_login_attempt(key, ok, T0 + dt).await.expect("record_login_attempt");
    }
    let other = "ip:203.0.113.7";
    for dt in 1..=3 {
        c.record_login_attempt(other, false, T0 + dt).await.expect("record_login_attempt");
    }
    let mut count = async |k: &str, since| failures(&mut c, k, since).await.count;
    assert_eq!(count(key, T0).await, 3, "failures after the success only");
    assert_eq!(count(key, T0 + 5).await, 2, "since is inclusive");
    assert_eq!(count(key, T0 + 7).await, 0, "nothing since");
    assert_eq!(count(other, T0).await, 3, "a key without success");
    assert_eq!(count(other, T0 + 2).await, 2, "a key without success, since");
    assert_eq!(count("login:nobody@example.com", T0).await, 0, "an unknown key");
    assert_eq!(count("LOGIN:LI.LEI@EXAMPLE.COM", T0).await, 0, "keys are exact");
    c.record_login_attempt(key, true, T0 + 10).await.expect("record_login_attempt");
    assert_eq!(failures(&mut c, key, T0).await.count, 0, "a new success clears");
    c.record_login_attempt(key, false, T0 + 11).await.expect("record_login_attempt");
    assert_eq!(failures(&mut c, key, T0).await.count, 1, "and counting restarts");
}

/// The failures of a key, all attempts so far.
async fn failures(c: &mut Box<dyn Conn>, key: &str, since: Millis) -> LoginFailures {
    c.login_failures_before(key, since, i64::MAX).await.expect("login_failures_before")
}

/// Only the failures recorded before the given attempt count, with the time of the latest;
/// trimming keeps the newest attempts.
pub async fn failures_before_an_attempt_and_trimming(store: &dyn Store) {
    let mut c = conn(store).await;
    let key = "login:before@example.com";
    let mut ids = Vec::new();
    for dt in [1, 2, 3] {
        ids.push(c.record_login_attempt(key, false, T0 + dt).await.expect("record_login_attempt"));
    }
    let before_third = c.login_failures_before(key, T0, ids[2]).await.expect("login_failures_before");
    assert_eq!(before_third, LoginFailures { count: 2, last_at: Some(T0 + 2) });
    let none = c.login_failures_before(key, T0, ids[0]).await.expect("login_failures_before");
    assert_eq!(none, LoginFailures { count: 0, last_at: None });
    assert_eq!(c.trim_login_attempts(1).await.expect("trim_login_attempts"), 2, "the two oldest go");
    assert_eq!(failures(&mut c, key, T0).await, LoginFailures { count: 1, last_at: Some(T0 + 3) });
    assert_eq!(c.trim_login_attempts(1).await.expect("trim_login_attempts"), 0, "already within the bound");
}

/// A remembered device is known for its account only, until forgotten or unused too long; an
/// account keeps its 20 latest devices.
pub async fn devices_are_remembered_per_account(store: &dyn Store) {
    let mut c = conn(store).await;
    let a = add_account(&mut c, "device-a@example.com").await;
    let b = add_account(&mut c, "device-b@example.com").await;
    c.remember_device("dev-a", a, T0).await.expect("remember_device");
    assert!(c.touch_device("dev-a", a, T0 + 5).await.expect("touch_device"));
    assert!(!c.touch_device("dev-a", b, T0 + 5).await.expect("touch_device"), "another account's device");
    assert!(!c.touch_device("dev-x", a, T0 + 5).await.expect("touch_device"), "an unknown device");
    for i in 0..21 {
        c.remember_device(&format!("dev-b{i}"), b, T0 + i).await.expect("remember_device");
    }
    assert!(!c.touch_device("dev-b0", b, T0 + 30).await.expect("touch_device"), "the oldest of 21 is forgotten");
    assert!(c.touch_device("dev-b20", b, T0 + 30).await.expect("touch_device"));
    assert_eq!(c.purge_devices(T0 + 6).await.expect("purge_devices"), 6, "dev-a and dev-b1 to dev-b5");
    assert!(!c.touch_device("dev-a", a, T0 + 31).await.expect("touch_device"), "unused since T0 + 5");
    assert!(c.touch_device("dev-b6", b, T0 + 31).await.expect("touch_device"), "used at T0 + 6");
    c.forget_devices_of(b).await.expect("forget_devices_of");
    assert!(!c.touch_device("dev-b20", b, T0 + 32).await.expect("touch_device"), "forgotten");
}

/// A forgotten-password code is found while unused and unexpired, and used once.
pub async fn password_reset_codes_work_once_and_expire(store: &dyn Store) {
    let mut c = conn(store).await;
    let a = add_account(&mut c, "reset-code@example.com").await;
    c.create_password_reset("code-1", a, T0, T0 + 100).await.expect("create_password_reset");
    assert_eq!(c.find_password_reset("code-1", T0 + 1).await.expect("find"), Some(a));
    assert_eq!(c.find_password_reset("code-1", T0 + 100).await.expect("find"), None, "expired");
    assert_eq!(c.find_password_reset("code-x", T0 + 1).await.expect("find"), None, "unknown");
    assert!(!c.use_password_reset("code-1", T0 + 100).await.expect("use"), "too late");
    assert!(c.use_password_reset("code-1", T0 + 2).await.expect("use"));
    assert!(!c.use_password_reset("code-1", T0 + 3).await.expect("use"), "only once");
    assert_eq!(c.find_password_reset("code-1", T0 + 3).await.expect("find"), None, "used");
}

/// `purge_expired` removes expired sessions and old login attempts, and nothing else.
pub async fn expired_sessions_and_old_login_attempts_are_purged(store: &dyn Store) {
    let mut c = conn(store).await;
    let acc = add_account(&mut c, "purge@example.com").await;
    c.create_session(&session("old", acc, T0 + 10)).await.expect("create_session");
    c.create_session(&session("live", acc, T0 + 1_000)).await.expect("create_session");
    for (dt, ok) in [(1, false), (2, true), (500, false)] {
        c.record_login_attempt("login:purge@example.com", ok, T0 + dt).await.expect("record_login_attempt");
    }
    let gone = c.purge_expired(T0 + 100, T0 + 100).await.expect("purge_expired");
    assert_eq!(gone, 3, "one session and two attempts");
    assert_eq!(c.find_session("live", T0 + 100).await.expect("find_session").map(|s| s.id_hash), Some("live".into()));
    assert_eq!(failures(&mut c, "login:purge@example.com", T0).await.count, 1, "the recent failure stays");
    assert_eq!(c.purge_expired(T0 + 100, T0 + 100).await.expect("purge_expired"), 0, "idempotent");
}

/// A pending attempt turns into a success or is withdrawn; `revoke_tokens_of` ends every live
/// token of one account only.
pub async fn login_attempts_resolve_and_tokens_are_revoked_per_account(store: &dyn Store) {
    let mut c = conn(store).await;
    let key = "login:pending@example.com";
    let first = c.record_login_attempt(key, false, T0 + 1).await.expect("record_login_attempt");
    let second = c.record_login_attempt(key, false, T0 + 2).await.expect("record_login_attempt");
    assert_ne!(first, second, "each attempt has its own id");
    c.mark_login_attempt_succeeded(second).await.expect("mark_login_attempt_succeeded");
    assert_eq!(failures(&mut c, key, T0).await.count, 0, "the success clears the earlier failure");
    let third = c.record_login_attempt("addr:198.51.100.1", false, T0 + 3).await.expect("record_login_attempt");
    c.delete_login_attempt(third).await.expect("delete_login_attempt");
    assert_eq!(failures(&mut c, "addr:198.51.100.1", T0).await.count, 0, "withdrawn");
    assert_not_found(c.mark_login_attempt_succeeded(third).await, "a withdrawn attempt");

    let a = add_account(&mut c, "tokens-a@example.com").await;
    let b = add_account(&mut c, "tokens-b@example.com").await;
    for (acc, hash) in [(a, "ha1"), (a, "ha2"), (b, "hb1")] {
        c.create_token(acc, "t", hash, T0).await.expect("create_token");
    }
    assert_eq!(c.revoke_tokens_of(a, T0 + 5).await.expect("revoke_tokens_of"), 2);
    assert_eq!(c.revoke_tokens_of(a, T0 + 6).await.expect("revoke_tokens_of"), 0, "already revoked");
    let b_tokens = c.list_tokens(b).await.expect("list_tokens");
    assert!(b_tokens.iter().all(|t| t.revoked_at.is_none()), "another account's tokens live on");
}

/// `lock_org` succeeds inside a transaction for an existing organisation and reports a missing one.
pub async fn an_organisation_is_locked_inside_a_transaction(store: &dyn Store) {
    let mut c = conn(store).await;
    let org = c
        .create_org(&xiaoqi_store_profile("锁定测试企业"), xiaoqi_domain::org::MembershipStatus::None, T0)
        .await
        .expect("create_org");
    drop(c);
    let mut tx = store.begin().await.expect("begin");
    tx.lock_org(org).await.expect("lock_org");
    assert_not_found(tx.lock_org(org + 1000).await, "a missing organisation");
    tx.commit().await.expect("commit");
}

fn xiaoqi_store_profile(name: &str) -> crate::OrgProfile {
    crate::OrgProfile::new(xiaoqi_domain::org::OrgKind::Enterprise, name)
}
