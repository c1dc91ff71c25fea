//! Practice places (实习岗位) and their allocation (DESIGN.md §2.2): enterprises offer places
//! under the 2021 internship rules; a college opens an allocation round over some places; its
//! students rank up to ten places; each enterprise ranks the applicants of its places (or takes
//! the platform's default: by matching score against the place's skills, ties in order of
//! application); the college runs the student-proposing
//! deferred acceptance (`xiaoqi_alloc`), and every student gets a certificate of why each place
//! they preferred is not a blocking pair.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use xiaoqi_alloc::{Instance, PositionPrefs, StudentPrefs};
use xiaoqi_domain::error::{optional_text, required_text};
use xiaoqi_domain::internship::{self, InternshipKind, Placement, RuleSet, Step};
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::org::{MembershipStatus, Role};
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::service::Side;
use xiaoqi_domain::time::Date;
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::{
    AccountId, AllocationRecord, Conn, OrgId, PlaceFields, PlaceFilter, PlaceRecord, PlaceTerms,
    PracticeApplicationRecord, RankingRecord, RoundRecord, SkillReq, StudentProfileRecord,
};

use crate::audit::{Change, record};
use crate::error::{AppError, AppResult};
use crate::services::{acting_for, acts_for};
use crate::talent::matching::rank_applicants;
use crate::talent::supply::is_college_staff;
use crate::talent::vocab::{check_occupation, check_region, skill_reqs_input};
use crate::{App, Principal, now};

/// Places a student may rank in one round.
pub const MAX_PREFERENCES: usize = 10;
/// Places a round may include.
pub const MAX_ROUND_PLACES: usize = 500;

/// A place as typed in a form or sent as JSON (create and full update).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceInput {
    /// The enterprise offering it (the caller administers it or is its HR). Ignored on update.
    pub enterprise_id: i64,
    /// cognitive (认识实习), shadowing (跟岗实习), post (岗位实习) or apprenticeship (学徒).
    pub kind: String,
    pub title: String,
    /// CSCO 2022 code of the post.
    pub occupation_code: Option<String>,
    /// Seats offered, 1–1,000.
    pub capacity: i64,
    /// YYYY-MM-DD.
    pub start_date: String,
    /// YYYY-MM-DD.
    pub end_date: String,
    pub region_code: Option<String>,
    pub location: String,
    /// Monthly pay in yuan, exact ("3200", "3,200.50").
    pub monthly_pay_yuan: String,
    /// The same post's monthly wage in yuan.
    pub post_wage_yuan: String,
    pub working_hours: String,
    pub hazards: Option<String>,
    #[serde(default)]
    pub high_risk_work: bool,
    #[serde(default)]
    pub insured: bool,
    pub insurer: Option<String>,
    /// The enterprise's staff.
    pub enterprise_staff: i64,
    /// The staff on this post.
    pub post_staff: i64,
    #[serde(default)]
    pub night_shifts: bool,
    #[serde(default)]
    pub overtime: bool,
    #[serde(default)]
    pub holiday_work: bool,
    /// Fees or deposits charged to the student, in yuan; absent means none.
    pub fees_yuan: Option<String>,
    /// Skills the post needs or trains, codes from `GET /api/v1/skills` (names are accepted
    /// too); the platform ranks applicants against them when the enterprise ranks nobody.
    #[serde(default)]
    pub skills: Vec<SkillReq>,
    /// The same as typed lines `技能 [权重] [等级]` (pages); used when `skills` is empty.
    #[serde(default)]
    pub skills_text: Option<String>,
}

/// A new allocation round.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoundInput {
    /// The college running it (the caller administers it or is its career officer).
    pub college_id: i64,
    pub name: String,
    /// The places its students may apply to.
    pub place_ids: Vec<i64>,
}

/// A student's ranked list (replaces any earlier one).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferencesInput {
    /// Place ids of the round, most preferred first, at most 10.
    pub place_ids: Vec<i64>,
}

/// An enterprise's ranking of a place's applicants (replaces any earlier one).
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RankingInput {
    /// Student account ids who applied to the place, most preferred first; students left out
    /// are not acceptable to the place.
    pub student_ids: Vec<i64>,
}

/// A round, with the allocation's inputs for the college's staff once allocated.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RoundView {
    #[serde(flatten)]
    pub round: RoundRecord,
    /// {students, places, instance}: the account and place ids behind the instance's indices.
    #[schema(value_type = Option<Object>)]
    pub inputs: Option<Value>,
}

/// The ranking a place will be allocated with.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RankingView {
    pub round_id: i64,
    pub place_id: i64,
    /// Most preferred first.
    pub student_ids: Vec<AccountId>,
    /// enterprise (ranked by the enterprise), matching (the platform's default: by the
    /// matching score against the place's skills, ties in order of application) or
    /// application_time (the default for a place that lists no skills).
    pub source: String,
    /// Every student who listed the place, in order of application.
    pub applicants: Vec<AccountId>,
    /// The platform's ranking with each student's matching score (0–1; 0 without a profile or
    /// any fit), best first, shown whichever ranking is used.
    pub platform: Vec<ApplicantScore>,
}

/// A student's matching score for a place.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct ApplicantScore {
    pub student_id: AccountId,
    pub score: f32,
}

