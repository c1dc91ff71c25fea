//! Demo data of the talent market: what the demo majors teach, students with profiles and
//! consents, and demands in every state, so that a visitor sees matches and insight at once.

use xiaoqi_domain::org::{OrgKind, Role};
use xiaoqi_domain::talent::{ConsentScope, DemandStatus, Education};
use xiaoqi_domain::time::{Date, Timestamp};
use xiaoqi_store::{
    DemandContent, DemandRole, MajorSupply, NewAccount, OrgFilter, OrgId, ProfileContent, SkillLevel, SkillReq,
    StudentRecord,
};

use crate::error::{AppError, AppResult};
use crate::{App, now};

const DAY_MS: i64 = 86_400_000;

/// (major name, skills with the level taught, certificates, yearly graduates)
type Teaching = (&'static str, &'static [(&'static str, u8)], &'static [&'static str], i64);

const TEACHING: &[Teaching] = &[
    (
        "数控技术",
        &[
            ("cnc-turning", 4),
            ("cnc-milling", 4),
            ("cnc-programming", 4),
            ("blueprint-reading", 4),
            ("cad-drawing", 3),
            ("precision-measurement", 3),
            ("quality-inspection", 2),
        ],
        &["1x-cnc-turning-milling"],
        180,
    ),
    (
        "机电一体化技术",
        &[
            ("plc-programming", 4),
            ("electrical-wiring", 4),
            ("mechatronics-debugging", 4),
            ("hydraulics-pneumatics", 3),
            ("sensor-technology", 3),
            ("blueprint-reading", 3),
            ("low-voltage-electrician", 3),
        ],
        &["1x-plc", "electrician-low-voltage"],
        220,
    ),
    (
        "工业机器人技术",
        &[
            ("industrial-robot-operation", 4),
            ("industrial-robot-programming", 4),
            ("plc-programming", 3),
            ("machine-vision", 2),
            ("mechatronics-debugging", 3),
        ],
        &["1x-industrial-robot"],
        120,
    ),
    (
        "软件技术",
        &[
            ("java", 4),
            ("python", 3),
            ("web-frontend", 4),
            ("javascript", 4),
            ("html-css", 4),
            ("sql", 3),
            ("software-testing", 3),
            ("mini-program", 3),
        ],
        &["1x-web-frontend", "ncre-2"],
        260,
    ),
    (
        "大数据技术",
        &[
            ("python", 4),
            ("sql", 4),
            ("data-analysis", 4),
            ("big-data", 3),
            ("linux-admin", 3),
            ("data-labelling", 3),
            ("excel", 4),
        ],
        &["1x-big-data"],
        150,
    ),
    (
        "电子商务",
        &[
            ("ecommerce-operations", 4),
            ("live-streaming", 3),
            ("short-video-marketing", 3),
            ("online-customer-service", 4),
            ("product-listing", 4),
            ("data-analysis", 2),
            ("copywriting", 3),
        ],
        &["1x-online-store", "1x-ecommerce-data"],
        240,
    ),
    (
        "现代物流管理",
        &[
            ("warehousing", 4),
            ("logistics-planning", 3),
            ("supply-chain", 3),
            ("forklift", 2),
            ("excel", 3),
            ("procurement", 2),
        ],
        &["1x-logistics", "forklift-n1"],
        160,
    ),
];

/// (name, skills with levels, certificates, region, preferred regions, consent: a = alliance, n = named 创智, - = none)
type Student =
    (&'static str, &'static [(&'static str, u8)], &'static [&'static str], &'static str, &'static [&'static str], char);

const STUDENTS: &[Student] = &[
    (
        "陈一鸣",
        &[("cnc-turning", 4), ("cnc-programming", 3), ("blueprint-reading", 4), ("quality-inspection", 3)],
        &["1x-cnc-turning-milling"],
        "440305",
        &["4403"],
        'a',
    ),
    (
        "林晓雨",
        &[("cnc-milling", 3), ("cad-drawing", 4), ("3d-modelling", 3), ("precision-measurement", 3)],
        &[],
        "440306",
        &["4403", "4419"],
        'a',
    ),
    (
        "黄志强",
        &[("welding", 4), ("tig-welding", 3), ("blueprint-reading", 3), ("safety-production", 3)],
        &["welder-special"],
        "440604",
        &["4406"],
        'n',
    ),
    (
        "吴佳怡",
        &[("plc-programming", 4), ("electrical-wiring", 3), ("mechatronics-debugging", 3), ("sensor-technology", 2)],
        &["1x-plc", "electrician-low-voltage"],
        "441900",
        &["4419", "4403"],
        'a',
    ),
    (
        "郑浩然",
        &[("industrial-robot-operation", 4), ("industrial-robot-programming", 3), ("plc-programming", 2)],
        &["1x-industrial-robot"],
        "440305",
        &["44"],
        'a',
    ),
    (
        "周雨桐",
        &[("java", 4), ("sql", 3), ("web-frontend", 3), ("javascript", 3)],
        &["1x-web-frontend", "cet4"],
        "440304",
        &["4403"],
        'a',
    ),
    (
        "孙嘉豪",
        &[("python", 4), ("data-analysis", 4), ("sql", 3), ("excel", 4)],
        &["1x-big-data", "ncre-2"],
        "440106",
        &["4401", "4403"],
        'n',
    ),
    (
        "马思琪",
        &[("ecommerce-operations", 4), ("live-streaming", 4), ("short-video-marketing", 3), ("copywriting", 3)],
        &["1x-live-commerce"],
        "440303",
        &["4403"],
        'a',
    ),
    (
        "朱俊杰",
        &[("online-customer-service", 4), ("customer-service", 4), ("product-listing", 3), ("excel", 2)],
        &["1x-online-store"],
        "440113",
        &["4401"],
        'a',
    ),
    (
        "胡欣怡",
        &[("warehousing", 4), ("forklift", 3), ("logistics-planning", 2), ("excel", 3)],
        &["forklift-n1", "1x-logistics"],
        "440112",
        &["4401"],
        'a',
    ),
    (
        "何子轩",
        &[("cnc-turning", 2), ("cnc-milling", 2), ("quality-inspection", 4), ("precision-measurement", 4)],
        &[],
        "440307",
        &["4403"],
        '-',
    ),
    (
        "高雅婷",
        &[("cross-border-ecommerce", 4), ("business-english", 4), ("foreign-trade-documents", 3)],
        &["1x-cross-border", "cet6"],
        "440113",
        &["4401", "4403"],
        'a',
    ),
];

/// (enterprise, title, occupation, roles: (title, occupation, share, skills (code, weight, level), certificates),
///  headcount, region, pay min, pay max (yuan), days ago published (None = draft), status)
type DemandSeed = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str, u32, &'static [(&'static str, u32, u8)], &'static [&'static str])],
    i64,
    &'static str,
    i64,
    i64,
    Option<i64>,
    DemandStatus,
);

