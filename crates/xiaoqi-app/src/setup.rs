//! First start of a real deployment: creating the alliance and its first administrator.

use xiaoqi_domain::ValidationErrors;
use xiaoqi_domain::contact::Email;
use xiaoqi_domain::error::required_text;
use xiaoqi_domain::org::{MembershipStatus, OrgKind, Role};
use xiaoqi_domain::page::PageRequest;
use xiaoqi_store::{NewAccount, OrgFilter, OrgId, OrgProfile};

use crate::App;
use crate::audit::{Change, append};
use crate::error::{AppError, AppResult};
use crate::people::{check_contacts_free, temporary_password};

impl App {
    /// Creates the alliance and its first administrator, who logs in with the returned one-time
    /// password and must change it. Refused once an alliance exists.
    pub async fn init_alliance(&self, name: &str, admin_name: &str, admin_email: &str) -> AppResult<(OrgId, String)> {
        let mut e = ValidationErrors::new();
        let name = e.check(required_text("name", name, 100));
        let admin_name = e.check(required_text("admin_name", admin_name, 50));
        let email = e.check(Email::parse("admin_email", admin_email));
        e.into_result()?;
        let (Some(name), Some(admin_name), Some(email)) = (name, admin_name, email) else {
            return Err(AppError::Internal("validated input missing".into()));
        };
        let mut tx = self.store.begin().await?;
        let existing = tx
            .list_orgs(
                &OrgFilter { kind: Some(OrgKind::Alliance), ..OrgFilter::default() },
                PageRequest { limit: 1, offset: 0 },
            )
            .await?;
        if existing.total > 0 {
            return Err(AppError::state("联盟已存在", "The alliance already exists"));
        }
        check_contacts_free(&mut tx, "admin_email", Some(&email), "admin_mobile", None).await?;
        let t = self.now();
        let profile = OrgProfile::new(OrgKind::Alliance, name);
        // The unique index on the alliance kind settles a race with another `init`.
        let org = tx.create_org(&profile, MembershipStatus::Member, t).await.map_err(|e| match e {
            xiaoqi_store::StoreError::Conflict { .. } => AppError::state("联盟已存在", "The alliance already exists"),
            other => other.into(),
        })?;
        let password = temporary_password();
        let account = tx
            .create_account(&NewAccount {
                email: Some(email.as_str().to_string()),
                mobile: None,
                display_name: admin_name,
                password_hash: crate::password::temporary_hash(&password, t),
                must_change_password: true,
                created_at: t,
            })
            .await?;
        tx.grant_role(account, org, Role::AllianceAdmin).await?;
        tx.grant_role(account, org, Role::OrgAdmin).await?;
        append(
            &mut tx,
            self.now(),
            None,
            Some(org),
            None,
            Change::created("alliance.init", "organization", org, &profile),
        )
        .await?;
        tx.commit().await?;
        Ok((org, password))
    }
}
