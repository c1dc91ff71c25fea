//! Talent demands (岗位需求): enterprises write them, the alliance sees the published ones.

use serde::{Deserialize, Serialize};
use xiaoqi_domain::error::{optional_text, required_text};
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::org::OrgKind;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::talent::{
    DemandAction, DemandStatus, Education, MAX_ROLES, check_headcount, check_pay_range, check_share,
};
use xiaoqi_domain::time::Date;
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::prelude::*;
use xiaoqi_store::{DemandContent, DemandFilter, DemandRecord, DemandRole, OrgId, SkillReq};

use super::vocab;
use crate::audit::{Change, record};
use crate::authz::recruits_for;
use crate::error::{AppError, AppResult};
use crate::{App, Principal};

/// One post of a demand as entered.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleInput {
    /// The post's title; defaults to the demand's title.
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub occupation_code: Option<String>,
    /// 1–100, the post's share of the job; defaults to an equal share.
    #[serde(default)]
    pub share: Option<i64>,
    /// Required skills; codes from `GET /api/v1/skills` (names are accepted too).
    #[serde(default)]
    pub skills: Vec<SkillReq>,
    /// Required skills as typed lines `技能 [权重] [等级]` (pages); used when `skills` is empty.
    #[serde(default)]
    pub skills_text: Option<String>,
    /// Certificate codes or names.
    #[serde(default)]
    pub certificates: Vec<String>,
}

/// A demand as entered by an enterprise.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DemandInput {
    pub title: String,
    /// CSCO 2022 code (use `GET /api/v1/occupations/suggest?title=…`); needed to publish.
    #[serde(default)]
    pub occupation_code: Option<String>,
    /// One to three posts; a compound hire has several.
    pub roles: Vec<RoleInput>,
    pub headcount: i64,
    #[serde(default)]
    pub region_code: Option<String>,
    /// Monthly pay in yuan, e.g. `"6500"` or `"6500.50"`.
    #[serde(default)]
    pub pay_min: Option<String>,
    #[serde(default)]
    pub pay_max: Option<String>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub start_date: Option<String>,
    /// The last day the demand is open, `YYYY-MM-DD`.
    pub valid_until: String,
    /// `any`, `secondary`, `associate`, `bachelor`, `master`.
    #[serde(default)]
    pub education: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// A demand as shown: the record with its status as of today and display names.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DemandView {
    #[serde(flatten)]
    pub record: DemandRecord,
    /// The status today (a lapsed published demand is `expired`).
    #[schema(value_type = String)]
    pub effective_status: DemandStatus,
    pub occupation_name: Option<String>,
    pub region_name: Option<String>,
    /// Whether the viewer may edit it and move it along its lifecycle.
    pub editable: bool,
    /// Whether the viewer sees the students matched to it (`match_students`).
    pub may_match_students: bool,
}

fn pay(field: &str, v: Option<&str>) -> Result<Option<Fen>, FieldError> {
    match v.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => Fen::parse_yuan(field, s).map(Some),
    }
}

