//! The services marketplace (DESIGN.md §2.1): colleges publish offerings; enterprises request
//! them or invite a college to run corporate training; each request is tracked to delivery and
//! rated. Who acts for which side and which step follows which live in
//! `xiaoqi_domain::service`; this module checks them against the caller and the stored record.

mod offerings;
mod requests;

pub use offerings::{OfferingInput, OfferingPatch, OfferingQuery};
pub use requests::{
    DeclineInput, DeliverInput, InvitationInput, RateInput, RequestInput, RequestQuery, ScheduleInput,
    ServiceRequestView, StepView,
};
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::service::{OfferingStatus, Side};
use xiaoqi_store::{AccountId, OrgId, ServiceOfferingRecord, ServiceRequestRecord};

use crate::error::{AppError, AppResult};
use xiaoqi_domain::FieldError;

use crate::Principal;
pub use crate::authz::{acting_orgs, acts_for, acts_for_any_side};

/// Proof that the caller acts for one side in one organisation: only [`acting_for`] makes one.
#[derive(Debug, Clone, Copy)]
pub struct ActingFor {
    pub side: Side,
    pub org_id: OrgId,
    pub actor: AccountId,
}

/// The capability to act for `side` in `org`.
pub fn acting_for(p: &Principal, side: Side, org: OrgId) -> AppResult<ActingFor> {
    if acts_for(p, side, org) { Ok(ActingFor { side, org_id: org, actor: p.id() }) } else { Err(AppError::Forbidden) }
}

/// The enterprise a request is made for: the one named, else the caller's only enterprise.
pub(crate) fn requesting_enterprise(p: &Principal, named: Option<OrgId>) -> AppResult<ActingFor> {
    if let Some(org) = named {
        return acting_for(p, Side::Enterprise, org);
    }
    match acting_orgs(p, Side::Enterprise).as_slice() {
        [] => Err(AppError::Forbidden),
        [one] => acting_for(p, Side::Enterprise, *one),
        _ => Err(FieldError::new(
            "enterprise_id",
            "enterprise_ambiguous",
            "您在多家企业任职，请选择以哪家企业的名义提出申请",
            "You act for several enterprises: choose the one this request is for",
        )
        .into()),
    }
}

/// Whether the caller may see a request: either party's acting staff and alliance administrators.
pub fn may_view_request(p: &Principal, r: &ServiceRequestRecord) -> bool {
    p.is_alliance_admin()
        || acts_for(p, Side::College, r.college_org_id)
        || acts_for(p, Side::Enterprise, r.enterprise_org_id)
}

/// What the caller may do with an offering next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferingActions {
    /// Request it: an active offering, and the caller acts for an enterprise.
    pub may_request: bool,
    /// Edit, withdraw or re-activate it: the college's acting staff.
    pub may_edit: bool,
}

impl OfferingActions {
    /// What `p` may do with `o`.
    pub fn of(p: &Principal, o: &ServiceOfferingRecord) -> OfferingActions {
        OfferingActions {
            may_request: o.status == OfferingStatus::Active && !acting_orgs(p, Side::Enterprise).is_empty(),
            may_edit: acts_for(p, Side::College, o.org_id),
        }
    }
}

/// The price of an offering for people: "免费" / "Free", or the amount and its unit.
pub fn price_label(o: &ServiceOfferingRecord, lang: &str) -> String {
    let f = &o.fields;
    match (f.price_fen, lang) {
        (0, "en") => "Free".into(),
        (0, _) => "免费".into(),
        (fen, "en") => format!("{} {}", Fen(fen).to_cny_string(), f.price_unit.label_en()),
        (fen, _) => format!("{} / {}", Fen(fen).to_cny_string(), f.price_unit.label_zh()),
    }
}

/// The text a search index keeps for an offering: (title, summary, body). Pure, so that the
/// search integration can call it on any record; both languages' labels are included so that
/// "training" finds 员工技能培训 and 免费 finds free offerings.
pub fn offering_search_text(o: &ServiceOfferingRecord) -> (String, String, String) {
    let f = &o.fields;
    let title = f.title.clone();
    let summary = format!(
        "{} · {} · {} / {} · {} / {}",
        o.college_name,
        f.kind.label_zh(),
        f.kind.label_en(),
        price_label(o, "zh"),
        price_label(o, "en"),
        format_args!("{} 人/场 · {} per session", f.capacity, f.capacity),
    );
    let body =
        format!("{}\n{}\n{} {}\n{}", f.title, f.description, f.kind.label_zh(), f.kind.label_en(), o.college_name);
    (title, summary, body)
}

#[cfg(test)]
mod tests {
    use xiaoqi_domain::service::{OfferingStatus, PriceUnit, ServiceKind};
    use xiaoqi_store::ServiceOfferingFields;

    use super::*;

    fn offering(price_fen: i64) -> ServiceOfferingRecord {
        ServiceOfferingRecord {
            id: 7,
            org_id: 2,
            college_name: "鹏城职业技术学院".into(),
            fields: ServiceOfferingFields {
                kind: ServiceKind::SkillsTraining,
                title: "数控车床操作培训".into(),
                description: "面向一线操作工的数控车床实操课程。".into(),
                capacity: 30,
                price_fen,
                price_unit: PriceUnit::PerPerson,
            },
            status: OfferingStatus::Active,
            created_by: 1,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn search_text_has_title_summary_and_body_in_both_languages() {
        let (title, summary, body) = offering_search_text(&offering(80_000));
        assert_eq!(title, "数控车床操作培训");
        assert!(summary.contains("鹏城职业技术学院") && summary.contains("员工技能培训"), "{summary}");
        assert!(summary.contains("Employee skills training") && summary.contains("¥800.00 / 每人"), "{summary}");
        assert!(body.contains("实操课程") && body.contains("数控车床操作培训") && body.contains("鹏城"), "{body}");
        let (_, free, _) = offering_search_text(&offering(0));
        assert!(free.contains("免费") && free.contains("Free"), "{free}");
    }

    #[test]
    fn prices_read_free_or_amount_per_unit() {
        assert_eq!(price_label(&offering(0), "zh"), "免费");
        assert_eq!(price_label(&offering(0), "en"), "Free");
        assert_eq!(price_label(&offering(123_450), "zh"), "¥1,234.50 / 每人");
        assert_eq!(price_label(&offering(123_450), "en"), "¥1,234.50 per person");
    }
}