const DEMANDS: &[DemandSeed] = {
    use DemandStatus as S;
    &[
        (
            "深圳创智精密机械有限公司",
            "数控操机员（兼质检）",
            "6-18-01-07",
            &[
                (
                    "数控车铣操作",
                    "6-18-01-07",
                    70,
                    &[
                        ("cnc-turning", 5, 3),
                        ("cnc-milling", 4, 3),
                        ("cnc-programming", 3, 3),
                        ("blueprint-reading", 3, 3),
                    ],
                    &["1x-cnc-turning-milling"],
                ),
                ("产品质检", "6-31-03-05", 30, &[("quality-inspection", 5, 3), ("precision-measurement", 4, 3)], &[]),
            ],
            4,
            "440306",
            6_500,
            9_000,
            Some(10),
            S::Published,
        ),
        (
            "深圳创智精密机械有限公司",
            "焊接技术员",
            "6-18-02-04",
            &[(
                "焊工",
                "6-18-02-04",
                100,
                &[("welding", 5, 3), ("tig-welding", 4, 3), ("blueprint-reading", 2, 2), ("safety-production", 2, 2)],
                &["welder-special"],
            )],
            2,
            "440306",
            7_000,
            10_000,
            Some(40),
            S::Published,
        ),
        (
            "深圳创智精密机械有限公司",
            "设备维护电工",
            "6-31-01-03",
            &[(
                "设备电工",
                "6-31-01-03",
                100,
                &[("electrical-wiring", 5, 3), ("plc-programming", 3, 2), ("equipment-maintenance", 4, 3)],
                &["electrician-low-voltage"],
            )],
            1,
            "440306",
            6_000,
            8_000,
            None,
            S::Draft,
        ),
        (
            "南山智造机器人科技有限公司",
            "工业机器人运维工程师",
            "6-31-01-10",
            &[
                (
                    "机器人运维",
                    "6-31-01-10",
                    60,
                    &[
                        ("industrial-robot-operation", 5, 4),
                        ("industrial-robot-programming", 5, 3),
                        ("plc-programming", 3, 3),
                    ],
                    &["1x-industrial-robot"],
                ),
                ("电气调试", "6-31-01-03", 40, &[("electrical-wiring", 4, 3), ("mechatronics-debugging", 4, 3)], &[]),
            ],
            5,
            "440305",
            8_000,
            12_000,
            Some(20),
            S::Published,
        ),
        (
            "东莞华联电子制造有限公司",
            "PLC电气调试员",
            "6-31-01-03",
            &[(
                "电气调试",
                "6-31-01-03",
                100,
                &[("plc-programming", 5, 3), ("electrical-wiring", 4, 3), ("sensor-technology", 2, 2)],
                &["electrician-low-voltage"],
            )],
            6,
            "441900",
            6_000,
            8_500,
            Some(100),
            S::Published,
        ),
        (
            "深圳云帆软件有限公司",
            "Java开发工程师",
            "4-04-05-01",
            &[(
                "后端开发",
                "4-04-05-01",
                100,
                &[("java", 5, 3), ("sql", 4, 3), ("linux-admin", 2, 2), ("javascript", 2, 2)],
                &[],
            )],
            3,
            "440305",
            9_000,
            14_000,
            Some(30),
            S::Published,
        ),
        (
            "福田数联信息技术有限公司",
            "数据分析专员（兼运营）",
            "2-02-30-09",
            &[
                (
                    "数据分析",
                    "2-02-30-09",
                    60,
                    &[("data-analysis", 5, 3), ("python", 3, 3), ("sql", 3, 3), ("excel", 2, 3)],
                    &[],
                ),
                ("新媒体运营", "4-13-01-05", 40, &[("new-media-operations", 4, 3), ("copywriting", 3, 3)], &[]),
            ],
            2,
            "440304",
            7_000,
            10_000,
            Some(200),
            S::Published,
        ),
        (
            "罗湖优选电商有限公司",
            "抖音直播运营",
            "4-01-06-02",
            &[
                (
                    "直播运营",
                    "4-01-06-02",
                    70,
                    &[("live-streaming", 5, 3), ("short-video-marketing", 4, 3), ("ecommerce-operations", 3, 3)],
                    &["1x-live-commerce"],
                ),
                ("网店客服", "4-04-05-03", 30, &[("online-customer-service", 4, 3), ("customer-service", 3, 3)], &[]),
            ],
            3,
            "440303",
            6_000,
            12_000,
            Some(15),
            S::Published,
        ),
        (
            "番禺跨境贸易有限公司",
            "跨境电商运营专员",
            "4-01-06-01",
            &[(
                "跨境运营",
                "4-01-06-01",
                100,
                &[("cross-border-ecommerce", 5, 3), ("business-english", 4, 3), ("foreign-trade-documents", 3, 2)],
                &["1x-cross-border"],
            )],
            2,
            "440113",
            6_500,
            9_500,
            Some(60),
            S::Filled,
        ),
        (
            "黄埔港湾物流有限公司",
            "仓储主管助理",
            "4-02-06-01",
            &[(
                "仓储管理",
                "4-02-06-01",
                100,
                &[("warehousing", 5, 3), ("forklift", 3, 2), ("excel", 3, 3), ("logistics-planning", 2, 2)],
                &["forklift-n1"],
            )],
            4,
            "440112",
            5_500,
            7_500,
            Some(130),
            S::Published,
        ),
        (
            "禅城陶瓷新材料有限公司",
            "窑炉设备技术员",
            "6-31-01-10",
            &[(
                "设备维护",
                "6-31-01-03",
                100,
                &[("equipment-maintenance", 5, 3), ("electrical-wiring", 3, 2), ("safety-production", 3, 3)],
                &[],
            )],
            2,
            "440604",
            5_500,
            7_000,
            Some(300),
            S::Closed,
        ),
        (
            "香洲海鲜酒家有限公司",
            "厨师（粤菜）",
            "4-03-02-01",
            &[("厨师", "4-03-02-01", 100, &[("cooking", 5, 3), ("food-safety", 3, 3)], &["health-certificate"])],
            2,
            "440402",
            5_000,
            8_000,
            Some(120),
            S::Published,
        ),
    ]
};

