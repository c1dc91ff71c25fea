//! Matching through `xiaoqi-match`: students for a demand (only those who consented), majors
//! and colleges for a demand, demands for a student; each with an explanation in names.

use serde::Serialize;
use xiaoqi_domain::org::OrgKind;
use xiaoqi_domain::page::PageRequest;
use xiaoqi_domain::talent::DemandStatus;
use xiaoqi_match as m;
use xiaoqi_store::prelude::*;
use xiaoqi_store::{
    AccountId, DemandFilter, DemandRecord, MajorRecord, OrgId, SkillLevel, SkillReq, StudentProfileRecord,
};

use super::demand::DemandView;
use super::supply::is_college_staff;
use super::vocab;
use crate::error::{AppError, AppResult};
use crate::{App, Principal};

/// Most results one ranking returns.
pub const MAX_RESULTS: usize = 100;

/// A skill the candidate holds below the level asked for.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PartialSkillView {
    pub skill: String,
    pub name: String,
    pub have: u8,
    pub need: u8,
}

/// A skill by code and display name.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NamedCode {
    pub code: String,
    pub name: String,
}

/// How a candidate covers one post of the demand.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoleFit {
    pub title: String,
    pub matched: Vec<NamedCode>,
    pub partial: Vec<PartialSkillView>,
    pub missing: Vec<NamedCode>,
    /// 0–1.
    pub coverage: f32,
}

/// Why a candidate scores what it does.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExplanationView {
    pub roles: Vec<RoleFit>,
    pub skill_score: f32,
    pub certificates_held: Vec<NamedCode>,
    pub certificates_missing: Vec<NamedCode>,
    /// `same_city`, `preferred`, `same_province`, `other` or `unknown`.
    pub region: String,
    pub score: f32,
}

/// A student ranked for a demand.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StudentMatch {
    pub account_id: AccountId,
    pub display_name: String,
    pub college_id: OrgId,
    pub college_name: String,
    pub major_name: Option<String>,
    pub score: f32,
    pub explanation: ExplanationView,
}

/// A major ranked for a demand.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MajorMatch {
    pub major_id: i64,
    pub major_name: String,
    pub college_id: OrgId,
    pub college_name: String,
    pub yearly_graduates: i64,
    pub score: f32,
    pub explanation: ExplanationView,
}

/// A college ranked for a demand, by its best majors.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CollegeMatch {
    pub college_id: OrgId,
    pub college_name: String,
    pub score: f32,
    pub majors: Vec<MajorMatch>,
}

/// A demand ranked for a student.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DemandMatch {
    pub demand: DemandView,
    pub score: f32,
    pub explanation: ExplanationView,
}

/// Dense ids for the engine, from the vocabularies' positions.
fn skill_id(code: &str) -> Option<m::SkillId> {
    xiaoqi_refdata::skills().ok()?.index_of(code).and_then(|i| u32::try_from(i).ok()).map(m::SkillId)
}

fn cert_id(code: &str) -> Option<m::CertId> {
    xiaoqi_refdata::certificates().ok()?.index_of(code).and_then(|i| u32::try_from(i).ok()).map(m::CertId)
}

fn skill_code(id: m::SkillId) -> String {
    xiaoqi_refdata::skills()
        .ok()
        .and_then(|v| v.entries().get(id.0 as usize))
        .map(|e| e.code.clone())
        .unwrap_or_default()
}

fn cert_code(id: m::CertId) -> String {
    xiaoqi_refdata::certificates()
        .ok()
        .and_then(|v| v.entries().get(id.0 as usize))
        .map(|e| e.code.clone())
        .unwrap_or_default()
}

/// A region code as the engine's number: a district as is, a city `4403` as `440300`, a
/// province `44` as `440000`; anything else is unknown.
fn region(code: Option<&str>) -> m::Region {
    let Some(c) = code.map(str::trim) else { return m::Region::UNKNOWN };
    let padded = match c.len() {
        2 => format!("{c}0000"),
        4 => format!("{c}00"),
        6 => c.to_string(),
        _ => return m::Region::UNKNOWN,
    };
    padded.parse().map(m::Region).unwrap_or(m::Region::UNKNOWN)
}

