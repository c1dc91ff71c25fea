//! The destinations demo: the 2026 graduates of two majors of 鹏城职业技术学院 (classes that
//! entered in 2023), the occupations those majors serve, and a register whose placement rate
//! moves between 31 August and 31 December (one graduate placed in October, one self-employed
//! entry still awaiting the career officer's check).

use xiaoqi_domain::destination::{DestinationKind as K, DestinationStatus};
use xiaoqi_domain::org::Role;
use xiaoqi_store::{NewAccount, NewDestination, NewGraduate, StudentRecord};

use super::account;
use crate::App;
use crate::error::{AppError, AppResult};

/// (name, major, entries: (kind, date, employer is 创智, employer or school named, occupation,
/// checked)).
type Entry = (K, &'static str, bool, Option<&'static str>, Option<&'static str>, bool);
const GRADUATES: &[(&str, &str, &[Entry])] = &[
    ("陈毕业", "数控技术", &[(K::ContractEmployment, "2026-06-18", true, None, Some("6-18-01-01"), true)]),
    ("黄毕业", "数控技术", &[(K::ContractEmployment, "2026-07-05", true, None, Some("6-18-01-02"), true)]),
    (
        "周毕业",
        "数控技术",
        &[
            (K::NotPlaced, "2026-07-01", false, None, None, true),
            (K::ContractEmployment, "2026-10-20", false, Some("东莞市长安精工模具厂"), Some("6-31-01-10"), true),
        ],
    ),
    ("吴毕业", "数控技术", &[(K::FurtherStudy, "2026-07-15", false, Some("深圳职业技术大学（专升本）"), None, true)]),
    ("郑毕业", "软件技术", &[(K::FlexibleEmployment, "2026-08-10", false, None, Some("4-04-05-02"), true)]),
    ("孙毕业", "软件技术", &[(K::SelfEmployment, "2026-09-10", false, None, Some("4-04-05-01"), false)]),
    ("钱毕业", "软件技术", &[(K::NotSeeking, "2026-06-30", false, None, None, true)]),
    ("冯毕业", "软件技术", &[]),
];

/// The occupations (CSCO 2022) each demo major serves.
const SERVES: &[(&str, &[&str])] =
    &[("数控技术", &["6-18-01-01", "6-18-01-02", "6-20-03-01"]), ("软件技术", &["4-04-05-01", "4-04-05-02"])];

impl App {
    /// Seeds the destinations demo (called by `seed_demo` after the order classes).
    pub(super) async fn seed_destinations_demo(&self, hash: &str) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let t = self.now();
        let found = super::org_ids(&mut tx, &["鹏城职业技术学院", "深圳创智精密机械有限公司"]).await?;
        let (college, chuangzhi) = (found[0], found[1]);
        let (career, hr) = (account(&mut tx, "career@pcvc.demo").await?, account(&mut tx, "hr@chuangzhi.demo").await?);
        let majors = tx.list_majors(college).await?;
        let major = |name: &str| {
            majors.iter().find(|m| m.name == name).map(|m| m.id).ok_or_else(|| AppError::internal("demo major missing"))
        };
        for (name, codes) in SERVES {
            let codes: Vec<String> = codes.iter().map(|c| (*c).to_string()).collect();
            tx.set_major_occupations(major(name)?, &codes).await?;
        }
        let classes = [("数控技术", "数控2301班"), ("软件技术", "软件2301班")];
        let mut class_ids = Vec::new();
        for (m, class) in classes {
            class_ids.push((m, tx.create_class(college, Some(major(m)?), class, 2023).await?));
        }
        for (i, (name, m, entries)) in GRADUATES.iter().enumerate() {
            let id = tx
                .create_account(&NewAccount {
                    email: Some(format!("g{:02}@pcvc.demo", i + 1)),
                    mobile: None,
                    display_name: (*name).into(),
                    password_hash: hash.to_string(),
                    must_change_password: false,
                    created_at: t,
                })
                .await?;
            tx.grant_role(id, college, Role::Student).await?;
            let class_id = class_ids.iter().find(|(x, _)| x == m).map(|(_, c)| *c);
            let student_no = format!("20230101{:02}", i + 1);
            tx.create_student(&StudentRecord { account_id: id, org_id: college, student_no, class_id }).await?;
            let graduate = NewGraduate { college_org_id: college, account_id: id, cohort: 2026, major_id: None, at: t };
            let graduate = tx.create_graduate(&graduate).await?;
            for (kind, date, at_chuangzhi, named, occupation, checked) in entries.iter() {
                let status = if *checked { DestinationStatus::Checked } else { DestinationStatus::Entered };
                let entry = NewDestination {
                    graduate_id: graduate,
                    kind: *kind,
                    destination_date: (*date).into(),
                    employer_org_id: at_chuangzhi.then_some(chuangzhi),
                    employer_name: named.map(str::to_string),
                    occupation_code: occupation.map(str::to_string),
                    note: String::new(),
                    status,
                    by: if *checked { career } else { id },
                    at: t,
                };
                let d = tx.create_destination(&entry).await?;
                if *at_chuangzhi && i == 0 {
                    tx.confirm_destination(d, hr, t).await?;
                }
            }
        }
        tx.commit().await?;
        Ok(())
    }
}
