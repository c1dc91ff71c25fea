//! What colleges offer: publishing, editing, withdrawing and the marketplace list.

use serde::{Deserialize, Serialize};
use xiaoqi_domain::error::required_text;
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::org::MembershipStatus;
use xiaoqi_domain::page::{Page, PageRequest};
use xiaoqi_domain::service::{self, OfferingStatus, PriceUnit, ServiceKind, Side};
use xiaoqi_domain::{FieldError, ValidationErrors};
use xiaoqi_store::{OrgId, ServiceOfferingFields, ServiceOfferingFilter, ServiceOfferingRecord};

use super::{acting_for, acts_for};
use crate::audit::{Change, record};
use crate::error::{AppError, AppResult};
use crate::{App, Principal};

/// A new offering, as typed in a form or sent as JSON.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferingInput {
    /// The college publishing it (the caller administers it or leads a programme there).
    pub college_id: i64,
    /// technical_service, management_consulting, investment_decision, skills_training or training_base.
    pub kind: String,
    pub title: String,
    pub description: String,
    /// Participants per session, 1–10,000.
    pub capacity: i64,
    /// Price in yuan, exact ("800", "1,250.50"); "0" means free.
    pub price_yuan: String,
    /// per_session, per_person, per_day or per_project.
    pub price_unit: String,
}

/// Changes to an offering; absent fields keep their value. `status: withdrawn` takes it off the
/// marketplace (requests already made go on); `active` puts it back.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferingPatch {
    pub kind: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub capacity: Option<i64>,
    pub price_yuan: Option<String>,
    pub price_unit: Option<String>,
    /// active or withdrawn.
    pub status: Option<String>,
}

/// Filters of the marketplace, as typed.
#[derive(Debug, Clone, Default)]
pub struct OfferingQuery {
    pub kind: Option<String>,
    pub college: Option<OrgId>,
    /// active (the default) or withdrawn (the college's own staff and alliance administrators).
    pub status: Option<String>,
}

fn unknown(field: &str, rule: &'static str, what_zh: &str, what_en: &str, v: &str) -> FieldError {
    FieldError::new(field, rule, format!("未知的{what_zh}：{v}"), format!("Unknown {what_en}: {v}"))
}

pub(crate) fn parse_kind(field: &str, v: &str) -> Result<ServiceKind, FieldError> {
    ServiceKind::parse(v.trim()).ok_or_else(|| unknown(field, "service_kind_unknown", "服务类型", "service kind", v))
}

fn parse_unit(v: &str) -> Result<PriceUnit, FieldError> {
    PriceUnit::parse(v.trim()).ok_or_else(|| unknown("price_unit", "price_unit_unknown", "计价单位", "price unit", v))
}

fn parse_status(v: &str) -> Result<OfferingStatus, FieldError> {
    OfferingStatus::parse(v.trim()).ok_or_else(|| unknown("status", "status_unknown", "状态", "status", v))
}

fn parse_price(v: &str) -> Result<i64, FieldError> {
    if v.trim().is_empty() {
        return Err(FieldError::new(
            "price_yuan",
            "required",
            "价格为必填项（免费请填 0）",
            "price_yuan is required (0 for free)",
        ));
    }
    Fen::parse_yuan("price_yuan", v).and_then(|f| service::price("price_yuan", f.0))
}

/// Validates every field of an offering at once.
pub fn validate_offering(
    kind: &str,
    title: &str,
    description: &str,
    capacity: i64,
    price_yuan: &str,
    price_unit: &str,
) -> Result<ServiceOfferingFields, ValidationErrors> {
    let mut e = ValidationErrors::new();
    let kind = e.check(parse_kind("kind", kind));
    let title = e.check(required_text("title", title, 100));
    let description = e.check(required_text("description", description, 2000));
    let capacity = e.check(service::participants("capacity", capacity));
    let price_fen = e.check(parse_price(price_yuan));
    let price_unit = e.check(parse_unit(price_unit));
    e.into_result()?;
    match (kind, title, description, capacity, price_fen, price_unit) {
        (Some(kind), Some(title), Some(description), Some(capacity), Some(price_fen), Some(price_unit)) => {
            Ok(ServiceOfferingFields { kind, title, description, capacity, price_fen, price_unit })
        }
        _ => Err(FieldError::required("offering").into()),
    }
}

/// Whether the caller may see offerings of a college: everyone for alliance members; the
/// college's own staff and alliance administrators otherwise.
fn may_see_college(p: &Principal, college: OrgId, membership: MembershipStatus) -> bool {
    membership == MembershipStatus::Member || p.may_read_private(college)
}

