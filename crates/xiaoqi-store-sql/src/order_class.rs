//! Order classes: classes, versions of terms, signatures, enrolments, scores, employment
//! decisions and the scholarship ledger.

use async_trait::async_trait;
use xiaoqi_domain::order_class::{EmploymentStatus, OrderClassStatus, Terms};
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::service::Side;
use xiaoqi_store::{
    AccountId, DisbursementRecord, EmploymentRecord, EnrolmentRecord, Millis, NewDisbursement, OrderClassFilter,
    OrderClassRecord, OrderClassRepo, OrgId, ReadScope, ScoreRecord, SignatureRecord, StoreError, StoreResult,
    TermsVersionRecord,
};

use crate::conn::{Arg, Filter, Row, SqlConn, args, row, to_json};

const CLASS_COLS: &str = "c.id, c.college_org_id, co.name AS college_name, c.enterprise_org_id, \
     eo.name AS enterprise_name, c.status, c.current_version, v.terms_json, c.created_by, c.created_at, c.updated_at";
const CLASS_FROM: &str = "order_classes c JOIN organizations co ON co.id = c.college_org_id \
     JOIN organizations eo ON eo.id = c.enterprise_org_id \
     JOIN order_class_versions v ON v.class_id = c.id AND v.version = c.current_version";

