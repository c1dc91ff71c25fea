//! Results of a project and their conversion into income: each income is distributed, in the
//! transaction that records it, by the agreement in force (`benefit::distribute`, exact to the
//! fen) into an append-only ledger; each party and inventor has a statement of its lines.

use serde::{Deserialize, Serialize};
use xiaoqi_domain::benefit::{self, Beneficiary, Terms};
use xiaoqi_domain::conversion::{ConversionKind, ResultKind};
use xiaoqi_domain::error::{optional_text, required_text};
use xiaoqi_domain::research;
use xiaoqi_domain::service::Side;
use xiaoqi_domain::time::Date;
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::{
    AccountId, ConversionDecision, ConversionRecord, LedgerLine, NewConversion, NewResult, OrgId, ProjectRecord,
    ResultOwner, ResultRecord,
};

use super::agreement::in_force;
use super::projects::side_of;
use super::{too_many, unknown};
use crate::audit::{Change, record};
use crate::error::{AppError, AppResult};
use crate::{App, Principal};

/// A result to register.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResultInput {
    /// patent, software_copyright, product, process, standard or paper.
    pub kind: String,
    pub title: String,
    /// Patent or registration number, when there is one.
    pub registration_no: Option<String>,
    /// YYYY-MM-DD.
    pub date: String,
    pub owners: Vec<ResultOwner>,
}

/// A conversion event to record.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversionInput {
    /// licence, transfer, sale or internal_use.
    pub kind: String,
    pub counterparty: String,
    /// YYYY-MM-DD.
    pub date: String,
    /// The income in yuan, exact (at most two decimals, above 0); for internal use the assessed value.
    pub income: String,
    pub note: Option<String>,
}

/// One line of a statement.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatementLine {
    pub conversion_id: i64,
    pub event_date: String,
    pub result_title: String,
    #[schema(value_type = String)]
    pub kind: ConversionKind,
    pub income_fen: i64,
    pub amount_fen: i64,
}

/// What one party or inventor received from the project's conversions.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Statement {
    /// party or inventor.
    pub beneficiary_kind: String,
    pub name: String,
    pub org_id: Option<OrgId>,
    pub account_id: Option<AccountId>,
    pub lines: Vec<StatementLine>,
    pub total_fen: i64,
}

/// A conversion with the check that its lines add up to its income, where it stands and whether
/// the caller answers it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConversionView {
    #[serde(flatten)]
    pub conversion: ConversionRecord,
    pub lines_total_fen: i64,
    /// `pending` (waits for the other party; not in the ledger yet), `confirmed` (in the ledger)
    /// or `disputed` (never in the ledger; the recorder may record a corrected one).
    pub status: &'static str,
    /// The caller acts for the other party and may confirm or dispute it now.
    pub may_decide: bool,
}

/// The other party's answer to a recorded conversion income.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConversionDecisionInput {
    /// `confirm` or `dispute`.
    pub decision: String,
    /// Why, required when disputing.
    pub reason: Option<String>,
}

/// Where a conversion stands.
pub fn conversion_status(c: &ConversionRecord) -> &'static str {
    match c.decision.as_ref().map(|d| d.decision.as_str()) {
        None => "pending",
        Some("confirmed") => "confirmed",
        Some(_) => "disputed",
    }
}

/// Validates a result of `project` registered by `by` at `at`.
pub fn validate_result(i: &ResultInput, project: i64, by: AccountId, at: i64) -> Result<NewResult, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let kind =
        e.check(ResultKind::parse(i.kind.trim()).ok_or_else(|| unknown("kind", "成果类型", "result kind", &i.kind)));
    let title = e.check(required_text("title", &i.title, 200));
    let registration_no = e.check(optional_text("registration_no", i.registration_no.as_deref(), 100)).flatten();
    let date = e.check(Date::parse("date", &i.date));
    if i.owners.is_empty() {
        e.push(FieldError::required("owners"));
    }
    if i.owners.len() > 20 {
        e.push(too_many("owners", 20));
    }
    let owners: Vec<ResultOwner> = i
        .owners
        .iter()
        .enumerate()
        .filter_map(|(n, o)| {
            e.check(required_text(&format!("owners[{n}].name"), &o.name, 100))
                .map(|name| ResultOwner { name, org_id: o.org_id })
        })
        .collect();
    e.into_result()?;
    match (kind, title, date) {
        (Some(kind), Some(title), Some(date)) => Ok(NewResult {
            project_id: project,
            kind,
            title,
            registration_no,
            result_date: date.format(),
            owners,
            by,
            at,
        }),
        _ => Err(FieldError::required("kind").into()),
    }
}

