//! The printable agreement (Chinese, A4) with the signatures.

use super::*;

#[derive(Template)]
#[template(path = "order_class_agreement.html")]
struct AgreementPage {
    t: T,
    v: OrderClassView,
    terms: Vec<(String, String)>,
    courses: Vec<(String, String, String, i64)>,
    scholarships: Vec<(String, String, i64, String)>,
    college_signature: String,
    enterprise_signature: String,
    printed: String,
}

/// The agreement in force as a printable A4 page, always in Chinese (the language of the
/// contract), with both parties, every term and who signed when.
pub(in crate::pages) async fn agreement(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let v = match s.app.get_order_class(p, id).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let t = T { lang: Lang::Zh };
    let lang = t.code();
    let terms = &v.record.terms;
    let signed = |side: Side| {
        v.signatures
            .iter()
            .find(|x| x.version == v.record.current_version && x.side == side)
            .map_or(t.get("oc.unsigned").to_string(), |x| {
                format!("{}（{}） {}", x.signer_name, x.role_label(), shanghai(x.signed_at))
            })
    };
    let page = AgreementPage {
        terms: term_lines(&t, &v),
        courses: course_rows(lang, terms),
        scholarships: scholarship_rows(terms),
        college_signature: signed(Side::College),
        enterprise_signature: signed(Side::Enterprise),
        printed: shanghai(s.app.now()),
        t,
        v,
    };
    render(&page)
}

/// The signer's role in Chinese, for the agreement.
trait RoleLabel {
    fn role_label(&self) -> String;
}

impl RoleLabel for xiaoqi_store::SignatureRecord {
    fn role_label(&self) -> String {
        xiaoqi_domain::org::Role::parse(&self.role).map_or(self.role.clone(), |r| r.label_zh().to_string())
    }
}
