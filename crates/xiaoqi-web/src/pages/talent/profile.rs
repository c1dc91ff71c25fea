//! The student's profile and consents, and a student's profile as those consented to see it.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use xiaoqi_app::AppError;
use xiaoqi_app::talent::supply::{ConsentInput, ProfileInput};
use xiaoqi_app::talent::vocab;
use xiaoqi_store::ConsentRecord;

use super::list;
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::ApiPath;
use crate::pages::forms::opt_text;
use crate::pages::{Chrome, CsrfForm, FormErrors, field_messages, forms, page_error, render, see_other, shanghai};

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    c: Chrome,
    skills: String,
    certificates: String,
    grade_avg: String,
    graduation_year: String,
    region_code: String,
    preferred_regions: String,
    preferred_occupations: String,
    intro: String,
    consents: Vec<ConsentLine>,
    matches: Vec<(i64, String, String, f32, String)>,
    errors: FormErrors,
}

struct ConsentLine {
    id: i64,
    scope: String,
    at: String,
    revoked: String,
    live: bool,
}

fn consent_lines(list: Vec<ConsentRecord>, lang: &str) -> Vec<ConsentLine> {
    list.into_iter()
        .map(|c| ConsentLine {
            id: c.id,
            scope: c.grantee_name.unwrap_or_else(|| c.scope.label(lang).into()),
            at: shanghai(c.granted_at),
            revoked: c.revoked_at.map(shanghai).unwrap_or_default(),
            live: c.revoked_at.is_none(),
        })
        .collect()
}

async fn profile_view(s: &AppState, ctx: &Ctx, form: Option<ProfileForm>, errors: FormErrors) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let lang = ctx.lang.code();
    let prof = match s.app.my_profile(p).await {
        Ok(v) => v,
        Err(e) => return page_error(e),
    };
    let consents = match s.app.my_consents(p).await {
        Ok(c) => c,
        Err(e) => return page_error(e),
    };
    let matches = s
        .app
        .match_demands_for_me(p, lang)
        .await
        .map(|v| {
            v.into_iter()
                .take(10)
                .map(|m| {
                    let missing: Vec<String> =
                        m.explanation.roles.iter().flat_map(|r| r.missing.iter().map(|x| x.name.clone())).collect();
                    (
                        m.demand.record.id,
                        m.demand.record.content.title.clone(),
                        m.demand.record.org_name.clone(),
                        m.score,
                        missing.join("、"),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let f = form.unwrap_or_else(|| match &prof {
        Some(pr) => ProfileForm {
            skills: vocab::format_skill_levels(&pr.content.skills, lang),
            certificates: pr.content.certificates.join(", "),
            grade_avg: pr.content.grade_avg.map(|g| g.to_string()).unwrap_or_default(),
            graduation_year: pr.content.graduation_year.map(|g| g.to_string()).unwrap_or_default(),
            region_code: pr.content.region_code.clone().unwrap_or_default(),
            preferred_regions: pr.content.preferred_regions.join(", "),
            preferred_occupations: pr.content.preferred_occupations.join(", "),
            intro: pr.content.intro.clone(),
        },
        None => ProfileForm::default(),
    });
    render(&ProfilePage {
        c: Chrome::new(s, ctx, "/me/profile").await,
        skills: f.skills,
        certificates: f.certificates,
        grade_avg: f.grade_avg,
        graduation_year: f.graduation_year,
        region_code: f.region_code,
        preferred_regions: f.preferred_regions,
        preferred_occupations: f.preferred_occupations,
        intro: f.intro,
        consents: consent_lines(consents, lang),
        matches,
        errors,
    })
}

pub(in crate::pages) async fn profile(State(s): State<AppState>, ctx: Ctx) -> Response {
    profile_view(&s, &ctx, None, FormErrors::none()).await
}

#[derive(Debug, Default, Deserialize)]
pub(in crate::pages) struct ProfileForm {
    #[serde(default)]
    skills: String,
    #[serde(default)]
    certificates: String,
    #[serde(default)]
    grade_avg: String,
    #[serde(default)]
    graduation_year: String,
    #[serde(default)]
    region_code: String,
    #[serde(default)]
    preferred_regions: String,
    #[serde(default)]
    preferred_occupations: String,
    #[serde(default)]
    intro: String,
}

pub(in crate::pages) async fn save_profile(
    State(s): State<AppState>,
    CsrfForm { ctx, form }: CsrfForm<ProfileForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let mut read = forms::Reader::new();
    let input = ProfileInput {
        skills_text: Some(form.skills.clone()),
        certificates: list(&form.certificates),
        grade_avg: read.opt_int("grade_avg", &form.grade_avg),
        graduation_year: read.opt_int("graduation_year", &form.graduation_year),
        region_code: opt_text(&form.region_code),
        preferred_regions: list(&form.preferred_regions),
        preferred_occupations: list(&form.preferred_occupations),
        intro: opt_text(&form.intro),
        ..Default::default()
    };
    let result = match read.finish() {
        Ok(()) => s.app.save_my_profile(p, &input).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(_) => see_other("/me/profile"),
        Err(e @ AppError::Validation(_)) => {
            let errors = field_messages(&ctx, &e);
            profile_view(&s, &ctx, Some(form), errors).await
        }
        Err(e) => page_error(e),
    }
}

#[derive(Deserialize)]
pub(in crate::pages) struct ConsentForm {
    scope: String,
    #[serde(default)]
    org_id: String,
}

pub(in crate::pages) async fn grant_consent(
    State(s): State<AppState>,
    CsrfForm { ctx, form }: CsrfForm<ConsentForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let mut read = forms::Reader::new();
    let input = ConsentInput { scope: form.scope.clone(), org_id: read.opt_int("org_id", &form.org_id) };
    let result = match read.finish() {
        Ok(()) => s.app.grant_consent(p, &input).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(_) => see_other("/me/profile"),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            let errors = field_messages(&ctx, &e);
            profile_view(&s, &ctx, None, errors).await
        }
        Err(e) => page_error(e),
    }
}

pub(in crate::pages) async fn revoke_consent(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form: _ }: CsrfForm<std::collections::HashMap<String, String>>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    match s.app.revoke_consent(p, id).await {
        Ok(()) => see_other("/me/profile"),
        Err(e) => page_error(e),
    }
}

#[derive(Template)]
#[template(path = "student.html")]
struct StudentPage {
    c: Chrome,
    name: String,
    college: String,
    major: String,
    skills: Vec<String>,
    certificates: Vec<String>,
    grade: String,
    graduation_year: String,
    intro: String,
}

/// A student's profile, for those the student consented to (and the college's staff).
pub(in crate::pages) async fn student(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let lang = ctx.lang.code();
    match s.app.get_profile(p, id).await {
        Ok(pr) => render(&StudentPage {
            c: Chrome::new(&s, &ctx, "/demands").await,
            name: pr.display_name,
            college: pr.org_name,
            major: pr.major_name.unwrap_or_default(),
            skills: pr
                .content
                .skills
                .iter()
                .map(|k| format!("{} {}", vocab::skill_name(&k.skill, lang), k.level))
                .collect(),
            certificates: pr.content.certificates.iter().map(|k| vocab::certificate_name(k, lang)).collect(),
            grade: pr.content.grade_avg.map(|g| g.to_string()).unwrap_or_default(),
            graduation_year: pr.content.graduation_year.map(|g| g.to_string()).unwrap_or_default(),
            intro: pr.content.intro,
        }),
        Err(e) => page_error(e),
    }
}
