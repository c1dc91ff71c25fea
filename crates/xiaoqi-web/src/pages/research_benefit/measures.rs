//! The research measures, with their formulas.

use super::*;

/// One row of a measures table, formatted.
struct MeasureShown {
    name: String,
    posted: i64,
    solved: i64,
    statuses: String,
    on_time: String,
    income: String,
    conversion: String,
}

#[derive(Template)]
#[template(path = "research_measures.html")]
struct MeasuresPage {
    c: Chrome,
    definitions: Vec<(&'static str, &'static str)>,
    tables: Vec<(&'static str, Vec<MeasureShown>)>,
}

pub(in crate::pages) async fn measures(State(s): State<AppState>, ctx: Ctx) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let m: MeasuresView = match s.app.research_measures(p).await {
        Ok(m) => m,
        Err(e) => return page_error(e),
    };
    let en = ctx.t().is_en();
    let lang = ctx.lang.code();
    let rows = |rows: &[xiaoqi_app::research::MeasureRow]| -> Vec<MeasureShown> {
        rows.iter()
            .map(|r| MeasureShown {
                name: r.name.clone(),
                posted: r.problems_posted,
                solved: r.problems_solved,
                statuses: r
                    .projects_by_status
                    .iter()
                    .map(|(k, n)| {
                        let label =
                            xiaoqi_domain::research::ProjectStatus::parse(k).map_or(k.as_str(), |s| s.label(lang));
                        format!("{label} {n}")
                    })
                    .collect::<Vec<_>>()
                    .join(" · "),
                on_time: format!("{}/{} = {}", r.deliverables_on_time, r.deliverables_accepted, rate(r.on_time_rate)),
                income: yuan(r.income_fen),
                conversion: format!("{}/{} = {}", r.results_converted, r.results, rate(r.conversion_rate)),
            })
            .collect()
    };
    let page = MeasuresPage {
        c: Chrome::new(&s, &ctx, "/research/measures").await,
        definitions: m.definitions.iter().map(|d| (d.key, if en { d.en } else { d.zh })).collect(),
        tables: vec![
            ("rb.by_team", rows(&m.teams)),
            ("rb.by_college", rows(&m.colleges)),
            ("rb.by_enterprise", rows(&m.enterprises)),
            ("rb.by_region", rows(&m.regions)),
        ],
    };
    render(&page)
}
