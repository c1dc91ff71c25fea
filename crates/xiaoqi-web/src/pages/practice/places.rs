//! Practice places: the list with the offer form, one place with its edit form, and opening a round over places.

use super::*;

/// The offer form's fields as typed.
#[derive(Debug, Default, Deserialize)]
pub(in crate::pages) struct PlaceForm {
    #[serde(default)]
    enterprise_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    occupation_code: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    start_date: String,
    #[serde(default)]
    end_date: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    monthly_pay_yuan: String,
    #[serde(default)]
    post_wage_yuan: String,
    #[serde(default)]
    working_hours: String,
    #[serde(default)]
    hazards: String,
    #[serde(default)]
    insurer: String,
    #[serde(default)]
    enterprise_staff: String,
    #[serde(default)]
    post_staff: String,
    #[serde(default)]
    fees_yuan: String,
    #[serde(default)]
    insured: Option<String>,
    #[serde(default)]
    high_risk_work: Option<String>,
    #[serde(default)]
    night_shifts: Option<String>,
    #[serde(default)]
    overtime: Option<String>,
    #[serde(default)]
    holiday_work: Option<String>,
    #[serde(default)]
    skills: String,
}

impl PlaceForm {
    /// The use case's input; a number that does not read is the field's error.
    fn input(&self) -> Result<PlaceInput, AppError> {
        let mut r = forms::Reader::new();
        let input = PlaceInput {
            // Blank on the edit form, which keeps the place's enterprise; the offer form's select
            // always sends one, and the use case refuses 0 by name.
            enterprise_id: r.opt_int("enterprise_id", &self.enterprise_id).unwrap_or(0),
            kind: self.kind.clone(),
            title: self.title.clone(),
            occupation_code: opt_text(&self.occupation_code),
            capacity: r.int("capacity", &self.capacity),
            start_date: self.start_date.clone(),
            end_date: self.end_date.clone(),
            region_code: None,
            location: self.location.clone(),
            monthly_pay_yuan: self.monthly_pay_yuan.clone(),
            post_wage_yuan: self.post_wage_yuan.clone(),
            working_hours: self.working_hours.clone(),
            hazards: opt_text(&self.hazards),
            high_risk_work: self.high_risk_work.is_some(),
            insured: self.insured.is_some(),
            insurer: opt_text(&self.insurer),
            enterprise_staff: r.int("enterprise_staff", &self.enterprise_staff),
            post_staff: r.int("post_staff", &self.post_staff),
            night_shifts: self.night_shifts.is_some(),
            overtime: self.overtime.is_some(),
            holiday_work: self.holiday_work.is_some(),
            fees_yuan: opt_text(&self.fees_yuan),
            skills: Vec::new(),
            skills_text: opt_text(&self.skills),
        };
        r.finish()?;
        Ok(input)
    }

    /// The form filled with a stored place, for editing.
    fn of_record(pl: &PlaceRecord, lang: &str) -> PlaceForm {
        let f = &pl.fields;
        let t = &f.terms;
        let flag = |b: bool| b.then(|| "on".to_string());
        let fees = if t.fees_fen == 0 { String::new() } else { Fen(t.fees_fen).to_yuan_string() };
        PlaceForm {
            enterprise_id: pl.org_id.to_string(),
            kind: f.kind.as_str().to_string(),
            title: f.title.clone(),
            occupation_code: f.occupation_code.clone().unwrap_or_default(),
            capacity: f.capacity.to_string(),
            start_date: f.start_date.clone(),
            end_date: f.end_date.clone(),
            location: t.location.clone(),
            monthly_pay_yuan: Fen(f.monthly_pay_fen).to_yuan_string(),
            post_wage_yuan: Fen(t.post_wage_fen).to_yuan_string(),
            working_hours: t.working_hours.clone(),
            hazards: t.hazards.clone().unwrap_or_default(),
            insurer: t.insurer.clone().unwrap_or_default(),
            enterprise_staff: t.enterprise_staff.to_string(),
            post_staff: t.post_staff.to_string(),
            fees_yuan: fees,
            insured: flag(t.insured),
            high_risk_work: flag(t.high_risk_work),
            night_shifts: flag(t.night_shifts),
            overtime: flag(t.overtime),
            holiday_work: flag(t.holiday_work),
            skills: vocab::format_skill_reqs(&f.skills, lang),
        }
    }
}

