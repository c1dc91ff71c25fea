//! Government funding programmes (DESIGN.md §2.3): an agency (an organisation of kind
//! government, its administrators) publishes a programme; the project's enterprise or college
//! team applies with a request and the enterprise's own funding (its enterprise budget lines);
//! the agency awards, which adds a government budget line to the project in the same
//! transaction. The rules are `xiaoqi_domain::funding`.

use serde::{Deserialize, Serialize};
use xiaoqi_domain::error::required_text;
use xiaoqi_domain::funding::{self, Programme};
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::research::{self, FundingSource};
use xiaoqi_domain::service::Side;
use xiaoqi_domain::sharing::Share;
use xiaoqi_domain::sme::SizeClass;
use xiaoqi_domain::time::Date;
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::{
    NewApplication, NewBudgetLine, OrgId, ProgrammeApplicationRecord, ProgrammeFields, ProgrammeRecord, ProjectRecord,
    StoreError,
};

use super::{manages_teams, too_many, unknown, wrong_state};
use crate::audit::{Change, record};
use crate::authz::administers_agency;
use crate::error::{AppError, AppResult};
use crate::services::acts_for;
use crate::{App, Principal};

/// A programme as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeInput {
    /// The government agency publishing it.
    pub agency_id: OrgId,
    pub name: String,
    pub description: String,
    /// SME size classes that may apply (micro, small, medium, large); empty: any.
    pub eligible_sizes: Vec<String>,
    /// Enterprise funds per yuan awarded, in percent with at most two decimals (0–1000).
    pub matching_ratio: String,
    /// The most one award may be, in yuan.
    pub ceiling: String,
    /// YYYY-MM-DD, the last day to apply (Asia/Shanghai).
    pub deadline: String,
}

/// An application as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = FundingApplicationInput)]
pub struct ApplicationInput {
    pub project_id: i64,
    /// The amount requested, in yuan.
    pub requested: String,
}

/// An award as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AwardInput {
    /// The amount awarded, in yuan.
    pub amount: String,
}

/// A programme with the applications the caller may see.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProgrammeView {
    #[serde(flatten)]
    pub programme: ProgrammeRecord,
    pub applications: Vec<ProgrammeApplicationRecord>,
    /// Whether the caller awards for the agency.
    pub may_award: bool,
}

/// Parses a percentage with at most two decimals that may exceed 100 (a matching ratio).
fn ratio(field: &str, input: &str) -> Result<Share, FieldError> {
    let bad = || {
        FieldError::new(
            field,
            "share_format",
            format!("比例应为 0 到 1000 之间、最多两位小数的百分数：“{}”", input.trim()),
            format!("a ratio is a percentage from 0 to 1,000 with at most two decimals: \"{}\"", input.trim()),
        )
    };
    let hundredths = Fen::parse_yuan(field, input.trim().trim_end_matches('%')).map_err(|_| bad())?;
    let v = u32::try_from(hundredths.0).map_err(|_| bad())?;
    if Share(v) > funding::MAX_MATCHING {
        return Err(bad());
    }
    Ok(Share(v))
}

/// Validates a programme: every field at once, then the domain's own checks.
pub fn validate_programme(i: &ProgrammeInput) -> Result<(ProgrammeFields, Programme), ValidationErrors> {
    let mut e = ValidationErrors::new();
    let name = e.check(required_text("name", &i.name, 200));
    if i.description.chars().count() > 4000 {
        e.push(FieldError::too_long("description", 4000));
    }
    if i.eligible_sizes.len() > 4 {
        e.push(too_many("eligible_sizes", 4));
    }
    let sizes: Vec<SizeClass> = i
        .eligible_sizes
        .iter()
        .enumerate()
        .filter_map(|(n, s)| {
            e.check(
                SizeClass::parse(s.trim())
                    .ok_or_else(|| unknown(&format!("eligible_sizes[{n}]"), "企业规模", "size class", s)),
            )
        })
        .collect();
    let matching = e.check(ratio("matching_ratio", &i.matching_ratio));
    let ceiling = e.check(research::amount("ceiling", &i.ceiling, true));
    let deadline = e.check(Date::parse("deadline", &i.deadline));
    e.into_result()?;
    let (Some(name), Some(matching_ratio), Some(ceiling), Some(deadline)) = (name, matching, ceiling, deadline) else {
        return Err(FieldError::required("name").into());
    };
    let rules = Programme { eligible_sizes: sizes.clone(), matching_ratio, ceiling, deadline };
    rules.validate()?;
    let fields = ProgrammeFields {
        name,
        description: i.description.trim().to_string(),
        eligible_sizes: sizes.iter().map(|s| s.as_str().to_string()).collect(),
        matching_ratio: i64::from(matching_ratio.0),
        ceiling_fen: ceiling.0,
        deadline: deadline.format(),
    };
    Ok((fields, rules))
}