/// Validates the shape of a demand (what needs no database), all errors at once.
pub fn validate_demand(input: &DemandInput) -> Result<DemandContent, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let title = e.check(required_text("title", &input.title, 100));
    let occupation_code = e.check(optional_text("occupation_code", input.occupation_code.as_deref(), 12)).flatten();
    if let Some(c) = &occupation_code {
        e.check(crate::refdata::check_occupation_code("occupation_code", c));
    }
    let headcount = e.check(check_headcount(input.headcount));
    let region_code = e.check(optional_text("region_code", input.region_code.as_deref(), 12)).flatten();
    let pay_min = e.check(pay("pay_min", input.pay_min.as_deref())).flatten();
    let pay_max = e.check(pay("pay_max", input.pay_max.as_deref())).flatten();
    e.check(check_pay_range(pay_min, pay_max));
    let start_date = match input.start_date.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => e.check(Date::parse("start_date", s)),
    };
    let valid_until = e.check(Date::parse("valid_until", &input.valid_until));
    let education = match input.education.as_deref().map(str::trim) {
        None | Some("") => Some(Education::Any),
        Some(s) => e.check(Education::parse(s).ok_or_else(|| {
            FieldError::new("education", "education_unknown", "未知的学历要求", "unknown education level")
        })),
    };
    let description = e.check(optional_text("description", input.description.as_deref(), 4000)).flatten();

    let roles = input.roles.iter().filter(|r| !role_is_blank(r)).collect::<Vec<_>>();
    if roles.is_empty() {
        e.push(FieldError::new(
            "roles",
            "roles_required",
            "至少填写一个岗位及其技能要求",
            "add at least one post with its skills",
        ));
    } else if roles.len() > MAX_ROLES {
        e.push(FieldError::new(
            "roles",
            "too_many_roles",
            format!("一个复合岗位最多包含 {MAX_ROLES} 个岗位"),
            format!("a compound demand covers at most {MAX_ROLES} posts"),
        ));
    }
    let equal_share = u32::try_from(100 / roles.len().clamp(1, MAX_ROLES)).unwrap_or(100);
    let mut out_roles = Vec::new();
    for (i, r) in roles.iter().enumerate().take(MAX_ROLES) {
        let at = |f: &str| format!("roles[{i}].{f}");
        let rtitle = e.check(optional_text(&at("title"), r.title.as_deref(), 60)).flatten();
        let occ = e.check(optional_text(&at("occupation_code"), r.occupation_code.as_deref(), 12)).flatten();
        if let Some(c) = &occ {
            e.check(crate::refdata::check_occupation_code(&at("occupation_code"), c));
        }
        let share = match r.share {
            None => Some(equal_share),
            Some(s) => e.check(check_share(&at("share"), s)),
        };
        let skills = e.check(vocab::skill_reqs_input(&at("skills"), &r.skills, r.skills_text.as_deref()));
        if skills.as_ref().is_some_and(Vec::is_empty) {
            e.push(FieldError::new(
                at("skills"),
                "skills_required",
                "每个岗位至少需要一项技能",
                "each post needs at least one skill",
            ));
        }
        let certificates = e.check(vocab::certificate_codes(&at("certificates"), &r.certificates));
        if let (Some(share), Some(skills), Some(certificates)) = (share, skills, certificates) {
            out_roles.push(DemandRole {
                title: rtitle.or_else(|| title.clone()).unwrap_or_default(),
                occupation_code: occ,
                share,
                skills,
                certificates,
            });
        }
    }
    e.into_result()?;
    let (Some(title), Some(headcount), Some(valid_until), Some(education)) = (title, headcount, valid_until, education)
    else {
        return Err(FieldError::new("input", "internal", "输入不完整", "incomplete input").into());
    };
    Ok(DemandContent {
        title,
        occupation_code: occupation_code.or_else(|| out_roles.first().and_then(|r| r.occupation_code.clone())),
        roles: out_roles,
        headcount,
        region_code,
        pay_min_fen: pay_min.map(|f| f.0),
        pay_max_fen: pay_max.map(|f| f.0),
        start_date: start_date.map(|d| d.0),
        valid_until: valid_until.0,
        education,
        description: description.unwrap_or_default(),
    })
}

fn role_is_blank(r: &RoleInput) -> bool {
    r.skills.is_empty()
        && r.skills_text.as_deref().is_none_or(|s| s.trim().is_empty())
        && r.title.as_deref().is_none_or(|s| s.trim().is_empty())
        && r.occupation_code.as_deref().is_none_or(|s| s.trim().is_empty())
        && r.certificates.is_empty()
}

/// What publishing needs beyond a valid draft: a standard occupation and an open closing date.
fn check_publishable(c: &DemandContent, today: Date) -> AppResult<()> {
    let mut e = ValidationErrors::new();
    if c.occupation_code.is_none() {
        e.push(FieldError::new(
            "occupation_code",
            "occupation_required_to_publish",
            "发布前请选择标准职业（可采用系统建议）",
            "choose a standard occupation before publishing (a suggestion can be accepted)",
        ));
    }
    if Date(c.valid_until) < today {
        e.push(FieldError::new(
            "valid_until",
            "valid_until_past",
            "截止日期已过，请先修改截止日期",
            "the closing date has passed; move it first",
        ));
    }
    Ok(e.into_result()?)
}

/// Why a caller who may not write a demand is turned away: a draft of another organisation is
/// not found (its existence is private); anything the caller can see is forbidden.
fn refusal(p: &Principal, d: &DemandRecord) -> AppError {
    if p.may_read_private(d.org_id) || d.published_at.is_some() {
        AppError::Forbidden
    } else {
        AppError::NotFound("demand")
    }
}