impl App {
    /// Publishes an offering: the college's administrators and programme leaders.
    pub async fn create_offering(&self, p: &Principal, input: &OfferingInput) -> AppResult<ServiceOfferingRecord> {
        let staff = acting_for(p, Side::College, input.college_id)?;
        let fields = validate_offering(
            &input.kind,
            &input.title,
            &input.description,
            input.capacity,
            &input.price_yuan,
            &input.price_unit,
        )?;
        let mut tx = self.store.begin().await?;
        self.require_admitted(&mut tx, staff.org_id).await?;
        let id = tx.create_offering(staff.org_id, &fields, staff.actor, self.now()).await?;
        let created = tx.find_offering(id).await?.ok_or(AppError::NotFound("service_offering"))?;
        record(
            &mut tx,
            self.now(),
            p,
            Some(staff.org_id),
            Change::created("service_offering.create", "service_offering", id, &created),
        )
        .await?;
        self.index_offering(&mut tx, &created).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// One offering: active or withdrawn, of an alliance-member college (or the caller's own).
    pub async fn get_offering(&self, p: &Principal, id: i64) -> AppResult<ServiceOfferingRecord> {
        let mut conn = self.store.conn().await?;
        let o = conn.find_offering(id).await?.ok_or(AppError::NotFound("service_offering"))?;
        let college = conn.find_org(o.org_id).await?.ok_or(AppError::NotFound("organization"))?;
        if !may_see_college(p, o.org_id, college.membership) {
            return Err(AppError::NotFound("service_offering"));
        }
        Ok(o)
    }

    /// Edits, withdraws or re-activates an offering: the college's administrators and programme
    /// leaders.
    pub async fn update_offering(
        &self,
        p: &Principal,
        id: i64,
        patch: &OfferingPatch,
    ) -> AppResult<ServiceOfferingRecord> {
        let mut tx = self.store.begin().await?;
        let before = tx.find_offering(id).await?.ok_or(AppError::NotFound("service_offering"))?;
        acting_for(p, Side::College, before.org_id)?;
        let f = &before.fields;
        let price = patch.price_yuan.clone().unwrap_or_else(|| Fen(f.price_fen).to_yuan_string());
        let fields = validate_offering(
            patch.kind.as_deref().unwrap_or(f.kind.as_str()),
            patch.title.as_deref().unwrap_or(&f.title),
            patch.description.as_deref().unwrap_or(&f.description),
            patch.capacity.unwrap_or(f.capacity),
            &price,
            patch.price_unit.as_deref().unwrap_or(f.price_unit.as_str()),
        );
        let status = patch.status.as_deref().map(parse_status).transpose();
        let (fields, status) = match (fields, status) {
            (Ok(f), Ok(s)) => (f, s.unwrap_or(before.status)),
            (Err(mut e), Err(s)) => {
                e.push(s);
                return Err(e.into());
            }
            (Err(e), _) => return Err(e.into()),
            (_, Err(s)) => return Err(s.into()),
        };
        tx.update_offering(id, &fields, status, self.now()).await?;
        let after = tx.find_offering(id).await?.ok_or(AppError::NotFound("service_offering"))?;
        let action = match (before.status, after.status) {
            (OfferingStatus::Active, OfferingStatus::Withdrawn) => "service_offering.withdraw",
            (OfferingStatus::Withdrawn, OfferingStatus::Active) => "service_offering.reactivate",
            _ => "service_offering.update",
        };
        record(
            &mut tx,
            self.now(),
            p,
            Some(before.org_id),
            Change::updated(action, "service_offering", id, &before, &after),
        )
        .await?;
        self.index_offering(&mut tx, &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The marketplace: active offerings of alliance-member colleges, newest first, filtered by
    /// kind and college. Withdrawn offerings (and a non-member college's own) are listed for
    /// the college's staff, who name their college, and for alliance administrators.
    pub async fn list_offerings(
        &self,
        p: &Principal,
        q: &OfferingQuery,
        page: PageRequest,
    ) -> AppResult<Page<ServiceOfferingRecord>> {
        let mut e = ValidationErrors::new();
        let kind = q.kind.as_deref().filter(|k| !k.trim().is_empty()).and_then(|k| e.check(parse_kind("kind", k)));
        let status = q.status.as_deref().filter(|s| !s.trim().is_empty()).and_then(|s| e.check(parse_status(s)));
        e.into_result()?;
        let own = q.college.is_some_and(|c| acts_for(p, Side::College, c)) || p.is_alliance_admin();
        let status = status.unwrap_or(OfferingStatus::Active);
        if status == OfferingStatus::Withdrawn && !own {
            return Err(AppError::Forbidden);
        }
        let filter =
            ServiceOfferingFilter { kind, college: q.college, status: Some(status), member_colleges_only: !own };
        Ok(self.store.conn().await?.list_offerings(&filter, page).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields_of(e: ValidationErrors) -> Vec<(String, &'static str)> {
        e.0.into_iter().map(|f| (f.field, f.rule)).collect()
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let e = validate_offering("cooking", " ", "", 0, "1.234", "per_week").err().map(fields_of);
        let want = vec![
            ("kind".to_string(), "service_kind_unknown"),
            ("title".to_string(), "required"),
            ("description".to_string(), "required"),
            ("capacity".to_string(), "participants_range"),
            ("price_yuan".to_string(), "money_too_many_decimals"),
            ("price_unit".to_string(), "price_unit_unknown"),
        ];
        assert_eq!(e, Some(want));
    }

    #[test]
    fn zero_is_free_and_blank_price_is_required() {
        let ok = validate_offering("training_base", "实训基地开放日", "开放参观", 50, "0", "per_session");
        assert_eq!(ok.map(|f| f.price_fen), Ok(0));
        let e = validate_offering("training_base", "实训基地开放日", "开放参观", 50, " ", "per_session");
        assert_eq!(e.err().map(fields_of), Some(vec![("price_yuan".to_string(), "required")]));
        let e = validate_offering("training_base", "x", "y", 5, "100000000.01", "per_day");
        assert_eq!(e.err().map(fields_of), Some(vec![("price_yuan".to_string(), "price_range")]));
        let ok = validate_offering("technical_service", "x", "y", 5, "1,250.50", "per_project");
        assert_eq!(ok.map(|f| f.price_fen), Ok(125_050));
    }
}
