//! An organisation's page (its view's flags decide every panel) and the profile form.

use super::*;

#[derive(Template)]
#[template(path = "org.html")]
struct OrgPage {
    c: Chrome,
    v: OrgView,
    kind: String,
    industry: String,
    size: String,
    membership: String,
    revenue: String,
    assets: String,
    size_explanation: String,
    /// (id, code, name, department, taught skills, yearly graduates)
    majors: Vec<(i64, String, String, String, String, i64)>,
    /// College staff see the demand insight link.
    sees_insight: bool,
    /// Teaching classes (name, intake year), shown to the college's members.
    classes: Vec<(String, i64)>,
    classes_total: u64,
    is_admin: bool,
    is_member: bool,
    may_apply: bool,
    manages_majors: bool,
    /// A college: its offerings are linked; enterprise staff may invite it to run training.
    is_college: bool,
    manages_services: bool,
    may_invite: bool,
    /// A college's research teams: (id, name, kind label).
    teams: Vec<(i64, String, &'static str)>,
}

pub(in crate::pages) async fn org_page(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let v = match s.app.get_org(p, id).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let code = ctx.lang.code();
    let r = &v.record.profile;
    let majors = if r.kind == OrgKind::College {
        let st = match s.app.college_structure(p, id).await {
            Ok(st) => st,
            Err(e) => return page_error(e),
        };
        st.majors
            .iter()
            .map(|m| {
                let d = st
                    .departments
                    .iter()
                    .find(|d| Some(d.id) == m.department_id)
                    .map(|d| d.name.clone())
                    .unwrap_or_default();
                let skills: Vec<String> = m
                    .supply
                    .skills
                    .iter()
                    .map(|k| format!("{} {}", xiaoqi_app::talent::vocab::skill_name(&k.skill, code), k.level))
                    .collect();
                (m.id, m.code.clone(), m.name.clone(), d, skills.join("、"), m.supply.yearly_graduates)
            })
            .collect()
    } else {
        Vec::new()
    };
    let classes = if r.kind == OrgKind::College && v.may.may_read_private {
        match all_pages(|req| s.app.list_classes(p, id, req)).await {
            Ok(all) => all,
            Err(e) => return page_error(e),
        }
    } else {
        Vec::new()
    };
    let classes_total = classes.len() as u64;
    let teams = if r.kind == OrgKind::College {
        match all_pages(|req| s.app.list_teams(p, Some(id), req)).await {
            Ok(all) => all.into_iter().map(|t| (t.id, t.fields.name, t.fields.kind.label(code))).collect(),
            Err(e) => return page_error(e),
        }
    } else {
        Vec::new()
    };
    let classes = classes.into_iter().map(|k| (k.name, k.entry_year)).collect();
    let page = OrgPage {
        classes,
        classes_total,
        c: Chrome::new(&s, &ctx, &format!("/orgs/{id}")).await,
        kind: r.kind.label(code).into(),
        industry: r
            .industry
            .as_deref()
            .and_then(Industry::parse)
            .map(|i| i.label(code).to_string())
            .unwrap_or_default(),
        size: r.size_class.as_deref().and_then(SizeClass::parse).map(|i| i.label(code).to_string()).unwrap_or_default(),
        membership: v.record.membership.label(code).into(),
        revenue: r.revenue_fen.map(|f| Fen(f).to_cny_string()).unwrap_or_default(),
        assets: r.assets_fen.map(|f| Fen(f).to_cny_string()).unwrap_or_default(),
        size_explanation: if ctx.t().is_en() { v.size_explanation_en.clone() } else { v.size_explanation_zh.clone() }
            .unwrap_or_default(),
        majors,
        is_admin: v.may.may_administer,
        sees_insight: v.may.may_see_insight,
        is_member: v.may.may_read_private,
        manages_majors: v.may.may_manage_majors,
        may_apply: v.may.may_apply,
        is_college: r.kind == OrgKind::College,
        manages_services: v.may.may_manage_services,
        may_invite: v.may.may_invite,
        teams,
        v,
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "org_edit.html")]
struct EditPage {
    c: Chrome,
    id: i64,
    f: EditForm,
    is_enterprise: bool,
    errors: FormErrors,
    industries: Vec<(&'static str, &'static str)>,
}

#[derive(Deserialize, Default)]
pub(in crate::pages) struct EditForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    region_code: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    industry: String,
    #[serde(default)]
    employees: String,
    #[serde(default)]
    annual_revenue_yuan: String,
    #[serde(default)]
    total_assets_yuan: String,
    #[serde(default)]
    credit_code: String,
}

async fn edit_view(s: &AppState, ctx: &Ctx, id: i64, f: EditForm, is_enterprise: bool, errors: FormErrors) -> EditPage {
    let code = ctx.lang.code();
    EditPage {
        c: Chrome::new(s, ctx, &format!("/orgs/{id}/edit")).await,
        id,
        f,
        is_enterprise,
        errors,
        industries: Industry::ALL.iter().map(|i| (i.as_str(), i.label(code))).collect(),
    }
}

pub(in crate::pages) async fn edit_page(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    if let Err(e) = p.org_admin(id) {
        return page_error(e);
    }
    let v = match s.app.get_org(p, id).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let r = v.record.profile;
    let f = EditForm {
        name: r.name,
        name_en: r.name_en.unwrap_or_default(),
        region_code: r.region_code.unwrap_or_default(),
        description: r.description.unwrap_or_default(),
        website: r.website.unwrap_or_default(),
        industry: r.industry.unwrap_or_default(),
        employees: r.employees.map(|n| n.to_string()).unwrap_or_default(),
        annual_revenue_yuan: r.revenue_fen.map(|f| Fen(f).to_yuan_string()).unwrap_or_default(),
        total_assets_yuan: r.assets_fen.map(|f| Fen(f).to_yuan_string()).unwrap_or_default(),
        credit_code: r.credit_code.unwrap_or_default(),
    };
    render(&edit_view(&s, &ctx, id, f, r.kind == OrgKind::Enterprise, FormErrors::none()).await)
}

pub(in crate::pages) async fn edit_submit(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<EditForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let current = match s.app.get_org(p, id).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let kind = current.record.profile.kind;
    let employees = match forms::parse_int("employees", &form.employees) {
        Ok(v) => v,
        Err(e) => {
            let errs = field_messages(&ctx, &e.into());
            return render(&edit_view(&s, &ctx, id, form, kind == OrgKind::Enterprise, errs).await);
        }
    };
    let input = OrgInput {
        kind: kind.as_str().into(),
        name: form.name.clone(),
        name_en: opt_text(&form.name_en),
        region_code: opt_text(&form.region_code),
        description: opt_text(&form.description),
        website: opt_text(&form.website),
        industry: opt_text(&form.industry),
        employees,
        annual_revenue_yuan: opt_text(&form.annual_revenue_yuan),
        total_assets_yuan: opt_text(&form.total_assets_yuan),
        credit_code: opt_text(&form.credit_code),
    };
    match s.app.update_org(p, id, &input).await {
        Ok(_) => see_other(&format!("/orgs/{id}")),
        Err(e) => {
            let errs = field_messages(&ctx, &e);
            render(&edit_view(&s, &ctx, id, form, kind == OrgKind::Enterprise, errs).await)
        }
    }
}