/// What the place form needs besides the fields: the enterprises the person offers for, the
/// kinds, the skill names to suggest and where it posts.
struct PlaceFormChrome {
    action: String,
    offering: Vec<(i64, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    skill_names: Vec<String>,
}

impl PlaceFormChrome {
    fn new(ctx: &Ctx, action: String) -> PlaceFormChrome {
        let lang = ctx.lang.code();
        PlaceFormChrome {
            action,
            offering: offering_orgs(ctx),
            kinds: InternshipKind::ALL.iter().map(|k| (k.as_str(), k.label(lang))).collect(),
            skill_names: vocab::skill_display_names(lang),
        }
    }
}

/// A round as a link: (id, name, open).
type RoundLink = (i64, String, bool);

#[derive(Template)]
#[template(path = "practice.html")]
struct PracticePage {
    c: Chrome,
    places: Vec<PlaceRow>,
    /// Every place, for the checkboxes of the round form.
    all_places: Vec<PlaceRow>,
    total: u64,
    pager: Pager,
    pf: PlaceFormChrome,
    f: PlaceForm,
    errors: FormErrors,
    rounds: Vec<(String, Vec<RoundLink>)>,
    /// Colleges whose rounds the person opens: (id, name).
    opening: Vec<(i64, String)>,
    round_name: String,
}

async fn practice_view(
    s: &AppState,
    ctx: &Ctx,
    (f, request): (PlaceForm, PageRequest),
    round_name: String,
    errors: FormErrors,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let lang = ctx.lang.code();
    let places = match s.app.list_places(p, None, request).await {
        Ok(pg) => pg,
        Err(e) => return page_error(e),
    };
    let opening: Vec<(i64, String)> =
        round_colleges(ctx).into_iter().filter(|(o, _)| authz::runs_internships(p, *o)).collect();
    let all_places = if opening.is_empty() {
        Vec::new()
    } else {
        match all_pages(|r| s.app.list_places(p, None, r)).await {
            Ok(all) => all.iter().map(|pl| place_row(pl, lang)).collect(),
            Err(e) => return page_error(e),
        }
    };
    let mut rounds = Vec::new();
    for (college, name) in round_colleges(ctx) {
        // A member of the college who is neither staff nor student sees no rounds.
        match unless_refused(all_pages(|r| s.app.list_rounds(p, college, r)).await) {
            Ok(Some(all)) => {
                rounds.push((name, all.iter().map(|r| (r.id, r.name.clone(), r.status == "open")).collect()))
            }
            Ok(None) => {}
            Err(e) => return page_error(e),
        }
    }
    let page = PracticePage {
        c: Chrome::new(s, ctx, "/practice").await,
        places: places.items.iter().map(|pl| place_row(pl, lang)).collect(),
        all_places,
        pager: Pager::new(&ctx.t(), &places, "/practice"),
        total: places.total,
        pf: PlaceFormChrome::new(ctx, "/practice".into()),
        f,
        errors,
        rounds,
        opening,
        round_name,
    };
    render(&page)
}

pub(in crate::pages) async fn places(
    State(s): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(paging): axum::extract::Query<PageParams>,
) -> Response {
    let request = match paging.request() {
        Ok(r) => r,
        Err(e) => return page_error(e.into()),
    };
    let f = PlaceForm { kind: "post".into(), capacity: "1".into(), insured: Some("on".into()), ..Default::default() };
    practice_view(&s, &ctx, (f, request), String::new(), FormErrors::none()).await
}

pub(in crate::pages) async fn offer(
    State(s): State<AppState>,
    CsrfForm { ctx, form }: CsrfForm<PlaceForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let result = match form.input() {
        Ok(input) => s.app.create_place(p, &input).await.map(drop),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => see_other("/practice"),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let errors = field_messages(&ctx, &e);
            practice_view(&s, &ctx, (form, PageRequest::default()), String::new(), errors).await
        }
        Err(e) => page_error(e),
    }
}

