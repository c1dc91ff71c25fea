//! The terms form: a draft, or an amendment once signed, with the majors of the chosen college.

use super::*;

/// The terms form as typed: lists as lines of `|`-separated columns.
#[derive(Deserialize, Default, Clone)]
pub(in crate::pages) struct TermsForm {
    #[serde(default)]
    college_id: String,
    #[serde(default)]
    enterprise_id: String,
    #[serde(default)]
    class_name: String,
    /// Major ids, comma- or space-separated.
    #[serde(default)]
    major_ids: String,
    #[serde(default)]
    quota: String,
    /// `名称 | 金额（元） | 人数 | 条件` per line.
    #[serde(default)]
    scholarships: String,
    /// `岗位 | 职业编码` per line.
    #[serde(default)]
    posts: String,
    #[serde(default)]
    pay_floor_yuan: String,
    #[serde(default)]
    service_years: String,
    /// `课程 | college/enterprise | theory/practice/lecture/summer_practice | 学时` per line.
    #[serde(default)]
    courses: String,
    #[serde(default)]
    college_weight: String,
    #[serde(default)]
    enterprise_weight: String,
    /// The majors' checkboxes, `major_{id}`.
    #[serde(flatten)]
    ticked: std::collections::BTreeMap<String, String>,
}

fn columns(line: &str) -> Vec<String> {
    line.split('|').map(|c| c.trim().to_string()).collect()
}

fn lines(s: &str) -> impl Iterator<Item = Vec<String>> + '_ {
    s.lines().filter(|l| !l.trim().is_empty()).map(columns)
}

fn col(c: &[String], i: usize) -> String {
    c.get(i).cloned().unwrap_or_default()
}

/// An organisation picked in a select (0 when none is: the use case refuses it by name).
fn picked(s: &str) -> i64 {
    forms::parse_int("id", s).ok().flatten().unwrap_or(0)
}

impl TermsForm {
    /// The use case's input; a number that does not read is the field's error.
    fn to_input(&self) -> Result<TermsInput, AppError> {
        let mut r = forms::Reader::new();
        let scholarships = lines(&self.scholarships)
            .enumerate()
            .map(|(i, c)| ScholarshipInput {
                name: col(&c, 0),
                amount_yuan: col(&c, 1),
                count: r.int(&format!("scholarships[{i}].count"), &col(&c, 2)),
                condition: opt_text(&col(&c, 3)),
            })
            .collect();
        let courses = lines(&self.courses)
            .enumerate()
            .map(|(i, c)| CourseInput {
                name: col(&c, 0),
                taught_by: col(&c, 1),
                kind: col(&c, 2),
                hours: r.int(&format!("courses[{i}].hours"), &col(&c, 3)),
            })
            .collect();
        let input = TermsInput {
            class_name: self.class_name.clone(),
            major_ids: self.major_list(),
            quota: r.int("quota", &self.quota),
            scholarships,
            employment: EmploymentInput {
                posts: lines(&self.posts)
                    .map(|c| CommittedPost { title: col(&c, 0), occupation_code: opt_text(&col(&c, 1)) })
                    .collect(),
                pay_floor_yuan: self.pay_floor_yuan.clone(),
                service_years: r.int("employment.service_years", &self.service_years),
            },
            courses,
            weights: AssessmentWeights {
                college: r.int("weights.college", &self.college_weight),
                enterprise: r.int("weights.enterprise", &self.enterprise_weight),
            },
        };
        r.finish()?;
        Ok(input)
    }