impl App {
    /// Seeds the talent market demo (called by `seed_demo` after the base data).
    pub(crate) async fn seed_talent_demo(&self, hash: &str) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let t = now();
        let today = Date::shanghai_of(Timestamp(t));
        let orgs = tx
            .list_orgs(&OrgFilter::default(), xiaoqi_domain::page::PageRequest { limit: 100, offset: 0 })
            .await?
            .items;
        let id_of = |name: &str| orgs.iter().find(|o| o.profile.name == name).map(|o| o.id);
        let colleges: Vec<OrgId> = orgs.iter().filter(|o| o.profile.kind == OrgKind::College).map(|o| o.id).collect();
        let pcvc = id_of("鹏城职业技术学院").ok_or_else(|| AppError::Internal("no college seeded".into()))?;
        let chuangzhi =
            id_of("深圳创智精密机械有限公司").ok_or_else(|| AppError::Internal("no enterprise seeded".into()))?;

        for c in &colleges {
            for m in tx.list_majors(*c).await? {
                if let Some((_, skills, certs, grads)) = TEACHING.iter().find(|x| x.0 == m.name) {
                    let supply = MajorSupply {
                        skills: skills.iter().map(|(s, l)| SkillLevel { skill: (*s).into(), level: *l }).collect(),
                        certificates: certs.iter().map(|c| (*c).to_string()).collect(),
                        yearly_graduates: *grads,
                        description: format!("{}专业，面向大湾区中小企业培养复合型技术技能人才。", m.name),
                    };
                    tx.update_major_supply(m.id, &supply).await?;
                }
            }
        }

