//! The supply side: what majors teach, student profiles and the students' consents.

use serde::{Deserialize, Serialize};
use xiaoqi_domain::error::optional_text;
use xiaoqi_domain::org::{OrgKind, Role};
use xiaoqi_domain::service::Side;
use xiaoqi_domain::talent::ConsentScope;
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::{
    AccountId, ConsentRecord, MajorRecord, MajorSupply, OrgId, ProfileContent, SkillLevel, StoreError,
    StudentProfileRecord,
};

use super::vocab;
use crate::audit::{Change, record};
use crate::error::{AppError, AppResult};
use crate::notify::notify;
use crate::{App, Principal};

/// What a major teaches, as entered.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MajorSupplyInput {
    #[serde(default)]
    pub skills: Vec<SkillLevel>,
    /// Taught skills as typed lines `技能 [等级]` (pages); used when `skills` is empty.
    #[serde(default)]
    pub skills_text: Option<String>,
    #[serde(default)]
    pub certificates: Vec<String>,
    pub yearly_graduates: i64,
    #[serde(default)]
    pub description: Option<String>,
}

/// A student's profile as entered by the student.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    #[serde(default)]
    pub major_id: Option<i64>,
    #[serde(default)]
    pub skills: Vec<SkillLevel>,
    /// Skills as typed lines `技能 [等级]` (pages); used when `skills` is empty.
    #[serde(default)]
    pub skills_text: Option<String>,
    #[serde(default)]
    pub certificates: Vec<String>,
    /// Average grade, 0–100.
    #[serde(default)]
    pub grade_avg: Option<i64>,
    #[serde(default)]
    pub graduation_year: Option<i64>,
    #[serde(default)]
    pub region_code: Option<String>,
    /// Region codes where the student would like to work: a province or city as its 2- or
    /// 4-digit prefix ("44", "4403"), or a district's 6 digits — the form the profile returns.
    #[serde(default)]
    pub preferred_regions: Vec<String>,
    /// Occupation codes the student would like to work in.
    #[serde(default)]
    pub preferred_occupations: Vec<String>,
    #[serde(default)]
    pub intro: Option<String>,
}

/// A consent as asked for.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentInput {
    /// `alliance` (every member organisation) or `organisation` (one, named by `org_id`).
    pub scope: String,
    #[serde(default)]
    pub org_id: Option<OrgId>,
}

fn skills_from(field: &str, items: &[SkillLevel], text: Option<&str>) -> Result<Vec<SkillLevel>, FieldError> {
    if items.is_empty() {
        vocab::parse_skill_levels(field, text.unwrap_or(""))
    } else {
        vocab::check_skill_levels(field, items)
    }
}

/// The college whose student this person is (the first college where they hold the role).
fn student_college(p: &Principal) -> AppResult<OrgId> {
    p.grants
        .iter()
        .find(|g| g.role == Role::Student && g.org_kind == OrgKind::College)
        .map(|g| g.org_id)
        .ok_or(AppError::Forbidden)
}

pub use crate::authz::is_college_staff;