    /// The majors chosen: the ticked boxes, then any typed ids (API-style), each once.
    fn major_list(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = self
            .ticked
            .keys()
            .filter_map(|k| k.strip_prefix("major_")?.parse().ok())
            .chain(
                self.major_ids
                    .split(|c: char| c == ',' || c == '，' || c.is_whitespace())
                    .filter(|x| !x.is_empty())
                    // An id that does not read is no major of the college: refused by name.
                    .map(|x| x.parse().unwrap_or(-1)),
            )
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    fn of(r: &OrderClassRecord) -> TermsForm {
        let t = &r.terms;
        TermsForm {
            college_id: r.college_org_id.to_string(),
            enterprise_id: r.enterprise_org_id.to_string(),
            class_name: t.class_name.clone(),
            major_ids: t.major_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", "),
            quota: t.quota.to_string(),
            scholarships: t
                .scholarships
                .iter()
                .map(|s| format!("{} | {} | {} | {}", s.name, Fen(s.amount_fen).to_yuan_string(), s.count, s.condition))
                .collect::<Vec<_>>()
                .join("\n"),
            posts: t
                .employment
                .posts
                .iter()
                .map(|p| format!("{} | {}", p.title, p.occupation_code.clone().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join("\n"),
            pay_floor_yuan: Fen(t.employment.pay_floor_fen).to_yuan_string(),
            service_years: t.employment.service_years.to_string(),
            courses: t
                .courses
                .iter()
                .map(|c| format!("{} | {} | {} | {}", c.name, c.taught_by.as_str(), c.kind.as_str(), c.hours))
                .collect::<Vec<_>>()
                .join("\n"),
            college_weight: t.weights.college.to_string(),
            enterprise_weight: t.weights.enterprise.to_string(),
            ticked: Default::default(),
        }
    }
}

#[derive(Template)]
#[template(path = "order_class_form.html")]
struct FormPage {
    c: Chrome,
    /// None: a new draft; Some(id): the draft's terms or an amendment of class id.
    id: Option<i64>,
    amendment: bool,
    f: TermsForm,
    errors: FormErrors,
    /// Member colleges and enterprises to pick the parties from (a new draft): (id, name).
    colleges: Vec<(i64, String)>,
    enterprises: Vec<(i64, String)>,
    majors: MajorChoices,
}

/// The chosen college's majors as checkboxes (also the htmx fragment when the college changes).
#[derive(Template)]
#[template(path = "order_class_majors.html")]
struct MajorChoices {
    /// (id, "code name", ticked).
    majors: Vec<(i64, String, bool)>,
    none_label: String,
}

/// The majors of the picked college; a college id that names no college the caller may see
/// offers none (the form's own check names the field).
async fn major_choices(s: &AppState, ctx: &Ctx, college: i64, chosen: &[i64]) -> Result<MajorChoices, AppError> {
    let majors = match ctx.principal.as_ref() {
        Some(p) if college > 0 => {
            unless_refused(s.app.college_structure(p, college).await)?.map(|st| st.majors).unwrap_or_default()
        }
        _ => Vec::new(),
    };
    Ok(MajorChoices {
        majors: majors.into_iter().map(|m| (m.id, format!("{} {}", m.code, m.name), chosen.contains(&m.id))).collect(),
        none_label: ctx.t().get("oc.no_majors").to_string(),
    })
}

/// Member organisations of a kind, by name: (id, name).
async fn members_of(s: &AppState, ctx: &Ctx, kind: OrgKind) -> Result<Vec<(i64, String)>, AppError> {
    let Some(p) = ctx.principal.as_ref() else { return Ok(Vec::new()) };
    let filter = OrgFilter { kind: Some(kind), membership: Some(MembershipStatus::Member), ..OrgFilter::default() };
    let all = all_pages(|r| s.app.list_orgs(p, filter.clone(), r)).await?;
    Ok(all.into_iter().map(|o| (o.record.id, o.record.profile.name)).collect())
}

#[derive(Deserialize)]
pub(in crate::pages) struct CollegeQuery {
    #[serde(default)]
    college_id: String,
}

/// The majors of the college picked in the form (htmx).
pub(in crate::pages) async fn majors_fragment(
    State(s): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(q): axum::extract::Query<CollegeQuery>,
) -> Response {
    match major_choices(&s, &ctx, picked(&q.college_id), &[]).await {
        Ok(m) => render(&m),
        Err(e) => page_error(e),
    }
}

async fn form_view(
    s: &AppState,
    ctx: &Ctx,
    id: Option<i64>,
    amendment: bool,
    f: TermsForm,
    errors: FormErrors,
) -> Response {
    let here = id.map_or("/order-classes/new".to_string(), |i| format!("/order-classes/{i}/edit"));
    let choices = async {
        let (colleges, enterprises) = if id.is_none() {
            (members_of(s, ctx, OrgKind::College).await?, members_of(s, ctx, OrgKind::Enterprise).await?)
        } else {
            (Vec::new(), Vec::new())
        };
        let majors = major_choices(s, ctx, picked(&f.college_id), &f.major_list()).await?;
        Ok::<_, AppError>((colleges, enterprises, majors))
    };
    let (colleges, enterprises, majors) = match choices.await {
        Ok(c) => c,
        Err(e) => return page_error(e),
    };
    render(&FormPage { c: Chrome::new(s, ctx, &here).await, id, amendment, f, errors, colleges, enterprises, majors })
}

pub(in crate::pages) async fn new_form(State(s): State<AppState>, ctx: Ctx) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    // Prefill the caller's own side; the other party is picked from the alliance's members.
    let mut f = TermsForm { college_weight: "60".into(), enterprise_weight: "40".into(), ..TermsForm::default() };
    if let Some(e) = acting_orgs(p, Side::Enterprise).first() {
        f.enterprise_id = e.to_string();
    }
    if let Some(c) = acting_orgs(p, Side::College).first() {
        f.college_id = c.to_string();
    }
    form_view(&s, &ctx, None, false, f, FormErrors::none()).await
}

pub(in crate::pages) async fn create(
    State(s): State<AppState>,
    CsrfForm { ctx, form }: CsrfForm<TermsForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let result = match form.to_input() {
        Ok(terms) => {
            let input = NewOrderClassInput {
                college_id: picked(&form.college_id),
                enterprise_id: picked(&form.enterprise_id),
                terms,
            };
            s.app.create_order_class(p, &input).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => see_other(&format!("/order-classes/{}", r.id)),
        Err(e @ AppError::Forbidden) => page_error(e),
        Err(e) => {
            let errs = field_messages(&ctx, &e);
            form_view(&s, &ctx, None, false, form, errs).await
        }
    }
}

pub(in crate::pages) async fn edit_form(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    match s.app.get_order_class(p, id).await {
        Ok(v) => {
            let amendment = v.record.status != OrderClassStatus::Draft;
            form_view(&s, &ctx, Some(id), amendment, TermsForm::of(&v.record), FormErrors::none()).await
        }
        Err(e) => page_error(e),
    }
}

pub(in crate::pages) async fn edit_submit(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<TermsForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let current = match s.app.get_order_class(p, id).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let amendment = current.record.status != OrderClassStatus::Draft;
    let result = match form.to_input() {
        Ok(terms) if amendment => s.app.propose_amendment(p, id, &terms).await.map(|_| ()),
        Ok(terms) => s.app.update_draft_terms(p, id, &terms).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => see_other(&format!("/order-classes/{id}")),
        Err(e @ (AppError::Forbidden | AppError::NotFound(_))) => page_error(e),
        Err(e) => {
            let errs = field_messages(&ctx, &e);
            form_view(&s, &ctx, Some(id), amendment, form, errs).await
        }
    }
}
