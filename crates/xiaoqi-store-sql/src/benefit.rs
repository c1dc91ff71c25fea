//! Agreements (versions and signatures), results, conversion events with their append-only
//! ledger, government programmes and applications, and the facts of the measures.

use std::collections::HashMap;

use async_trait::async_trait;
use xiaoqi_domain::benefit::Terms;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::time::{Date, Timestamp};
use xiaoqi_store::{
    AccountId, AgreementSignatureRecord, AgreementVersionRecord, BenefitRepo, ConversionDecision, ConversionRecord,
    LedgerLine, MeasureFacts, Millis, NewApplication, NewConversion, NewResult, OrgFact, OrgId, ProblemFact,
    ProgrammeApplicationRecord, ProgrammeFields, ProgrammeRecord, ProjectFact, ReadScope, ResultRecord, StoreResult,
};

use crate::conn::{Filter, Row, SqlConn, args, row, to_json};
use crate::research::project_floor;

const VERSION_COLS: &str = "id, project_id, version, terms_json, proposed_by, proposed_at, in_force_at, superseded_at";

fn version(r: &Row) -> StoreResult<AgreementVersionRecord> {
    Ok(row! { r, AgreementVersionRecord {
        id, project_id, version, terms: r.json::<Terms>("terms_json")?, proposed_by, proposed_at, in_force_at,
        superseded_at, signatures: Vec::new(),
    }})
}

const RESULT_SELECT: &str = "SELECT r.id, r.project_id, r.kind, r.title, r.registration_no, r.result_date, \
     r.owners_json, r.created_by, r.created_at, \
     (SELECT COUNT(*) FROM research_conversions c WHERE c.result_id = r.id AND EXISTS (SELECT 1 FROM \
        research_conversion_decisions d WHERE d.conversion_id = c.id AND d.decision = 'confirmed')) AS conversions, \
     (SELECT CAST(COALESCE(SUM(c.income_fen), 0) AS BIGINT) FROM research_conversions c WHERE c.result_id = r.id \
        AND EXISTS (SELECT 1 FROM research_conversion_decisions d WHERE d.conversion_id = c.id \
        AND d.decision = 'confirmed')) AS income_fen \
     FROM research_results r";

fn result(r: &Row) -> StoreResult<ResultRecord> {
    Ok(row! { r, ResultRecord {
        id, project_id, kind, title, registration_no, result_date, owners: r.json("owners_json")?, conversions,
        income_fen, created_by, created_at,
    }})
}

