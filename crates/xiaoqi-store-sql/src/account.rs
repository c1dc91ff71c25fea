//! Accounts, role grants and student records.

use async_trait::async_trait;
use sqlx::Row;
use sqlx::any::AnyRow;
use xiaoqi_domain::org::{OrgKind, Role};
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_store::{
    AccountId, AccountRecord, AccountRepo, MemberRecord, NewAccount, OrgId, RoleGrant, StoreResult, StudentRecord,
};

use crate::conn::{SqlConn, code, expect_one, flag, map_err};

const COLS: &str = "id, email, mobile, display_name, password_hash, must_change_password, disabled, created_at";

fn row_to_account(r: &AnyRow) -> Result<AccountRecord, sqlx::Error> {
    Ok(AccountRecord {
        id: r.try_get("id")?,
        email: r.try_get("email")?,
        mobile: r.try_get("mobile")?,
        display_name: r.try_get("display_name")?,
        password_hash: r.try_get("password_hash")?,
        must_change_password: flag(r, "must_change_password")?,
        disabled: flag(r, "disabled")?,
        created_at: r.try_get("created_at")?,
    })
}

impl SqlConn {
    async fn find_account_where(&mut self, cond: &str, value: AccountLookup<'_>) -> StoreResult<Option<AccountRecord>> {
        let sql = format!("SELECT {COLS} FROM accounts WHERE {cond}");
        let q = sqlx::query(sqlx::AssertSqlSafe(sql));
        let q = match value {
            AccountLookup::Id(id) => q.bind(id),
            AccountLookup::Text(s) => q.bind(s.to_string()),
        };
        let row = q.fetch_optional(self.c()).await.map_err(map_err)?;
        row.as_ref().map(row_to_account).transpose().map_err(map_err)
    }
}

enum AccountLookup<'a> {
    Id(i64),
    Text(&'a str),
}