        let majors = tx.list_majors(pcvc).await?;
        let major_for = |skills: &[(&str, u8)]| {
            majors
                .iter()
                .max_by_key(|m| m.supply.skills.iter().filter(|s| skills.iter().any(|(k, _)| *k == s.skill)).count())
                .map(|m| m.id)
        };
        // The demo student first, then the others.
        let demo_student = tx
            .find_account_by_email("student@pcvc.demo")
            .await?
            .ok_or_else(|| AppError::Internal("no demo student".into()))?
            .id;
        let mut people = vec![(
            demo_student,
            (
                "李同学",
                &[("cnc-turning", 3u8), ("cnc-milling", 3), ("blueprint-reading", 3), ("cad-drawing", 3)][..],
                &["1x-cnc-turning-milling"][..],
                "440305",
                &["4403"][..],
                'a',
            ),
        )];
        for (i, s) in STUDENTS.iter().enumerate() {
            let id = tx
                .create_account(&NewAccount {
                    email: Some(format!("s{:02}@pcvc.demo", i + 1)),
                    mobile: None,
                    display_name: s.0.into(),
                    password_hash: hash.to_string(),
                    must_change_password: false,
                    created_at: t,
                })
                .await?;
            tx.grant_role(id, pcvc, Role::Student).await?;
            tx.create_student(&StudentRecord {
                account_id: id,
                org_id: pcvc,
                student_no: format!("20240102{:02}", i + 1),
                class_id: None,
            })
            .await?;
            people.push((id, *s));
        }
        for (id, (_, skills, certs, region, preferred, consent)) in people {
            let content = ProfileContent {
                major_id: major_for(skills),
                skills: skills.iter().map(|(s, l)| SkillLevel { skill: (*s).into(), level: *l }).collect(),
                certificates: certs.iter().map(|c| (*c).to_string()).collect(),
                grade_avg: Some(75 + (id % 20)),
                graduation_year: Some(2027),
                region_code: Some(region.into()),
                preferred_regions: preferred.iter().map(|r| (*r).to_string()).collect(),
                preferred_occupations: vec![],
                intro: String::new(),
            };
            tx.upsert_student_profile(id, pcvc, &content, t).await?;
            match consent {
                'a' => {
                    tx.grant_consent(id, ConsentScope::Alliance, None, t).await?;
                }
                'n' => {
                    tx.grant_consent(id, ConsentScope::Organisation, Some(chuangzhi), t).await?;
                }
                _ => {}
            }
        }

        for (org, title, occ, roles, heads, region, lo, hi, ago, status) in DEMANDS {
            let Some(org) = id_of(org) else { continue };
            let hr = tx.list_members(org, xiaoqi_domain::page::PageRequest { limit: 1, offset: 0 }).await?.items;
            let Some(by) = hr.first().map(|m| m.account.id) else { continue };
            let expired = *status == DemandStatus::Published && ago.is_some_and(|a| a > 90);
            let content = DemandContent {
                title: (*title).into(),
                occupation_code: Some((*occ).into()),
                roles: roles
                    .iter()
                    .map(|(rt, ro, share, skills, certs)| DemandRole {
                        title: (*rt).into(),
                        occupation_code: Some((*ro).into()),
                        share: *share,
                        skills: skills
                            .iter()
                            .map(|(s, w, l)| SkillReq { skill: (*s).into(), weight: *w, min_level: *l })
                            .collect(),
                        certificates: certs.iter().map(|c| (*c).to_string()).collect(),
                    })
                    .collect(),
                headcount: *heads,
                region_code: Some((*region).into()),
                pay_min_fen: Some(lo * 100),
                pay_max_fen: Some(hi * 100),
                start_date: Some(today.0 + 30),
                // Demands published long ago closed after 60 days, so they show as expired.
                valid_until: if expired { today.0 - ago.unwrap_or(0) + 60 } else { today.0 + 60 },
                education: Education::Associate,
                description: "五险一金，包住宿，提供师傅带教。".into(),
            };
            let at = t - ago.unwrap_or(0) * DAY_MS;
            let id = tx.create_demand(org, &content, by, at).await?;
            if ago.is_some() {
                tx.set_demand_status(id, DemandStatus::Published, at).await?;
                if *status != DemandStatus::Published {
                    tx.set_demand_status(id, *status, t).await?;
                }
            }
        }
        tx.commit().await?;
        self.rebuild_search_index().await?;
        Ok(())
    }
}
