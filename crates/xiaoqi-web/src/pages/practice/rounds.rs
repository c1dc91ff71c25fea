//! An allocation round: preferences, rankings, running it, and each student's outcome explained.

use super::*;

/// One reason a place the student ranked higher did not take them, in words.
struct Explained {
    choice: u64,
    title: String,
    reason: String,
}

/// A student's outcome in words.
struct OutcomeLine {
    student: String,
    place: String,
    choice: String,
    explained: Vec<Explained>,
}

fn explain(o: &OutcomeView, names: &BTreeMap<i64, String>, titles: &BTreeMap<i64, String>, ctx: &Ctx) -> OutcomeLine {
    let t = ctx.t();
    let cert = &o.certificate;
    let explained = cert["preferred"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|pp| {
                    let r = &pp["reason"];
                    let reason = match r["kind"].as_str().unwrap_or_default() {
                        "full" => format!(
                            "{} ({} {}, {} {})",
                            t.get("practice.reason_full"),
                            t.get("practice.capacity"),
                            r["capacity"].as_u64().unwrap_or(0),
                            t.get("practice.your_rank"),
                            r["student_rank"].as_u64().map(|v| v + 1).unwrap_or(0),
                        ),
                        "not_listed" => t.get("practice.reason_not_listed").to_string(),
                        "no_seats" => t.get("practice.reason_no_seats").to_string(),
                        other => other.to_string(),
                    };
                    Explained {
                        choice: pp["choice"].as_u64().unwrap_or(0) + 1,
                        title: pp["place_id"].as_i64().and_then(|id| titles.get(&id)).cloned().unwrap_or_default(),
                        reason,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    OutcomeLine {
        student: names.get(&o.student_id).cloned().unwrap_or_else(|| o.student_id.to_string()),
        place: o.place_title.clone().unwrap_or_else(|| t.get("practice.unplaced").to_string()),
        choice: match &cert["assigned_choice"] {
            Value::Number(n) => (n.as_u64().unwrap_or(0) + 1).to_string(),
            _ => String::new(),
        },
        explained,
    }
}

/// One of the enterprise's places in the round, with its applicants and ranking.
struct RankBlock {
    id: i64,
    title: String,
    source: String,
    /// (student id, name) of every applicant, in order of application.
    applicants: Vec<(i64, String)>,
    /// The current ranking, student ids.
    ranked: Vec<i64>,
    /// The platform's ranking: (name, matching score in percent).
    platform: Vec<(String, String)>,
}

impl RankBlock {
    /// Whether the student is at rank `i` of the current ranking.
    fn at(&self, i: usize, student: i64) -> bool {
        self.ranked.get(i) == Some(&student)
    }
}

#[derive(Template)]
#[template(path = "practice_round.html")]
struct RoundPage {
    c: Chrome,
    id: i64,
    name: String,
    college: String,
    open: bool,
    places: Vec<PlaceRow>,
    /// A student of the college: the choice selects and the current list.
    student: bool,
    choices: Vec<i64>,
    slots: Vec<usize>,
    ranks: Vec<RankBlock>,
    runs: bool,
    outcomes: Vec<OutcomeLine>,
    errors: FormErrors,
}

impl RoundPage {
    /// Whether the student's current list has the place at `slot`.
    fn chosen(&self, slot: usize, place: i64) -> bool {
        self.choices.get(slot) == Some(&place)
    }
}

async fn round_view(s: &AppState, ctx: &Ctx, id: i64, errors: FormErrors) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let lang = ctx.lang.code();
    let t = ctx.t();
    let view = match s.app.get_round(p, id).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let r = &view.round;
    let mut places = Vec::new();
    let mut titles = BTreeMap::new();
    for pid in &r.place_ids {
        // A place of an enterprise that has left the alliance is not shown to outsiders.
        match unless_refused(s.app.get_place(p, *pid).await) {
            Ok(Some(pl)) => {
                titles.insert(pl.id, pl.fields.title.clone());
                places.push(pl);
            }
            Ok(None) => {}
            Err(e) => return page_error(e),
        }
    }
    let names = match s.app.round_student_names(p, id).await {
        Ok(n) => n,
        Err(e) => return page_error(e),
    };
    let student = authz::is_student_of(p, r.college_org_id);
    let choices = if student {
        match s.app.my_preferences(p, id).await {
            Ok(mine) => mine.map(|a| a.place_ids).unwrap_or_default(),
            Err(e) => return page_error(e),
        }
    } else {
        Vec::new()
    };
    let mut ranks = Vec::new();
    for pl in places.iter().filter(|pl| authz::recruits_for(p, pl.org_id)) {
        let k = match s.app.get_ranking(p, id, pl.id).await {
            Ok(k) => k,
            Err(e) => return page_error(e),
        };
        ranks.push(RankBlock {
            id: pl.id,
            title: pl.fields.title.clone(),
            source: t
                .get(match k.source.as_str() {
                    "enterprise" => "practice.source_enterprise",
                    "matching" => "practice.source_matching",
                    _ => "practice.source_default",
                })
                .to_string(),
            platform: k
                .platform
                .iter()
                .map(|a| {
                    let name = names.get(&a.student_id).cloned().unwrap_or_else(|| a.student_id.to_string());
                    (name, format!("{:.0}%", a.score * 100.0))
                })
                .collect(),
            applicants: k
                .applicants
                .iter()
                .map(|a| (*a, names.get(a).cloned().unwrap_or_else(|| a.to_string())))
                .collect(),
            ranked: k.student_ids,
        });
    }
    let outcomes = if r.status == "open" {
        Vec::new()
    } else {
        match s.app.list_outcomes(p, id).await {
            Ok(all) => all.iter().map(|o| explain(o, &names, &titles, ctx)).collect(),
            Err(e) => return page_error(e),
        }
    };
    let runs = authz::runs_internships(p, r.college_org_id);
    let page = RoundPage {
        c: Chrome::new(s, ctx, "/practice").await,
        id,
        name: r.name.clone(),
        college: r.college_name.clone(),
        open: r.status == "open",
        places: places.iter().map(|pl| place_row(pl, lang)).collect(),
        student,
        choices,
        slots: (0..MAX_PREFERENCES.min(r.place_ids.len())).collect(),
        ranks,
        runs,
        outcomes,
        errors,
    };
    render(&page)
}

pub(in crate::pages) async fn round(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    round_view(&s, &ctx, id, FormErrors::none()).await
}

/// The numbered selects of a form (`{prefix}0`, `{prefix}1`, …) as ids in order, blanks skipped.
fn numbered(form: &BTreeMap<String, String>, prefix: &str) -> Vec<i64> {
    let mut picked: Vec<(usize, i64)> = form
        .iter()
        .filter_map(|(k, v)| {
            let n = k.strip_prefix(prefix)?.parse::<usize>().ok()?;
            let id = v.trim().parse::<i64>().ok()?;
            Some((n, id))
        })
        .collect();
    picked.sort_unstable();
    picked.into_iter().map(|(_, id)| id).collect()
}

async fn after(s: &AppState, ctx: &Ctx, id: i64, r: Result<(), AppError>) -> Response {
    match r {
        Ok(()) => see_other(&format!("/practice/rounds/{id}")),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let errors = field_messages(ctx, &e);
            round_view(s, ctx, id, errors).await
        }
        Err(e) => page_error(e),
    }
}

pub(in crate::pages) async fn preferences(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<BTreeMap<String, String>>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let input = PreferencesInput { place_ids: numbered(&form, "choice_") };
    let r = s.app.put_preferences(p, id, &input).await.map(|_| ());
    after(&s, &ctx, id, r).await
}

pub(in crate::pages) async fn ranking(
    State(s): State<AppState>,
    ApiPath((id, place)): ApiPath<(i64, i64)>,
    CsrfForm { ctx, form }: CsrfForm<BTreeMap<String, String>>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let input = RankingInput { student_ids: numbered(&form, "rank_") };
    let r = s.app.put_ranking(p, id, place, &input).await.map(|_| ());
    after(&s, &ctx, id, r).await
}

pub(in crate::pages) async fn run(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form: _ }: CsrfForm<BTreeMap<String, String>>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let r = s.app.run_round(p, id).await.map(|_| ());
    after(&s, &ctx, id, r).await
}