impl App {
    pub(crate) async fn demand_view(
        &self,
        conn: &mut Box<dyn Conn>,
        p: &Principal,
        record: DemandRecord,
    ) -> AppResult<DemandView> {
        let occupation_name = match &record.content.occupation_code {
            Some(c) => conn.find_occupation(c).await?.map(|o| o.name),
            None => None,
        };
        let region_name = match &record.content.region_code {
            Some(c) => conn.find_region(c).await?.map(|r| r.full_name),
            None => None,
        };
        let effective_status = record.status.effective(Date(record.content.valid_until), self.today());
        let editable = recruits_for(p, record.org_id);
        let may_match_students = crate::authz::sees_matched_students(p, record.org_id);
        Ok(DemandView { record, effective_status, occupation_name, region_name, editable, may_match_students })
    }

    async fn check_demand_refs(&self, conn: &mut Box<dyn Conn>, c: &DemandContent) -> AppResult<()> {
        if let Some(code) = &c.occupation_code {
            vocab::check_occupation(conn, "occupation_code", code).await?;
        }
        for (i, r) in c.roles.iter().enumerate() {
            if let Some(code) = &r.occupation_code {
                vocab::check_occupation(conn, &format!("roles[{i}].occupation_code"), code).await?;
            }
        }
        if let Some(code) = &c.region_code {
            vocab::check_region(conn, "region_code", code).await?;
        }
        Ok(())
    }

