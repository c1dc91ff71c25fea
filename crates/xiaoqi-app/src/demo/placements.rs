//! A demo internship round in progress: one post internship place at 创智精密 that started three
//! weeks ago, allocated to three students (s06–s08) through the same use cases people use; the
//! agreements signed by all three parties, both mentors assigned, a training plan, logs,
//! attendance the master confirmed, sign-offs, weekly reports, and a mid-term review the master
//! has not signed yet (overdue, so the teacher sees a warning). s08 stopped logging a week ago.

use xiaoqi_domain::time::Date;

use crate::error::{AppError, AppResult};
use crate::placements::{
    AgreementInput, AttendanceInput, LogInput, MentorInput, ReviewInput, SignInput, SignReviewInput, SignoffInput,
    TaskInput, WeeklyReportInput,
};
use crate::practice::{PlaceInput, PreferencesInput, RoundInput};
use crate::{App, Principal};

const TASKS: &[(&str, &str)] =
    &[("数控车床外圆与端面车削", "cnc-turning"), ("零件图纸识读与工艺卡填写", "blueprint-reading")];
const LOGS: &[(&str, Option<&str>)] = &[
    ("跟师傅学习车床安全操作规程，练习装夹工件", None),
    ("车削 45 钢外圆，尺寸控制在公差内", Some("精车时表面粗糙度达不到 Ra1.6，刀尖圆弧选择不当")),
    ("识读阶梯轴零件图，填写工艺卡", Some("形位公差符号不熟悉，同轴度标注看不懂")),
    ("独立完成 10 件阶梯轴粗车", None),
];

impl App {
    async fn demo_principal(&self, email: &str) -> AppResult<Principal> {
        let mut conn = self.store.conn().await?;
        let account = conn
            .find_account_by_email(email)
            .await?
            .ok_or_else(|| AppError::internal(format!("demo account {email} missing")))?;
        self.principal_for(&mut conn, account).await
    }

    /// Seeds the internship round in progress (called after the practice demo).
    pub(super) async fn seed_placement_demo(&self, college: i64, enterprise: i64) -> AppResult<()> {
        let (hr, career, teacher, master) = (
            self.demo_principal("hr@chuangzhi.demo").await?,
            self.demo_principal("career@pcvc.demo").await?,
            self.demo_principal("teacher@pcvc.demo").await?,
            self.demo_principal("mentor@chuangzhi.demo").await?,
        );
        let today = self.today();
        let start = Date(today.0 - 21);
        let place = self
            .create_place(
                &hr,
                &PlaceInput {
                    enterprise_id: enterprise,
                    kind: "post".into(),
                    title: "数控车工岗位实习（进行中）".into(),
                    occupation_code: Some("6-18-01-01".into()),
                    capacity: 3,
                    start_date: start.format(),
                    end_date: Date(start.0 + 150).format(),
                    location: "深圳创智精密机械有限公司 二号车间".into(),
                    monthly_pay_yuan: "4300".into(),
                    post_wage_yuan: "5200".into(),
                    working_hours: "周一至周五 8:30–17:30，午休 1 小时".into(),
                    insured: true,
                    insurer: Some("中国人民财产保险（实习责任保险）".into()),
                    enterprise_staff: 260,
                    post_staff: 18,
                    ..PlaceInput::default()
                },
            )
            .await?;
        let round = self
            .create_round(
                &career,
                &RoundInput {
                    college_id: college,
                    name: "2026 年岗位实习（进行中，演示）".into(),
                    place_ids: vec![place.id],
                },
            )
            .await?;
        let mut students = Vec::new();
        for n in 6..=8 {
            let s = self.demo_principal(&format!("s{n:02}@pcvc.demo")).await?;
            self.put_preferences(&s, round.round.id, &PreferencesInput { place_ids: vec![place.id] }).await?;
            students.push(s);
        }
        self.run_round(&career, round.round.id).await?;
        let placements = self.list_placements(&career, Some(college), Some(round.round.id)).await?;
        for (k, pl) in placements.iter().enumerate() {
            let facts = AgreementInput {
                birth_date: Some(format!("2005-0{}-15", k + 3)),
                insurer: Some("中国人民财产保险".into()),
                insurance_policy_no: Some(format!("PICC-SX-2026-{:04}", 31 + k)),
                insurance_start: Some(pl.place.start_date.clone()),
                insurance_end: Some(pl.place.end_date.clone()),
                ..AgreementInput::default()
            };
            self.put_agreement(&career, pl.id, &facts).await?;
            let student = students.iter().find(|s| s.id() == pl.student_id).unwrap_or(&career);
            for (who, party) in [(&career, "school"), (&hr, "enterprise"), (student, "student")] {
                self.sign_agreement(who, pl.id, &SignInput { party: party.into() }).await?;
            }
            self.backdate_signatures(pl.id, Date(start.0 - 7)).await?;
            self.assign_mentors(&career, pl.id, &MentorInput { teacher_id: Some(teacher.id()), master_id: None })
                .await?;
            self.assign_mentors(&hr, pl.id, &MentorInput { teacher_id: None, master_id: Some(master.id()) }).await?;
            self.start_placement(&career, pl.id).await?;
            self.seed_journal(pl.id, start, k, student, &teacher, &master).await?;
        }
        Ok(())
    }