#[async_trait]
impl AccountRepo for SqlConn {
    async fn create_account(&mut self, a: &NewAccount) -> StoreResult<AccountId> {
        sqlx::query_scalar(
            "INSERT INTO accounts (email, mobile, display_name, password_hash, must_change_password, disabled, created_at) \
             VALUES ($1, $2, $3, $4, $5, 0, $6) RETURNING id",
        )
        .bind(&a.email)
        .bind(&a.mobile)
        .bind(&a.display_name)
        .bind(&a.password_hash)
        .bind(i64::from(a.must_change_password))
        .bind(a.created_at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn find_account(&mut self, id: AccountId) -> StoreResult<Option<AccountRecord>> {
        self.find_account_where("id = $1", AccountLookup::Id(id)).await
    }

    async fn find_account_by_email(&mut self, email: &str) -> StoreResult<Option<AccountRecord>> {
        self.find_account_where("email = $1", AccountLookup::Text(email)).await
    }

    async fn find_account_by_mobile(&mut self, mobile: &str) -> StoreResult<Option<AccountRecord>> {
        self.find_account_where("mobile = $1", AccountLookup::Text(mobile)).await
    }

    async fn update_password(&mut self, id: AccountId, hash: &str, must_change: bool) -> StoreResult<()> {
        let done = sqlx::query("UPDATE accounts SET password_hash = $2, must_change_password = $3 WHERE id = $1")
            .bind(id)
            .bind(hash)
            .bind(i64::from(must_change))
            .execute(self.c())
            .await
            .map_err(map_err)?;
        expect_one(done, "account")
    }

    async fn update_account_name(&mut self, id: AccountId, display_name: &str) -> StoreResult<()> {
        let done = sqlx::query("UPDATE accounts SET display_name = $2 WHERE id = $1")
            .bind(id)
            .bind(display_name)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        expect_one(done, "account")
    }

    async fn grant_role(&mut self, account: AccountId, org: OrgId, role: Role) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO role_grants (account_id, org_id, role) VALUES ($1, $2, $3) \
             ON CONFLICT (account_id, org_id, role) DO NOTHING",
        )
        .bind(account)
        .bind(org)
        .bind(role.as_str())
        .execute(self.c())
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn revoke_role(&mut self, account: AccountId, org: OrgId, role: Role) -> StoreResult<()> {
        let done = sqlx::query("DELETE FROM role_grants WHERE account_id = $1 AND org_id = $2 AND role = $3")
            .bind(account)
            .bind(org)
            .bind(role.as_str())
            .execute(self.c())
            .await
            .map_err(map_err)?;
        expect_one(done, "role grant")
    }

    async fn list_roles(&mut self, account: AccountId) -> StoreResult<Vec<RoleGrant>> {
        let rows = sqlx::query(
            "SELECT g.org_id, o.name, o.kind, g.role FROM role_grants g JOIN organizations o ON o.id = g.org_id \
             WHERE g.account_id = $1 ORDER BY g.org_id, g.role",
        )
        .bind(account)
        .fetch_all(self.c())
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| {
                Ok(RoleGrant {
                    org_id: r.try_get("org_id")?,
                    org_name: r.try_get("name")?,
                    org_kind: code(r, "kind", OrgKind::parse)?,
                    role: code(r, "role", Role::parse)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(map_err)
    }

    async fn list_members(&mut self, org: OrgId, page: PageRequest) -> StoreResult<Page<MemberRecord>> {
        let total: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT account_id) FROM role_grants WHERE org_id = $1")
            .bind(org)
            .fetch_one(self.c())
            .await
            .map_err(map_err)?;
        let sql = format!(
            "SELECT {} FROM accounts a WHERE a.id IN (SELECT account_id FROM role_grants WHERE org_id = $1) \
             ORDER BY a.id LIMIT $2 OFFSET $3",
            COLS.split(", ").map(|c| format!("a.{c}")).collect::<Vec<_>>().join(", ")
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(org)
            .bind(i64::from(page.limit))
            .bind(i64::try_from(page.offset).unwrap_or(i64::MAX))
            .fetch_all(self.c())
            .await
            .map_err(map_err)?;
        let accounts = rows.iter().map(row_to_account).collect::<Result<Vec<_>, _>>().map_err(map_err)?;
        let grants = sqlx::query("SELECT account_id, role FROM role_grants WHERE org_id = $1 ORDER BY role")
            .bind(org)
            .fetch_all(self.c())
            .await
            .map_err(map_err)?;
        let mut items = Vec::with_capacity(accounts.len());
        for account in accounts {
            let mut roles = Vec::new();
            for g in &grants {
                if g.try_get::<i64, _>("account_id").map_err(map_err)? == account.id {
                    roles.push(code(g, "role", Role::parse).map_err(map_err)?);
                }
            }
            items.push(MemberRecord { account, roles });
        }
        Ok(Page { items, total: u64::try_from(total).unwrap_or(0), limit: page.limit, offset: page.offset })
    }

    async fn create_student(&mut self, s: &StudentRecord) -> StoreResult<()> {
        sqlx::query("INSERT INTO students (account_id, org_id, student_no, class_id) VALUES ($1, $2, $3, $4)")
            .bind(s.account_id)
            .bind(s.org_id)
            .bind(&s.student_no)
            .bind(s.class_id)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn find_student_by_no(&mut self, org: OrgId, student_no: &str) -> StoreResult<Option<StudentRecord>> {
        let row = sqlx::query(
            "SELECT account_id, org_id, student_no, class_id FROM students WHERE org_id = $1 AND student_no = $2",
        )
        .bind(org)
        .bind(student_no)
        .fetch_optional(self.c())
        .await
        .map_err(map_err)?;
        row.map(|r| {
            Ok(StudentRecord {
                account_id: r.try_get("account_id")?,
                org_id: r.try_get("org_id")?,
                student_no: r.try_get("student_no")?,
                class_id: r.try_get("class_id")?,
            })
        })
        .transpose()
        .map_err(map_err)
    }

    async fn list_role_holders(&mut self, org: OrgId, roles: &[Role]) -> StoreResult<Vec<AccountId>> {
        if roles.is_empty() {
            return Ok(Vec::new());
        }
        let ph: Vec<String> = (0..roles.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT DISTINCT g.account_id FROM role_grants g JOIN accounts a ON a.id = g.account_id \
             WHERE g.org_id = $1 AND a.disabled = 0 AND g.role IN ({}) ORDER BY g.account_id",
            ph.join(", ")
        );
        let mut q = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(org);
        for r in roles {
            q = q.bind(r.as_str());
        }
        q.fetch_all(self.c()).await.map_err(map_err)
    }
}
