//! Demo order classes at 鹏城职业技术学院: one in training with 深圳创智精密机械 (signed by both,
//! four students enrolled, two scholarship payments) and one recruiting with 南山智造机器人
//! (the demo student may apply on a phone).

use xiaoqi_domain::order_class::{
    AssessmentWeights, CommittedPost, CourseInput, EmploymentInput, OrderClassStatus, ScholarshipInput, TermsInput,
    validate_terms,
};
use xiaoqi_domain::service::Side;
use xiaoqi_domain::talent::ConsentScope;
use xiaoqi_domain::time::{Date, Timestamp};
use xiaoqi_store::{NewDisbursement, OrgFilter, OrgId};

use super::{DAY, account};
use crate::App;
use crate::error::{AppError, AppResult};

fn course(name: &str, by: &str, kind: &str, hours: i64) -> CourseInput {
    CourseInput { name: name.into(), taught_by: by.into(), kind: kind.into(), hours }
}

fn terms(class_name: &str, major_ids: Vec<i64>, quota: i64, post: &str, pay: &str) -> TermsInput {
    TermsInput {
        class_name: class_name.into(),
        major_ids,
        quota,
        scholarships: vec![
            ScholarshipInput {
                name: "企业奖学金".into(),
                amount_yuan: "5000".into(),
                count: 3,
                condition: Some("每学年综合成绩前 3 名".into()),
            },
            ScholarshipInput {
                name: "技能之星奖".into(),
                amount_yuan: "2000".into(),
                count: 2,
                condition: Some("企业技能比武获奖".into()),
            },
        ],
        employment: EmploymentInput {
            posts: vec![CommittedPost { title: post.into(), occupation_code: Some("6-18-01-01".into()) }],
            pay_floor_yuan: pay.into(),
            service_years: 3,
        },
        courses: vec![
            course("机械制图与识图", "college", "theory", 64),
            course("数控加工工艺", "college", "theory", 72),
            course("数控车床实操", "enterprise", "practice", 160),
            course("企业工程师专题讲座", "enterprise", "lecture", 24),
            course("暑期岗位实践", "enterprise", "summer_practice", 240),
        ],
        weights: AssessmentWeights { college: 60, enterprise: 40 },
    }
}

impl App {
    /// Seeds the demo order classes (called by `seed_demo` after the practice demo).
    pub(super) async fn seed_order_class_demo(&self) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let t = self.now();
        let orgs = tx
            .list_orgs(&OrgFilter::default(), xiaoqi_domain::page::PageRequest { limit: 100, offset: 0 })
            .await?
            .items;
        let id_of = |name: &str| -> AppResult<OrgId> {
            orgs.iter()
                .find(|o| o.profile.name == name)
                .map(|o| o.id)
                .ok_or_else(|| AppError::internal(format!("demo organisation {name} missing")))
        };
        let college = id_of("鹏城职业技术学院")?;
        let (chuangzhi, robots) = (id_of("深圳创智精密机械有限公司")?, id_of("南山智造机器人科技有限公司")?);
        let (hr, leader) = (account(&mut tx, "hr@chuangzhi.demo").await?, account(&mut tx, "leader@pcvc.demo").await?);
        let robots_admin = account(&mut tx, "admin@ent03.demo").await?;
        let mut students = Vec::new();
        let mut majors = Vec::new();
        for n in 1..=4 {
            let s = account(&mut tx, &format!("s{n:02}@pcvc.demo")).await?;
            if let Some(m) = tx.find_student_profile(s).await?.and_then(|p| p.content.major_id) {
                if !majors.contains(&m) {
                    majors.push(m);
                }
                students.push(s);
            }
        }
        let demo_student = account(&mut tx, "student@pcvc.demo").await?;
        let demo_major = tx.find_student_profile(demo_student).await?.and_then(|p| p.content.major_id);
        let all_majors: Vec<i64> = tx.list_majors(college).await?.into_iter().map(|m| m.id).collect();
        let valid = |input: &TermsInput| {
            validate_terms(input).map_err(|e| AppError::internal(format!("demo terms break a rule: {e}")))
        };

        // In training with 创智精密: signed a month ago, four students enrolled.
        let first = valid(&terms("创智精密数控订单班（2025级）", majors, 30, "数控车工", "5500"))?;
        let id = tx.create_order_class(college, chuangzhi, &first, hr, Side::Enterprise, t - 40 * DAY).await?;
        tx.add_signature(id, 1, Side::Enterprise, hr, "enterprise_hr", t - 35 * DAY).await?;
        tx.add_signature(id, 1, Side::College, leader, "programme_leader", t - 34 * DAY).await?;
        tx.set_current_version(id, 1, t - 34 * DAY).await?;
        for (from, to) in [
            (OrderClassStatus::Draft, OrderClassStatus::Signed),
            (OrderClassStatus::Signed, OrderClassStatus::Recruiting),
        ] {
            tx.set_order_class_status(id, from, to, t - 34 * DAY).await?;
        }
        for (i, s) in students.iter().enumerate() {
            let at = t - (30 - i as i64) * DAY;
            tx.create_enrolment(id, *s, at).await?;
            if !tx.has_consent(*s, chuangzhi).await? {
                tx.grant_consent(*s, ConsentScope::Organisation, Some(chuangzhi), at).await?;
            }
            tx.set_selection(id, *s, Side::College, true, leader, at + DAY).await?;
            tx.set_selection(id, *s, Side::Enterprise, true, hr, at + 2 * DAY).await?;
        }
        tx.set_order_class_status(id, OrderClassStatus::Recruiting, OrderClassStatus::InTraining, t - 20 * DAY).await?;
        let paid_on = Date::shanghai_of(Timestamp(t - 5 * DAY)).format();
        for (s, name, fen) in [(0, "企业奖学金", 500_000), (1, "技能之星奖", 200_050)] {
            if let Some(student) = students.get(s) {
                tx.append_disbursement(&NewDisbursement {
                    class_id: id,
                    student_id: *student,
                    scholarship: name.into(),
                    amount_fen: fen,
                    paid_on: paid_on.clone(),
                    recorded_by: hr,
                    recorded_at: t - 5 * DAY,
                })
                .await?;
            }
        }

        // Recruiting with 南山智造: the demo student's major is in it.
        let mut second_majors = demo_major.into_iter().collect::<Vec<_>>();
        second_majors.extend(all_majors.iter().take(2).filter(|m| Some(**m) != demo_major));
        let second = valid(&terms("南山智造机器人运维冠名班", second_majors, 20, "工业机器人运维员", "6000"))?;
        let id = tx.create_order_class(college, robots, &second, robots_admin, Side::Enterprise, t - 10 * DAY).await?;
        tx.add_signature(id, 1, Side::Enterprise, robots_admin, "org_admin", t - 8 * DAY).await?;
        tx.add_signature(id, 1, Side::College, leader, "programme_leader", t - 7 * DAY).await?;
        tx.set_current_version(id, 1, t - 7 * DAY).await?;
        tx.set_order_class_status(id, OrderClassStatus::Draft, OrderClassStatus::Signed, t - 7 * DAY).await?;
        tx.set_order_class_status(id, OrderClassStatus::Signed, OrderClassStatus::Recruiting, t - 6 * DAY).await?;
        tx.commit().await?;
        Ok(())
    }
}