fn rules_of(g: &ProgrammeRecord) -> AppResult<Programme> {
    let deadline =
        Date::parse("deadline", &g.fields.deadline).map_err(|_| AppError::Internal("programme deadline".into()))?;
    Ok(Programme {
        eligible_sizes: g.fields.eligible_sizes.iter().filter_map(|s| SizeClass::parse(s)).collect(),
        matching_ratio: Share(u32::try_from(g.fields.matching_ratio).unwrap_or(u32::MAX)),
        ceiling: Fen(g.fields.ceiling_fen),
        deadline,
    })
}

/// Which organisation the caller applies for on a project: the enterprise's administrators and
/// HR for the enterprise, the managers of the college's teams for the college.
fn applicant_for(p: &Principal, j: &ProjectRecord) -> Option<OrgId> {
    if acts_for(p, Side::Enterprise, j.enterprise_org_id) {
        Some(j.enterprise_org_id)
    } else if manages_teams(p, j.college_org_id) {
        Some(j.college_org_id)
    } else {
        None
    }
}

impl App {
    /// The enterprise's own funding of a project: the sum of its enterprise budget lines.
    async fn enterprise_funding(&self, conn: &mut Box<dyn xiaoqi_store::Conn>, project: i64) -> AppResult<Fen> {
        let mut sum = Fen(0);
        // Read for the programme's agency too, which is no party of the project: the sum of the
        // enterprise's lines is what its rules look at, and no line leaves this function.
        for l in conn
            .list_budget_lines(&xiaoqi_store::ReadScope::Everything, project)
            .await?
            .iter()
            .filter(|l| l.source == FundingSource::Enterprise)
        {
            sum = sum.checked_add(Fen(l.amount_fen)).ok_or_else(|| AppError::Internal("funding overflows".into()))?;
        }
        Ok(sum)
    }

