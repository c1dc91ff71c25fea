//! First start of a deployment: the alliance and its first administrator.

use std::sync::Arc;

use xiaoqi_app::{App, AppConfig, AppError};
use xiaoqi_store_sql::SqlStore;

async fn fresh_app(label: &str) -> App {
    let dir = std::env::temp_dir().join(format!("xq_setup_{label}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let store = SqlStore::open(&format!("sqlite://{}", dir.join("t.db").display()), 2).await.expect("store");
    App::new(Arc::new(store), AppConfig::default())
}

#[tokio::test]
async fn the_alliance_is_created_once_with_an_administrator_who_must_change_the_password() {
    let app = fresh_app("init").await;
    let (_, password) = app.init_alliance("测试联盟", "管理员", "root@alliance.example").await.expect("init");
    let again = app.init_alliance("第二个联盟", "管理员", "other@alliance.example").await;
    assert!(matches!(again, Err(AppError::InvalidState { .. })), "{again:?}");
    let session =
        app.login("root@alliance.example", &password, "127.0.0.1", None).await.expect("one-time password works");
    assert!(session.principal.account.must_change_password);
    assert!(session.principal.is_alliance_admin());
    app.change_password(&session.principal, &password, "a-better-secret-1").await.expect("change");
    assert!(matches!(
        app.login("root@alliance.example", &password, "127.0.0.1", None).await,
        Err(AppError::BadCredentials)
    ));
}

#[tokio::test]
async fn a_bad_administrator_email_is_refused_by_field() {
    let app = fresh_app("bad").await;
    match app.init_alliance("联盟", "", "not-an-email").await {
        Err(AppError::Validation(v)) => {
            let fields: Vec<&str> = v.0.iter().map(|f| f.field.as_str()).collect();
            assert_eq!(fields, vec!["admin_name", "admin_email"]);
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}
