//! The destination register: the student enters their own destination, the career officer
//! records or checks it, the employer may confirm it.

use serde::{Deserialize, Serialize};
use xiaoqi_domain::destination::{DestinationKind, DestinationStatus, check_cohort, check_date_in_cohort};
use xiaoqi_domain::error::optional_text;
use xiaoqi_domain::org::{OrgKind, Role};
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::time::Date;
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::prelude::*;
use xiaoqi_store::{
    AccountId, DestinationFilter, DestinationRecord, NewDestination, NewGraduate, OrgId, ReadScope, StoreError,
    StudentRecord,
};

use crate::audit::{Change, record};
use crate::authz::{reads_destinations, recruits_for, runs_internships};
use crate::error::{AppError, AppResult};
use crate::talent::vocab;
use crate::{App, Principal};

/// A destination as entered by a student (without `student_no`) or by the career officer.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DestinationInput {
    /// The student's number at the college (the career officer's entries only).
    #[serde(default)]
    pub student_no: Option<String>,
    /// The graduation year.
    pub cohort: i64,
    /// further_study, contract_employment, flexible_employment, self_employment, not_placed or
    /// not_seeking (or the Chinese label).
    pub kind: String,
    /// YYYY-MM-DD: when the destination was secured.
    pub date: String,
    /// The employer in the directory (contract or flexible employment).
    #[serde(default)]
    pub employer_org_id: Option<i64>,
    /// The employer's or school's name, when it is not in the directory.
    #[serde(default)]
    pub employer_name: Option<String>,
    /// CSCO 2022 code of the post (employment only).
    #[serde(default)]
    pub occupation_code: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// An entry with what the caller may do next (`check`, `confirm`).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DestinationView {
    #[serde(flatten)]
    pub record: DestinationRecord,
    pub actions: Vec<String>,
}

/// Filters of a college's register.
#[derive(Debug, Clone, Default)]
pub struct RegisterQuery {
    pub cohort: Option<i64>,
    /// entered or checked.
    pub status: Option<String>,
}

/// The validated content of an entry, before it is tied to a graduate.
pub(crate) struct Entry {
    pub kind: DestinationKind,
    pub date: Date,
    pub employer_org_id: Option<OrgId>,
    pub employer_name: Option<String>,
    pub occupation_code: Option<String>,
    pub note: String,
}

/// Checks an entry's fields, all errors at once; the employer and occupation against the
/// directory and CSCO inside the caller's transaction. `at` prefixes field names (import rows).
pub(crate) async fn checked_entry(
    tx: &mut Box<dyn Conn>,
    input: &DestinationInput,
    at: &str,
) -> AppResult<(i64, Entry)> {
    let mut e = ValidationErrors::new();
    let f = |name: &str| format!("{at}{name}");
    let cohort = e.check(check_cohort(&f("cohort"), input.cohort));
    let kind = e.check(DestinationKind::parse_input(&f("kind"), &input.kind));
    let date = e.check(Date::parse(&f("date"), &input.date));
    if let (Some(c), Some(d)) = (cohort, date) {
        e.check(check_date_in_cohort(&f("date"), c, d));
    }
    let employer_name = e.check(optional_text(&f("employer_name"), input.employer_name.as_deref(), 100)).flatten();
    let note = e.check(optional_text(&f("note"), input.note.as_deref(), 500)).flatten().unwrap_or_default();
    if let Some(id) = input.employer_org_id {
        let found = tx.find_org(id).await?;
        if found.is_none_or(|o| o.profile.kind != OrgKind::Enterprise) {
            e.push(FieldError::new(
                f("employer_org_id"),
                "employer_unknown",
                format!("名录中没有编号为 {id} 的企业"),
                format!("The directory has no enterprise numbered {id}"),
            ));
        }
        if kind.is_some_and(|k| !k.works_for_employer()) {
            e.push(FieldError::new(
                f("employer_org_id"),
                "employer_not_applicable",
                "只有协议和合同就业、灵活就业填写就业单位",
                "Only contract and flexible employment name an employer",
            ));
        }
    }
    if kind == Some(DestinationKind::ContractEmployment) && input.employer_org_id.is_none() && employer_name.is_none() {
        e.push(FieldError::new(
            f("employer_org_id"),
            "employer_required",
            "协议和合同就业须填写就业单位（从名录中选择，或填写单位名称）",
            "Contract employment names its employer (pick it from the directory or write its name)",
        ));
    }
    let occupation_code = input.occupation_code.as_deref().map(str::trim).filter(|c| !c.is_empty());
    if let Some(code) = occupation_code {
        if kind.is_some_and(|k| !k.is_employment()) {
            e.push(FieldError::new(
                f("occupation_code"),
                "occupation_not_applicable",
                "只有就业（协议和合同、灵活、自主创业）填写职业",
                "Only employment (contract, flexible, self-employment) records an occupation",
            ));
        } else if let Err(AppError::Validation(v)) = vocab::check_occupation(tx, &f("occupation_code"), code).await {
            e.0.extend(v.0);
        }
    }
    e.into_result()?;
    let (Some(cohort), Some(kind), Some(date)) = (cohort, kind, date) else {
        return Err(AppError::internal("a checked entry lacks a field"));
    };
    let entry = Entry {
        kind,
        date,
        employer_org_id: input.employer_org_id,
        employer_name,
        occupation_code: occupation_code.map(str::to_string),
        note,
    };
    Ok((cohort, entry))
}

