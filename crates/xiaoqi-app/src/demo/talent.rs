//! The talent market's demo: what the demo majors teach, students with profiles and consents,
//! and demands in every state, so that a visitor sees matches and insight at once (the data is
//! in `talent_data.rs`).

use xiaoqi_domain::org::{OrgKind, Role};
use xiaoqi_domain::talent::{ConsentScope, DemandStatus, Education};
use xiaoqi_domain::time::{Date, Timestamp};
use xiaoqi_store::{
    DemandContent, DemandRole, MajorSupply, NewAccount, OrgFilter, OrgId, ProfileContent, SkillLevel, SkillReq,
    StudentRecord,
};

use super::DAY;
use super::talent_data::{DEMANDS, STUDENTS, TEACHING};
use crate::App;
use crate::error::{AppError, AppResult};

impl App {
    /// Seeds the talent market demo (called by `seed_demo` after the base data).
    pub(super) async fn seed_talent_demo(&self, hash: &str) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let t = self.now();
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
            let at = t - ago.unwrap_or(0) * DAY;
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