    /// The demo's internships started weeks ago: their agreements were signed the week before
    /// (the use cases sign today, and the rules refuse a start before the signatures).
    async fn backdate_signatures(&self, id: i64, on: Date) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let mut r = tx
            .find_placement(&xiaoqi_store::ReadScope::Everything, id)
            .await?
            .ok_or(AppError::NotFound("placement"))?;
        let s = &mut r.signatures;
        (s.school_signed_on, s.enterprise_signed_on, s.student_signed_on) =
            (Some(on.format()), Some(on.format()), Some(on.format()));
        tx.save_placement(&r, r.status, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn seed_journal(
        &self,
        id: i64,
        start: Date,
        k: usize,
        student: &Principal,
        teacher: &Principal,
        master: &Principal,
    ) -> AppResult<()> {
        let mut tasks = Vec::new();
        for (title, skill) in TASKS {
            tasks.push(
                self.add_task(master, id, &TaskInput { title: (*title).into(), skill_code: (*skill).into() }).await?,
            );
        }
        // s08 (k = 2) stopped logging and clocking in a week ago.
        let last = if k == 2 { 14 } else { 21 };
        let mut n = 0usize;
        for offset in 0..last {
            let day = Date(start.0 + offset);
            if xiaoqi_domain::placement::weekday(day) >= 5 {
                continue;
            }
            let (body, problem) = LOGS[n % LOGS.len()];
            let log = LogInput {
                date: day.format(),
                task_id: Some(tasks[n % tasks.len()]),
                body: body.into(),
                problem: problem.map(str::to_string),
            };
            self.add_log(student, id, &log).await?;
            self.put_attendance(student, id, &AttendanceInput { day: day.format(), status: "present".into() }).await?;
            self.confirm_attendance(master, id, &day.format()).await?;
            n += 1;
        }
        let monday = Date(start.0 - xiaoqi_domain::placement::weekday(start));
        let week = WeeklyReportInput {
            week_start: monday.format(),
            body: "本周熟悉车间环境与安全规程，完成外圆车削练习。".into(),
        };
        self.put_weekly_report(student, id, &week).await?;
        let level = if k == 0 { 3 } else { 2 };
        self.add_signoff(master, id, &SignoffInput { skill_code: "cnc-turning".into(), level, date: None }).await?;
        let due = Date(self.today().0 - 2).format();
        let review = self.add_review(teacher, id, &ReviewInput { name: "期中三方评议".into(), due_date: due }).await?;
        for (who, reviewer) in [(student, "student"), (teacher, "teacher")] {
            let sign = SignReviewInput { reviewer: reviewer.into(), comment: Some("按计划推进".into()) };
            self.sign_review(who, id, review, &sign).await?;
        }
        Ok(())
    }
}