/// The ledger lines of a distribution, with who each one is for.
pub(crate) fn ledger_lines(lines: &[benefit::Line], terms: &Terms) -> Vec<LedgerLine> {
    lines
        .iter()
        .map(|l| {
            let (kind, index, org_id, account_id) = match l.beneficiary {
                Beneficiary::Party { index } => ("party", index, terms.parties.get(index).and_then(|p| p.org_id), None),
                Beneficiary::Inventor { index } => {
                    ("inventor", index, None, terms.inventors.get(index).and_then(|v| v.account_id))
                }
            };
            LedgerLine {
                beneficiary_kind: kind.into(),
                beneficiary_index: i64::try_from(index).unwrap_or(i64::MAX),
                name: l.name.clone(),
                org_id,
                account_id,
                amount_fen: l.amount.0,
            }
        })
        .collect()
}

/// Whether the caller may read a ledger line's statement: alliance administrators everything;
/// the enterprise's staff its own line; the college's staff the college's and the inventors';
/// either party a party that is not on the platform; an inventor with an account their own.
fn may_read_line(p: &Principal, j: &ProjectRecord, side: Option<Side>, l: &LedgerLine) -> bool {
    if p.is_alliance_admin() || (l.account_id.is_some() && l.account_id == Some(p.id())) {
        return true;
    }
    match (side, l.beneficiary_kind.as_str()) {
        (Some(Side::Enterprise), "party") => l.org_id == Some(j.enterprise_org_id) || l.org_id.is_none(),
        (Some(Side::College), "party") => l.org_id != Some(j.enterprise_org_id),
        (Some(Side::College), _) => true,
        _ => false,
    }
}

impl App {
    async fn result_project(&self, p: &Principal, result: i64) -> AppResult<(ResultRecord, ProjectRecord)> {
        let r = self
            .store
            .conn()
            .await?
            .find_result(&p.read_scope(), result)
            .await?
            .ok_or(AppError::NotFound("research_result"))?;
        let j = self.project(p, r.project_id).await.map_err(|_| AppError::NotFound("research_result"))?;
        Ok((r, j))
    }

