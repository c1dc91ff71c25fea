//! The placements list with the college's dashboard (warnings, theory loop, compliance) and its settings.

use super::*;

#[derive(Template)]
#[template(path = "placements.html")]
struct ListPage {
    c: Chrome,
    cards: Vec<Card>,
    college: Option<i64>,
    warnings: Vec<WarningRow>,
    to_grade: Vec<Card>,
    theory: Option<TheoryLoop>,
    compliance: Option<ComplianceView>,
    compliance_rows: Vec<(Card, Vec<RuleLine>)>,
    lang: &'static str,
    /// The college's rounds for the dashboard's filter: (id, name), and the one chosen.
    rounds: Vec<(i64, String)>,
    round: Option<i64>,
    /// The college's settings, for those who manage its placements.
    settings: Option<PlacementSettings>,
    errors: FormErrors,
}

impl ListPage {
    fn skill(&self, code: &str) -> String {
        vocab::skill_name(code, self.lang)
    }

    fn avg(&self, centi: &u32) -> String {
        format_centi(*centi)
    }
}

/// Filters of the list page.
#[derive(Debug, Default, Deserialize)]
pub(in crate::pages) struct ListQuery {
    round: Option<i64>,
}

pub(in crate::pages) async fn list(State(s): State<AppState>, ctx: Ctx, ApiQuery(q): ApiQuery<ListQuery>) -> Response {
    list_view(&s, &ctx, q.round, FormErrors::none()).await
}

async fn list_view(s: &AppState, ctx: &Ctx, round: Option<i64>, errors: FormErrors) -> Response {
    let q = ListQuery { round };
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let lang = ctx.lang.code();
    let mine = match s.app.list_placements(p, None, q.round).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let college = staff_college(ctx);
    let (mut warnings, mut theory, mut compliance, mut compliance_rows) = (Vec::new(), None, None, Vec::new());
    let (mut rounds, mut settings) = (Vec::new(), None);
    if let Some(c) = college {
        rounds = match all_pages(|r| s.app.list_rounds(p, c, r)).await {
            Ok(all) => all,
            Err(e) => return page_error(e),
        };
        // The college is one the person oversees (`staff_college`): every panel below is theirs
        // to see, so any failure is shown as the page's error.
        let panels = async {
            if authz::runs_internships(p, c) {
                settings = Some(s.app.placement_settings(p, c).await?);
            }
            warnings = s.app.list_warnings(p, c).await?;
            theory = Some(s.app.theory_loop(p, c, q.round).await?);
            let view = s.app.compliance_view(p, c, q.round).await?;
            let all = s.app.list_placements(p, Some(c), q.round).await?;
            for row in &view.rows {
                if let Some(r) = all.iter().find(|r| r.id == row.placement_id) {
                    compliance_rows.push((card(r, lang), rule_lines(&row.checks, lang)));
                }
            }
            compliance = Some(view);
            Ok::<(), AppError>(())
        };
        if let Err(e) = panels.await {
            return page_error(e);
        }
    }
    let to_grade = mine
        .iter()
        .filter(|r| r.teacher_id == Some(p.id()) && r.outcome.report_text.is_some() && r.outcome.report_grade.is_none())
        .map(|r| card(r, lang))
        .collect();
    let page = ListPage {
        c: Chrome::new(s, ctx, "/placements").await,
        cards: mine.iter().map(|r| card(r, lang)).collect(),
        college,
        warnings,
        to_grade,
        theory,
        compliance,
        compliance_rows,
        lang,
        rounds: rounds.into_iter().map(|r| (r.id, r.name)).collect(),
        round: q.round,
        settings,
        errors,
    };
    render(&page)
}

/// The college's placement settings from the dashboard form.
pub(in crate::pages) async fn settings(
    State(s): State<AppState>,
    CsrfForm { ctx, form }: CsrfForm<BTreeMap<String, String>>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let Some(college) = staff_college(&ctx) else { return page_error(AppError::Forbidden) };
    let mut read = forms::Reader::new();
    let field = |k: &str| form.get(k).map_or("", String::as_str);
    let input = PlacementSettings {
        max_per_teacher: read.int("max_per_teacher", field("max_per_teacher")),
        max_per_master: read.int("max_per_master", field("max_per_master")),
        warn_after_days: read.int("warn_after_days", field("warn_after_days")),
        weight_report: read.int("weight_report", field("weight_report")),
        weight_evaluation: read.int("weight_evaluation", field("weight_evaluation")),
        weight_attendance: read.int("weight_attendance", field("weight_attendance")),
    };
    let result = match read.finish() {
        Ok(()) => s.app.put_placement_settings(p, college, &input).await,
        Err(e) => Err(e.into()),
    };

    match result {
        Ok(_) => see_other("/placements"),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let errors = field_messages(&ctx, &e);
            list_view(&s, &ctx, None, errors).await
        }
        Err(e) => page_error(e),
    }
}
