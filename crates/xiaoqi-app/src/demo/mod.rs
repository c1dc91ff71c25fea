//! Demo data, seeded by one entry point, [`App::seed_demo`], area by area:
//!
//! - `orgs.rs`: one alliance, three colleges with their majors, thirty enterprises, associations,
//!   an intermediary, a government agency, and people in every role; in the same transaction
//!   `services.rs`, the marketplace: offerings, a delivered and rated request, an invitation;
//! - `talent.rs` (data in `talent_data.rs`): what the majors teach, students with profiles and
//!   consents, demands in every state;
//! - `practice.rs`: practice places and an open allocation round; then `placements.rs`, an
//!   allocated round with internships under way and their record;
//! - `research.rs`: research teams, problems and a project;
//! - `order_class.rs`: an order class in training and one recruiting;
//! - `benefit.rs`: the project's agreement, a patent, a licence income and a funded programme;
//! - `destinations.rs`: the 2026 graduates of two majors with their destination register and the
//!   occupations those majors serve.
//!
//! Every area writes through the store or the same use cases people use, in this order, so the
//! ids come out the same on every fresh database. All demo passwords are `xiaoqi-demo`.

mod benefit;
mod destinations;
mod order_class;
mod orgs;
mod placements;
mod practice;
mod research;
mod services;
mod talent;
mod talent_data;

use xiaoqi_store::Conn;

use crate::App;
use crate::error::{AppError, AppResult};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "xiaoqi-demo";

/// A demo login shown on the login page in demo mode: (login, who this person is as an i18n key
/// `demo.persona.*`, organisation). Every role of a daily path has one, named plainly.
pub const DEMO_ACCOUNTS: &[(&str, &str, &str)] = &[
    ("admin@alliance.demo", "demo.persona.alliance_admin", "粤港澳校企合作联盟"),
    ("admin@pcvc.demo", "demo.persona.college_admin", "鹏城职业技术学院"),
    ("career@pcvc.demo", "demo.persona.career_officer", "鹏城职业技术学院"),
    ("teacher@pcvc.demo", "demo.persona.teacher", "鹏城职业技术学院"),
    ("leader@pcvc.demo", "demo.persona.programme_leader", "鹏城职业技术学院"),
    ("s06@pcvc.demo", "demo.persona.intern", "鹏城职业技术学院"),
    ("student@pcvc.demo", "demo.persona.student", "鹏城职业技术学院"),
    ("hr@chuangzhi.demo", "demo.persona.hr", "深圳创智精密机械有限公司"),
    ("mentor@chuangzhi.demo", "demo.persona.master", "深圳创智精密机械有限公司"),
    ("tech@chuangzhi.demo", "demo.persona.technician", "深圳创智精密机械有限公司"),
    ("member@gov.demo", "demo.persona.government", "深圳市南山区工业和信息化局"),
    ("member@assoc.demo", "demo.persona.association", "深圳市智能制造行业协会"),
    ("member@agency.demo", "demo.persona.intermediary", "鹏程科技成果转化服务中心"),
];

/// A day in milliseconds, for the demo's backdated times.
const DAY: i64 = 86_400_000;

/// The id of a demo account, which must exist.
async fn account(tx: &mut Box<dyn Conn>, email: &str) -> AppResult<i64> {
    tx.find_account_by_email(email)
        .await?
        .map(|a| a.id)
        .ok_or_else(|| AppError::internal(format!("demo account {email} missing")))
}

/// The ids of demo organisations by name, in the order asked; each must exist.
async fn org_ids(tx: &mut Box<dyn Conn>, names: &[&str]) -> AppResult<Vec<i64>> {
    let filter = xiaoqi_store::OrgFilter::default();
    let orgs = tx.list_orgs(&filter, xiaoqi_domain::page::PageRequest { limit: 100, offset: 0 }).await?.items;
    names
        .iter()
        .map(|name| {
            orgs.iter()
                .find(|o| o.profile.name == *name)
                .map(|o| o.id)
                .ok_or_else(|| AppError::internal(format!("demo organisation {name} missing")))
        })
        .collect()
}

impl App {
    /// Seeds the demo data unless it is already there; returns false when it was.
    pub async fn seed_demo(&self) -> AppResult<bool> {
        self.ensure_reference_data().await?;
        let mut probe = self.store.conn().await?;
        if probe.find_account_by_email("admin@alliance.demo").await?.is_some() {
            return Ok(false);
        }
        drop(probe);
        let hash = crate::password::hash_sync(DEMO_PASSWORD)?;
        self.seed_orgs_demo(&hash).await?;
        self.seed_talent_demo(&hash).await?;
        self.seed_practice_demo().await?;
        self.seed_research_demo().await?;
        self.seed_order_class_demo().await?;
        self.seed_research_benefit_demo().await?;
        self.seed_destinations_demo(&hash).await?;
        Ok(true)
    }
}
