//! The tripartite agreement (facts, three signatures, the rules at the signing and the start)
//! and the dual mentors.

use serde::{Deserialize, Serialize};
use xiaoqi_domain::error::optional_text;
use xiaoqi_domain::internship::{self, Agreement, Placement, RuleSet, Step};
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::org::Role;
use xiaoqi_domain::placement::{MentorKind, Party, PlacementAction, check_mentor_load};
use xiaoqi_domain::time::Date;
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::{AgreementFacts, Conn, PlacementRecord};

use super::{Access, check_status, locked, save, settings_or_default};
use crate::error::{AppError, AppResult};
use crate::{App, Principal};

/// The student facts of the agreement as sent (replaces them; dates YYYY-MM-DD, blanks absent).
pub type AgreementInput = AgreementFacts;

/// Which party the caller signs for.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PlacementSignInput)]
pub struct SignInput {
    /// school, enterprise or student.
    pub party: String,
}

/// Mentors to assign (account ids); either may be left out.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MentorInput {
    /// A teacher of the college (assigned by its administrators and career officers).
    pub teacher_id: Option<i64>,
    /// An account of the enterprise (assigned by its administrators and HR).
    pub master_id: Option<i64>,
}

fn parse_date(e: &mut ValidationErrors, field: &str, v: Option<&str>) -> Option<Option<Date>> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Some(None),
        Some(s) => e.check(Date::parse(field, s)).map(Some),
    }
}

/// Validates the facts (every field at once).
pub fn validate_facts(i: &AgreementInput, today: Date) -> Result<AgreementFacts, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let birth = parse_date(&mut e, "birth_date", i.birth_date.as_deref());
    if let Some(Some(b)) = birth
        && b > today
    {
        e.push(FieldError::new("birth_date", "date_future", "出生日期不能晚于今天", "the birth date is in the future"));
    }
    let guardian_name = e.check(optional_text("guardian_name", i.guardian_name.as_deref(), 50));
    let consent = parse_date(&mut e, "guardian_consent_date", i.guardian_consent_date.as_deref());
    let insurer = e.check(optional_text("insurer", i.insurer.as_deref(), 100));
    let policy = e.check(optional_text("insurance_policy_no", i.insurance_policy_no.as_deref(), 50));
    let from = parse_date(&mut e, "insurance_start", i.insurance_start.as_deref());
    let to = parse_date(&mut e, "insurance_end", i.insurance_end.as_deref());
    if let (Some(Some(f)), Some(Some(t))) = (from, to)
        && t < f
    {
        e.push(FieldError::new(
            "insurance_end",
            "date_order",
            "保险止期早于起期",
            "the insurance ends before it starts",
        ));
    }
    if let (Some(Some(_)), None | Some(None)) = (consent, guardian_name.as_ref().map(Option::as_ref)) {
        e.push(FieldError::new(
            "guardian_name",
            "required",
            "填写知情同意日期时须填写监护人姓名",
            "name the guardian who signed the consent",
        ));
    }
    e.into_result()?;
    let fmt = |d: Option<Option<Date>>| d.flatten().map(|d| d.format());
    Ok(AgreementFacts {
        birth_date: fmt(birth),
        guardian_name: guardian_name.flatten(),
        guardian_consent_date: fmt(consent),
        insurer: insurer.flatten(),
        insurance_policy_no: policy.flatten(),
        insurance_start: fmt(from),
        insurance_end: fmt(to),
    })
}

fn date_of(s: Option<&str>) -> Option<Date> {
    s.and_then(|v| Date::parse("date", v).ok())
}

/// The facts the internship rules look at, with the interns now agreed or active at the
/// enterprise (all its places) and at this place during the same period, this one left out.
pub(crate) async fn rule_facts(conn: &mut Box<dyn Conn>, r: &PlacementRecord) -> AppResult<Placement> {
    let pl = &r.place;
    let start = Date::parse("start_date", &pl.start_date).map_err(AppError::internal)?;
    let end = Date::parse("end_date", &pl.end_date).map_err(AppError::internal)?;
    let (at_enterprise, at_post) =
        conn.count_interns(r.enterprise_org_id, r.place_id, &pl.start_date, &pl.end_date, r.id).await?;
    let u = |v: i64| u32::try_from(v.max(0)).unwrap_or(u32::MAX);
    let f = &r.facts;
    let mut p = Placement::new(pl.kind, start, end);
    p.student_birth_date = date_of(f.birth_date.as_deref());
    p.agreement = Agreement {
        school_signed: date_of(r.signatures.school_signed_on.as_deref()),
        enterprise_signed: date_of(r.signatures.enterprise_signed_on.as_deref()),
        student_signed: date_of(r.signatures.student_signed_on.as_deref()),
    };
    p.guardian_consent = date_of(f.guardian_consent_date.as_deref());
    p.insurance = date_of(f.insurance_start.as_deref()).zip(date_of(f.insurance_end.as_deref()));
    p.enterprise_staff = u(pl.terms.enterprise_staff);
    p.post_staff = u(pl.terms.post_staff);
    p.interns_at_enterprise = u(at_enterprise);
    p.interns_at_post = u(at_post);
    p.monthly_pay = Fen(pl.monthly_pay_fen);
    p.post_wage = Fen(pl.terms.post_wage_fen);
    p.fees_charged = Fen(pl.terms.fees_fen);
    p.night_shifts = pl.terms.night_shifts;
    p.overtime = pl.terms.overtime;
    p.holiday_work = pl.terms.holiday_work;
    p.high_risk_work = pl.terms.high_risk_work;
    Ok(p)
}

