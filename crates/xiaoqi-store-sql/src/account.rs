//! Accounts, role grants and student records.

use async_trait::async_trait;
use xiaoqi_domain::org::Role;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_store::{
    AccountId, AccountRecord, AccountRepo, MemberRecord, NewAccount, OrgId, RoleGrant, StoreResult, StudentRecord,
};

use crate::conn::{Arg, Row, SqlConn, args, page_args, row};

const COLS: &str = "id, email, mobile, display_name, password_hash, must_change_password, disabled, created_at";

fn account(r: &Row) -> StoreResult<AccountRecord> {
    Ok(row! { r, AccountRecord {
        id, email, mobile, display_name, password_hash, must_change_password, disabled, created_at,
    }})
}

impl SqlConn {
    async fn find_account_where(&mut self, cond: &str, value: Arg) -> StoreResult<Option<AccountRecord>> {
        self.opt(&format!("SELECT {COLS} FROM accounts WHERE {cond}"), vec![value], account).await
    }
}

#[async_trait]
impl AccountRepo for SqlConn {
    async fn create_account(&mut self, a: &NewAccount) -> StoreResult<AccountId> {
        let sql = "INSERT INTO accounts (email, mobile, display_name, password_hash, must_change_password, disabled, created_at) \
             VALUES ($1, $2, $3, $4, $5, 0, $6) RETURNING id";
        let args = args![&a.email, &a.mobile, &a.display_name, &a.password_hash, a.must_change_password, a.created_at];
        self.scalar(sql, args).await
    }

    async fn find_account(&mut self, id: AccountId) -> StoreResult<Option<AccountRecord>> {
        self.find_account_where("id = $1", id.into()).await
    }

    async fn find_account_by_email(&mut self, email: &str) -> StoreResult<Option<AccountRecord>> {
        self.find_account_where("email = $1", email.into()).await
    }

    async fn find_account_by_mobile(&mut self, mobile: &str) -> StoreResult<Option<AccountRecord>> {
        self.find_account_where("mobile = $1", mobile.into()).await
    }

    async fn update_password(&mut self, id: AccountId, hash: &str, must_change: bool) -> StoreResult<()> {
        let sql = "UPDATE accounts SET password_hash = $2, must_change_password = $3 WHERE id = $1";
        self.exec_one(sql, args![id, hash, must_change], "account").await
    }

    async fn replace_password_hash(&mut self, id: AccountId, old: &str, new: &str) -> StoreResult<bool> {
        let sql = "UPDATE accounts SET password_hash = $3 WHERE id = $1 AND password_hash = $2";
        Ok(self.exec(sql, args![id, old, new]).await? > 0)
    }

    async fn update_account_name(&mut self, id: AccountId, display_name: &str) -> StoreResult<()> {
        self.exec_one("UPDATE accounts SET display_name = $2 WHERE id = $1", args![id, display_name], "account").await
    }

    async fn grant_role(&mut self, account: AccountId, org: OrgId, role: Role) -> StoreResult<()> {
        let sql = "INSERT INTO role_grants (account_id, org_id, role) VALUES ($1, $2, $3) \
             ON CONFLICT (account_id, org_id, role) DO NOTHING";
        self.exec(sql, args![account, org, role]).await?;
        Ok(())
    }

    async fn revoke_role(&mut self, account: AccountId, org: OrgId, role: Role) -> StoreResult<()> {
        let sql = "DELETE FROM role_grants WHERE account_id = $1 AND org_id = $2 AND role = $3";
        self.exec_one(sql, args![account, org, role], "role grant").await
    }

    async fn list_roles(&mut self, account: AccountId) -> StoreResult<Vec<RoleGrant>> {
        let sql = "SELECT g.org_id, o.name, o.kind, g.role FROM role_grants g JOIN organizations o ON o.id = g.org_id \
             WHERE g.account_id = $1 ORDER BY g.org_id, g.role";
        self.all(sql, args![account], |r| {
            Ok(row! { r, RoleGrant { org_id, org_name: r.get("name")?, org_kind: r.get("kind")?, role } })
        })
        .await
    }

    async fn list_members(&mut self, org: OrgId, page: PageRequest) -> StoreResult<Page<MemberRecord>> {
        let total: i64 =
            self.scalar("SELECT COUNT(DISTINCT account_id) FROM role_grants WHERE org_id = $1", args![org]).await?;
        let sql = format!(
            "SELECT {} FROM accounts a WHERE a.id IN (SELECT account_id FROM role_grants WHERE org_id = $1) \
             ORDER BY a.id LIMIT $2 OFFSET $3",
            COLS.split(", ").map(|c| format!("a.{c}")).collect::<Vec<_>>().join(", ")
        );
        let mut args = args![org];
        args.extend(page_args(page));
        let accounts = self.all(&sql, args, account).await?;
        let sql = "SELECT account_id, role FROM role_grants WHERE org_id = $1 ORDER BY role";
        let grants: Vec<(AccountId, Role)> =
            self.all(sql, args![org], |r| Ok((r.get("account_id")?, r.get("role")?))).await?;
        let items = accounts
            .into_iter()
            .map(|account| {
                let roles = grants.iter().filter(|(a, _)| *a == account.id).map(|(_, role)| *role).collect();
                MemberRecord { account, roles }
            })
            .collect();
        Ok(Page { items, total: u64::try_from(total).unwrap_or(0), limit: page.limit, offset: page.offset })
    }

    async fn create_student(&mut self, s: &StudentRecord) -> StoreResult<()> {
        let sql = "INSERT INTO students (account_id, org_id, student_no, class_id) VALUES ($1, $2, $3, $4)";
        self.exec(sql, args![s.account_id, s.org_id, &s.student_no, s.class_id]).await?;
        Ok(())
    }

    async fn find_student_by_no(&mut self, org: OrgId, student_no: &str) -> StoreResult<Option<StudentRecord>> {
        let sql = "SELECT account_id, org_id, student_no, class_id FROM students WHERE org_id = $1 AND student_no = $2";
        self.opt(sql, args![org, student_no], |r| {
            Ok(row! { r, StudentRecord { account_id, org_id, student_no, class_id } })
        })
        .await
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
        let mut args = args![org];
        args.extend(roles.iter().map(|r| Arg::from(*r)));
        self.scalars(&sql, args).await
    }
}