/// A place in full, with the edit form for its enterprise's administrators and HR.
#[derive(Template)]
#[template(path = "practice_place.html")]
struct PlacePage {
    c: Chrome,
    pl: PlaceRow,
    /// (label key, value) of every term.
    terms: Vec<(&'static str, String)>,
    skills: Vec<String>,
    edits: bool,
    pf: PlaceFormChrome,
    f: PlaceForm,
    errors: FormErrors,
}

async fn place_view(s: &AppState, ctx: &Ctx, id: i64, f: Option<PlaceForm>, errors: FormErrors) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let lang = ctx.lang.code();
    let t = ctx.t();
    let pl = match s.app.get_place(p, id).await {
        Ok(pl) => pl,
        Err(e) => return page_error(e),
    };
    let tm = &pl.fields.terms;
    let yes_no = |b: bool| t.get(if b { "practice.yes" } else { "practice.no" }).to_string();
    let terms = vec![
        ("practice.location", tm.location.clone()),
        ("practice.hours", tm.working_hours.clone()),
        ("practice.post_wage", Fen(tm.post_wage_fen).to_cny_string()),
        ("practice.hazards", tm.hazards.clone().unwrap_or_else(|| "—".into())),
        ("practice.insured", yes_no(tm.insured)),
        ("practice.insurer", tm.insurer.clone().unwrap_or_else(|| "—".into())),
        ("practice.enterprise_staff", tm.enterprise_staff.to_string()),
        ("practice.post_staff", tm.post_staff.to_string()),
        ("practice.high_risk", yes_no(tm.high_risk_work)),
        ("practice.night", yes_no(tm.night_shifts)),
        ("practice.overtime", yes_no(tm.overtime)),
        ("practice.holiday", yes_no(tm.holiday_work)),
        ("practice.fees", Fen(tm.fees_fen).to_cny_string()),
    ];
    let skills = pl
        .fields
        .skills
        .iter()
        .map(|k| format!("{} · {} {}", vocab::skill_name(&k.skill, lang), t.get("practice.level"), k.min_level))
        .collect();
    let page = PlacePage {
        c: Chrome::new(s, ctx, "/practice").await,
        pl: place_row(&pl, lang),
        terms,
        skills,
        edits: authz::recruits_for(p, pl.org_id),
        pf: PlaceFormChrome::new(ctx, format!("/practice/places/{id}")),
        f: f.unwrap_or_else(|| PlaceForm::of_record(&pl, lang)),
        errors,
    };
    render(&page)
}

pub(in crate::pages) async fn place(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    place_view(&s, &ctx, id, None, FormErrors::none()).await
}

pub(in crate::pages) async fn update_place(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<PlaceForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let result = match form.input() {
        Ok(input) => s.app.update_place(p, id, &input).await.map(drop),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => see_other(&format!("/practice/places/{id}")),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let errors = field_messages(&ctx, &e);
            place_view(&s, &ctx, id, Some(form), errors).await
        }
        Err(e) => page_error(e),
    }
}

/// Opens a round: the college, a name and the places ticked (`place_{id}`).
pub(in crate::pages) async fn open_round(
    State(s): State<AppState>,
    CsrfForm { ctx, form }: CsrfForm<BTreeMap<String, String>>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let name = form.get("round_name").cloned().unwrap_or_default();
    let mut read = forms::Reader::new();
    let input = RoundInput {
        college_id: read.int("college_id", form.get("college_id").map_or("", String::as_str)),
        name: name.clone(),
        place_ids: form.keys().filter_map(|k| k.strip_prefix("place_")?.parse().ok()).collect(),
    };
    let result = match read.finish() {
        Ok(()) => s.app.create_round(p, &input).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(r) => see_other(&format!("/practice/rounds/{}", r.round.id)),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let errors = field_messages(&ctx, &e);
            let f = PlaceForm {
                kind: "post".into(),
                capacity: "1".into(),
                insured: Some("on".into()),
                ..Default::default()
            };
            practice_view(&s, &ctx, (f, PageRequest::default()), name, errors).await
        }
        Err(e) => page_error(e),
    }
}
