//! Order classes: classes, versions of terms, signatures, enrolments, scores, employment
//! decisions and the scholarship ledger.

use async_trait::async_trait;
use sqlx::Row;
use sqlx::any::AnyRow;
use xiaoqi_domain::order_class::{EmploymentStatus, OrderClassStatus, Terms};
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::service::Side;
use xiaoqi_store::{
    AccountId, DisbursementRecord, EmploymentRecord, EnrolmentRecord, Millis, NewDisbursement, OrderClassFilter,
    OrderClassRecord, OrderClassRepo, OrgId, ScoreRecord, SignatureRecord, StoreError, StoreResult, TermsVersionRecord,
};

use crate::conn::{Arg, Filter, SqlConn, code, expect_one, fetch_page, json_col, map_err, to_json};

const CLASS_COLS: &str = "c.id, c.college_org_id, co.name AS college_name, c.enterprise_org_id, \
     eo.name AS enterprise_name, c.status, c.current_version, v.terms_json, c.created_by, c.created_at, c.updated_at";
const CLASS_FROM: &str = "order_classes c JOIN organizations co ON co.id = c.college_org_id \
     JOIN organizations eo ON eo.id = c.enterprise_org_id \
     JOIN order_class_versions v ON v.class_id = c.id AND v.version = c.current_version";

