//! Demo practice places and an open allocation round at the demo college, with some ranked
//! applications and one enterprise ranking (the demo student has not applied yet); then an
//! allocated round with internships in progress (`placements.rs`).

use xiaoqi_domain::internship::RuleSet;
use xiaoqi_domain::time::{Date, Timestamp};
use xiaoqi_store::{OrgFilter, OrgId};

use super::account;
use crate::App;
use crate::error::{AppError, AppResult};
use crate::practice::{PlaceInput, validate_place};

/// (enterprise, title, kind, occupation, capacity, monthly pay, post wage, staff, post staff,
/// skills as typed: `技能 权重 等级` lines)
type DemoPlace =
    (&'static str, &'static str, &'static str, &'static str, i64, &'static str, &'static str, i64, i64, &'static str);

const PLACES: &[DemoPlace] = &[
    (
        "深圳创智精密机械有限公司",
        "数控车床操作岗位实习",
        "post",
        "6-18-01-01",
        3,
        "4200",
        "5200",
        260,
        12,
        "数控车削 8 3\n机械识图 5 3\n精密测量 4 3",
    ),
    (
        "深圳创智精密机械有限公司",
        "精密装配跟岗实习",
        "shadowing",
        "6-20-01-01",
        2,
        "3000",
        "4800",
        260,
        20,
        "钳工 6 3\n精密测量 6 3",
    ),
    ("鹏城数控刀具有限公司", "刀具刃磨岗位实习", "post", "6-18-01-04", 2, "4000", "4800", 85, 10, ""),
    (
        "南山智造机器人科技有限公司",
        "工业机器人运维认识实习",
        "cognitive",
        "6-31-07-01",
        6,
        "0",
        "6000",
        420,
        30,
        "工业机器人操作 6 2\nPLC编程 4 2",
    ),
];

impl App {
    /// Seeds the demo places and round (called by `seed_demo` after the talent demo).
    pub(super) async fn seed_practice_demo(&self) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let t = self.now();
        let today = Date::shanghai_of(Timestamp(t));
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
        let hr = account(&mut tx, "hr@chuangzhi.demo").await?;
        let career = account(&mut tx, "career@pcvc.demo").await?;
        let rules = RuleSet::national_2021();
        let mut places = Vec::new();
        for (i, (org, title, kind, occupation, capacity, pay, wage, staff, post_staff, skills)) in
            PLACES.iter().enumerate()
        {
            let input = PlaceInput {
                enterprise_id: id_of(org)?,
                kind: (*kind).into(),
                title: (*title).into(),
                occupation_code: Some((*occupation).into()),
                capacity: *capacity,
                start_date: Date(today.0 + 60).format(),
                end_date: Date(today.0 + 180).format(),
                region_code: None,
                location: format!("{org}厂区"),
                monthly_pay_yuan: (*pay).into(),
                post_wage_yuan: (*wage).into(),
                working_hours: "周一至周五 8:30–17:30，午休 1 小时".into(),
                hazards: Some("机加工设备：须穿戴劳保用品，师傅在场方可操作".into()),
                high_risk_work: false,
                insured: true,
                insurer: Some("中国人民财产保险（实习责任保险）".into()),
                enterprise_staff: *staff,
                post_staff: *post_staff,
                night_shifts: false,
                overtime: false,
                holiday_work: false,
                fees_yuan: None,
                skills: Vec::new(),
                skills_text: Some((*skills).into()),
            };
            let fields = validate_place(&rules, &input)
                .map_err(|e| AppError::internal(format!("demo place {title} breaks a rule: {e:?}")))?;
            let by = if i < 2 { hr } else { account(&mut tx, &format!("admin@ent{:02}.demo", i)).await? };
            places.push(tx.create_place(input.enterprise_id, &fields, by, t - 10 * 86_400_000 + i as i64).await?);
        }
        let round =
            tx.create_round(college, "2026 年春季岗位实习（演示）", &places, career, t - 7 * 86_400_000).await?;
        // s01–s05 have applied; 创智精密 ranked its first place.
        let prefs: [&[usize]; 5] = [&[0, 2], &[0, 1], &[2, 0, 3], &[1, 0], &[3, 1]];
        let mut students = Vec::new();
        for (i, list) in prefs.iter().enumerate() {
            let s = account(&mut tx, &format!("s{:02}@pcvc.demo", i + 1)).await?;
            let ids: Vec<i64> = list.iter().map(|k| places[*k]).collect();
            tx.put_practice_application(round, s, &ids, t - (6 - i as i64) * 86_400_000).await?;
            students.push(s);
        }
        tx.put_ranking(round, places[0], &[students[1], students[0], students[3]], hr, t - 86_400_000).await?;
        let enterprise = id_of(PLACES[0].0)?;
        tx.commit().await?;
        // A second round, allocated, with internships under way (the open round stays).
        self.seed_placement_demo(college, enterprise).await
    }
}