/// The agreement's input field a rule's violation concerns.
fn agreement_field(placement_field: &str) -> &str {
    match placement_field {
        "student_birth_date" => "birth_date",
        "guardian_consent" => "guardian_consent_date",
        "insurance" => "insurance_end",
        other => other,
    }
}

/// Refuses (422) a step whose internship rules the placement breaks, naming each rule.
async fn check_rules(conn: &mut Box<dyn Conn>, r: &PlacementRecord, step: Step) -> AppResult<()> {
    let facts = rule_facts(conn, r).await?;
    let violations = internship::check(&RuleSet::national_2021(), &facts, step);
    if violations.is_empty() {
        return Ok(());
    }
    Err(AppError::Validation(ValidationErrors(
        violations
            .iter()
            .map(|v| {
                let f = v.to_field_error();
                let field = agreement_field(&f.field).to_string();
                f.at(field)
            })
            .collect(),
    )))
}

fn already_signed(party: Party) -> AppError {
    AppError::Conflict(FieldError::new(
        "party",
        "already_signed",
        format!("{}已签署本协议", party.label_zh()),
        format!("the {} has already signed", party.label_en().to_lowercase()),
    ))
}

fn may_sign(a: &Access, party: Party) -> bool {
    match party {
        Party::School => a.school_signer,
        Party::Enterprise => a.enterprise,
        Party::Student => a.student,
    }
}