    /// Creates a demand as a draft: administrators and HR of an enterprise.
    pub async fn create_demand(&self, p: &Principal, org: OrgId, input: &DemandInput) -> AppResult<DemandView> {
        // An administrator of an organisation that is not an enterprise is told why below.
        if !(recruits_for(p, org) || crate::authz::administers(p, org)) {
            return Err(AppError::Forbidden);
        }
        let content = validate_demand(input)?;
        let mut tx = self.store.begin().await?;
        let o = tx.find_org(org).await?.ok_or(AppError::NotFound("organization"))?;
        if o.profile.kind != OrgKind::Enterprise {
            return Err(AppError::state("只有企业可以发布岗位需求", "Only enterprises post talent demands"));
        }
        self.check_demand_refs(&mut tx, &content).await?;
        let id = tx.create_demand(org, &content, p.id(), self.now()).await?;
        let rec = tx.find_demand(id).await?.ok_or(AppError::NotFound("demand"))?;
        record(&mut tx, self.now(), p, Some(org), Change::created("demand.create", "demand", id, &rec)).await?;
        let view = self.demand_view(&mut tx, p, rec).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Creates a demand and publishes it at once ("save and publish"). A demand that could not be
    /// published (no standard occupation, a closing date already past) is refused with its field
    /// errors and nothing is written, rather than quietly saved as a draft.
    pub async fn create_and_publish_demand(
        &self,
        p: &Principal,
        org: OrgId,
        input: &DemandInput,
    ) -> AppResult<DemandView> {
        let content = validate_demand(input)?;
        check_publishable(&content, self.today())?;
        let draft = self.create_demand(p, org, input).await?;
        self.demand_action(p, draft.record.id, DemandAction::Publish).await
    }

    /// Edits a demand that is still a draft, published or expired.
    pub async fn update_demand(&self, p: &Principal, id: i64, input: &DemandInput) -> AppResult<DemandView> {
        let content = validate_demand(input)?;
        let mut tx = self.store.begin().await?;
        let before = tx.find_demand(id).await?.ok_or(AppError::NotFound("demand"))?;
        if !recruits_for(p, before.org_id) {
            return Err(refusal(p, &before));
        }
        let status = before.status.effective(Date(before.content.valid_until), self.today());
        if !status.editable() {
            return Err(AppError::state(
                format!("“{}”状态的需求不能再修改", status.label_zh()),
                format!("A demand that is {} can no longer be edited", status.label_en().to_lowercase()),
            ));
        }
        self.check_demand_refs(&mut tx, &content).await?;
        if before.status == DemandStatus::Published {
            check_publishable(&content, self.today())?;
        }
        tx.update_demand(id, &content, self.now()).await?;
        let after = tx.find_demand(id).await?.ok_or(AppError::NotFound("demand"))?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(after.org_id),
            Change::updated("demand.update", "demand", id, &before, &after),
        )
        .await?;
        self.index_demand(&mut tx, &after).await?;
        let view = self.demand_view(&mut tx, p, after).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// Publishes, marks filled or closes a demand.
    pub async fn demand_action(&self, p: &Principal, id: i64, action: DemandAction) -> AppResult<DemandView> {
        let mut tx = self.store.begin().await?;
        let before = tx.find_demand(id).await?.ok_or(AppError::NotFound("demand"))?;
        if !recruits_for(p, before.org_id) {
            return Err(refusal(p, &before));
        }
        let today = self.today();
        let from = before.status.effective(Date(before.content.valid_until), today);
        let to = from.apply(action).map_err(|e| AppError::state(e.zh, e.en))?;
        if to == DemandStatus::Published {
            self.require_admitted(&mut tx, before.org_id).await?;
            check_publishable(&before.content, today)?;
        }
        tx.set_demand_status(id, to, self.now()).await?;
        let after = tx.find_demand(id).await?.ok_or(AppError::NotFound("demand"))?;
        let change = Change::updated("demand.status", "demand", id, &before.status, &after.status);
        record(&mut tx, self.now(), p, Some(after.org_id), change).await?;
        self.index_demand(&mut tx, &after).await?;
        let view = self.demand_view(&mut tx, p, after).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// One demand: its organisation's members and alliance administrators see every state;
    /// others see it once it was published (drafts are not found).
    pub async fn get_demand(&self, p: &Principal, id: i64) -> AppResult<DemandView> {
        let mut conn = self.store.conn().await?;
        let rec = conn.find_demand(id).await?.ok_or(AppError::NotFound("demand"))?;
        if !p.may_read_private(rec.org_id) && (rec.status == DemandStatus::Draft || rec.published_at.is_none()) {
            return Err(AppError::NotFound("demand"));
        }
        self.demand_view(&mut conn, p, rec).await
    }

    /// Demands: an organisation's own (every state, for its members) or the alliance's open
    /// ones (published, not past their closing date, of member enterprises).
    pub async fn list_demands(
        &self,
        p: &Principal,
        org: Option<OrgId>,
        mut filter: DemandFilter,
        page: PageRequest,
    ) -> AppResult<Page<DemandView>> {
        match org {
            Some(o) if p.may_read_private(o) => filter.org = Some(o),
            other => {
                filter.org = other;
                filter.statuses = vec![DemandStatus::Published];
                filter.open_on = Some(self.today().0);
                filter.lapsed_before = None;
                filter.members_only = true;
            }
        }
        let mut conn = self.store.conn().await?;
        let page = conn.list_demands(&filter, page).await?;
        let mut items = Vec::with_capacity(page.items.len());
        for r in page.items {
            items.push(self.demand_view(&mut conn, p, r).await?);
        }
        Ok(Page { items, total: page.total, limit: page.limit, offset: page.offset })
    }

    /// Keeps the search index in step with a demand: indexed while published, removed otherwise.
    pub(crate) async fn index_demand(&self, conn: &mut Box<dyn Conn>, d: &DemandRecord) -> AppResult<()> {
        if d.status == DemandStatus::Published {
            let mut body = vec![d.content.title.clone(), d.org_name.clone(), d.content.description.clone()];
            for r in &d.content.roles {
                body.push(r.title.clone());
                for s in &r.skills {
                    body.push(vocab::skill_name(&s.skill, "zh"));
                    body.push(vocab::skill_name(&s.skill, "en"));
                }
                for c in &r.certificates {
                    body.push(vocab::certificate_name(c, "zh"));
                }
            }
            if let Some(code) = &d.content.occupation_code
                && let Some(o) = conn.find_occupation(code).await?
            {
                body.push(o.name);
            }
            let summary = format!("{} · {} 人", d.org_name, d.content.headcount);
            self.index_doc(
                conn,
                xiaoqi_store::SearchKind::Demand,
                d.id,
                Some(d.org_id),
                (&d.content.title, &summary, &body.join(" ")),
            )
            .await
        } else {
            self.unindex_doc(conn, xiaoqi_store::SearchKind::Demand, d.id).await
        }
    }
}

/// The filter of a demand list from the values a person or a client typed: an occupation code
/// prefix (`6-18`) and a region code prefix (`44`, `4403`), each at most 12 characters; the API
/// and the pages refuse the same values the same way.
pub fn demand_filter(occupation: Option<&str>, region: Option<&str>) -> Result<DemandFilter, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let occupation_prefix = e.check(optional_text("occupation", occupation, 12)).flatten();
    let region_prefix = e.check(optional_text("region", region, 12)).flatten();
    e.into_result()?;
    Ok(DemandFilter { occupation_prefix, region_prefix, ..Default::default() })
}