/// The graduate record of a student in `cohort`, made on the first entry; a student already in
/// another cohort is refused under `field`.
pub(crate) async fn graduate_of(
    tx: &mut Box<dyn Conn>,
    student: &StudentRecord,
    cohort: i64,
    field: &str,
    at: i64,
) -> AppResult<i64> {
    match tx.find_graduate_of(student.account_id).await? {
        Some(g) if g.cohort == cohort && g.college_org_id == student.org_id => Ok(g.id),
        Some(g) => Err(FieldError::new(
            field,
            "cohort_mismatch",
            format!("该学生登记在 {} 届，不是 {cohort} 届", g.cohort),
            format!("This student is registered in the {} cohort, not {cohort}", g.cohort),
        )
        .into()),
        None => {
            let g = NewGraduate {
                college_org_id: student.org_id,
                account_id: student.account_id,
                cohort,
                major_id: None,
                at,
            };
            Ok(tx.create_graduate(&g).await?)
        }
    }
}

pub(crate) fn new_destination(
    graduate_id: i64,
    e: Entry,
    status: DestinationStatus,
    by: AccountId,
    at: i64,
) -> NewDestination {
    NewDestination {
        graduate_id,
        kind: e.kind,
        destination_date: e.date.format(),
        employer_org_id: e.employer_org_id,
        employer_name: e.employer_name,
        occupation_code: e.occupation_code,
        note: e.note,
        status,
        by,
        at,
    }
}

fn student_not_in_college(no: &str) -> FieldError {
    FieldError::new(
        "student_no",
        "student_not_in_college",
        format!("本校没有学号为“{no}”的学生"),
        format!("This college has no student numbered \"{no}\""),
    )
}

impl App {
    /// The career officer records a graduate's destination (checked on entry).
    pub async fn record_destination(
        &self,
        p: &Principal,
        college: OrgId,
        input: &DestinationInput,
    ) -> AppResult<DestinationView> {
        if !runs_internships(p, college) {
            return Err(AppError::Forbidden);
        }
        let no = input.student_no.as_deref().map(str::trim).unwrap_or("");
        if no.is_empty() {
            return Err(FieldError::required("student_no").into());
        }
        let mut tx = self.store.begin().await?;
        let student = tx.find_student_by_no(college, no).await?;
        let checked = checked_entry(&mut tx, input, "").await;
        let (student, (cohort, entry)) = match (student, checked) {
            (Some(s), Ok(c)) => (s, c),
            (None, Err(AppError::Validation(mut v))) => {
                v.0.insert(0, student_not_in_college(no));
                return Err(v.into());
            }
            (None, _) => return Err(student_not_in_college(no).into()),
            (_, Err(e)) => return Err(e),
        };
        let graduate = graduate_of(&mut tx, &student, cohort, "cohort", self.now()).await?;
        let id = tx
            .create_destination(&new_destination(graduate, entry, DestinationStatus::Checked, p.id(), self.now()))
            .await?;
        self.finish_entry(tx, p, id, "destination.record").await
    }

    /// A student enters their own destination; it waits for the career officer's check.
    pub async fn record_own_destination(&self, p: &Principal, input: &DestinationInput) -> AppResult<DestinationView> {
        let college = p.grants.iter().find(|g| g.role == Role::Student).map(|g| g.org_id).ok_or(AppError::Forbidden)?;
        let mut tx = self.store.begin().await?;
        let student = tx.find_student_of(p.id()).await?.filter(|s| s.org_id == college).ok_or(AppError::Forbidden)?;
        let (cohort, entry) = checked_entry(&mut tx, input, "").await?;
        let graduate = graduate_of(&mut tx, &student, cohort, "cohort", self.now()).await?;
        let id = tx
            .create_destination(&new_destination(graduate, entry, DestinationStatus::Entered, p.id(), self.now()))
            .await?;
        self.finish_entry(tx, p, id, "destination.enter").await
    }

    async fn finish_entry(
        &self,
        mut tx: Box<dyn Conn>,
        p: &Principal,
        id: i64,
        action: &'static str,
    ) -> AppResult<DestinationView> {
        let rec = tx.find_destination(&ReadScope::Everything, id).await?.ok_or(AppError::NotFound("destination"))?;
        record(&mut tx, self.now(), p, Some(rec.college_org_id), Change::created(action, "destination", id, &rec))
            .await?;
        tx.commit().await?;
        Ok(self.view(p, rec))
    }