/// One student's outcome with the certificate.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OutcomeView {
    pub round_id: i64,
    pub student_id: AccountId,
    pub place_id: Option<i64>,
    pub place_title: Option<String>,
    /// {assigned_choice, assigned_rank, holds, preferred: [{place_id, choice, reason}]}: why
    /// each place the student ranked higher did not take them (ranks and choices from 0).
    #[schema(value_type = Object)]
    pub certificate: Value,
}

fn unknown(field: &str, rule: &'static str, zh: &str, en: &str, v: &str) -> FieldError {
    FieldError::new(field, rule, format!("未知的{zh}：{v}"), format!("Unknown {en}: {v}"))
}

fn money(field: &str, v: &str) -> Result<i64, FieldError> {
    if v.trim().is_empty() {
        return Err(FieldError::new(field, "required", format!("{field} 为必填项"), format!("{field} is required")));
    }
    let f = Fen::parse_yuan(field, v)?;
    if f.0 < 0 || f.0 > 100_000_000 {
        return Err(FieldError::new(
            field,
            "money_range",
            "金额须在 0 到 1,000,000 元之间",
            "the amount must be between 0 and 1,000,000 yuan",
        ));
    }
    Ok(f.0)
}

fn count(field: &str, v: i64, max: i64) -> Result<i64, FieldError> {
    if (1..=max).contains(&v) {
        Ok(v)
    } else {
        Err(FieldError::new(field, "count_range", format!("须在 1 到 {max} 之间"), format!("must be 1 to {max}")))
    }
}

/// The input field a rule's violation concerns.
fn input_field(placement_field: &str) -> &str {
    match placement_field {
        "interns_at_enterprise" => "enterprise_staff",
        "interns_at_post" => "post_staff",
        "monthly_pay" => "monthly_pay_yuan",
        "fees_charged" => "fees_yuan",
        "end" => "end_date",
        other => other,
    }
}

/// Validates a place (every field at once), then checks the internship rules due when a place
/// is offered; returns the fields with the effective capacity.
pub fn validate_place(rules: &RuleSet, i: &PlaceInput) -> Result<PlaceFields, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let kind = e.check(
        InternshipKind::parse(i.kind.trim())
            .ok_or_else(|| unknown("kind", "kind_unknown", "实习类型", "kind", &i.kind)),
    );
    let title = e.check(required_text("title", &i.title, 100));
    let occupation_code = e.check(optional_text("occupation_code", i.occupation_code.as_deref(), 20));
    let capacity = e.check(count("capacity", i.capacity, 1000));
    let start = e.check(Date::parse("start_date", &i.start_date));
    let end = e.check(Date::parse("end_date", &i.end_date));
    if let (Some(s), Some(t)) = (start, end) {
        e.check(internship::check_period(s, t).map_err(|mut f| {
            f.field = "end_date".into();
            f
        }));
    }
    let region_code = e.check(optional_text("region_code", i.region_code.as_deref(), 12));
    let location = e.check(required_text("location", &i.location, 200));
    let pay = e.check(money("monthly_pay_yuan", &i.monthly_pay_yuan));
    let wage = e.check(money("post_wage_yuan", &i.post_wage_yuan));
    let working_hours = e.check(required_text("working_hours", &i.working_hours, 200));
    let hazards = e.check(optional_text("hazards", i.hazards.as_deref(), 1000));
    let insurer = e.check(optional_text("insurer", i.insurer.as_deref(), 100));
    let staff = e.check(count("enterprise_staff", i.enterprise_staff, 10_000_000));
    let post_staff = e.check(count("post_staff", i.post_staff, 10_000_000));
    if let (Some(s), Some(p)) = (staff, post_staff)
        && p > s
    {
        e.push(FieldError::new(
            "post_staff",
            "post_staff_exceeds_staff",
            "岗位职工人数不能超过单位职工总数",
            "the post's staff cannot exceed the enterprise's staff",
        ));
    }
    let fees = e.check(money("fees_yuan", i.fees_yuan.as_deref().unwrap_or("0")));
    let skills = e.check(skill_reqs_input("skills", &i.skills, i.skills_text.as_deref()));
    e.into_result()?;
    let (
        Some(kind),
        Some(title),
        Some(occupation_code),
        Some(capacity),
        Some(start),
        Some(end),
        Some(region_code),
        Some(location),
        Some(pay),
        Some(wage),
        Some(working_hours),
        Some(hazards),
        Some(insurer),
        Some(staff),
        Some(post_staff),
        Some(fees),
        Some(skills),
    ) = (
        kind,
        title,
        occupation_code,
        capacity,
        start,
        end,
        region_code,
        location,
        pay,
        wage,
        working_hours,
        hazards,
        insurer,
        staff,
        post_staff,
        fees,
        skills,
    )
    else {
        return Err(FieldError::required("place").into());
    };
    let staff32 = u32::try_from(staff).unwrap_or(u32::MAX);
    let post32 = u32::try_from(post_staff).unwrap_or(u32::MAX);
    let mut p = Placement::new(kind, start, end);
    p.insurance = i.insured.then_some((start, end));
    p.enterprise_staff = staff32;
    p.post_staff = post32;
    p.monthly_pay = Fen(pay);
    p.post_wage = Fen(wage);
    p.fees_charged = Fen(fees);
    p.night_shifts = i.night_shifts;
    p.overtime = i.overtime;
    p.holiday_work = i.holiday_work;
    p.high_risk_work = i.high_risk_work;
    let violations = internship::check(rules, &p, Step::Offer);
    if !violations.is_empty() {
        return Err(ValidationErrors(
            violations
                .iter()
                .map(|v| {
                    let mut f = v.to_field_error();
                    f.field = input_field(&f.field).to_string();
                    f
                })
                .collect(),
        ));
    }
    let effective = if matches!(kind, InternshipKind::Post | InternshipKind::Shadowing) {
        capacity.min(i64::from(internship::max_new_interns(rules, staff32, post32, 0, 0)))
    } else {
        capacity
    };
    Ok(PlaceFields {
        kind,
        title,
        occupation_code,
        capacity,
        effective_capacity: effective,
        start_date: start.format(),
        end_date: end.format(),
        region_code,
        monthly_pay_fen: pay,
        terms: PlaceTerms {
            location,
            post_wage_fen: wage,
            working_hours,
            hazards,
            high_risk_work: i.high_risk_work,
            insured: i.insured,
            insurer,
            enterprise_staff: staff,
            post_staff,
            night_shifts: i.night_shifts,
            overtime: i.overtime,
            holiday_work: i.holiday_work,
            fees_fen: fees,
        },
        skills,
    })
}