fn conversion(r: &Row) -> StoreResult<ConversionRecord> {
    let decided = match r.get::<Option<String>>("decision")? {
        Some(decision) => Some(ConversionDecision {
            decision,
            reason: r.get::<Option<String>>("reason")?.unwrap_or_default(),
            decided_by: r.get::<Option<i64>>("decided_by")?.unwrap_or_default(),
            decided_at: r.get::<Option<i64>>("decided_at")?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(row! { r, ConversionRecord {
        id, result_id, result_title, project_id, kind, counterparty, event_date, income_fen, note, agreement_version,
        lines: Vec::new(), recorded_side, recorded_by, recorded_at, decision: decided,
    }})
}

/// The columns and joins of a conversion with its result, agreement version and decision.
const CONVERSION_SELECT: &str = "SELECT c.id, c.result_id, r.title AS result_title, r.project_id, c.kind, \
     c.counterparty, c.event_date, c.income_fen, c.note, v.version AS agreement_version, c.recorded_side, \
     c.recorded_by, c.recorded_at, d.decision, d.reason, d.decided_by, d.decided_at \
     FROM research_conversions c JOIN research_results r ON r.id = c.result_id \
     JOIN research_agreement_versions v ON v.id = c.agreement_version_id \
     LEFT JOIN research_conversion_decisions d ON d.conversion_id = c.id";

/// Only conversions the other party confirmed count in sums.
const CONFIRMED: &str =
    "EXISTS (SELECT 1 FROM research_conversion_decisions d WHERE d.conversion_id = c.id AND d.decision = 'confirmed')";

const PROGRAMME_COLS: &str = "g.id, g.agency_org_id, o.name AS agency_name, g.name, g.description, \
     g.eligible_sizes_json, g.matching_ratio, g.ceiling_fen, g.deadline, g.created_by, g.created_at";
const PROGRAMME_FROM: &str = "research_programmes g JOIN organizations o ON o.id = g.agency_org_id";

fn programme(r: &Row) -> StoreResult<ProgrammeRecord> {
    Ok(row! { r, ProgrammeRecord {
        id, agency_org_id, agency_name, created_by, created_at,
        fields: ProgrammeFields {
            name, description, eligible_sizes: r.json("eligible_sizes_json")?, matching_ratio, ceiling_fen, deadline,
        },
    }})
}

const APPLICATION_SELECT: &str = "SELECT a.id, a.programme_id, g.name AS programme_name, g.agency_org_id, \
     a.project_id, j.title AS project_title, j.enterprise_org_id, j.college_org_id, a.applicant_org_id, \
     o.name AS applicant_name, a.requested_fen, a.enterprise_funding_fen, a.status, a.awarded_fen, a.line_id, \
     a.applied_by, a.applied_at, a.decided_by, a.decided_at FROM research_programme_applications a \
     JOIN research_programmes g ON g.id = a.programme_id JOIN research_projects j ON j.id = a.project_id \
     JOIN organizations o ON o.id = a.applicant_org_id";

fn application(r: &Row) -> StoreResult<ProgrammeApplicationRecord> {
    Ok(row! { r, ProgrammeApplicationRecord {
        id, programme_id, programme_name, agency_org_id, project_id, project_title, enterprise_org_id, college_org_id,
        applicant_org_id, applicant_name, requested_fen, enterprise_funding_fen, status, awarded_fen, line_id,
        applied_by, applied_at, decided_by, decided_at,
    }})
}

impl SqlConn {
    async fn signatures_of(&mut self, version_id: i64) -> StoreResult<Vec<AgreementSignatureRecord>> {
        let sql = "SELECT s.org_id, o.name AS org_name, s.signed_by, a.display_name AS signer_name, s.signed_at \
             FROM research_agreement_signatures s JOIN organizations o ON o.id = s.org_id \
             JOIN accounts a ON a.id = s.signed_by WHERE s.version_id = $1 ORDER BY s.signed_at, s.org_id";
        self.all(sql, args![version_id], |r| {
            Ok(row! { r, AgreementSignatureRecord { org_id, org_name, signed_by, signer_name, signed_at } })
        })
        .await
    }

    async fn lines_of(&mut self, conversion: i64) -> StoreResult<Vec<LedgerLine>> {
        let sql = "SELECT beneficiary_kind, beneficiary_index, name, org_id, account_id, amount_fen \
             FROM research_ledger_lines WHERE conversion_id = $1 ORDER BY position";
        self.all(sql, args![conversion], |r| {
            Ok(row! { r, LedgerLine { beneficiary_kind, beneficiary_index, name, org_id, account_id, amount_fen } })
        })
        .await
    }
}

#[async_trait]
impl BenefitRepo for SqlConn {
    async fn propose_agreement(
        &mut self,
        project: i64,
        version: i64,
        terms: &Terms,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64> {
        // The new version first: when it is refused (a version number taken), nothing changes.
        let sql = "INSERT INTO research_agreement_versions (project_id, version, terms_json, proposed_by, proposed_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id";
        let id: i64 = self.scalar(sql, args![project, version, to_json(terms)?, by, at]).await?;
        let sql = "UPDATE research_agreement_versions SET superseded_at = $3 \
             WHERE project_id = $1 AND id <> $2 AND in_force_at IS NULL AND superseded_at IS NULL";
        self.exec(sql, args![project, id, at]).await?;
        Ok(id)
    }

    async fn list_agreement_versions(
        &mut self,
        scope: &ReadScope,
        project: i64,
    ) -> StoreResult<Vec<AgreementVersionRecord>> {
        let mut w = Filter::after(args![project]);
        project_floor(&mut w, scope, "project_id");
        let sql = format!(
            "SELECT {VERSION_COLS} FROM research_agreement_versions WHERE project_id = $1 AND {} ORDER BY version",
            w.and_sql()
        );
        let mut out = self.all(&sql, w.args, version).await?;
        for v in &mut out {
            v.signatures = self.signatures_of(v.id).await?;
        }
        Ok(out)
    }

    async fn sign_agreement(&mut self, version_id: i64, org: OrgId, by: AccountId, at: Millis) -> StoreResult<()> {
        let sql = "INSERT INTO research_agreement_signatures (version_id, org_id, signed_by, signed_at) \
             VALUES ($1, $2, $3, $4)";
        self.exec(sql, args![version_id, org, by, at]).await?;
        Ok(())
    }

    async fn put_agreement_in_force(&mut self, version_id: i64, at: Millis) -> StoreResult<()> {
        let sql = "UPDATE research_agreement_versions SET in_force_at = $2 \
             WHERE id = $1 AND in_force_at IS NULL AND superseded_at IS NULL";
        self.exec_one(sql, args![version_id, at], "research_agreement_version").await
    }

    async fn create_result(&mut self, r: &NewResult) -> StoreResult<i64> {
        let sql = "INSERT INTO research_results (project_id, kind, title, registration_no, result_date, owners_json, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
        let owners = to_json(&r.owners)?;
        self.scalar(sql, args![r.project_id, r.kind, &r.title, &r.registration_no, &r.result_date, owners, r.by, r.at])
            .await
    }

    async fn find_result(&mut self, scope: &ReadScope, id: i64) -> StoreResult<Option<ResultRecord>> {
        let mut w = Filter::after(args![id]);
        project_floor(&mut w, scope, "r.project_id");
        self.opt(&format!("{RESULT_SELECT} WHERE r.id = $1 AND {}", w.and_sql()), w.args, result).await
    }

    async fn list_results(&mut self, scope: &ReadScope, project: i64) -> StoreResult<Vec<ResultRecord>> {
        let mut w = Filter::after(args![project]);
        project_floor(&mut w, scope, "r.project_id");
        self.all(&format!("{RESULT_SELECT} WHERE r.project_id = $1 AND {} ORDER BY r.id", w.and_sql()), w.args, result)
            .await
    }

    async fn record_conversion(&mut self, c: &NewConversion) -> StoreResult<i64> {
        let sql = "INSERT INTO research_conversions (result_id, kind, counterparty, event_date, income_fen, note, \
             agreement_version_id, recorded_by, recorded_at, recorded_side) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
        let (counterparty, date, version) = (&c.counterparty, &c.event_date, c.agreement_version_id);
        let args = args![
            c.result_id,
            c.kind,
            counterparty,
            date,
            c.income_fen,
            &c.note,
            version,
            c.by,
            c.at,
            &c.recorded_side
        ];
        let id: i64 = self.scalar(sql, args).await?;
        for (i, l) in c.lines.iter().enumerate() {
            let sql = "INSERT INTO research_ledger_lines (conversion_id, position, beneficiary_kind, beneficiary_index, \
                 name, org_id, account_id, amount_fen) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
            let position = i64::try_from(i).unwrap_or(i64::MAX);
            let (kind, index) = (&l.beneficiary_kind, l.beneficiary_index);
            self.exec(sql, args![id, position, kind, index, &l.name, l.org_id, l.account_id, l.amount_fen]).await?;
        }
        Ok(id)
    }

    async fn list_conversions(&mut self, scope: &ReadScope, project: i64) -> StoreResult<Vec<ConversionRecord>> {
        let mut w = Filter::after(args![project]);
        project_floor(&mut w, scope, "r.project_id");
        let sql = format!("{CONVERSION_SELECT} WHERE r.project_id = $1 AND {} ORDER BY c.id", w.and_sql());
        let mut out = self.all(&sql, w.args, conversion).await?;
        for c in &mut out {
            c.lines = self.lines_of(c.id).await?;
        }
        Ok(out)
    }

    async fn find_conversion(&mut self, scope: &ReadScope, id: i64) -> StoreResult<Option<ConversionRecord>> {
        let mut w = Filter::after(args![id]);
        project_floor(&mut w, scope, "r.project_id");
        let sql = format!("{CONVERSION_SELECT} WHERE c.id = $1 AND {}", w.and_sql());
        let Some(mut c) = self.opt(&sql, w.args, conversion).await? else { return Ok(None) };
        c.lines = self.lines_of(c.id).await?;
        Ok(Some(c))
    }

    async fn decide_conversion(&mut self, id: i64, d: &ConversionDecision) -> StoreResult<()> {
        let sql = "INSERT INTO research_conversion_decisions (conversion_id, decision, reason, decided_by, decided_at) \
             VALUES ($1, $2, $3, $4, $5)";
        self.exec(sql, args![id, &d.decision, &d.reason, d.decided_by, d.decided_at]).await?;
        Ok(())
    }

    async fn create_programme(
        &mut self,
        agency: OrgId,
        f: &ProgrammeFields,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64> {
        let sql = "INSERT INTO research_programmes (agency_org_id, name, description, eligible_sizes_json, matching_ratio, \
             ceiling_fen, deadline, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
        let sizes = to_json(&f.eligible_sizes)?;
        let args = args![agency, &f.name, &f.description, sizes, f.matching_ratio, f.ceiling_fen, &f.deadline, by, at];
        self.scalar(sql, args).await
    }

    async fn find_programme(&mut self, id: i64) -> StoreResult<Option<ProgrammeRecord>> {
        self.opt(&format!("SELECT {PROGRAMME_COLS} FROM {PROGRAMME_FROM} WHERE g.id = $1"), args![id], programme).await
    }

    async fn list_programmes(&mut self, page: PageRequest) -> StoreResult<Page<ProgrammeRecord>> {
        let w = Filter::default();
        self.page(PROGRAMME_FROM, PROGRAMME_COLS, &w, "g.created_at DESC, g.id DESC", page, programme).await
    }

    async fn create_programme_application(&mut self, a: &NewApplication) -> StoreResult<i64> {
        let sql = "INSERT INTO research_programme_applications (programme_id, project_id, applicant_org_id, requested_fen, \
             enterprise_funding_fen, status, applied_by, applied_at) VALUES ($1, $2, $3, $4, $5, 'submitted', $6, $7) \
             RETURNING id";
        let (requested, funding) = (a.requested_fen, a.enterprise_funding_fen);
        self.scalar(sql, args![a.programme_id, a.project_id, a.applicant_org_id, requested, funding, a.by, a.at]).await
    }

    async fn find_programme_application(&mut self, id: i64) -> StoreResult<Option<ProgrammeApplicationRecord>> {
        self.opt(&format!("{APPLICATION_SELECT} WHERE a.id = $1"), args![id], application).await
    }

    async fn list_programme_applications(
        &mut self,
        programme: Option<i64>,
        project: Option<i64>,
    ) -> StoreResult<Vec<ProgrammeApplicationRecord>> {
        let sql = format!(
            "{APPLICATION_SELECT} WHERE ($1 = 0 OR a.programme_id = $1) AND ($2 = 0 OR a.project_id = $2) ORDER BY a.id"
        );
        self.all(&sql, args![programme.unwrap_or(0), project.unwrap_or(0)], application).await
    }

    async fn award_programme_application(
        &mut self,
        id: i64,
        amount_fen: i64,
        line_id: i64,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()> {
        let sql = "UPDATE research_programme_applications SET status = 'awarded', awarded_fen = $2, line_id = $3, \
             decided_by = $4, decided_at = $5 WHERE id = $1 AND status = 'submitted'";
        self.exec_one(sql, args![id, amount_fen, line_id, by, at], "research_programme_application").await
    }

    async fn measure_facts(&mut self) -> StoreResult<MeasureFacts> {
        let sql = "SELECT id, enterprise_org_id FROM research_problems ORDER BY id";
        let problems = self
            .all(sql, args![], |r| {
                Ok(ProblemFact { problem_id: r.get("id")?, enterprise_org_id: r.get("enterprise_org_id")? })
            })
            .await?;
        let sql = "SELECT DISTINCT o.id, o.name, o.region_code FROM organizations o WHERE o.id IN \
             (SELECT enterprise_org_id FROM research_problems UNION SELECT college_org_id FROM research_teams) \
             ORDER BY o.id";
        let orgs =
            self.all(sql, args![], |r| Ok(row! { r, OrgFact { org_id: r.get("id")?, name, region_code } })).await?;
        let sql = &format!(
            "SELECT j.id, j.problem_id, j.team_id, t.name AS team_name, j.enterprise_org_id, j.college_org_id, \
             j.status, \
             (SELECT COUNT(*) FROM research_results r WHERE r.project_id = j.id) AS results, \
             (SELECT COUNT(*) FROM research_results r WHERE r.project_id = j.id AND EXISTS \
                (SELECT 1 FROM research_conversions c WHERE c.result_id = r.id AND {CONFIRMED})) AS results_converted, \
             (SELECT CAST(COALESCE(SUM(c.income_fen), 0) AS BIGINT) FROM research_conversions c \
                JOIN research_results r ON r.id = c.result_id WHERE r.project_id = j.id AND {CONFIRMED}) AS income_fen \
             FROM research_projects j JOIN research_teams t ON t.id = j.team_id ORDER BY j.id"
        );
        let mut projects = self
            .all(sql, args![], |r| {
                Ok(row! { r, ProjectFact {
                    project_id: r.get("id")?, problem_id, team_id, team_name, enterprise_org_id, college_org_id, status,
                    milestones: 0, accepted: 0, accepted_on_time: 0, results, results_converted, income_fen,
                }})
            })
            .await?;
        let sql = "SELECT project_id, due_date, accepted_at FROM research_milestones";
        let milestones: Vec<(i64, String, Option<i64>)> =
            self.all(sql, args![], |r| Ok((r.get("project_id")?, r.get("due_date")?, r.get("accepted_at")?))).await?;
        let mut by_project: HashMap<i64, usize> = HashMap::new();
        for (i, p) in projects.iter().enumerate() {
            by_project.insert(p.project_id, i);
        }
        for (project, due, accepted) in milestones {
            let Some(p) = by_project.get(&project).and_then(|i| projects.get_mut(*i)) else { continue };
            p.milestones += 1;
            if let Some(at) = accepted {
                p.accepted += 1;
                // Due dates are Asia/Shanghai days; an acceptance on the due day is on time.
                let on_time = Date::parse("due_date", &due).is_ok_and(|d| Date::shanghai_of(Timestamp(at)) <= d);
                p.accepted_on_time += i64::from(on_time);
            }
        }
        Ok(MeasureFacts { problems, projects, orgs })
    }
}
