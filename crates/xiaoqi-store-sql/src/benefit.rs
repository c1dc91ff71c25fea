//! Agreements (versions and signatures), results, conversion events with their append-only
//! ledger, government programmes and applications, and the facts of the measures.

use std::collections::HashMap;

use async_trait::async_trait;
use sqlx::Row;
use sqlx::any::AnyRow;
use xiaoqi_domain::benefit::Terms;
use xiaoqi_domain::conversion::{ConversionKind, ResultKind};
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::research::ProjectStatus;
use xiaoqi_domain::time::{Date, Timestamp};
use xiaoqi_store::{
    AccountId, AgreementSignatureRecord, AgreementVersionRecord, BenefitRepo, ConversionRecord, LedgerLine,
    MeasureFacts, Millis, NewApplication, NewConversion, NewResult, OrgFact, OrgId, ProblemFact,
    ProgrammeApplicationRecord, ProgrammeFields, ProgrammeRecord, ProjectFact, ResultRecord, StoreResult,
};

use crate::conn::{Filter, SqlConn, code, expect_one, fetch_page, json_col, map_err, to_json};
use crate::research::collect;

const VERSION_COLS: &str = "id, project_id, version, terms_json, proposed_by, proposed_at, in_force_at, superseded_at";

fn row_to_version(r: &AnyRow) -> Result<AgreementVersionRecord, sqlx::Error> {
    Ok(AgreementVersionRecord {
        id: r.try_get("id")?,
        project_id: r.try_get("project_id")?,
        version: r.try_get("version")?,
        terms: json_col::<Terms>(r, "terms_json")?,
        proposed_by: r.try_get("proposed_by")?,
        proposed_at: r.try_get("proposed_at")?,
        in_force_at: r.try_get("in_force_at")?,
        superseded_at: r.try_get("superseded_at")?,
        signatures: Vec::new(),
    })
}

const RESULT_SELECT: &str = "SELECT r.id, r.project_id, r.kind, r.title, r.registration_no, r.result_date, \
     r.owners_json, r.created_by, r.created_at, \
     (SELECT COUNT(*) FROM research_conversions c WHERE c.result_id = r.id) AS conversions, \
     (SELECT CAST(COALESCE(SUM(c.income_fen), 0) AS BIGINT) FROM research_conversions c WHERE c.result_id = r.id) AS income_fen \
     FROM research_results r";

fn row_to_result(r: &AnyRow) -> Result<ResultRecord, sqlx::Error> {
    Ok(ResultRecord {
        id: r.try_get("id")?,
        project_id: r.try_get("project_id")?,
        kind: code(r, "kind", ResultKind::parse)?,
        title: r.try_get("title")?,
        registration_no: r.try_get("registration_no")?,
        result_date: r.try_get("result_date")?,
        owners: json_col(r, "owners_json")?,
        conversions: r.try_get("conversions")?,
        income_fen: r.try_get("income_fen")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
    })
}

fn row_to_conversion(r: &AnyRow) -> Result<ConversionRecord, sqlx::Error> {
    Ok(ConversionRecord {
        id: r.try_get("id")?,
        result_id: r.try_get("result_id")?,
        result_title: r.try_get("result_title")?,
        project_id: r.try_get("project_id")?,
        kind: code(r, "kind", ConversionKind::parse)?,
        counterparty: r.try_get("counterparty")?,
        event_date: r.try_get("event_date")?,
        income_fen: r.try_get("income_fen")?,
        note: r.try_get("note")?,
        agreement_version: r.try_get("agreement_version")?,
        lines: Vec::new(),
        recorded_by: r.try_get("recorded_by")?,
        recorded_at: r.try_get("recorded_at")?,
    })
}

const PROGRAMME_COLS: &str = "g.id, g.agency_org_id, o.name AS agency_name, g.name, g.description, \
     g.eligible_sizes_json, g.matching_ratio, g.ceiling_fen, g.deadline, g.created_by, g.created_at";
const PROGRAMME_FROM: &str = "research_programmes g JOIN organizations o ON o.id = g.agency_org_id";

fn row_to_programme(r: &AnyRow) -> Result<ProgrammeRecord, sqlx::Error> {
    Ok(ProgrammeRecord {
        id: r.try_get("id")?,
        agency_org_id: r.try_get("agency_org_id")?,
        agency_name: r.try_get("agency_name")?,
        fields: ProgrammeFields {
            name: r.try_get("name")?,
            description: r.try_get("description")?,
            eligible_sizes: json_col(r, "eligible_sizes_json")?,
            matching_ratio: r.try_get("matching_ratio")?,
            ceiling_fen: r.try_get("ceiling_fen")?,
            deadline: r.try_get("deadline")?,
        },
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
    })
}