    fn view(&self, p: &Principal, rec: DestinationRecord) -> DestinationView {
        let mut actions = Vec::new();
        if rec.status == DestinationStatus::Entered && runs_internships(p, rec.college_org_id) {
            actions.push("check".to_string());
        }
        if rec.confirmed_at.is_none() && rec.employer_org_id.is_some_and(|e| recruits_for(p, e)) {
            actions.push("confirm".to_string());
        }
        DestinationView { record: rec, actions }
    }

    /// One entry, for the student, the college's staff who read the register, the employer's
    /// staff and alliance administrators; 404 to anyone else.
    pub async fn get_destination(&self, p: &Principal, id: i64) -> AppResult<DestinationView> {
        let mut conn = self.store.conn().await?;
        let rec = conn.find_destination(&p.read_scope(), id).await?.ok_or(AppError::NotFound("destination"))?;
        let sees = rec.account_id == p.id()
            || reads_destinations(p, rec.college_org_id)
            || rec.employer_org_id.is_some_and(|e| recruits_for(p, e));
        if !sees {
            return Err(AppError::NotFound("destination"));
        }
        Ok(self.view(p, rec))
    }

    /// The career officer checks a student's entry; it then counts in the figures.
    pub async fn check_destination(&self, p: &Principal, id: i64) -> AppResult<DestinationView> {
        let before = self.get_destination(p, id).await?.record;
        if !runs_internships(p, before.college_org_id) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.store.begin().await?;
        tx.check_destination(id, p.id(), self.now()).await.map_err(|e| already(e, "checked"))?;
        self.finish_step(tx, p, before, "destination.check").await
    }

    /// The employer's administrators or HR confirm a destination at their enterprise.
    pub async fn confirm_destination(&self, p: &Principal, id: i64) -> AppResult<DestinationView> {
        let before = self.get_destination(p, id).await?.record;
        if !before.employer_org_id.is_some_and(|e| recruits_for(p, e)) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.store.begin().await?;
        tx.confirm_destination(id, p.id(), self.now()).await.map_err(|e| already(e, "confirmed"))?;
        self.finish_step(tx, p, before, "destination.confirm").await
    }

    async fn finish_step(
        &self,
        mut tx: Box<dyn Conn>,
        p: &Principal,
        before: DestinationRecord,
        action: &'static str,
    ) -> AppResult<DestinationView> {
        let after =
            tx.find_destination(&ReadScope::Everything, before.id).await?.ok_or(AppError::NotFound("destination"))?;
        let change = Change::updated(action, "destination", before.id, &before, &after);
        record(&mut tx, self.now(), p, Some(after.college_org_id), change).await?;
        tx.commit().await?;
        Ok(self.view(p, after))
    }

    /// A college's register, latest destination first (the staff who read it).
    pub async fn list_destinations(
        &self,
        p: &Principal,
        college: OrgId,
        q: &RegisterQuery,
        page: PageRequest,
    ) -> AppResult<Page<DestinationView>> {
        if !reads_destinations(p, college) {
            return Err(AppError::Forbidden);
        }
        let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Some(DestinationStatus::parse_field("status", "destination_status", s)?),
            None => None,
        };
        let f = DestinationFilter { college: Some(college), cohort: q.cohort, status, ..Default::default() };
        self.list_with(p, &f, page).await
    }

    /// The caller's own entries (a student).
    pub async fn list_own_destinations(&self, p: &Principal, page: PageRequest) -> AppResult<Page<DestinationView>> {
        let f = DestinationFilter { account: Some(p.id()), ..Default::default() };
        self.list_with(p, &f, page).await
    }

    /// The destinations at an enterprise, for its administrators and HR.
    pub async fn list_employer_destinations(
        &self,
        p: &Principal,
        employer: OrgId,
        page: PageRequest,
    ) -> AppResult<Page<DestinationView>> {
        if !recruits_for(p, employer) {
            return Err(AppError::Forbidden);
        }
        let f = DestinationFilter { employer: Some(employer), ..Default::default() };
        self.list_with(p, &f, page).await
    }

    async fn list_with(
        &self,
        p: &Principal,
        f: &DestinationFilter,
        page: PageRequest,
    ) -> AppResult<Page<DestinationView>> {
        let mut conn = self.store.conn().await?;
        let got = conn.list_destinations(&p.read_scope(), f, page).await?;
        let items = got.items.into_iter().map(|r| self.view(p, r)).collect();
        Ok(Page { items, total: got.total, limit: got.limit, offset: got.offset })
    }
}

/// A step that found its entry already past it (a concurrent step won); other errors pass.
fn already(e: StoreError, what: &str) -> AppError {
    if !matches!(e, StoreError::NotFound { .. }) {
        return e.into();
    }
    let (zh, en) = match what {
        "checked" => ("该去向已核查", "This destination is already checked"),
        _ => ("该去向已由单位确认", "This destination is already confirmed by the employer"),
    };
    AppError::Conflict(FieldError::new("status", "destination_already_done", zh, en))
}
