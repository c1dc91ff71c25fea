//! Running a round's allocation (student-proposing deferred acceptance, `xiaoqi_alloc`) and
//! its outcomes, each with the certificate of why every place the student preferred is not a
//! blocking pair.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;
use xiaoqi_alloc::{Instance, PositionPrefs, StudentPrefs};
use xiaoqi_store::{AccountId, AllocationRecord, PlaceRecord, PracticeApplicationRecord};

use super::rounds::{default_source, not_open, platform_ranking, runs_rounds};
use crate::audit::{Change, record};
use crate::error::{AppError, AppResult};
use crate::talent::supply::is_college_staff;
use crate::{App, Principal};

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
        let at = self.now();
        tx.save_allocation(round, &inputs.to_string(), &rows, p.id(), at).await?;
        crate::placements::create_for_round(&mut tx, &r, &rows, &places, at).await?;
        let after = tx.find_round(round).await?.ok_or(AppError::NotFound("practice_round"))?;
        record(
            &mut tx,
            self.now(),
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
    use xiaoqi_domain::internship::RuleSet;

    use super::*;
    use crate::practice::places::tests::input;
    use crate::practice::validate_place;

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
}