const APPLICATION_SELECT: &str = "SELECT a.id, a.programme_id, g.name AS programme_name, g.agency_org_id, \
     a.project_id, j.title AS project_title, j.enterprise_org_id, j.college_org_id, a.applicant_org_id, \
     o.name AS applicant_name, a.requested_fen, a.enterprise_funding_fen, a.status, a.awarded_fen, a.line_id, \
     a.applied_by, a.applied_at, a.decided_by, a.decided_at FROM research_programme_applications a \
     JOIN research_programmes g ON g.id = a.programme_id JOIN research_projects j ON j.id = a.project_id \
     JOIN organizations o ON o.id = a.applicant_org_id";

fn row_to_application(r: &AnyRow) -> Result<ProgrammeApplicationRecord, sqlx::Error> {
    Ok(ProgrammeApplicationRecord {
        id: r.try_get("id")?,
        programme_id: r.try_get("programme_id")?,
        programme_name: r.try_get("programme_name")?,
        agency_org_id: r.try_get("agency_org_id")?,
        project_id: r.try_get("project_id")?,
        project_title: r.try_get("project_title")?,
        enterprise_org_id: r.try_get("enterprise_org_id")?,
        college_org_id: r.try_get("college_org_id")?,
        applicant_org_id: r.try_get("applicant_org_id")?,
        applicant_name: r.try_get("applicant_name")?,
        requested_fen: r.try_get("requested_fen")?,
        enterprise_funding_fen: r.try_get("enterprise_funding_fen")?,
        status: r.try_get("status")?,
        awarded_fen: r.try_get("awarded_fen")?,
        line_id: r.try_get("line_id")?,
        applied_by: r.try_get("applied_by")?,
        applied_at: r.try_get("applied_at")?,
        decided_by: r.try_get("decided_by")?,
        decided_at: r.try_get("decided_at")?,
    })
}

impl SqlConn {
    async fn signatures_of(&mut self, version_id: i64) -> StoreResult<Vec<AgreementSignatureRecord>> {
        let rows = sqlx::query(
            "SELECT s.org_id, o.name AS org_name, s.signed_by, a.display_name AS signer_name, s.signed_at \
             FROM research_agreement_signatures s JOIN organizations o ON o.id = s.org_id \
             JOIN accounts a ON a.id = s.signed_by WHERE s.version_id = $1 ORDER BY s.signed_at, s.org_id",
        )
        .bind(version_id)
        .fetch_all(self.c())
        .await
        .map_err(map_err)?;
        collect(&rows, |r| {
            Ok(AgreementSignatureRecord {
                org_id: r.try_get("org_id")?,
                org_name: r.try_get("org_name")?,
                signed_by: r.try_get("signed_by")?,
                signer_name: r.try_get("signer_name")?,
                signed_at: r.try_get("signed_at")?,
            })
        })
    }

    async fn lines_of(&mut self, conversion: i64) -> StoreResult<Vec<LedgerLine>> {
        let rows = sqlx::query(
            "SELECT beneficiary_kind, beneficiary_index, name, org_id, account_id, amount_fen \
             FROM research_ledger_lines WHERE conversion_id = $1 ORDER BY position",
        )
        .bind(conversion)
        .fetch_all(self.c())
        .await
        .map_err(map_err)?;
        collect(&rows, |r| {
            Ok(LedgerLine {
                beneficiary_kind: r.try_get("beneficiary_kind")?,
                beneficiary_index: r.try_get("beneficiary_index")?,
                name: r.try_get("name")?,
                org_id: r.try_get("org_id")?,
                account_id: r.try_get("account_id")?,
                amount_fen: r.try_get("amount_fen")?,
            })
        })
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
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO research_agreement_versions (project_id, version, terms_json, proposed_by, proposed_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(project)
        .bind(version)
        .bind(to_json(terms)?)
        .bind(by)
        .bind(at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)?;
        sqlx::query(
            "UPDATE research_agreement_versions SET superseded_at = $3 \
             WHERE project_id = $1 AND id <> $2 AND in_force_at IS NULL AND superseded_at IS NULL",
        )
        .bind(project)
        .bind(id)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        Ok(id)
    }

    async fn list_agreement_versions(&mut self, project: i64) -> StoreResult<Vec<AgreementVersionRecord>> {
        let sql =
            format!("SELECT {VERSION_COLS} FROM research_agreement_versions WHERE project_id = $1 ORDER BY version");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(project).fetch_all(self.c()).await.map_err(map_err)?;
        let mut out = collect(&rows, row_to_version)?;
        for v in &mut out {
            v.signatures = self.signatures_of(v.id).await?;
        }
        Ok(out)
    }

    async fn sign_agreement(&mut self, version_id: i64, org: OrgId, by: AccountId, at: Millis) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO research_agreement_signatures (version_id, org_id, signed_by, signed_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(version_id)
        .bind(org)
        .bind(by)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn put_agreement_in_force(&mut self, version_id: i64, at: Millis) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE research_agreement_versions SET in_force_at = $2 \
             WHERE id = $1 AND in_force_at IS NULL AND superseded_at IS NULL",
        )
        .bind(version_id)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        expect_one(done, "research_agreement_version")
    }