impl App {
    /// Sets what a major teaches: the college's administrators and programme leaders.
    pub async fn update_major_supply(
        &self,
        p: &Principal,
        major: i64,
        input: &MajorSupplyInput,
    ) -> AppResult<MajorRecord> {
        let mut e = ValidationErrors::new();
        let skills = e.check(skills_from("skills", &input.skills, input.skills_text.as_deref()));
        let certificates = e.check(vocab::certificate_codes("certificates", &input.certificates));
        if !(0..=100_000).contains(&input.yearly_graduates) {
            e.push(FieldError::new(
                "yearly_graduates",
                "yearly_graduates_range",
                "年毕业生人数应为 0 到 100000",
                "yearly graduates must be between 0 and 100,000",
            ));
        }
        let description = e.check(optional_text("description", input.description.as_deref(), 2000)).flatten();
        e.into_result()?;
        let (Some(skills), Some(certificates)) = (skills, certificates) else {
            return Err(AppError::Internal("validated input missing".into()));
        };
        let mut tx = self.store.begin().await?;
        let before = tx.find_major(major).await?.ok_or(AppError::NotFound("major"))?;
        if !crate::authz::manages_majors(p, before.org_id) {
            return Err(AppError::Forbidden);
        }
        let supply = MajorSupply {
            skills,
            certificates,
            yearly_graduates: input.yearly_graduates,
            description: description.unwrap_or_default(),
        };
        tx.update_major_supply(major, &supply).await?;
        let after = tx.find_major(major).await?.ok_or(AppError::NotFound("major"))?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(after.org_id),
            Change::updated("major.supply", "major", major, &before, &after),
        )
        .await?;
        self.index_major(&mut tx, &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// One major (public inside the platform, like the college's structure).
    pub async fn get_major(&self, p: &Principal, major: i64) -> AppResult<MajorRecord> {
        let m = self.store.conn().await?.find_major(major).await?.ok_or(AppError::NotFound("major"))?;
        self.get_org(p, m.org_id).await.map_err(|_| AppError::NotFound("major"))?;
        Ok(m)
    }

    /// The caller's own profile (None until written): students only.
    pub async fn my_profile(&self, p: &Principal) -> AppResult<Option<StudentProfileRecord>> {
        student_college(p)?;
        Ok(self.store.conn().await?.find_student_profile(p.id()).await?)
    }

    /// Writes the caller's own profile: students only.
    pub async fn save_my_profile(&self, p: &Principal, input: &ProfileInput) -> AppResult<StudentProfileRecord> {
        let college = student_college(p)?;
        let mut e = ValidationErrors::new();
        let skills = e.check(skills_from("skills", &input.skills, input.skills_text.as_deref()));
        let certificates = e.check(vocab::certificate_codes("certificates", &input.certificates));
        if input.grade_avg.is_some_and(|g| !(0..=100).contains(&g)) {
            e.push(FieldError::new(
                "grade_avg",
                "grade_range",
                "平均成绩应为 0 到 100",
                "the average grade must be between 0 and 100",
            ));
        }
        if input.graduation_year.is_some_and(|y| !(2000..=2100).contains(&y)) {
            e.push(FieldError::new(
                "graduation_year",
                "year_range",
                "毕业年份应在 2000 到 2100 之间",
                "the graduation year must be between 2000 and 2100",
            ));
        }
        let region_code = e.check(optional_text("region_code", input.region_code.as_deref(), 12)).flatten();
        for (field, list, max) in [
            ("preferred_regions", &input.preferred_regions, 10),
            ("preferred_occupations", &input.preferred_occupations, 10),
        ] {
            if list.len() > max {
                e.push(FieldError::new(field, "too_many", format!("最多 {max} 项"), format!("at most {max} entries")));
            }
        }
        let intro = e.check(optional_text("intro", input.intro.as_deref(), 2000)).flatten();
        e.into_result()?;
        let (Some(skills), Some(certificates)) = (skills, certificates) else {
            return Err(AppError::Internal("validated input missing".into()));
        };
        let mut tx = self.store.begin().await?;
        if let Some(m) = input.major_id {
            let major = tx.find_major(m).await?;
            if major.as_ref().is_none_or(|m| m.org_id != college) {
                return Err(FieldError::new(
                    "major_id",
                    "major_unknown",
                    "本校没有这个专业",
                    "no such major at your college",
                )
                .into());
            }
        }
        if let Some(c) = &region_code {
            vocab::check_region(&mut tx, "region_code", c).await?;
        }
        let mut preferred_regions = Vec::new();
        for (i, c) in input.preferred_regions.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).enumerate() {
            vocab::check_region_or_prefix(&mut tx, &format!("preferred_regions[{i}]"), c).await?;
            preferred_regions.push(c.to_string());
        }
        let mut preferred_occupations = Vec::new();
        for (i, c) in input.preferred_occupations.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).enumerate() {
            vocab::check_occupation(&mut tx, &format!("preferred_occupations[{i}]"), c).await?;
            preferred_occupations.push(c.to_string());
        }
        let content = ProfileContent {
            major_id: input.major_id,
            skills,
            certificates,
            grade_avg: input.grade_avg,
            graduation_year: input.graduation_year,
            region_code,
            preferred_regions,
            preferred_occupations,
            intro: intro.unwrap_or_default(),
        };
        let before = tx.find_student_profile(p.id()).await?;
        tx.upsert_student_profile(p.id(), college, &content, self.now()).await?;
        let after = tx.find_student_profile(p.id()).await?.ok_or(AppError::NotFound("profile"))?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(college),
            Change::updated("profile.save", "student_profile", p.id(), &before, &after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A student's profile as `p` may see it: the student, staff of the college, and members of
    /// an organisation the student consented to. Anyone else gets "not found", so that whether
    /// a profile exists is not revealed either.
    pub async fn get_profile(&self, p: &Principal, student: AccountId) -> AppResult<StudentProfileRecord> {
        let mut conn = self.store.conn().await?;
        let prof = conn.find_student_profile(student).await?.ok_or(AppError::NotFound("profile"))?;
        if p.id() == student || is_college_staff(p, prof.org_id) {
            return Ok(prof);
        }
        for (org, _, _) in p.orgs() {
            if conn.has_consent(student, org).await? {
                return Ok(prof);
            }
        }
        Err(AppError::NotFound("profile"))
    }

    /// The caller's consents, live and revoked.
    pub async fn my_consents(&self, p: &Principal) -> AppResult<Vec<ConsentRecord>> {
        student_college(p)?;
        Ok(self.store.conn().await?.list_consents(p.id()).await?)
    }

    /// Records the caller's consent to show the profile alliance-wide or to one organisation;
    /// the organisation's administrators are told.
    pub async fn grant_consent(&self, p: &Principal, input: &ConsentInput) -> AppResult<ConsentRecord> {
        let college = student_college(p)?;
        let scope = ConsentScope::parse(input.scope.trim()).ok_or_else(|| {
            FieldError::new(
                "scope",
                "consent_scope",
                "范围应为 alliance 或 organisation",
                "scope must be alliance or organisation",
            )
        })?;
        let grantee = match (scope, input.org_id) {
            (ConsentScope::Alliance, None) => None,
            (ConsentScope::Organisation, Some(o)) if o != college => Some(o),
            (ConsentScope::Organisation, Some(_)) => {
                return Err(FieldError::new(
                    "org_id",
                    "consent_own_college",
                    "本校本来就能看到你的档案",
                    "your college sees your profile already",
                )
                .into());
            }
            (ConsentScope::Organisation, None) => return Err(FieldError::required("org_id").into()),
            (ConsentScope::Alliance, Some(_)) => {
                return Err(FieldError::new(
                    "org_id",
                    "consent_scope",
                    "联盟范围的授权不指定单位",
                    "an alliance-wide consent names no organisation",
                )
                .into());
            }
        };
        let mut tx = self.store.begin().await?;
        if let Some(o) = grantee {
            let org = tx
                .find_org(o)
                .await?
                .ok_or_else(|| FieldError::new("org_id", "org_unknown", "没有这个单位", "no such organisation"))?;
            if org.profile.kind == OrgKind::Alliance {
                return Err(FieldError::new("org_id", "org_unknown", "没有这个单位", "no such organisation").into());
            }
        }
        let id = tx.grant_consent(p.id(), scope, grantee, self.now()).await.map_err(|e| match e {
            StoreError::Conflict { .. } => AppError::Conflict(FieldError::new(
                "scope",
                "consent_exists",
                "你已经给过这项授权",
                "you have given this consent already",
            )),
            other => other.into(),
        })?;
        let consent =
            tx.list_consents(p.id()).await?.into_iter().find(|c| c.id == id).ok_or(AppError::NotFound("consent"))?;
        record(&mut tx, self.now(), p, Some(college), Change::created("consent.grant", "consent", id, &consent))
            .await?;
        if let Some(o) = grantee {
            for m in tx.list_members(o, xiaoqi_domain::page::PageRequest { limit: 100, offset: 0 }).await?.items {
                if m.roles.iter().any(|r| Side::Enterprise.acting_roles().contains(r)) {
                    let name = &p.account.display_name;
                    notify(
                        &mut tx,
                        self.now(),
                        m.account.id,
                        "consent.granted",
                        format!("学生{name}向贵单位开放了个人档案"),
                        format!("Student {name} shared their profile with your organisation"),
                        Some(format!("/students/{}", p.id())),
                    )
                    .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(consent)
    }

    /// Revokes one of the caller's live consents; from then on the profile is hidden from it.
    pub async fn revoke_consent(&self, p: &Principal, id: i64) -> AppResult<()> {
        let college = student_college(p)?;
        let mut tx = self.store.begin().await?;
        if !tx.revoke_consent(id, p.id(), self.now()).await? {
            return Err(AppError::NotFound("consent"));
        }
        record(&mut tx, self.now(), p, Some(college), Change::event("consent.revoke", "consent", id)).await?;
        tx.commit().await?;
        Ok(())
    }
}