    /// Publishes a programme (administrators of a government agency).
    pub async fn publish_programme(&self, p: &Principal, input: &ProgrammeInput) -> AppResult<ProgrammeRecord> {
        if !administers_agency(p, input.agency_id) {
            return Err(AppError::Forbidden);
        }
        let (fields, _) = validate_programme(input)?;
        let mut tx = self.store.begin().await?;
        let id = tx.create_programme(input.agency_id, &fields, p.id(), self.now()).await?;
        let created = tx.find_programme(id).await?.ok_or(AppError::NotFound("research_programme"))?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(input.agency_id),
            Change::created("research_programme.publish", "research_programme", id, &created),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Programmes, newest first (everyone signed in).
    pub async fn list_programmes(&self, page: PageRequest) -> AppResult<Page<ProgrammeRecord>> {
        Ok(self.store.conn().await?.list_programmes(page).await?)
    }

    /// A programme with the applications the caller may see: all for the agency's
    /// administrators and alliance administrators, else those of the caller's projects.
    pub async fn get_programme(&self, p: &Principal, id: i64) -> AppResult<ProgrammeView> {
        let mut conn = self.store.conn().await?;
        let programme = conn.find_programme(id).await?.ok_or(AppError::NotFound("research_programme"))?;
        let may_award = administers_agency(p, programme.agency_org_id);
        let applications = conn
            .list_programme_applications(Some(id), None)
            .await?
            .into_iter()
            .filter(|a| {
                may_award
                    || p.is_alliance_admin()
                    || acts_for(p, Side::Enterprise, a.enterprise_org_id)
                    || manages_teams(p, a.college_org_id)
            })
            .collect();
        Ok(ProgrammeView { programme, applications, may_award })
    }

    /// Applies to a programme with a project (its enterprise or college team): refused with
    /// the rule named when late, not eligible, over the ceiling or not matched.
    pub async fn apply_to_programme(
        &self,
        p: &Principal,
        id: i64,
        input: &ApplicationInput,
    ) -> AppResult<ProgrammeApplicationRecord> {
        let programme =
            self.store.conn().await?.find_programme(id).await?.ok_or(AppError::NotFound("research_programme"))?;
        let j = self.project(p, input.project_id).await?;
        let applicant = applicant_for(p, &j).ok_or(AppError::Forbidden)?;
        let requested = research::amount("requested", &input.requested, true)?;
        let mut tx = self.store.begin().await?;
        tx.lock_org(j.enterprise_org_id).await?;
        let enterprise = tx.find_org(j.enterprise_org_id).await?.ok_or(AppError::NotFound("organization"))?;
        let size = enterprise.profile.size_class.as_deref().and_then(SizeClass::parse);
        let funding = self.enterprise_funding(&mut tx, j.id).await?;
        funding::check_application(&rules_of(&programme)?, self.today(), size, requested, funding)?;
        let new = NewApplication {
            programme_id: id,
            project_id: j.id,
            applicant_org_id: applicant,
            requested_fen: requested.0,
            enterprise_funding_fen: funding.0,
            by: p.id(),
            at: self.now(),
        };
        let aid = match tx.create_programme_application(&new).await {
            Err(StoreError::Conflict { .. }) => {
                return Err(wrong_state("该项目已申报过本计划", "The project has already applied to this programme"));
            }
            other => other?,
        };
        let created =
            tx.find_programme_application(aid).await?.ok_or(AppError::NotFound("research_programme_application"))?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(applicant),
            Change::created("research_programme.apply", "research_programme_application", aid, &created),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// The agency awards an application: within the request and the ceiling and matched by
    /// the enterprise's funding now; the award becomes a government budget line of the project.
    pub async fn award_application(
        &self,
        p: &Principal,
        id: i64,
        input: &AwardInput,
    ) -> AppResult<ProgrammeApplicationRecord> {
        let mut conn = self.store.conn().await?;
        let a =
            conn.find_programme_application(id).await?.ok_or(AppError::NotFound("research_programme_application"))?;
        if !administers_agency(p, a.agency_org_id) {
            return Err(AppError::Forbidden);
        }
        let programme = conn.find_programme(a.programme_id).await?.ok_or(AppError::NotFound("research_programme"))?;
        drop(conn);
        let amount = research::amount("amount", &input.amount, true)?;
        if a.status != "submitted" {
            return Err(wrong_state("该申报已评审", "The application has already been decided"));
        }
        let mut tx = self.store.begin().await?;
        tx.lock_org(a.enterprise_org_id).await?;
        let funding = self.enterprise_funding(&mut tx, a.project_id).await?;
        funding::check_award(&rules_of(&programme)?, Fen(a.requested_fen), amount, funding)?;
        let line = NewBudgetLine {
            source: FundingSource::Government,
            programme: Some(programme.fields.name.clone()),
            amount_fen: amount.0,
        };
        let at = self.now();
        let lid = tx.add_budget_line(a.project_id, &line, p.id(), at).await?;
        tx.award_programme_application(id, amount.0, lid, p.id(), at).await?;
        let after =
            tx.find_programme_application(id).await?.ok_or(AppError::NotFound("research_programme_application"))?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(a.agency_org_id),
            Change::updated("research_programme.award", "research_programme_application", id, &a, &after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}
