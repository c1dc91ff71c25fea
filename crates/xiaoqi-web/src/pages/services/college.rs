//! A college's own offerings: publishing and editing them.

use super::*;

/// The offering form as typed (publishing and editing).
#[derive(Deserialize, Default)]
pub(in crate::pages) struct OfferingForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    price_yuan: String,
    #[serde(default)]
    price_unit: String,
    #[serde(default)]
    status: String,
}

#[derive(Template)]
#[template(path = "college_services.html")]
struct CollegeServicesPage {
    c: Chrome,
    id: i64,
    org_name: String,
    rows: Vec<OfferingRow>,
    kinds: Vec<(&'static str, &'static str)>,
    units: Vec<(&'static str, &'static str)>,
    f: OfferingForm,
    errors: FormErrors,
}

async fn college_view(s: &AppState, ctx: &Ctx, id: i64, f: OfferingForm, errors: FormErrors) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    if !acts_for(p, Side::College, id) {
        return page_error(AppError::Forbidden);
    }
    let org_name = p.orgs().into_iter().find(|(o, _, _)| *o == id).map(|(_, n, _)| n).unwrap_or_default();
    let code = ctx.lang.code();
    let mut rows = Vec::new();
    for status in OfferingStatus::ALL {
        let q = OfferingQuery { kind: None, college: Some(id), status: Some(status.as_str().into()) };
        match all_pages(|r| s.app.list_offerings(p, &q, r)).await {
            Ok(all) => rows.extend(all.iter().map(|o| row(o, code))),
            Err(e) => return page_error(e),
        }
    }
    let page = CollegeServicesPage {
        c: Chrome::new(s, ctx, &format!("/orgs/{id}/services")).await,
        id,
        org_name,
        rows,
        kinds: kinds(code),
        units: units(code),
        f,
        errors,
    };
    render(&page)
}

pub(in crate::pages) async fn college_services(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
) -> Response {
    let f = OfferingForm { price_unit: PriceUnit::PerSession.as_str().into(), ..OfferingForm::default() };
    college_view(&s, &ctx, id, f, FormErrors::none()).await
}

pub(in crate::pages) async fn create_submit(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<OfferingForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let result = async {
        let input = OfferingInput {
            college_id: id,
            kind: form.kind.clone(),
            title: form.title.clone(),
            description: form.description.clone(),
            capacity: forms::required_int("capacity", &form.capacity)?,
            price_yuan: form.price_yuan.clone(),
            price_unit: form.price_unit.clone(),
        };
        s.app.create_offering(p, &input).await
    }
    .await;
    match result {
        Ok(o) => see_other(&format!("/services/{}", o.id)),
        Err(AppError::Forbidden) => page_error(AppError::Forbidden),
        Err(e) => {
            let errs = field_messages(&ctx, &e);
            college_view(&s, &ctx, id, form, errs).await
        }
    }
}

#[derive(Template)]
#[template(path = "service_edit.html")]
struct EditPage {
    c: Chrome,
    id: i64,
    college_id: i64,
    kinds: Vec<(&'static str, &'static str)>,
    units: Vec<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
    f: OfferingForm,
    errors: FormErrors,
}

async fn edit_view(s: &AppState, ctx: &Ctx, id: i64, f: Option<OfferingForm>, errors: FormErrors) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let o = match s.app.get_offering(p, id).await {
        Ok(o) => o,
        Err(e) => return page_error(e),
    };
    if !OfferingActions::of(p, &o).may_edit {
        return page_error(AppError::Forbidden);
    }
    let f = f.unwrap_or_else(|| OfferingForm {
        kind: o.fields.kind.as_str().into(),
        title: o.fields.title.clone(),
        description: o.fields.description.clone(),
        capacity: o.fields.capacity.to_string(),
        price_yuan: Fen(o.fields.price_fen).to_yuan_string(),
        price_unit: o.fields.price_unit.as_str().into(),
        status: o.status.as_str().into(),
    });
    let code = ctx.lang.code();
    let page = EditPage {
        c: Chrome::new(s, ctx, &format!("/services/{id}/edit")).await,
        id,
        college_id: o.org_id,
        kinds: kinds(code),
        units: units(code),
        statuses: OfferingStatus::ALL.iter().map(|st| (st.as_str(), st.label(code))).collect(),
        f,
        errors,
    };
    render(&page)
}

pub(in crate::pages) async fn edit_page(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    edit_view(&s, &ctx, id, None, FormErrors::none()).await
}

pub(in crate::pages) async fn edit_submit(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<OfferingForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let result = async {
        let patch = OfferingPatch {
            kind: Some(form.kind.clone()),
            title: Some(form.title.clone()),
            description: Some(form.description.clone()),
            capacity: Some(forms::required_int("capacity", &form.capacity)?),
            price_yuan: Some(form.price_yuan.clone()),
            price_unit: Some(form.price_unit.clone()),
            status: Some(form.status.clone()),
        };
        s.app.update_offering(p, id, &patch).await
    }
    .await;
    match result {
        Ok(o) => see_other(&format!("/services/{}", o.id)),
        Err(e @ (AppError::Forbidden | AppError::NotFound(_))) => page_error(e),
        Err(e) => {
            let errs = field_messages(&ctx, &e);
            edit_view(&s, &ctx, id, Some(form), errs).await
        }
    }
}
