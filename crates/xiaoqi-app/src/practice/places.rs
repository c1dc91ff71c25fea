//! Places offered by enterprises: their terms checked against the internship rules due at the
//! offer, with the effective capacity the intern shares allow.

use serde::{Deserialize, Serialize};
use xiaoqi_domain::error::{optional_text, required_text};
use xiaoqi_domain::internship::{self, InternshipKind, Placement, RuleSet, Step};
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::org::MembershipStatus;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::service::Side;
use xiaoqi_domain::time::Date;
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::{OrgId, PlaceFields, PlaceFilter, PlaceRecord, PlaceTerms, SkillReq};

use crate::audit::{Change, record};
use crate::error::{AppError, AppResult};
use crate::services::acting_for;
use crate::talent::vocab::{check_occupation, check_region, skill_reqs_input};
use crate::{App, Principal};

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
        self.require_admitted(&mut tx, staff.org_id).await?;
        let id = tx.create_place(staff.org_id, &fields, staff.actor, self.now()).await?;
        let created = tx.find_place(id).await?.ok_or(AppError::NotFound("practice_place"))?;
        record(
            &mut tx,
            self.now(),
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
        tx.update_place(id, &fields, self.now()).await?;
        let after = tx.find_place(id).await?.ok_or(AppError::NotFound("practice_place"))?;
        record(
            &mut tx,
            self.now(),
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
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(in crate::practice) fn input() -> PlaceInput {
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
