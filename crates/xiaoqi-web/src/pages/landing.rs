//! The landing page for visitors: what the platform is, for whom, what the alliance offers, its
//! public figures, and the way in.

use askama::Template;
use axum::response::Response;
use xiaoqi_store::PublicFigures;

use super::{Chrome, page_error, render};
use crate::AppState;
use crate::ctx::Ctx;

/// One public figure: the number and what it counts.
struct Figure {
    /// A stable name, as the page's `data-figure` attribute.
    key: &'static str,
    value: i64,
    label_key: &'static str,
}

#[derive(Template)]
#[template(path = "landing.html")]
struct LandingPage {
    c: Chrome,
    /// Member organisations by kind: (count, kind label, kind code for the directory link).
    members: Vec<(i64, String, &'static str)>,
    figures: Vec<Figure>,
}

fn figures(f: &PublicFigures) -> Vec<Figure> {
    vec![
        Figure { key: "practice_seats", value: f.practice_seats, label_key: "landing.fig_seats" },
        Figure { key: "open_demands", value: f.open_demands, label_key: "landing.fig_demands" },
        Figure { key: "demand_headcount", value: f.demand_headcount, label_key: "landing.fig_headcount" },
        Figure { key: "services", value: f.services, label_key: "landing.fig_services" },
        Figure { key: "order_classes", value: f.order_classes, label_key: "landing.fig_order_classes" },
    ]
}

/// `/` for a visitor who has not logged in.
pub(super) async fn landing(s: &AppState, ctx: &Ctx) -> Response {
    let f = match s.app.public_figures().await {
        Ok(f) => f,
        Err(e) => return page_error(e),
    };
    let lang = ctx.t().code();
    let page = LandingPage {
        c: Chrome::new(s, ctx, "/").await,
        members: f.members.iter().map(|(k, n)| (*n, k.label(lang).to_string(), k.as_str())).collect(),
        figures: figures(&f),
    };
    render(&page)
}