fn levels(items: &[SkillLevel]) -> Vec<(m::SkillId, u8)> {
    items.iter().filter_map(|s| skill_id(&s.skill).map(|id| (id, s.level))).collect()
}

fn to_role(share: u32, skills: &[SkillReq], certificates: &[String]) -> m::Role {
    m::Role {
        share,
        skills: skills
            .iter()
            .filter_map(|s| {
                skill_id(&s.skill).map(|id| m::SkillReq { skill: id, weight: s.weight, min_level: s.min_level })
            })
            .collect(),
        certificates: certificates.iter().filter_map(|c| cert_id(c)).collect(),
    }
}

fn to_demand(d: &DemandRecord) -> m::Demand {
    m::Demand {
        roles: d.content.roles.iter().map(|r| to_role(r.share, &r.skills, &r.certificates)).collect(),
        region: region(d.content.region_code.as_deref()),
        region_matters: d.content.region_code.is_some(),
    }
}

/// The platform's order of applicants for a post needing `skills` in `region_code` (a practice
/// place): by the matching score of a one-post demand, best first; ties, students without a
/// profile and students with no fit keep the order given (application order). Each with its
/// score, 0 when unscored. No skills: the order given.
pub fn rank_applicants(
    skills: &[SkillReq],
    region_code: Option<&str>,
    applicants: &[(AccountId, Option<StudentProfileRecord>)],
) -> Vec<(AccountId, f32)> {
    let demand = m::Demand {
        roles: vec![to_role(100, skills, &[])],
        region: region(region_code),
        region_matters: region_code.is_some(),
    };
    let with_profile: Vec<(AccountId, m::Profile)> =
        applicants.iter().filter_map(|(id, p)| p.as_ref().map(|p| (*id, to_profile(p)))).collect();
    let mut out: Vec<(AccountId, f32)> = Vec::with_capacity(applicants.len());
    if !demand.roles[0].skills.is_empty()
        && let Ok(set) = m::ProfileSet::from_profiles(with_profile.iter().map(|(_, p)| p))
    {
        for r in m::rank_students(&demand, &set, with_profile.len()) {
            if let Some((id, _)) = with_profile.get(r.index as usize) {
                out.push((*id, r.score));
            }
        }
    }
    let scored: std::collections::BTreeSet<AccountId> = out.iter().map(|(id, _)| *id).collect();
    out.extend(applicants.iter().filter(|(id, _)| !scored.contains(id)).map(|(id, _)| (*id, 0.0)));
    out
}

fn to_profile(p: &StudentProfileRecord) -> m::Profile {
    m::Profile {
        skills: levels(&p.content.skills),
        certificates: p.content.certificates.iter().filter_map(|c| cert_id(c)).collect(),
        region: region(p.content.region_code.as_deref()),
        preferred_regions: p.content.preferred_regions.iter().map(|c| region(Some(c))).collect(),
    }
}

fn to_major(mj: &MajorRecord, college_region: Option<&str>) -> m::Major {
    m::Major {
        skills: levels(&mj.supply.skills),
        certificates: mj.supply.certificates.iter().filter_map(|c| cert_id(c)).collect(),
        graduates: u32::try_from(mj.supply.yearly_graduates).unwrap_or(0),
        college: u32::try_from(mj.org_id).unwrap_or(0),
        region: region(college_region),
    }
}

fn named(code: String, lang: &str, cert: bool) -> NamedCode {
    let name = if cert { vocab::certificate_name(&code, lang) } else { vocab::skill_name(&code, lang) };
    NamedCode { code, name }
}

