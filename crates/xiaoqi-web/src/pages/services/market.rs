//! The marketplace of college services, one offering and the enterprise's request form.

use super::*;

#[derive(Deserialize, Default)]
pub(in crate::pages) struct MarketQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    college: String,
    offset: Option<i64>,
}

#[derive(Template)]
#[template(path = "services.html")]
struct MarketplacePage {
    c: Chrome,
    rows: Vec<OfferingRow>,
    total: u64,
    pager: Pager,
    kinds: Vec<(&'static str, &'static str)>,
    colleges: Vec<(String, String)>,
    q_kind: String,
    q_college: String,
}

pub(in crate::pages) async fn marketplace(
    State(s): State<AppState>,
    ctx: Ctx,
    Query(q): Query<MarketQuery>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let code = ctx.lang.code();
    let college = match forms::parse_int("college", &q.college) {
        Ok(c) => c,
        Err(e) => return page_error(e.into()),
    };
    let page = match PageRequest::new(Some(20), q.offset) {
        Ok(pg) => pg,
        Err(e) => return page_error(e.into()),
    };
    let query = OfferingQuery { kind: opt_text(&q.kind), college, status: None };
    let result = match s.app.list_offerings(p, &query, page).await {
        Ok(r) => r,
        Err(e) => return page_error(e),
    };
    let filter =
        OrgFilter { kind: Some(OrgKind::College), membership: Some(MembershipStatus::Member), ..OrgFilter::default() };
    let colleges = match all_pages(|r| s.app.list_orgs(p, filter.clone(), r)).await {
        Ok(all) => all.into_iter().map(|v| (v.record.id.to_string(), v.record.profile.name)).collect(),
        Err(e) => return page_error(e),
    };
    let base = format!(
        "/services?kind={}&college={}",
        crate::pages::directory::percent_encode(q.kind.trim()),
        crate::pages::directory::percent_encode(q.college.trim())
    );
    let page = MarketplacePage {
        c: Chrome::new(&s, &ctx, "/services").await,
        rows: result.items.iter().map(|o| row(o, code)).collect(),
        total: result.total,
        pager: Pager::new(&ctx.t(), &result, &base),
        kinds: kinds(code),
        colleges,
        q_kind: q.kind.trim().to_string(),
        q_college: q.college.trim().to_string(),
    };
    render(&page)
}

/// The request form as typed, for refilling it.
#[derive(Deserialize, Default)]
pub(in crate::pages) struct RequestForm {
    #[serde(default)]
    enterprise_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    participants_expected: String,
    #[serde(default)]
    preferred_period: String,
    #[serde(default)]
    message: String,
}

#[derive(Template)]
#[template(path = "service.html")]
struct OfferingPage {
    c: Chrome,
    o: OfferingRow,
    may_request: bool,
    may_edit: bool,
    enterprises: Vec<(i64, String)>,
    f: RequestForm,
    errors: FormErrors,
}

async fn offering_view(s: &AppState, ctx: &Ctx, id: i64, f: RequestForm, errors: FormErrors) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let o = match s.app.get_offering(p, id).await {
        Ok(o) => o,
        Err(e) => return page_error(e),
    };
    let enterprises = my_enterprises(p);
    let may = OfferingActions::of(p, &o);
    let page = OfferingPage {
        c: Chrome::new(s, ctx, &format!("/services/{id}")).await,
        may_request: may.may_request,
        may_edit: may.may_edit,
        o: row(&o, ctx.lang.code()),
        enterprises,
        f,
        errors,
    };
    render(&page)
}

pub(in crate::pages) async fn offering_page(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Response {
    offering_view(&s, &ctx, id, RequestForm::default(), FormErrors::none()).await
}

pub(in crate::pages) async fn request_submit(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<RequestForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let result = async {
        let input = RequestInput {
            enterprise_id: forms::parse_int("enterprise_id", &form.enterprise_id)?,
            title: opt_text(&form.title),
            message: opt_text(&form.message),
            participants_expected: forms::parse_int("participants_expected", &form.participants_expected)?,
            preferred_period: opt_text(&form.preferred_period),
        };
        s.app.request_service(p, id, &input).await
    }
    .await;
    match result {
        Ok(r) => see_other(&format!("/service-requests/{}", r.id)),
        Err(AppError::Forbidden) => page_error(AppError::Forbidden),
        Err(e) => {
            let errs = field_messages(&ctx, &e);
            offering_view(&s, &ctx, id, form, errs).await
        }
    }
}