    /// Registers a result of the project (either party's staff).
    pub async fn register_result(&self, p: &Principal, id: i64, input: &ResultInput) -> AppResult<ResultRecord> {
        let j = self.project(p, id).await?;
        side_of(p, &j).ok_or(AppError::Forbidden)?;
        let new = validate_result(input, id, p.id(), self.now())?;
        let mut tx = self.store.begin().await?;
        let rid = tx.create_result(&new).await?;
        let created = tx.find_result(&p.read_scope(), rid).await?.ok_or(AppError::NotFound("research_result"))?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(j.enterprise_org_id),
            Change::created("research_result.register", "research_result", rid, &created),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// A project's results with their conversions and income.
    pub async fn list_results(&self, p: &Principal, id: i64) -> AppResult<Vec<ResultRecord>> {
        self.project(p, id).await?;
        Ok(self.store.conn().await?.list_results(&p.read_scope(), id).await?)
    }

    /// Records a conversion event of a result (either party's staff) and, in the same
    /// transaction, distributes its income by the agreement in force into the ledger.
    pub async fn record_conversion(
        &self,
        p: &Principal,
        result: i64,
        input: &ConversionInput,
    ) -> AppResult<ConversionView> {
        let (r, j) = self.result_project(p, result).await?;
        let side = side_of(p, &j).ok_or(AppError::Forbidden)?;
        let mut e = ValidationErrors::new();
        let kind = e.check(
            ConversionKind::parse(input.kind.trim())
                .ok_or_else(|| unknown("kind", "转化方式", "conversion kind", &input.kind)),
        );
        let counterparty = e.check(required_text("counterparty", &input.counterparty, 200));
        let date = e.check(Date::parse("date", &input.date));
        let income = e.check(research::amount("income", &input.income, true));
        let note = e.check(optional_text("note", input.note.as_deref(), 2000)).flatten();
        e.into_result()?;
        let (Some(kind), Some(counterparty), Some(date), Some(income)) = (kind, counterparty, date, income) else {
            return Err(FieldError::required("kind").into());
        };
        self.require_agreement(j.id, "记录成果转化收入", "recording conversion income").await?;
        let mut tx = self.store.begin().await?;
        tx.lock_org(j.enterprise_org_id).await?;
        let history = tx.list_agreement_versions(&p.read_scope(), j.id).await?;
        let Some(agreement) = in_force(&history) else {
            return Err(AppError::state("协议尚未生效", "The agreement is not in force"));
        };
        let lines = benefit::distribute(income, &agreement.terms)?;
        let new = NewConversion {
            result_id: r.id,
            kind,
            counterparty,
            event_date: date.format(),
            income_fen: income.0,
            note: note.unwrap_or_default(),
            agreement_version_id: agreement.id,
            lines: ledger_lines(&lines, &agreement.terms),
            recorded_side: side.as_str().to_string(),
            by: p.id(),
            at: self.now(),
        };
        let cid = tx.record_conversion(&new).await?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(j.enterprise_org_id),
            Change::created(
                "research_conversion.record",
                "research_conversion",
                cid,
                &serde_json::json!({"result_id": r.id, "kind": kind.as_str(), "income_fen": income.0,
                    "agreement_version": agreement.version, "lines": new.lines}),
            ),
        )
        .await?;
        tx.commit().await?;
        let all = self.store.conn().await?.list_conversions(&p.read_scope(), j.id).await?;
        let c = all.into_iter().find(|c| c.id == cid).ok_or(AppError::NotFound("research_conversion"))?;
        Ok(view(p, &j, c))
    }

    /// The other party confirms a recorded conversion income (it enters the ledger and the
    /// statements) or disputes it with a reason (it never does; the recorder records a corrected
    /// one). Decided once; the recorder's own side cannot confirm its word.
    pub async fn decide_conversion(
        &self,
        p: &Principal,
        id: i64,
        input: &ConversionDecisionInput,
    ) -> AppResult<ConversionView> {
        let mut tx = self.store.begin().await?;
        let c = tx.find_conversion(&p.read_scope(), id).await?.ok_or(AppError::NotFound("research_conversion"))?;
        let j = tx.find_project(&p.read_scope(), c.project_id).await?.ok_or(AppError::NotFound("research_project"))?;
        let side = side_of(p, &j).ok_or(AppError::Forbidden)?;
        if side.as_str() == c.recorded_side {
            return Err(AppError::state(
                "转化收入须由另一方确认，记录方不能自己确认",
                "The other party confirms a conversion income; the side that recorded it cannot",
            ));
        }
        let mut e = ValidationErrors::new();
        let decision = match input.decision.trim() {
            "confirm" => Some("confirmed"),
            "dispute" => Some("disputed"),
            other => {
                e.push(unknown("decision", "处理方式", "decision", other));
                None
            }
        };
        let reason = e.check(optional_text("reason", input.reason.as_deref(), 2000)).flatten();
        if decision == Some("disputed") && reason.is_none() {
            e.push(FieldError::new(
                "reason",
                "reason_required",
                "提出异议时请说明理由（reason_required）",
                "Say why when disputing (reason_required)",
            ));
        }
        e.into_result()?;
        if c.decision.is_some() {
            return Err(AppError::state("这笔转化收入已经处理过", "This conversion income was already answered"));
        }
        let d = ConversionDecision {
            decision: decision.unwrap_or("confirmed").to_string(),
            reason: reason.unwrap_or_default(),
            decided_by: p.id(),
            decided_at: self.now(),
        };
        tx.decide_conversion(id, &d).await?;
        let change = Change::created(
            if d.decision == "confirmed" { "research_conversion.confirm" } else { "research_conversion.dispute" },
            "research_conversion",
            id,
            &serde_json::json!({"decision": d.decision, "reason": d.reason}),
        );
        record(&mut tx, self.now(), p, Some(j.enterprise_org_id), change).await?;
        let after = tx.find_conversion(&p.read_scope(), id).await?.ok_or(AppError::NotFound("research_conversion"))?;
        tx.commit().await?;
        Ok(view(p, &j, after))
    }