fn class(r: &Row) -> StoreResult<OrderClassRecord> {
    Ok(row! { r, OrderClassRecord {
        id, college_org_id, college_name, enterprise_org_id, enterprise_name, status, current_version,
        terms: r.json("terms_json")?, created_by, created_at, updated_at,
    }})
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
        let sql = "INSERT INTO order_classes (college_org_id, enterprise_org_id, status, current_version, created_by, \
             created_at, updated_at) VALUES ($1, $2, 'draft', 1, $3, $4, $4) RETURNING id";
        let id: i64 = self.scalar(sql, args![college, enterprise, by, at]).await?;
        self.create_terms_version(id, 1, terms, by, side, at).await?;
        Ok(id)
    }

    async fn find_order_class(&mut self, scope: &ReadScope, id: i64) -> StoreResult<Option<OrderClassRecord>> {
        let mut w = Filter::after(args![id]);
        w.scope(scope, &["c.college_org_id", "c.enterprise_org_id"], None);
        self.opt(&format!("SELECT {CLASS_COLS} FROM {CLASS_FROM} WHERE c.id = $1 AND {}", w.and_sql()), w.args, class)
            .await
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
            w.push("c.status = {}", s);
        }
        self.page(CLASS_FROM, CLASS_COLS, &w, "c.updated_at DESC, c.id DESC", page, class).await
    }

    async fn replace_draft_terms(&mut self, id: i64, terms: &Terms, at: Millis) -> StoreResult<()> {
        let sql = "UPDATE order_classes SET updated_at = $2 WHERE id = $1 AND status = 'draft'";
        if self.exec(sql, args![id, at]).await? == 0 {
            return Err(StoreError::Conflict { constraint: "order_class_not_draft".into() });
        }
        self.exec("DELETE FROM order_class_signatures WHERE class_id = $1 AND version = 1", args![id]).await?;
        let sql =
            "UPDATE order_class_versions SET terms_json = $2, proposed_at = $3 WHERE class_id = $1 AND version = 1";
        self.exec_one(sql, args![id, to_json(terms)?, at], "order_class_version").await
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
        let sql = "INSERT INTO order_class_versions (class_id, version, terms_json, proposed_by, proposed_side, \
             proposed_at) VALUES ($1, $2, $3, $4, $5, $6)";
        self.exec(sql, args![id, version, to_json(terms)?, by, side, at]).await?;
        Ok(())
    }

    async fn list_terms_versions(&mut self, id: i64) -> StoreResult<Vec<TermsVersionRecord>> {
        let sql = "SELECT class_id, version, terms_json, proposed_by, proposed_side, proposed_at, effective_at \
             FROM order_class_versions WHERE class_id = $1 ORDER BY version";
        self.all(sql, args![id], |r| {
            Ok(row! { r, TermsVersionRecord {
                class_id, version, terms: r.json("terms_json")?, proposed_by, proposed_side, proposed_at, effective_at,
            }})
        })
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
        let sql = "INSERT INTO order_class_signatures (class_id, version, side, account_id, role, signed_at) \
             VALUES ($1, $2, $3, $4, $5, $6)";
        self.exec(sql, args![id, version, side, by, role, at]).await?;
        Ok(())
    }

    async fn list_signatures(&mut self, id: i64) -> StoreResult<Vec<SignatureRecord>> {
        let sql = "SELECT s.class_id, s.version, s.side, s.account_id, a.display_name, s.role, s.signed_at \
             FROM order_class_signatures s JOIN accounts a ON a.id = s.account_id \
             WHERE s.class_id = $1 ORDER BY s.version, s.signed_at, s.side";
        self.all(sql, args![id], |r| {
            Ok(row! { r, SignatureRecord {
                class_id, version, side, account_id, signer_name: r.get("display_name")?, role, signed_at,
            }})
        })
        .await
    }

    async fn set_order_class_status(
        &mut self,
        id: i64,
        from: OrderClassStatus,
        to: OrderClassStatus,
        at: Millis,
    ) -> StoreResult<()> {
        let sql = "UPDATE order_classes SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2";
        self.exec_one(sql, args![id, from, to, at], "order_class").await
    }

    async fn set_current_version(&mut self, id: i64, version: i64, at: Millis) -> StoreResult<()> {
        let sql = "UPDATE order_class_versions SET effective_at = $3 WHERE class_id = $1 AND version = $2 \
             AND effective_at IS NULL";
        self.exec_one(sql, args![id, version, at], "order_class_version").await?;
        let sql = "UPDATE order_classes SET current_version = $2, updated_at = $3 WHERE id = $1";
        self.exec_one(sql, args![id, version, at], "order_class").await
    }

    async fn create_enrolment(&mut self, id: i64, student: AccountId, at: Millis) -> StoreResult<()> {
        let sql = "INSERT INTO order_class_enrolments (class_id, student_id, applied_at, consented_at) \
             VALUES ($1, $2, $3, $3)";
        self.exec(sql, args![id, student, at]).await?;
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
        let s = side.as_str();
        let sql = format!(
            "UPDATE order_class_enrolments SET {s}_selected = $3, {s}_decided_by = $4, {s}_decided_at = $5 \
             WHERE class_id = $1 AND student_id = $2"
        );
        self.exec_one(&sql, args![id, student, selected, by, at], "order_class_enrolment").await
    }

    async fn list_enrolments(&mut self, id: i64) -> StoreResult<Vec<EnrolmentRecord>> {
        let sql = "SELECT e.class_id, e.student_id, a.display_name, e.applied_at, e.consented_at, e.college_selected, \
             e.enterprise_selected, e.college_decided_by, e.enterprise_decided_by \
             FROM order_class_enrolments e JOIN accounts a ON a.id = e.student_id \
             WHERE e.class_id = $1 ORDER BY e.applied_at, e.student_id";
        self.all(sql, args![id], |r| {
            Ok(row! { r, EnrolmentRecord {
                class_id, student_id, student_name: r.get("display_name")?, applied_at, consented_at, college_selected,
                enterprise_selected, college_decided_by, enterprise_decided_by,
            }})
        })
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
        let sql = "UPDATE order_class_scores SET score_tenths = $4, scored_by = $5, scored_at = $6 \
             WHERE class_id = $1 AND student_id = $2 AND side = $3";
        if self.exec(sql, args![id, student, side, score_tenths, by, at]).await? > 0 {
            return Ok(());
        }
        let sql = "INSERT INTO order_class_scores (class_id, student_id, side, score_tenths, scored_by, scored_at) \
             VALUES ($1, $2, $3, $4, $5, $6)";
        self.exec(sql, args![id, student, side, score_tenths, by, at]).await?;
        Ok(())
    }

    async fn list_scores(&mut self, id: i64) -> StoreResult<Vec<ScoreRecord>> {
        let sql = "SELECT class_id, student_id, side, score_tenths, scored_by, scored_at FROM order_class_scores \
             WHERE class_id = $1 ORDER BY student_id, side";
        self.all(sql, args![id], |r| {
            Ok(row! { r, ScoreRecord { class_id, student_id, side, score_tenths, scored_by, scored_at } })
        })
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
        let sql = "INSERT INTO order_class_employment (class_id, student_id, status, post_title, monthly_pay_fen, \
             offered_by, offered_at) VALUES ($1, $2, 'offered', $3, $4, $5, $6)";
        self.exec(sql, args![id, student, post_title, monthly_pay_fen, by, at]).await?;
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
        let sql = "UPDATE order_class_employment SET status = $3, decline_reason = $4, decided_at = $5 \
             WHERE class_id = $1 AND student_id = $2 AND status = 'offered'";
        self.exec_one(sql, args![id, student, status, reason, at], "order_class_offer").await
    }

    async fn list_employment(&mut self, id: i64) -> StoreResult<Vec<EmploymentRecord>> {
        let sql = "SELECT class_id, student_id, status, post_title, monthly_pay_fen, offered_by, offered_at, decided_at, \
             decline_reason FROM order_class_employment WHERE class_id = $1 ORDER BY student_id";
        self.all(sql, args![id], |r| {
            Ok(row! { r, EmploymentRecord {
                class_id, student_id, status, post_title, monthly_pay_fen, offered_by, offered_at, decided_at,
                decline_reason,
            }})
        })
        .await
    }

    async fn append_disbursement(&mut self, d: &NewDisbursement) -> StoreResult<i64> {
        let sql = "INSERT INTO order_class_disbursements (class_id, student_id, scholarship, amount_fen, paid_on, \
             recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
        let args =
            args![d.class_id, d.student_id, &d.scholarship, d.amount_fen, &d.paid_on, d.recorded_by, d.recorded_at];
        self.scalar(sql, args).await
    }

    async fn list_disbursements(&mut self, id: i64) -> StoreResult<Vec<DisbursementRecord>> {
        let sql = "SELECT d.id, d.class_id, d.student_id, a.display_name, d.scholarship, d.amount_fen, d.paid_on, \
             d.recorded_by, d.recorded_at FROM order_class_disbursements d JOIN accounts a ON a.id = d.student_id \
             WHERE d.class_id = $1 ORDER BY d.id";
        self.all(sql, args![id], |r| {
            Ok(row! { r, DisbursementRecord {
                id, class_id, student_id, student_name: r.get("display_name")?, scholarship, amount_fen, paid_on,
                recorded_by, recorded_at,
            }})
        })
        .await
    }
}