/// Whether the caller runs allocation rounds for the college: its administrators and career
/// officers.
pub fn runs_rounds(p: &Principal, college: OrgId) -> bool {
    crate::authz::runs_internships(p, college)
}

fn not_open() -> AppError {
    AppError::Conflict(FieldError::new(
        "status",
        "round_not_open",
        "该轮分配已完成，不能再修改或重新运行",
        "the round is already allocated: it cannot be changed or run again",
    ))
}

fn list_field(field: &str, rule: &'static str, zh: &str, en: &str) -> FieldError {
    FieldError::new(field, rule, zh, en)
}

fn has_duplicates(ids: &[i64]) -> bool {
    ids.iter().collect::<BTreeSet<_>>().len() != ids.len()
}

/// The certificate of one student, with place ids instead of indices and no other student named.
fn certificate_view(c: &xiaoqi_alloc::StudentCertificate, places: &[i64]) -> Value {
    let place = |i: u32| places.get(i as usize).copied();
    let preferred: Vec<Value> = c
        .preferred
        .iter()
        .map(|pp| {
            let mut reason = serde_json::to_value(&pp.reason).unwrap_or(Value::Null);
            if let Some(o) = reason.as_object_mut() {
                o.remove("worst_assignee");
            }
            serde_json::json!({"place_id": place(pp.position), "choice": pp.choice, "reason": reason})
        })
        .collect();
    serde_json::json!({
        "place_id": c.assigned.and_then(place),
        "assigned_choice": c.assigned_choice,
        "assigned_rank": c.assigned_rank,
        "holds": c.holds,
        "preferred": preferred,
    })
}

impl App {
    async fn check_place_refs(&self, f: &PlaceFields) -> AppResult<()> {
        let mut conn = self.store.conn().await?;
        if let Some(code) = &f.occupation_code {
            check_occupation(&mut conn, "occupation_code", code).await?;
        }
        if let Some(code) = &f.region_code {
            check_region(&mut conn, "region_code", code).await?;
        }
        Ok(())
    }