    /// A project's conversion events (both parties' staff), each with the lines the caller may
    /// read and the sum of all of them.
    pub async fn list_conversions(&self, p: &Principal, id: i64) -> AppResult<Vec<ConversionView>> {
        let j = self.project(p, id).await?;
        let all = self.store.conn().await?.list_conversions(&p.read_scope(), id).await?;
        Ok(all.into_iter().map(|c| view(p, &j, c)).collect())
    }

    /// The statements the caller may read: its own party's (and, for the college, the
    /// inventors'), each with its lines and total; an inventor with an account reads their own.
    pub async fn list_statements(&self, p: &Principal, id: i64) -> AppResult<Vec<Statement>> {
        let mut conn = self.store.conn().await?;
        let j = conn.find_project(&p.read_scope(), id).await?.ok_or(AppError::NotFound("research_project"))?;
        let side = side_of(p, &j);
        let conversions = conn.list_conversions(&p.read_scope(), id).await?;
        let mut out: Vec<Statement> = Vec::new();
        for c in conversions.iter().filter(|c| conversion_status(c) == "confirmed") {
            for l in c.lines.iter().filter(|l| may_read_line(p, &j, side, l)) {
                let key = |s: &Statement| {
                    s.beneficiary_kind == l.beneficiary_kind
                        && s.org_id == l.org_id
                        && s.account_id == l.account_id
                        && (s.org_id.is_some() || s.account_id.is_some() || s.name == l.name)
                };
                let at = match out.iter().position(key) {
                    Some(i) => i,
                    None => {
                        out.push(Statement {
                            beneficiary_kind: l.beneficiary_kind.clone(),
                            name: l.name.clone(),
                            org_id: l.org_id,
                            account_id: l.account_id,
                            lines: Vec::new(),
                            total_fen: 0,
                        });
                        out.len() - 1
                    }
                };
                let s = &mut out[at];
                s.total_fen = s
                    .total_fen
                    .checked_add(l.amount_fen)
                    .ok_or_else(|| AppError::Internal("statement total overflows".into()))?;
                s.lines.push(StatementLine {
                    conversion_id: c.id,
                    event_date: c.event_date.clone(),
                    result_title: c.result_title.clone(),
                    kind: c.kind,
                    income_fen: c.income_fen,
                    amount_fen: l.amount_fen,
                });
            }
        }
        if side.is_none() && !p.is_alliance_admin() && out.is_empty() {
            return Err(AppError::NotFound("research_project"));
        }
        Ok(out)
    }
}

/// A conversion as the caller may see it: the total is over every line (it equals the income,
/// the proof that no fen was lost); the parties' lines are the agreement both signed, so both
/// see them, but a person's line only those who may read it by the statements' rule, so that an
/// enterprise never sees what an inventor personally receives.
fn view(p: &Principal, j: &ProjectRecord, mut c: ConversionRecord) -> ConversionView {
    let lines_total_fen = c.lines.iter().map(|l| l.amount_fen).sum();
    let side = side_of(p, j);
    c.lines.retain(|l| l.beneficiary_kind == "party" || may_read_line(p, j, side, l));
    let status = conversion_status(&c);
    let may_decide = status == "pending" && side.is_some_and(|s| s.as_str() != c.recorded_side);
    ConversionView { conversion: c, lines_total_fen, status, may_decide }
}