    async fn create_result(&mut self, r: &NewResult) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO research_results (project_id, kind, title, registration_no, result_date, owners_json, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(r.project_id)
        .bind(r.kind.as_str())
        .bind(&r.title)
        .bind(&r.registration_no)
        .bind(&r.result_date)
        .bind(to_json(&r.owners)?)
        .bind(r.by)
        .bind(r.at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn find_result(&mut self, id: i64) -> StoreResult<Option<ResultRecord>> {
        let sql = format!("{RESULT_SELECT} WHERE r.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.c()).await.map_err(map_err)?;
        row.as_ref().map(row_to_result).transpose().map_err(map_err)
    }

    async fn list_results(&mut self, project: i64) -> StoreResult<Vec<ResultRecord>> {
        let sql = format!("{RESULT_SELECT} WHERE r.project_id = $1 ORDER BY r.id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(project).fetch_all(self.c()).await.map_err(map_err)?;
        collect(&rows, row_to_result)
    }

    async fn record_conversion(&mut self, c: &NewConversion) -> StoreResult<i64> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO research_conversions (result_id, kind, counterparty, event_date, income_fen, note, \
             agreement_version_id, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(c.result_id)
        .bind(c.kind.as_str())
        .bind(&c.counterparty)
        .bind(&c.event_date)
        .bind(c.income_fen)
        .bind(&c.note)
        .bind(c.agreement_version_id)
        .bind(c.by)
        .bind(c.at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)?;
        for (i, l) in c.lines.iter().enumerate() {
            sqlx::query(
                "INSERT INTO research_ledger_lines (conversion_id, position, beneficiary_kind, beneficiary_index, \
                 name, org_id, account_id, amount_fen) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id)
            .bind(i64::try_from(i).unwrap_or(i64::MAX))
            .bind(&l.beneficiary_kind)
            .bind(l.beneficiary_index)
            .bind(&l.name)
            .bind(l.org_id)
            .bind(l.account_id)
            .bind(l.amount_fen)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        }
        Ok(id)
    }

    async fn list_conversions(&mut self, project: i64) -> StoreResult<Vec<ConversionRecord>> {
        let rows = sqlx::query(
            "SELECT c.id, c.result_id, r.title AS result_title, r.project_id, c.kind, c.counterparty, c.event_date, \
             c.income_fen, c.note, v.version AS agreement_version, c.recorded_by, c.recorded_at \
             FROM research_conversions c JOIN research_results r ON r.id = c.result_id \
             JOIN research_agreement_versions v ON v.id = c.agreement_version_id \
             WHERE r.project_id = $1 ORDER BY c.id",
        )
        .bind(project)
        .fetch_all(self.c())
        .await
        .map_err(map_err)?;
        let mut out = collect(&rows, row_to_conversion)?;
        for c in &mut out {
            c.lines = self.lines_of(c.id).await?;
        }
        Ok(out)
    }

    async fn create_programme(
        &mut self,
        agency: OrgId,
        f: &ProgrammeFields,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO research_programmes (agency_org_id, name, description, eligible_sizes_json, matching_ratio, \
             ceiling_fen, deadline, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(agency)
        .bind(&f.name)
        .bind(&f.description)
        .bind(to_json(&f.eligible_sizes)?)
        .bind(f.matching_ratio)
        .bind(f.ceiling_fen)
        .bind(&f.deadline)
        .bind(by)
        .bind(at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn find_programme(&mut self, id: i64) -> StoreResult<Option<ProgrammeRecord>> {
        let sql = format!("SELECT {PROGRAMME_COLS} FROM {PROGRAMME_FROM} WHERE g.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.c()).await.map_err(map_err)?;
        row.as_ref().map(row_to_programme).transpose().map_err(map_err)
    }

    async fn list_programmes(&mut self, page: PageRequest) -> StoreResult<Page<ProgrammeRecord>> {
        let w = Filter::default();
        fetch_page(self.c(), PROGRAMME_FROM, PROGRAMME_COLS, &w, "g.created_at DESC, g.id DESC", page, row_to_programme)
            .await
    }

    async fn create_programme_application(&mut self, a: &NewApplication) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO research_programme_applications (programme_id, project_id, applicant_org_id, requested_fen, \
             enterprise_funding_fen, status, applied_by, applied_at) VALUES ($1, $2, $3, $4, $5, 'submitted', $6, $7) \
             RETURNING id",
        )
        .bind(a.programme_id)
        .bind(a.project_id)
        .bind(a.applicant_org_id)
        .bind(a.requested_fen)
        .bind(a.enterprise_funding_fen)
        .bind(a.by)
        .bind(a.at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn find_programme_application(&mut self, id: i64) -> StoreResult<Option<ProgrammeApplicationRecord>> {
        let sql = format!("{APPLICATION_SELECT} WHERE a.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.c()).await.map_err(map_err)?;
        row.as_ref().map(row_to_application).transpose().map_err(map_err)
    }

    async fn list_programme_applications(
        &mut self,
        programme: Option<i64>,
        project: Option<i64>,
    ) -> StoreResult<Vec<ProgrammeApplicationRecord>> {
        let sql = format!(
            "{APPLICATION_SELECT} WHERE ($1 = 0 OR a.programme_id = $1) AND ($2 = 0 OR a.project_id = $2) ORDER BY a.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(programme.unwrap_or(0))
            .bind(project.unwrap_or(0))
            .fetch_all(self.c())
            .await
            .map_err(map_err)?;
        collect(&rows, row_to_application)
    }

    async fn award_programme_application(
        &mut self,
        id: i64,
        amount_fen: i64,
        line_id: i64,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE research_programme_applications SET status = 'awarded', awarded_fen = $2, line_id = $3, \
             decided_by = $4, decided_at = $5 WHERE id = $1 AND status = 'submitted'",
        )
        .bind(id)
        .bind(amount_fen)
        .bind(line_id)
        .bind(by)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        expect_one(done, "research_programme_application")
    }

    async fn measure_facts(&mut self) -> StoreResult<MeasureFacts> {
        let rows = sqlx::query("SELECT id, enterprise_org_id FROM research_problems ORDER BY id")
            .fetch_all(self.c())
            .await
            .map_err(map_err)?;
        let problems = collect(&rows, |r| {
            Ok(ProblemFact { problem_id: r.try_get("id")?, enterprise_org_id: r.try_get("enterprise_org_id")? })
        })?;
        let rows = sqlx::query(
            "SELECT DISTINCT o.id, o.name, o.region_code FROM organizations o WHERE o.id IN \
             (SELECT enterprise_org_id FROM research_problems UNION SELECT college_org_id FROM research_teams) \
             ORDER BY o.id",
        )
        .fetch_all(self.c())
        .await
        .map_err(map_err)?;
        let orgs = collect(&rows, |r| {
            Ok(OrgFact { org_id: r.try_get("id")?, name: r.try_get("name")?, region_code: r.try_get("region_code")? })
        })?;
        let rows = sqlx::query(
            "SELECT j.id, j.problem_id, j.team_id, t.name AS team_name, j.enterprise_org_id, j.college_org_id, \
             j.status, \
             (SELECT COUNT(*) FROM research_results r WHERE r.project_id = j.id) AS results, \
             (SELECT COUNT(*) FROM research_results r WHERE r.project_id = j.id AND EXISTS \
                (SELECT 1 FROM research_conversions c WHERE c.result_id = r.id)) AS results_converted, \
             (SELECT CAST(COALESCE(SUM(c.income_fen), 0) AS BIGINT) FROM research_conversions c \
                JOIN research_results r ON r.id = c.result_id WHERE r.project_id = j.id) AS income_fen \
             FROM research_projects j JOIN research_teams t ON t.id = j.team_id ORDER BY j.id",
        )
        .fetch_all(self.c())
        .await
        .map_err(map_err)?;
        let mut projects = collect(&rows, |r| {
            Ok(ProjectFact {
                project_id: r.try_get("id")?,
                problem_id: r.try_get("problem_id")?,
                team_id: r.try_get("team_id")?,
                team_name: r.try_get("team_name")?,
                enterprise_org_id: r.try_get("enterprise_org_id")?,
                college_org_id: r.try_get("college_org_id")?,
                status: code(r, "status", ProjectStatus::parse)?,
                milestones: 0,
                accepted: 0,
                accepted_on_time: 0,
                results: r.try_get("results")?,
                results_converted: r.try_get("results_converted")?,
                income_fen: r.try_get("income_fen")?,
            })
        })?;
        let rows = sqlx::query("SELECT project_id, due_date, accepted_at FROM research_milestones")
            .fetch_all(self.c())
            .await
            .map_err(map_err)?;
        let mut by_project: HashMap<i64, usize> = HashMap::new();
        for (i, p) in projects.iter().enumerate() {
            by_project.insert(p.project_id, i);
        }
        for r in &rows {
            let project: i64 = r.try_get("project_id").map_err(map_err)?;
            let due: String = r.try_get("due_date").map_err(map_err)?;
            let accepted: Option<i64> = r.try_get("accepted_at").map_err(map_err)?;
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
