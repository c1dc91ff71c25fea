//! Allocation rounds: a college opens one over some places, its students rank up to ten of
//! them, each enterprise ranks the applicants of its places (or takes the platform's ranking).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use xiaoqi_domain::error::required_text;
use xiaoqi_domain::org::Role;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::service::Side;
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::{
    AccountId, Conn, OrgId, PlaceRecord, PracticeApplicationRecord, RankingRecord, RoundRecord, StudentProfileRecord,
};

use crate::audit::{Change, record};
use crate::error::{AppError, AppResult};
use crate::services::{acting_for, acts_for};
use crate::talent::matching::rank_applicants;
use crate::talent::supply::is_college_staff;
use crate::{App, Principal};

/// Places a student may rank in one round.
pub const MAX_PREFERENCES: usize = 10;
/// Places a round may include.
pub const MAX_ROUND_PLACES: usize = 500;

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

/// Whether the caller runs allocation rounds for the college: its administrators and career
/// officers.
pub fn runs_rounds(p: &Principal, college: OrgId) -> bool {
    crate::authz::runs_internships(p, college)
}

pub(super) fn not_open() -> AppError {
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

impl App {
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
        let id =
            tx.create_round(input.college_id, name.as_deref().unwrap_or_default(), ids, p.id(), self.now()).await?;
        let round = tx.find_round(id).await?.ok_or(AppError::NotFound("practice_round"))?;
        record(
            &mut tx,
            self.now(),
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
    pub(super) async fn may_view_round(&self, p: &Principal, r: &RoundRecord) -> AppResult<bool> {
        if p.is_alliance_admin() || is_college_staff(p, r.college_org_id) || p.has_role(r.college_org_id, Role::Student)
        {
            return Ok(true);
        }
        Ok(!self.enterprise_places(p, r).await?.is_empty())
    }

    /// The round's places the caller acts for (as enterprise staff).
    pub(super) async fn enterprise_places(
        &self,
        p: &Principal,
        r: &RoundRecord,
    ) -> AppResult<BTreeMap<i64, PlaceRecord>> {
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

    pub(super) async fn round(&self, id: i64) -> AppResult<RoundRecord> {
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
        tx.put_practice_application(round, p.id(), ids, self.now()).await?;
        let saved = tx
            .list_practice_applications(round)
            .await?
            .into_iter()
            .find(|a| a.student_id == p.id())
            .ok_or(AppError::NotFound("practice_application"))?;
        record(
            &mut tx,
            self.now(),
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
        tx.put_ranking(round, place, ids, p.id(), self.now()).await?;
        let saved = tx
            .list_rankings(round)
            .await?
            .into_iter()
            .find(|k| k.place_id == place)
            .ok_or(AppError::NotFound("practice_ranking"))?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(pl.org_id),
            Change::created("practice_ranking.put", "practice_round", round, &saved),
        )
        .await?;
        tx.commit().await?;
        Ok(saved)
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
            return Err(AppError::NotFound("practice_round"));
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

    pub(super) async fn round_places(&self, r: &RoundRecord) -> AppResult<Vec<PlaceRecord>> {
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
pub(super) fn default_source(pl: &PlaceRecord) -> &'static str {
    if pl.fields.skills.is_empty() { "application_time" } else { "matching" }
}

/// The platform's ranking of a place's applicants (given in order of application): by matching
/// score against the place's skills and region, ties in order of application. Only the order
/// and the score reach the enterprise, never the profile. Profiles are read through `profiles`,
/// a cache the caller keeps across the places of one round.
pub(super) async fn platform_ranking(
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