fn explanation_view(d: &DemandRecord, e: &m::Explanation, lang: &str) -> ExplanationView {
    ExplanationView {
        roles: e
            .roles
            .iter()
            .map(|r| RoleFit {
                title: d.content.roles.get(r.role).map(|x| x.title.clone()).unwrap_or_default(),
                matched: r.matched.iter().map(|s| named(skill_code(*s), lang, false)).collect(),
                partial: r
                    .partial
                    .iter()
                    .map(|p| {
                        let code = skill_code(p.skill);
                        PartialSkillView {
                            name: vocab::skill_name(&code, lang),
                            skill: code,
                            have: p.have,
                            need: p.need,
                        }
                    })
                    .collect(),
                missing: r.missing.iter().map(|s| named(skill_code(*s), lang, false)).collect(),
                coverage: r.coverage,
            })
            .collect(),
        skill_score: e.skill_score,
        certificates_held: e.certificates_held.iter().map(|c| named(cert_code(*c), lang, true)).collect(),
        certificates_missing: e.certificates_missing.iter().map(|c| named(cert_code(*c), lang, true)).collect(),
        region: match e.region {
            m::RegionRelation::SameCity => "same_city",
            m::RegionRelation::Preferred => "preferred",
            m::RegionRelation::SameProvince => "same_province",
            m::RegionRelation::Other => "other",
            m::RegionRelation::Unknown => "unknown",
        }
        .to_string(),
        score: e.score,
    }
}

impl App {
    /// Students for a demand, best first. Only students who consented to the demand's
    /// enterprise (alliance-wide or by name) are ever ranked. The enterprise's HR and
    /// administrators see all such students; a college's staff see their own such students
    /// (to recommend them). Everyone else is refused.
    pub async fn match_students(&self, p: &Principal, demand: i64, lang: &str) -> AppResult<Vec<StudentMatch>> {
        let d = self.get_demand(p, demand).await?;
        let rec = d.record;
        let enterprise_side = crate::authz::recruits_for(p, rec.org_id);
        let colleges: Vec<OrgId> = p
            .orgs()
            .into_iter()
            .filter(|(o, _, k)| *k == OrgKind::College && is_college_staff(p, *o))
            .map(|(o, _, _)| o)
            .collect();
        if !crate::authz::sees_matched_students(p, rec.org_id) {
            return Err(AppError::Forbidden);
        }
        let mut conn = self.store.conn().await?;
        let mut profiles = Vec::new();
        if enterprise_side {
            profiles = conn.list_consented_profiles(rec.org_id, None).await?;
        } else {
            for c in colleges {
                profiles.extend(conn.list_consented_profiles(rec.org_id, Some(c)).await?);
            }
        }
        let engine_demand = to_demand(&rec);
        let engine_profiles: Vec<m::Profile> = profiles.iter().map(to_profile).collect();
        let set = m::ProfileSet::from_profiles(engine_profiles.iter()).map_err(AppError::internal)?;
        let ranked = m::rank_students(&engine_demand, &set, MAX_RESULTS);
        Ok(ranked
            .into_iter()
            .filter_map(|r| {
                let i = r.index as usize;
                let prof = profiles.get(i)?;
                let e = m::explain(&engine_demand, engine_profiles.get(i)?);
                Some(StudentMatch {
                    account_id: prof.account_id,
                    display_name: prof.display_name.clone(),
                    college_id: prof.org_id,
                    college_name: prof.org_name.clone(),
                    major_name: prof.major_name.clone(),
                    score: r.score,
                    explanation: explanation_view(&rec, &e, lang),
                })
            })
            .collect())
    }

    async fn member_majors(
        &self,
        conn: &mut Box<dyn Conn>,
    ) -> AppResult<(Vec<MajorRecord>, Vec<m::Major>, Vec<String>)> {
        let majors = conn.list_member_majors().await?;
        let mut engine = Vec::with_capacity(majors.len());
        let mut names = Vec::with_capacity(majors.len());
        let mut cache: std::collections::HashMap<OrgId, (Option<String>, String)> = Default::default();
        for mj in &majors {
            let (region_code, name) = match cache.get(&mj.org_id) {
                Some(e) => e.clone(),
                None => {
                    let o = conn.find_org(mj.org_id).await?;
                    let entry: (Option<String>, String) =
                        o.map(|o| (o.profile.region_code, o.profile.name)).unwrap_or_default();
                    cache.insert(mj.org_id, entry.clone());
                    entry
                }
            };
            engine.push(to_major(mj, region_code.as_deref()));
            names.push(name);
        }
        Ok((majors, engine, names))
    }