fn row_to_class(r: &AnyRow) -> Result<OrderClassRecord, sqlx::Error> {
    Ok(OrderClassRecord {
        id: r.try_get("id")?,
        college_org_id: r.try_get("college_org_id")?,
        college_name: r.try_get("college_name")?,
        enterprise_org_id: r.try_get("enterprise_org_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        status: code(r, "status", OrderClassStatus::parse)?,
        current_version: r.try_get("current_version")?,
        terms: json_col(r, "terms_json")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn side_col(side: Side) -> &'static str {
    match side {
        Side::College => "college",
        Side::Enterprise => "enterprise",
    }
}

fn opt_flag(r: &AnyRow, col: &str) -> Result<Option<bool>, sqlx::Error> {
    Ok(r.try_get::<Option<i64>, _>(col)?.map(|v| v != 0))
}

/// `col IN ($a, $b, …)` over `orgs`, or a condition that holds for no row when there are none.
fn any_party(w: &mut Filter, orgs: &[OrgId], prefix: &str) {
    if orgs.is_empty() {
        w.push_raw(&format!("{prefix}1 = 0"));
        return;
    }
    let marks = vec!["{}"; orgs.len()].join(", ");
    let sql = format!("{prefix}c.college_org_id IN ({marks}) OR c.enterprise_org_id IN ({marks})");
    let args = orgs.iter().chain(orgs).map(|o| Arg::Int(*o)).collect();
    w.push_many(&format!("({sql})"), args);
}

/// Rows of a simple per-class query, mapped.
async fn rows_of<T>(
    c: &mut SqlConn,
    sql: &'static str,
    id: i64,
    map: impl Fn(&AnyRow) -> Result<T, sqlx::Error>,
) -> StoreResult<Vec<T>> {
    let rows = sqlx::query(sql).bind(id).fetch_all(c.c()).await.map_err(map_err)?;
    rows.iter().map(map).collect::<Result<_, sqlx::Error>>().map_err(map_err)
}

#[async_trait]
impl OrderClassRepo for SqlConn {
    async fn create_order_class(
        &mut self,
        college: OrgId,
        enterprise: OrgId,
        terms: &Terms,
        by: AccountId,
        side: Side,
        at: Millis,
    ) -> StoreResult<i64> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO order_classes (college_org_id, enterprise_org_id, status, current_version, created_by, \
             created_at, updated_at) VALUES ($1, $2, 'draft', 1, $3, $4, $4) RETURNING id",
        )
        .bind(college)
        .bind(enterprise)
        .bind(by)
        .bind(at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)?;
        self.create_terms_version(id, 1, terms, by, side, at).await?;
        Ok(id)
    }

    async fn find_order_class(&mut self, id: i64) -> StoreResult<Option<OrderClassRecord>> {
        let sql = format!("SELECT {CLASS_COLS} FROM {CLASS_FROM} WHERE c.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(self.c()).await.map_err(map_err)?;
        row.as_ref().map(row_to_class).transpose().map_err(map_err)
    }

    async fn list_order_classes(
        &mut self,
        f: &OrderClassFilter,
        page: PageRequest,
    ) -> StoreResult<Page<OrderClassRecord>> {
        let mut w = Filter::default();
        if let Some(orgs) = &f.orgs {
            any_party(&mut w, orgs, "");
            if f.draft_orgs.is_empty() {
                w.push_raw("c.status <> 'draft'");
            } else {
                any_party(&mut w, &f.draft_orgs, "c.status <> 'draft' OR ");
            }
        }
        if let Some(s) = f.status {
            w.push("c.status = {}", Arg::Text(s.as_str().into()));
        }
        fetch_page(self.c(), CLASS_FROM, CLASS_COLS, &w, "c.updated_at DESC, c.id DESC", page, row_to_class).await
    }

    async fn replace_draft_terms(&mut self, id: i64, terms: &Terms, at: Millis) -> StoreResult<()> {
        let done = sqlx::query("UPDATE order_classes SET updated_at = $2 WHERE id = $1 AND status = 'draft'")
            .bind(id)
            .bind(at)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict { constraint: "order_class_not_draft".into() });
        }
        sqlx::query("DELETE FROM order_class_signatures WHERE class_id = $1 AND version = 1")
            .bind(id)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        let done = sqlx::query(
            "UPDATE order_class_versions SET terms_json = $2, proposed_at = $3 WHERE class_id = $1 AND version = 1",
        )
        .bind(id)
        .bind(to_json(terms)?)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        expect_one(done, "order_class_version")
    }

    async fn create_terms_version(
        &mut self,
        id: i64,
        version: i64,
        terms: &Terms,
        by: AccountId,
        side: Side,
        at: Millis,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO order_class_versions (class_id, version, terms_json, proposed_by, proposed_side, \
             proposed_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(version)
        .bind(to_json(terms)?)
        .bind(by)
        .bind(side_col(side))
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn list_terms_versions(&mut self, id: i64) -> StoreResult<Vec<TermsVersionRecord>> {
        rows_of(
            self,
            "SELECT class_id, version, terms_json, proposed_by, proposed_side, proposed_at, effective_at \
             FROM order_class_versions WHERE class_id = $1 ORDER BY version",
            id,
            |r| {
                Ok(TermsVersionRecord {
                    class_id: r.try_get("class_id")?,
                    version: r.try_get("version")?,
                    terms: json_col(r, "terms_json")?,
                    proposed_by: r.try_get("proposed_by")?,
                    proposed_side: code(r, "proposed_side", Side::parse)?,
                    proposed_at: r.try_get("proposed_at")?,
                    effective_at: r.try_get("effective_at")?,
                })
            },
        )
        .await
    }

    async fn add_signature(
        &mut self,
        id: i64,
        version: i64,
        side: Side,
        by: AccountId,
        role: &str,
        at: Millis,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO order_class_signatures (class_id, version, side, account_id, role, signed_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(version)
        .bind(side_col(side))
        .bind(by)
        .bind(role)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn list_signatures(&mut self, id: i64) -> StoreResult<Vec<SignatureRecord>> {
        rows_of(
            self,
            "SELECT s.class_id, s.version, s.side, s.account_id, a.display_name, s.role, s.signed_at \
             FROM order_class_signatures s JOIN accounts a ON a.id = s.account_id \
             WHERE s.class_id = $1 ORDER BY s.version, s.signed_at, s.side",
            id,
            |r| {
                Ok(SignatureRecord {
                    class_id: r.try_get("class_id")?,
                    version: r.try_get("version")?,
                    side: code(r, "side", Side::parse)?,
                    account_id: r.try_get("account_id")?,
                    signer_name: r.try_get("display_name")?,
                    role: r.try_get("role")?,
                    signed_at: r.try_get("signed_at")?,
                })
            },
        )
        .await
    }

    async fn set_order_class_status(
        &mut self,
        id: i64,
        from: OrderClassStatus,
        to: OrderClassStatus,
        at: Millis,
    ) -> StoreResult<()> {
        let done = sqlx::query("UPDATE order_classes SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2")
            .bind(id)
            .bind(from.as_str())
            .bind(to.as_str())
            .bind(at)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        expect_one(done, "order_class")
    }

    async fn set_current_version(&mut self, id: i64, version: i64, at: Millis) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE order_class_versions SET effective_at = $3 WHERE class_id = $1 AND version = $2 \
             AND effective_at IS NULL",
        )
        .bind(id)
        .bind(version)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        expect_one(done, "order_class_version")?;
        let done = sqlx::query("UPDATE order_classes SET current_version = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(version)
            .bind(at)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        expect_one(done, "order_class")
    }

    async fn create_enrolment(&mut self, id: i64, student: AccountId, at: Millis) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO order_class_enrolments (class_id, student_id, applied_at, consented_at) \
             VALUES ($1, $2, $3, $3)",
        )
        .bind(id)
        .bind(student)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn set_selection(
        &mut self,
        id: i64,
        student: AccountId,
        side: Side,
        selected: bool,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()> {
        let s = side_col(side);
        let sql = format!(
            "UPDATE order_class_enrolments SET {s}_selected = $3, {s}_decided_by = $4, {s}_decided_at = $5 \
             WHERE class_id = $1 AND student_id = $2"
        );
        let done = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(student)
            .bind(i64::from(selected))
            .bind(by)
            .bind(at)
            .execute(self.c())
            .await
            .map_err(map_err)?;
        expect_one(done, "order_class_enrolment")
    }

    async fn list_enrolments(&mut self, id: i64) -> StoreResult<Vec<EnrolmentRecord>> {
        rows_of(
            self,
            "SELECT e.class_id, e.student_id, a.display_name, e.applied_at, e.consented_at, e.college_selected, \
             e.enterprise_selected, e.college_decided_by, e.enterprise_decided_by \
             FROM order_class_enrolments e JOIN accounts a ON a.id = e.student_id \
             WHERE e.class_id = $1 ORDER BY e.applied_at, e.student_id",
            id,
            |r| {
                Ok(EnrolmentRecord {
                    class_id: r.try_get("class_id")?,
                    student_id: r.try_get("student_id")?,
                    student_name: r.try_get("display_name")?,
                    applied_at: r.try_get("applied_at")?,
                    consented_at: r.try_get("consented_at")?,
                    college_selected: opt_flag(r, "college_selected")?,
                    enterprise_selected: opt_flag(r, "enterprise_selected")?,
                    college_decided_by: r.try_get("college_decided_by")?,
                    enterprise_decided_by: r.try_get("enterprise_decided_by")?,
                })
            },
        )
        .await
    }

    async fn put_score(
        &mut self,
        id: i64,
        student: AccountId,
        side: Side,
        score_tenths: i64,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()> {
        // Update first, insert when there was nothing: one statement either way, so a refused
        // score (the CHECK) leaves the previous one in place even outside a transaction.
        let done = sqlx::query(
            "UPDATE order_class_scores SET score_tenths = $4, scored_by = $5, scored_at = $6 \
             WHERE class_id = $1 AND student_id = $2 AND side = $3",
        )
        .bind(id)
        .bind(student)
        .bind(side_col(side))
        .bind(score_tenths)
        .bind(by)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        if done.rows_affected() > 0 {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO order_class_scores (class_id, student_id, side, score_tenths, scored_by, scored_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(student)
        .bind(side_col(side))
        .bind(score_tenths)
        .bind(by)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn list_scores(&mut self, id: i64) -> StoreResult<Vec<ScoreRecord>> {
        rows_of(
            self,
            "SELECT class_id, student_id, side, score_tenths, scored_by, scored_at FROM order_class_scores \
             WHERE class_id = $1 ORDER BY student_id, side",
            id,
            |r| {
                Ok(ScoreRecord {
                    class_id: r.try_get("class_id")?,
                    student_id: r.try_get("student_id")?,
                    side: code(r, "side", Side::parse)?,
                    score_tenths: r.try_get("score_tenths")?,
                    scored_by: r.try_get("scored_by")?,
                    scored_at: r.try_get("scored_at")?,
                })
            },
        )
        .await
    }

    async fn create_offer(
        &mut self,
        id: i64,
        student: AccountId,
        post_title: &str,
        monthly_pay_fen: i64,
        by: AccountId,
        at: Millis,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO order_class_employment (class_id, student_id, status, post_title, monthly_pay_fen, \
             offered_by, offered_at) VALUES ($1, $2, 'offered', $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(student)
        .bind(post_title)
        .bind(monthly_pay_fen)
        .bind(by)
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn answer_offer(
        &mut self,
        id: i64,
        student: AccountId,
        status: EmploymentStatus,
        reason: Option<&str>,
        at: Millis,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE order_class_employment SET status = $3, decline_reason = $4, decided_at = $5 \
             WHERE class_id = $1 AND student_id = $2 AND status = 'offered'",
        )
        .bind(id)
        .bind(student)
        .bind(status.as_str())
        .bind(reason.map(str::to_string))
        .bind(at)
        .execute(self.c())
        .await
        .map_err(map_err)?;
        expect_one(done, "order_class_offer")
    }

    async fn list_employment(&mut self, id: i64) -> StoreResult<Vec<EmploymentRecord>> {
        rows_of(
            self,
            "SELECT class_id, student_id, status, post_title, monthly_pay_fen, offered_by, offered_at, decided_at, \
             decline_reason FROM order_class_employment WHERE class_id = $1 ORDER BY student_id",
            id,
            |r| {
                Ok(EmploymentRecord {
                    class_id: r.try_get("class_id")?,
                    student_id: r.try_get("student_id")?,
                    status: code(r, "status", EmploymentStatus::parse)?,
                    post_title: r.try_get("post_title")?,
                    monthly_pay_fen: r.try_get("monthly_pay_fen")?,
                    offered_by: r.try_get("offered_by")?,
                    offered_at: r.try_get("offered_at")?,
                    decided_at: r.try_get("decided_at")?,
                    decline_reason: r.try_get("decline_reason")?,
                })
            },
        )
        .await
    }

    async fn append_disbursement(&mut self, d: &NewDisbursement) -> StoreResult<i64> {
        sqlx::query_scalar(
            "INSERT INTO order_class_disbursements (class_id, student_id, scholarship, amount_fen, paid_on, \
             recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(d.class_id)
        .bind(d.student_id)
        .bind(&d.scholarship)
        .bind(d.amount_fen)
        .bind(&d.paid_on)
        .bind(d.recorded_by)
        .bind(d.recorded_at)
        .fetch_one(self.c())
        .await
        .map_err(map_err)
    }

    async fn list_disbursements(&mut self, id: i64) -> StoreResult<Vec<DisbursementRecord>> {
        rows_of(
            self,
            "SELECT d.id, d.class_id, d.student_id, a.display_name, d.scholarship, d.amount_fen, d.paid_on, \
             d.recorded_by, d.recorded_at FROM order_class_disbursements d JOIN accounts a ON a.id = d.student_id \
             WHERE d.class_id = $1 ORDER BY d.id",
            id,
            |r| {
                Ok(DisbursementRecord {
                    id: r.try_get("id")?,
                    class_id: r.try_get("class_id")?,
                    student_id: r.try_get("student_id")?,
                    student_name: r.try_get("display_name")?,
                    scholarship: r.try_get("scholarship")?,
                    amount_fen: r.try_get("amount_fen")?,
                    paid_on: r.try_get("paid_on")?,
                    recorded_by: r.try_get("recorded_by")?,
                    recorded_at: r.try_get("recorded_at")?,
                })
            },
        )
        .await
    }
}