impl App {
    /// Fills in the student facts of the agreement: the student, the school's signers or the
    /// enterprise's staff, while nobody has signed.
    pub async fn put_agreement(&self, p: &Principal, id: i64, input: &AgreementInput) -> AppResult<PlacementRecord> {
        let (r, a) = self.visible_placement(p, id).await?;
        if !(a.student || a.school_signer || a.enterprise) {
            return Err(AppError::Forbidden);
        }
        let facts = validate_facts(input, self.today())?;
        let mut tx = self.store.begin().await?;
        let before = locked(&mut tx, &r).await?;
        check_status(&before, PlacementAction::EditAgreement)?;
        let s = &before.signatures;
        if s.school_signed_on.is_some() || s.enterprise_signed_on.is_some() || s.student_signed_on.is_some() {
            return Err(AppError::Conflict(FieldError::new(
                "agreement",
                "agreement_signed",
                "协议已有一方签署，不能再修改",
                "a party has signed the agreement: it can no longer be changed",
            )));
        }
        let mut after = before.clone();
        after.facts = facts;
        let saved = save(&mut tx, self.now(), p, &before, &after, "placement.agreement").await?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Signs the agreement for a party the caller acts for; refused (422, naming each rule)
    /// when the internship rules due when a student is placed are broken. The third signature
    /// puts the agreement in force.
    pub async fn sign_agreement(&self, p: &Principal, id: i64, input: &SignInput) -> AppResult<PlacementRecord> {
        let (r, a) = self.visible_placement(p, id).await?;
        let party = Party::parse(input.party.trim()).ok_or_else(|| {
            FieldError::new(
                "party",
                "party_unknown",
                "签署方须为 school、enterprise 或 student",
                "party must be school, enterprise or student",
            )
        })?;
        if !may_sign(&a, party) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.store.begin().await?;
        let before = locked(&mut tx, &r).await?;
        check_status(&before, PlacementAction::Sign)?;
        check_rules(&mut tx, &before, Step::Place).await?;
        let mut after = before.clone();
        let on = Some(self.today().format());
        let s = &mut after.signatures;
        let slot = match party {
            Party::School => {
                s.school_signed_by = Some(p.id());
                &mut s.school_signed_on
            }
            Party::Enterprise => {
                s.enterprise_signed_by = Some(p.id());
                &mut s.enterprise_signed_on
            }
            Party::Student => &mut s.student_signed_on,
        };
        if slot.is_some() {
            return Err(already_signed(party));
        }
        *slot = on;
        let s = &after.signatures;
        if s.school_signed_on.is_some() && s.enterprise_signed_on.is_some() && s.student_signed_on.is_some() {
            after.status = check_status(&before, PlacementAction::Agree)?;
        }
        let saved = save(&mut tx, self.now(), p, &before, &after, "placement.sign").await?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Starts the internship: the school's signers or the enterprise's staff; refused (422,
    /// naming each rule) unless all three signed, the insurance covers the whole period and
    /// every other rule due at the start holds, then (409) unless the agreement is in force.
    pub async fn start_placement(&self, p: &Principal, id: i64) -> AppResult<PlacementRecord> {
        let (r, a) = self.visible_placement(p, id).await?;
        if !(a.school_signer || a.enterprise) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.store.begin().await?;
        let before = locked(&mut tx, &r).await?;
        check_rules(&mut tx, &before, Step::Start).await?;
        let mut after = before.clone();
        after.status = check_status(&before, PlacementAction::Start)?;
        let saved = save(&mut tx, self.now(), p, &before, &after, "placement.start").await?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Assigns the teacher (the college's administrators and career officers; a teacher of the
    /// college) and/or the master (the enterprise's administrators and HR; an account of the
    /// enterprise), each within the college's limit of students per mentor (422 `mentor_load`).
    pub async fn assign_mentors(&self, p: &Principal, id: i64, input: &MentorInput) -> AppResult<PlacementRecord> {
        let (r, a) = self.visible_placement(p, id).await?;
        if (input.teacher_id.is_some() && !a.school_signer) || (input.master_id.is_some() && !a.enterprise) {
            return Err(AppError::Forbidden);
        }
        if input.teacher_id.is_none() && input.master_id.is_none() {
            return Err(FieldError::required("teacher_id").into());
        }
        let mut tx = self.store.begin().await?;
        let before = locked(&mut tx, &r).await?;
        let settings = settings_or_default(tx.find_placement_settings(before.college_org_id).await?);
        let mut e = ValidationErrors::new();
        let mentors = [
            (input.teacher_id, MentorKind::Teacher, before.college_org_id, settings.max_per_teacher),
            (input.master_id, MentorKind::Master, before.enterprise_org_id, settings.max_per_master),
        ];
        for (account, kind, org, max) in mentors {
            let Some(account) = account else { continue };
            let roles = tx.list_roles(account).await?;
            let fits = roles.iter().any(|g| g.org_id == org && (kind == MentorKind::Master || g.role == Role::Teacher));
            if !fits {
                let field = if kind == MentorKind::Teacher { "teacher_id" } else { "master_id" };
                e.push(FieldError::new(
                    field,
                    "mentor_not_eligible",
                    format!("该账号不能担任{}", kind.label_zh()),
                    format!("this account cannot be the {}", kind.label_en().to_lowercase()),
                ));
                continue;
            }
            let current = tx.count_mentored(account, kind == MentorKind::Master, before.id).await?;
            let u = |v: i64| u32::try_from(v.max(0)).unwrap_or(u32::MAX);
            e.check(check_mentor_load(kind, u(current), u(max)));
        }
        e.into_result()?;
        check_status(&before, PlacementAction::AssignMentor)?;
        let mut after = before.clone();
        after.teacher_id = input.teacher_id.or(before.teacher_id);
        after.master_id = input.master_id.or(before.master_id);
        let saved = save(&mut tx, self.now(), p, &before, &after, "placement.mentors").await?;
        tx.commit().await?;
        Ok(saved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::parse("d", "2026-02-01").expect("date")
    }

    #[test]
    fn facts_name_every_bad_field_at_once() {
        let i = AgreementInput {
            birth_date: Some("2030-01-01".into()),
            guardian_consent_date: Some("2026-13-01".into()),
            insurance_start: Some("2026-03-01".into()),
            insurance_end: Some("2026-02-01".into()),
            ..AgreementInput::default()
        };
        let e = validate_facts(&i, today()).expect_err("bad");
        let got: Vec<(&str, &str)> = e.0.iter().map(|f| (f.field.as_str(), f.rule)).collect();
        assert_eq!(
            got,
            vec![("birth_date", "date_future"), ("guardian_consent_date", "date"), ("insurance_end", "date_order")]
        );
    }

    #[test]
    fn a_consent_date_needs_the_guardian_named_and_blanks_are_absent() {
        let i = AgreementInput { guardian_consent_date: Some("2026-01-10".into()), ..AgreementInput::default() };
        let e = validate_facts(&i, today()).expect_err("no guardian");
        assert_eq!(e.0[0].field, "guardian_name");
        let blank = AgreementInput { birth_date: Some(" ".into()), ..AgreementInput::default() };
        assert_eq!(validate_facts(&blank, today()).expect("blank is absent").birth_date, None);
    }
}