    /// Majors of member colleges for a demand, best first (anyone who may see the demand).
    pub async fn match_majors(&self, p: &Principal, demand: i64, lang: &str) -> AppResult<Vec<MajorMatch>> {
        let rec = self.get_demand(p, demand).await?.record;
        let mut conn = self.store.conn().await?;
        let (majors, engine, names) = self.member_majors(&mut conn).await?;
        let d = to_demand(&rec);
        Ok(m::rank_majors(&d, &engine, MAX_RESULTS)
            .into_iter()
            .filter_map(|r| major_match(&rec, &majors, &names, &r, lang))
            .collect())
    }

    /// Member colleges for a demand, by their best majors (anyone who may see the demand).
    pub async fn match_colleges(&self, p: &Principal, demand: i64, lang: &str) -> AppResult<Vec<CollegeMatch>> {
        let rec = self.get_demand(p, demand).await?.record;
        let mut conn = self.store.conn().await?;
        let (majors, engine, names) = self.member_majors(&mut conn).await?;
        let d = to_demand(&rec);
        Ok(m::rank_colleges(&d, &engine, MAX_RESULTS)
            .into_iter()
            .map(|c| {
                let list: Vec<MajorMatch> =
                    c.majors.iter().filter_map(|r| major_match(&rec, &majors, &names, r, lang)).collect();
                CollegeMatch {
                    college_id: i64::from(c.college),
                    college_name: list.first().map(|x| x.college_name.clone()).unwrap_or_default(),
                    score: c.score,
                    majors: list,
                }
            })
            .collect())
    }

    /// Open demands for the calling student, best first, by the student's own profile.
    pub async fn match_demands_for_me(&self, p: &Principal, lang: &str) -> AppResult<Vec<DemandMatch>> {
        let prof = self
            .my_profile(p)
            .await?
            .ok_or_else(|| AppError::state("请先填写个人档案中的技能", "Fill in the skills of your profile first"))?;
        let mut conn = self.store.conn().await?;
        let filter = DemandFilter {
            statuses: vec![DemandStatus::Published],
            open_on: Some(self.today().0),
            members_only: true,
            ..Default::default()
        };
        // The newest 2,000 open demands are ranked; the market never holds more at once.
        let demands = conn.list_demands(&filter, PageRequest { limit: 200, offset: 0 }).await?.items;
        let mut all = demands;
        let mut offset = all.len() as u64;
        while offset < 2_000 {
            let more = conn.list_demands(&filter, PageRequest { limit: 200, offset }).await?.items;
            if more.is_empty() {
                break;
            }
            offset += more.len() as u64;
            all.extend(more);
        }
        let engine: Vec<m::Demand> = all.iter().map(to_demand).collect();
        let me = to_profile(&prof);
        let mut out = Vec::new();
        for r in m::rank_demands(&me, &engine, MAX_RESULTS) {
            let Some(rec) = all.get(r.index) else { continue };
            let explanation = explanation_view(rec, &r.explanation, lang);
            let view = self.demand_view(&mut conn, p, rec.clone()).await?;
            out.push(DemandMatch { demand: view, score: r.score, explanation });
        }
        Ok(out)
    }
}

fn major_match(
    rec: &DemandRecord,
    majors: &[MajorRecord],
    names: &[String],
    r: &m::RankedMajor,
    lang: &str,
) -> Option<MajorMatch> {
    let mj = majors.get(r.index)?;
    Some(MajorMatch {
        major_id: mj.id,
        major_name: mj.name.clone(),
        college_id: mj.org_id,
        college_name: names.get(r.index).cloned().unwrap_or_default(),
        yearly_graduates: mj.supply.yearly_graduates,
        score: r.score,
        explanation: explanation_view(rec, &r.explanation, lang),
    })
}