    /// Offers a place: the enterprise's administrators and HR; refused (422, naming the rule)
    /// when its terms break an internship rule due at the offer.
    pub async fn create_place(&self, p: &Principal, input: &PlaceInput) -> AppResult<PlaceRecord> {
        let staff = acting_for(p, Side::Enterprise, input.enterprise_id)?;
        let fields = validate_place(&RuleSet::national_2021(), input)?;
        self.check_place_refs(&fields).await?;
        let mut tx = self.store.begin().await?;
        let id = tx.create_place(staff.org_id, &fields, staff.actor, now()).await?;
        let created = tx.find_place(id).await?.ok_or(AppError::NotFound("practice_place"))?;
        record(
            &mut tx,
            p,
            Some(staff.org_id),
            Change::created("practice_place.create", "practice_place", id, &created),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Replaces a place's terms, checked as on creation.
    pub async fn update_place(&self, p: &Principal, id: i64, input: &PlaceInput) -> AppResult<PlaceRecord> {
        let before = self.store.conn().await?.find_place(id).await?.ok_or(AppError::NotFound("practice_place"))?;
        acting_for(p, Side::Enterprise, before.org_id)?;
        let fields = validate_place(&RuleSet::national_2021(), input)?;
        self.check_place_refs(&fields).await?;
        let mut tx = self.store.begin().await?;
        tx.update_place(id, &fields, now()).await?;
        let after = tx.find_place(id).await?.ok_or(AppError::NotFound("practice_place"))?;
        record(
            &mut tx,
            p,
            Some(before.org_id),
            Change::updated("practice_place.update", "practice_place", id, &before, &after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// One place: of an alliance-member enterprise, or the caller's own (or alliance admins).
    pub async fn get_place(&self, p: &Principal, id: i64) -> AppResult<PlaceRecord> {
        let mut conn = self.store.conn().await?;
        let place = conn.find_place(id).await?.ok_or(AppError::NotFound("practice_place"))?;
        let org = conn.find_org(place.org_id).await?.ok_or(AppError::NotFound("organization"))?;
        if org.membership != MembershipStatus::Member && !p.may_read_private(place.org_id) {
            return Err(AppError::NotFound("practice_place"));
        }
        Ok(place)
    }

    /// Places, newest first: of alliance-member enterprises; one enterprise's own staff (who
    /// name it) and alliance administrators see it whatever its membership.
    pub async fn list_places(
        &self,
        p: &Principal,
        enterprise: Option<OrgId>,
        page: PageRequest,
    ) -> AppResult<Page<PlaceRecord>> {
        let own = enterprise.is_some_and(|e| p.may_read_private(e));
        let filter = PlaceFilter { org: enterprise, member_orgs_only: !own };
        Ok(self.store.conn().await?.list_places(&filter, page).await?)
    }

    /// Opens a round: the college's administrators and career officers.
    pub async fn create_round(&self, p: &Principal, input: &RoundInput) -> AppResult<RoundView> {
        if !runs_rounds(p, input.college_id) {
            return Err(AppError::Forbidden);
        }
        let mut e = ValidationErrors::new();
        let name = e.check(required_text("name", &input.name, 100));
        let ids = &input.place_ids;
        if ids.is_empty() || ids.len() > MAX_ROUND_PLACES || has_duplicates(ids) {
            e.push(list_field(
                "place_ids",
                "place_list",
                "请列出 1 到 500 个不重复的实习岗位",
                "list 1 to 500 places, each once",
            ));
        }
        e.into_result()?;
        let mut tx = self.store.begin().await?;
        for id in ids {
            if tx.find_place(*id).await?.is_none() {
                return Err(FieldError::new(
                    "place_ids",
                    "place_unknown",
                    format!("没有这个实习岗位：{id}"),
                    format!("No such place: {id}"),
                )
                .into());
            }
        }
        let id = tx.create_round(input.college_id, name.as_deref().unwrap_or_default(), ids, p.id(), now()).await?;
        let round = tx.find_round(id).await?.ok_or(AppError::NotFound("practice_round"))?;
        record(
            &mut tx,
            p,
            Some(input.college_id),
            Change::created("practice_round.create", "practice_round", id, &round),
        )
        .await?;
        tx.commit().await?;
        Ok(RoundView { round, inputs: None })
    }

    /// Whether the caller takes part in a round: the college's staff and students, the staff
    /// acting for an enterprise of one of its places, alliance administrators.
    async fn may_view_round(&self, p: &Principal, r: &RoundRecord) -> AppResult<bool> {
        if p.is_alliance_admin() || is_college_staff(p, r.college_org_id) || p.has_role(r.college_org_id, Role::Student)
        {
            return Ok(true);
        }
        Ok(!self.enterprise_places(p, r).await?.is_empty())
    }

    /// The round's places the caller acts for (as enterprise staff).
    async fn enterprise_places(&self, p: &Principal, r: &RoundRecord) -> AppResult<BTreeMap<i64, PlaceRecord>> {
        let mut conn = self.store.conn().await?;
        let mut out = BTreeMap::new();
        for id in &r.place_ids {
            if let Some(place) = conn.find_place(*id).await?
                && acts_for(p, Side::Enterprise, place.org_id)
            {
                out.insert(*id, place);
            }
        }
        Ok(out)
    }

    async fn round(&self, id: i64) -> AppResult<RoundRecord> {
        self.store.conn().await?.find_round(id).await?.ok_or(AppError::NotFound("practice_round"))
    }

    /// A college's rounds, newest first: its staff and students, and alliance administrators.
    pub async fn list_rounds(&self, p: &Principal, college: OrgId, page: PageRequest) -> AppResult<Page<RoundRecord>> {
        if !(p.is_alliance_admin() || is_college_staff(p, college) || p.has_role(college, Role::Student)) {
            return Err(AppError::Forbidden);
        }
        Ok(self.store.conn().await?.list_rounds(college, page).await?)
    }

    /// One round; its allocation's inputs for the college's staff and alliance administrators.
    pub async fn get_round(&self, p: &Principal, id: i64) -> AppResult<RoundView> {
        let round = self.round(id).await?;
        if !self.may_view_round(p, &round).await? {
            return Err(AppError::NotFound("practice_round"));
        }
        let inputs = (p.is_alliance_admin() || is_college_staff(p, round.college_org_id))
            .then(|| round.inputs_json.as_deref().and_then(|s| serde_json::from_str(s).ok()))
            .flatten();
        Ok(RoundView { round, inputs })
    }

    /// Submits or replaces the caller's ranked list: a student of the round's college, while
    /// the round is open.
    pub async fn put_preferences(
        &self,
        p: &Principal,
        round: i64,
        input: &PreferencesInput,
    ) -> AppResult<PracticeApplicationRecord> {
        let r = self.round(round).await?;
        if !p.has_role(r.college_org_id, Role::Student) {
            return Err(AppError::Forbidden);
        }
        let ids = &input.place_ids;
        if ids.is_empty() || ids.len() > MAX_PREFERENCES || has_duplicates(ids) {
            return Err(list_field(
                "place_ids",
                "preference_list",
                "请按志愿顺序列出 1 到 10 个不重复的实习岗位",
                "rank 1 to 10 places, each once",
            )
            .into());
        }
        if let Some(bad) = ids.iter().find(|id| !r.place_ids.contains(id)) {
            return Err(FieldError::new(
                "place_ids",
                "place_not_in_round",
                format!("岗位 {bad} 不在本轮分配中"),
                format!("place {bad} is not in this round"),
            )
            .into());
        }
        let mut tx = self.store.begin().await?;
        // Under the college's lock, as the run is: no list lands after the allocation.
        tx.lock_org(r.college_org_id).await?;
        let status = tx.find_round(round).await?.map(|r| r.status);
        if status.as_deref() != Some("open") {
            return Err(not_open());
        }
        tx.put_practice_application(round, p.id(), ids, now()).await?;
        let saved = tx
            .list_practice_applications(round)
            .await?
            .into_iter()
            .find(|a| a.student_id == p.id())
            .ok_or(AppError::NotFound("practice_application"))?;
        record(
            &mut tx,
            p,
            Some(r.college_org_id),
            Change::created("practice_application.put", "practice_round", round, &saved),
        )
        .await?;
        tx.commit().await?;
        Ok(saved)
    }

    async fn place_in_round(&self, p: &Principal, r: &RoundRecord, place: i64) -> AppResult<PlaceRecord> {
        if !r.place_ids.contains(&place) {
            return Err(AppError::NotFound("practice_place"));
        }
        let pl = self.store.conn().await?.find_place(place).await?.ok_or(AppError::NotFound("practice_place"))?;
        acting_for(p, Side::Enterprise, pl.org_id)?;
        Ok(pl)
    }

    /// The ranking a place will be allocated with: the enterprise's, else the platform's (by
    /// matching score against the place's skills). The place's enterprise staff.
    pub async fn get_ranking(&self, p: &Principal, round: i64, place: i64) -> AppResult<RankingView> {
        let r = self.round(round).await?;
        let pl = self.place_in_round(p, &r, place).await?;
        let mut conn = self.store.conn().await?;
        let applicants: Vec<AccountId> = conn
            .list_practice_applications(round)
            .await?
            .into_iter()
            .filter(|a| a.place_ids.contains(&place))
            .map(|a| a.student_id)
            .collect();
        let platform = platform_ranking(&mut conn, &pl, &applicants, &mut BTreeMap::new()).await?;
        let ranked = conn.list_rankings(round).await?.into_iter().find(|k| k.place_id == place);
        let (student_ids, source) = match ranked {
            Some(k) => (k.student_ids, "enterprise"),
            None => (platform.iter().map(|a| a.student_id).collect(), default_source(&pl)),
        };
        Ok(RankingView { round_id: round, place_id: place, student_ids, source: source.into(), applicants, platform })
    }

    /// Ranks a place's applicants: the place's enterprise staff, while the round is open; only
    /// students who listed the place.
    pub async fn put_ranking(
        &self,
        p: &Principal,
        round: i64,
        place: i64,
        input: &RankingInput,
    ) -> AppResult<RankingRecord> {
        let r = self.round(round).await?;
        let pl = self.place_in_round(p, &r, place).await?;
        let ids = &input.student_ids;
        if has_duplicates(ids) {
            return Err(list_field("student_ids", "duplicate", "学生不能重复排序", "a student is listed twice").into());
        }
        let mut tx = self.store.begin().await?;
        tx.lock_org(r.college_org_id).await?;
        let applicants: BTreeSet<AccountId> = tx
            .list_practice_applications(round)
            .await?
            .into_iter()
            .filter(|a| a.place_ids.contains(&place))
            .map(|a| a.student_id)
            .collect();
        if let Some(bad) = ids.iter().find(|s| !applicants.contains(s)) {
            return Err(FieldError::new(
                "student_ids",
                "not_an_applicant",
                format!("学生 {bad} 未申请该岗位"),
                format!("student {bad} did not apply to this place"),
            )
            .into());
        }
        let status = tx.find_round(round).await?.map(|r| r.status);
        if status.as_deref() != Some("open") {
            return Err(not_open());
        }
        tx.put_ranking(round, place, ids, p.id(), now()).await?;
        let saved = tx
            .list_rankings(round)
            .await?
            .into_iter()
            .find(|k| k.place_id == place)
            .ok_or(AppError::NotFound("practice_ranking"))?;
        record(&mut tx, p, Some(pl.org_id), Change::created("practice_ranking.put", "practice_round", round, &saved))
            .await?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Runs the allocation: the college's administrators and career officers, once. Builds the
    /// instance (students by account id, places in the round's order, capacities the places'
    /// effective capacities, mutual listing only), solves, verifies and stores the inputs, the
    /// result and every student's certificate in one transaction.
    pub async fn run_round(&self, p: &Principal, round: i64) -> AppResult<Vec<OutcomeView>> {
        let r = self.round(round).await?;
        if !runs_rounds(p, r.college_org_id) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.store.begin().await?;
        tx.lock_org(r.college_org_id).await?;
        let r = tx.find_round(round).await?.ok_or(AppError::NotFound("practice_round"))?;
        if r.status != "open" {
            return Err(not_open());
        }
        let mut places = Vec::new();
        for id in &r.place_ids {
            places.push(tx.find_place(*id).await?.ok_or(AppError::NotFound("practice_place"))?);
        }
        let apps = tx.list_practice_applications(round).await?;
        let mut rankings: BTreeMap<i64, Vec<AccountId>> =
            tx.list_rankings(round).await?.into_iter().map(|k| (k.place_id, k.student_ids)).collect();
        let mut sources = BTreeMap::new();
        // A student applies to up to ten places: read each profile once for the whole run.
        let mut profiles = BTreeMap::new();
        for pl in &places {
            if rankings.contains_key(&pl.id) {
                sources.insert(pl.id, "enterprise");
                continue;
            }
            let applicants: Vec<AccountId> =
                apps.iter().filter(|a| a.place_ids.contains(&pl.id)).map(|a| a.student_id).collect();
            let order = platform_ranking(&mut tx, pl, &applicants, &mut profiles).await?;
            rankings.insert(pl.id, order.iter().map(|a| a.student_id).collect());
            sources.insert(pl.id, default_source(pl));
        }
        let (inst, students) = build_instance(&places, &apps, &rankings);
        let alloc = xiaoqi_alloc::solve(&inst);
        xiaoqi_alloc::verify(&inst, &alloc)
            .map_err(|v| AppError::internal(format!("allocation of round {round} is not stable: {v:?}")))?;
        let place_ids: Vec<i64> = places.iter().map(|pl| pl.id).collect();
        let mut rows = Vec::new();
        for (i, student) in students.iter().enumerate() {
            let idx = u32::try_from(i).unwrap_or(u32::MAX);
            let cert = xiaoqi_alloc::certificate_for(&inst, &alloc, idx)
                .ok_or_else(|| AppError::internal(format!("no certificate for student {student}")))?;
            let view = certificate_view(&cert, &place_ids);
            rows.push(AllocationRecord {
                round_id: round,
                student_id: *student,
                place_id: alloc.assignment[i].and_then(|pi| place_ids.get(pi as usize).copied()),
                certificate_json: view.to_string(),
            });
        }
        let inputs = serde_json::json!({
            "students": students,
            "places": place_ids,
            "instance": inst,
            "ranking_sources": sources,
        });
        let at = now();
        tx.save_allocation(round, &inputs.to_string(), &rows, p.id(), at).await?;
        crate::placements::create_for_round(&mut tx, &r, &rows, &places, at).await?;
        let after = tx.find_round(round).await?.ok_or(AppError::NotFound("practice_round"))?;
        record(
            &mut tx,
            p,
            Some(r.college_org_id),
            Change::updated("practice_round.run", "practice_round", round, &r, &after),
        )
        .await?;
        tx.commit().await?;
        Ok(rows.iter().map(|row| outcome_view(row, &places)).collect())
    }

    /// A round's outcomes the caller may see: every student's for the college's staff and
    /// alliance administrators, those placed at its places for an enterprise, a student's own.
    pub async fn list_outcomes(&self, p: &Principal, round: i64) -> AppResult<Vec<OutcomeView>> {
        let r = self.round(round).await?;
        if !self.may_view_round(p, &r).await? {
            return Err(AppError::NotFound("practice_round"));
        }
        let all = p.is_alliance_admin() || is_college_staff(p, r.college_org_id);
        let mine = self.enterprise_places(p, &r).await?;
        let places = self.round_places(&r).await?;
        let rows = self.store.conn().await?.list_allocations(round).await?;
        Ok(rows
            .iter()
            .filter(|row| all || row.student_id == p.id() || row.place_id.is_some_and(|pl| mine.contains_key(&pl)))
            .map(|row| outcome_view(row, &places))
            .collect())
    }

    /// One student's outcome with the certificate: the student, the college's staff, alliance
    /// administrators, and the enterprise the student is placed with.
    pub async fn get_outcome(&self, p: &Principal, round: i64, student: AccountId) -> AppResult<OutcomeView> {
        let r = self.round(round).await?;
        let rows = self.store.conn().await?.list_allocations(round).await?;
        let row = rows.iter().find(|row| row.student_id == student);
        let enterprise_sees = match row.and_then(|row| row.place_id) {
            Some(pl) => self.enterprise_places(p, &r).await?.contains_key(&pl),
            None => false,
        };
        let allowed =
            p.id() == student || p.is_alliance_admin() || is_college_staff(p, r.college_org_id) || enterprise_sees;
        if !allowed {
            return Err(AppError::Forbidden);
        }
        let row = row.ok_or(AppError::NotFound("practice_outcome"))?;
        Ok(outcome_view(row, &self.round_places(&r).await?))
    }

    /// The caller's own ranked list in a round, if any (a student of the round's college).
    pub async fn my_preferences(&self, p: &Principal, round: i64) -> AppResult<Option<PracticeApplicationRecord>> {
        let r = self.round(round).await?;
        if !p.has_role(r.college_org_id, Role::Student) {
            return Err(AppError::Forbidden);
        }
        let apps = self.store.conn().await?.list_practice_applications(round).await?;
        Ok(apps.into_iter().find(|a| a.student_id == p.id()))
    }

    /// The names of a round's applicants the caller may see: all of them for the college's
    /// staff and alliance administrators, those who listed one of its places for an enterprise,
    /// the caller's own otherwise.
    pub async fn round_student_names(&self, p: &Principal, round: i64) -> AppResult<BTreeMap<AccountId, String>> {
        let r = self.round(round).await?;
        if !self.may_view_round(p, &r).await? {
            return Err(AppError::Forbidden);
        }
        let all = p.is_alliance_admin() || is_college_staff(p, r.college_org_id);
        let mine = self.enterprise_places(p, &r).await?;
        let mut conn = self.store.conn().await?;
        let mut out = BTreeMap::new();
        for a in conn.list_practice_applications(round).await? {
            let visible = all || a.student_id == p.id() || a.place_ids.iter().any(|pl| mine.contains_key(pl));
            if visible && let Some(acc) = conn.find_account(a.student_id).await? {
                out.insert(a.student_id, acc.display_name);
            }
        }
        Ok(out)
    }

    async fn round_places(&self, r: &RoundRecord) -> AppResult<Vec<PlaceRecord>> {
        let mut conn = self.store.conn().await?;
        let mut out = Vec::new();
        for id in &r.place_ids {
            if let Some(pl) = conn.find_place(*id).await? {
                out.push(pl);
            }
        }
        Ok(out)
    }
}

/// How a place is ranked when its enterprise ranks nobody.
fn default_source(pl: &PlaceRecord) -> &'static str {
    if pl.fields.skills.is_empty() { "application_time" } else { "matching" }
}

/// The platform's ranking of a place's applicants (given in order of application): by matching
/// score against the place's skills and region, ties in order of application. Only the order
/// and the score reach the enterprise, never the profile. Profiles are read through `profiles`,
/// a cache the caller keeps across the places of one round.
async fn platform_ranking(
    conn: &mut Box<dyn Conn>,
    pl: &PlaceRecord,
    applicants: &[AccountId],
    profiles: &mut BTreeMap<AccountId, Option<StudentProfileRecord>>,
) -> AppResult<Vec<ApplicantScore>> {
    let mut with_profiles = Vec::with_capacity(applicants.len());
    for id in applicants {
        let profile = if pl.fields.skills.is_empty() {
            None
        } else {
            if !profiles.contains_key(id) {
                let found = conn.find_student_profile(*id).await?;
                profiles.insert(*id, found);
            }
            profiles.get(id).cloned().flatten()
        };
        with_profiles.push((*id, profile));
    }
    Ok(rank_applicants(&pl.fields.skills, pl.fields.region_code.as_deref(), &with_profiles)
        .into_iter()
        .map(|(student_id, score)| ApplicantScore { student_id, score })
        .collect())
}

fn outcome_view(row: &AllocationRecord, places: &[PlaceRecord]) -> OutcomeView {
    OutcomeView {
        round_id: row.round_id,
        student_id: row.student_id,
        place_id: row.place_id,
        place_title: row.place_id.and_then(|id| places.iter().find(|pl| pl.id == id)).map(|pl| pl.fields.title.clone()),
        certificate: serde_json::from_str(&row.certificate_json).unwrap_or(Value::Null),
    }
}

/// The allocation instance of a round: students are the applicants by account id; positions
/// the round's places in order, with their effective capacities; a place's list is the
/// enterprise's ranking, else its applicants in order of application. Only places in the round
/// and students who applied count.
pub fn build_instance(
    places: &[PlaceRecord],
    apps: &[PracticeApplicationRecord],
    rankings: &BTreeMap<i64, Vec<AccountId>>,
) -> (Instance, Vec<AccountId>) {
    let mut students: Vec<AccountId> = apps.iter().map(|a| a.student_id).collect();
    students.sort_unstable();
    students.dedup();
    let student_idx: BTreeMap<AccountId, u32> =
        students.iter().enumerate().map(|(i, s)| (*s, u32::try_from(i).unwrap_or(u32::MAX))).collect();
    let place_idx: BTreeMap<i64, u32> =
        places.iter().enumerate().map(|(i, pl)| (pl.id, u32::try_from(i).unwrap_or(u32::MAX))).collect();
    let mut student_prefs = vec![StudentPrefs::default(); students.len()];
    for a in apps {
        if let Some(&si) = student_idx.get(&a.student_id) {
            student_prefs[si as usize].prefs = a.place_ids.iter().filter_map(|id| place_idx.get(id).copied()).collect();
        }
    }
    let positions = places
        .iter()
        .map(|pl| {
            let applied = |s: &AccountId| apps.iter().any(|a| a.student_id == *s && a.place_ids.contains(&pl.id));
            let order: Vec<AccountId> = match rankings.get(&pl.id) {
                Some(list) => list.iter().copied().filter(applied).collect(),
                None => apps.iter().filter(|a| a.place_ids.contains(&pl.id)).map(|a| a.student_id).collect(),
            };
            PositionPrefs {
                capacity: u32::try_from(pl.fields.effective_capacity.max(0)).unwrap_or(u32::MAX),
                prefs: order.iter().filter_map(|s| student_idx.get(s).copied()).collect(),
            }
        })
        .collect();
    (Instance { students: student_prefs, positions }, students)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> PlaceInput {
        PlaceInput {
            enterprise_id: 1,
            kind: "post".into(),
            title: "数控车工".into(),
            occupation_code: None,
            capacity: 5,
            start_date: "2026-03-01".into(),
            end_date: "2026-08-31".into(),
            region_code: None,
            location: "深圳".into(),
            monthly_pay_yuan: "4000".into(),
            post_wage_yuan: "5000".into(),
            working_hours: "9:00-17:30".into(),
            hazards: None,
            high_risk_work: false,
            insured: true,
            insurer: Some("人保".into()),
            enterprise_staff: 260,
            post_staff: 20,
            night_shifts: false,
            overtime: false,
            holiday_work: false,
            fees_yuan: None,
            skills: Vec::new(),
            skills_text: Some("数控车削 8 3\n机械识图".into()),
        }
    }

    fn rules_of(e: ValidationErrors) -> Vec<(String, &'static str)> {
        e.0.into_iter().map(|f| (f.field, f.rule)).collect()
    }

    #[test]
    fn effective_capacity_is_capped_by_the_intern_shares() {
        let f = validate_place(&RuleSet::national_2021(), &input()).expect("valid");
        assert_eq!((f.capacity, f.effective_capacity), (5, 4), "20% of a 20-person post is 4");
        let mut cognitive = input();
        cognitive.kind = "cognitive".into();
        let f = validate_place(&RuleSet::national_2021(), &cognitive).expect("valid");
        assert_eq!(f.effective_capacity, 5, "no cap for a cognitive internship");
    }

    #[test]
    fn a_rule_violation_names_the_rule_and_the_input_field() {
        let mut i = input();
        i.monthly_pay_yuan = "3000".into();
        i.night_shifts = true;
        i.fees_yuan = Some("200".into());
        let e = validate_place(&RuleSet::national_2021(), &i).err().map(rules_of);
        assert_eq!(
            e,
            Some(vec![
                ("monthly_pay_yuan".into(), "minimum_pay"),
                ("fees_yuan".into(), "no_fees"),
                ("night_shifts".into(), "no_night_shifts"),
            ])
        );
    }

    fn place_record(id: i64, effective_capacity: i64) -> PlaceRecord {
        let mut fields = validate_place(&RuleSet::national_2021(), &input()).expect("valid");
        fields.effective_capacity = effective_capacity;
        PlaceRecord { id, org_id: 1, org_name: "E".into(), fields, created_by: 1, created_at: 0, updated_at: 0 }
    }

    fn app(student: AccountId, place_ids: Vec<i64>, at: i64) -> PracticeApplicationRecord {
        PracticeApplicationRecord { round_id: 1, student_id: student, place_ids, submitted_at: at }
    }

    #[test]
    fn the_instance_lists_only_mutual_pairs_with_default_order_by_application_time() {
        let places = [place_record(10, 1), place_record(20, 2)];
        // Student 7 applied first, then 5, then 9; 9 also names a place outside the round.
        let apps = [app(7, vec![20, 10], 1), app(5, vec![10], 2), app(9, vec![99, 10, 20], 3)];
        // Place 10 ranks 9 then 5 and leaves 7 out (and names 42, who never applied).
        let rankings = BTreeMap::from([(10, vec![9, 42, 5])]);
        let (inst, students) = build_instance(&places, &apps, &rankings);
        assert_eq!(students, vec![5, 7, 9], "students by account id");
        let prefs: Vec<Vec<u32>> = inst.students.iter().map(|s| s.prefs.clone()).collect();
        assert_eq!(prefs, vec![vec![0], vec![1, 0], vec![0, 1]], "places outside the round are dropped");
        assert_eq!((inst.positions[0].capacity, inst.positions[0].prefs.clone()), (1, vec![2, 0]), "the ranking");
        assert_eq!((inst.positions[1].capacity, inst.positions[1].prefs.clone()), (2, vec![1, 2]), "by time");
        let alloc = xiaoqi_alloc::solve(&inst);
        assert_eq!(xiaoqi_alloc::verify(&inst, &alloc), Ok(()));
        assert_eq!(alloc.assignment, vec![None, Some(1), Some(0)], "9 takes place 10 ahead of 5; 7 gets place 20");
    }

    #[test]
    fn skills_are_read_from_the_vocabulary_and_an_unknown_one_is_named() {
        let f = validate_place(&RuleSet::national_2021(), &input()).expect("valid");
        let skills: Vec<(&str, u32, u8)> = f.skills.iter().map(|k| (k.skill.as_str(), k.weight, k.min_level)).collect();
        assert_eq!(skills, vec![("cnc-turning", 8, 3), ("blueprint-reading", 5, 3)], "defaults weight 5, level 3");
        let mut i = input();
        i.skills_text = Some("数控车削\n量子烹饪 3".into());
        let e = validate_place(&RuleSet::national_2021(), &i).err().map(rules_of).unwrap_or_default();
        assert_eq!(e.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(), vec!["skills[1]"]);
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let mut i = input();
        i.kind = "summer".into();
        i.title = " ".into();
        i.capacity = 0;
        i.start_date = "2026-13-01".into();
        i.monthly_pay_yuan = "abc".into();
        i.post_staff = 300;
        let e = validate_place(&RuleSet::national_2021(), &i).err().map(rules_of).unwrap_or_default();
        let fields: Vec<&str> = e.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, vec!["kind", "title", "capacity", "start_date", "monthly_pay_yuan", "post_staff"]);
    }
}
