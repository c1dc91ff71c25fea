//! Backups under write load: a copy taken while a writer commits organisations one by one holds
//! every organisation acknowledged before the backup began, holds them as a gap-free prefix (a
//! snapshot of one instant, not a mix), passes SQLite's integrity check, and a database restored
//! from it has exactly the backup's content, table by table.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use xiaoqi_domain::org::{MembershipStatus, OrgKind};
use xiaoqi_domain::page::PageRequest;
use xiaoqi_store::{OrgFilter, OrgProfile, Store};
use xiaoqi_store_sql::SqlStore;

fn dir(label: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("xiaoqi-backup-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

async fn org_ids(store: &SqlStore) -> Vec<i64> {
    let mut c = store.conn().await.expect("conn");
    let mut ids = Vec::new();
    loop {
        let page = PageRequest::new(Some(100), Some(ids.len() as i64)).expect("page");
        let got = c.list_orgs(&OrgFilter::default(), page).await.expect("list");
        if got.items.is_empty() {
            break;
        }
        ids.extend(got.items.iter().map(|o| o.id));
    }
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn a_backup_under_write_load_is_a_consistent_snapshot_and_restores_exactly() {
    let d = dir("sqlite");
    let url = format!("sqlite://{}", d.join("live.db").display());
    let store = SqlStore::open(&url, 4).await.expect("open");
    let stop = Arc::new(AtomicBool::new(false));
    let acknowledged = Arc::new(AtomicI64::new(0));
    let writer = {
        let (store, stop, acknowledged) = (store.clone(), stop.clone(), acknowledged.clone());
        tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let mut tx = store.begin().await.expect("begin");
                let p = OrgProfile::new(OrgKind::Enterprise, format!("备份负载企业 {n}"));
                let id = tx.create_org(&p, MembershipStatus::None, n).await.expect("create");
                tx.commit().await.expect("commit");
                acknowledged.store(id, Ordering::SeqCst);
            }
        })
    };
    while acknowledged.load(Ordering::SeqCst) < 50 {
        tokio::task::yield_now().await;
    }
    let before = acknowledged.load(Ordering::SeqCst);
    let backup = d.join("backup.db");
    store.backup_sqlite_into(&backup).await.expect("backup");
    let during = acknowledged.load(Ordering::SeqCst);
    stop.store(true, Ordering::Relaxed);
    writer.await.expect("writer");
    assert!(store.backup_sqlite_into(&backup).await.is_err(), "a backup never overwrites");

    let copy = SqlStore::open(&format!("sqlite://{}", backup.display()), 1).await.expect("open the backup");
    assert_eq!(copy.integrity_check().await.expect("check"), "ok");
    let ids = org_ids(&copy).await;
    let last = *ids.last().expect("organisations in the backup");
    assert!(last >= before, "every organisation acknowledged before the backup is in it ({last} < {before})");
    assert!(last <= during + 1, "nothing written after the backup ended is in it");
    assert_eq!(ids, (1..=last).collect::<Vec<_>>(), "a gap-free prefix: one instant's snapshot");
    assert!(org_ids(&store).await.len() as i64 >= last, "the live database went on");

    // Restoring is copying the file into place; the restored database holds what the backup held.
    let restored_path = d.join("restored.db");
    std::fs::copy(&backup, &restored_path).expect("restore");
    let restored = SqlStore::open(&format!("sqlite://{}", restored_path.display()), 1).await.expect("open");
    let (a, b) = (copy.table_digests().await.expect("digests"), restored.table_digests().await.expect("digests"));
    assert!(a.iter().any(|t| t.table == "organizations" && t.rows == last as u64), "{a:?}");
    assert_eq!(a, b, "per-table content digests of the backup and the restored copy are equal");
    let live = store.table_digests().await.expect("digests");
    let live_orgs = live.iter().find(|t| t.table == "organizations").expect("organizations");
    let copy_orgs = a.iter().find(|t| t.table == "organizations").expect("organizations");
    assert_eq!(live_orgs.rows == copy_orgs.rows, live_orgs.digest == copy_orgs.digest, "digests follow content");
    let _ = std::fs::remove_dir_all(&d);
}
