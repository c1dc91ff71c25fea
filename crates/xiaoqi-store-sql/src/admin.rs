//! Creating and dropping whole PostgreSQL databases, for tools that need a scratch database (the
//! search benchmark) without depending on sqlx themselves.

use sqlx::{AnyConnection, AssertSqlSafe, Connection};

use crate::OpenError;

/// `url` with its database name replaced by `db` (query parameters are kept).
pub fn postgres_url_with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority = base.find("://").map_or(0, |i| i + 3);
    let root = match base[authority..].find('/') {
        Some(i) => &base[..authority + i],
        None => base,
    };
    match query {
        Some(q) => format!("{root}/{db}?{q}"),
        None => format!("{root}/{db}"),
    }
}

/// A database name safe to splice into DDL: 1 to 63 of `[a-z0-9_]`, not starting with a digit.
fn check_name(name: &str) -> Result<(), OpenError> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok { Ok(()) } else { Err(OpenError::UnsupportedUrl(format!("invalid database name {name:?}"))) }
}

/// Creates the PostgreSQL database `name` (dropping a previous one of that name first) on the
/// server of `server_url`, and returns the URL of the new database.
pub async fn recreate_postgres_database(server_url: &str, name: &str) -> Result<String, OpenError> {
    check_name(name)?;
    sqlx::any::install_default_drivers();
    let mut admin = AnyConnection::connect(server_url).await?;
    sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))).execute(&mut admin).await?;
    sqlx::raw_sql(AssertSqlSafe(format!("CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")))
        .execute(&mut admin)
        .await?;
    admin.close().await?;
    Ok(postgres_url_with_database(server_url, name))
}

/// Drops the PostgreSQL database `name` on the server of `server_url`, if it exists.
pub async fn drop_postgres_database(server_url: &str, name: &str) -> Result<(), OpenError> {
    check_name(name)?;
    sqlx::any::install_default_drivers();
    let mut admin = AnyConnection::connect(server_url).await?;
    sqlx::raw_sql(AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))).execute(&mut admin).await?;
    admin.close().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_names_are_replaced_in_urls() {
        assert_eq!(postgres_url_with_database("postgres://u@h:5432/test", "x"), "postgres://u@h:5432/x");
        assert_eq!(
            postgres_url_with_database("postgres://u:p@h/test?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
        assert_eq!(postgres_url_with_database("postgresql://h", "x"), "postgresql://h/x");
    }

    #[test]
    fn only_plain_names_are_accepted() {
        assert!(check_name("xiaoqi_bench_search").is_ok());
        for bad in ["", "1x", "x; DROP DATABASE y", "X", "a-b", &"x".repeat(64)] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }
}
