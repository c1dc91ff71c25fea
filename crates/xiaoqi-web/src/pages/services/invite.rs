//! An enterprise invites a college to run a training.

use super::*;

/// The invitation form as typed.
#[derive(Deserialize, Default)]
pub(in crate::pages) struct InviteForm {
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
#[template(path = "invite.html")]
struct InvitePage {
    c: Chrome,
    id: i64,
    college_name: String,
    enterprises: Vec<(i64, String)>,
    f: InviteForm,
    errors: FormErrors,
}

async fn invite_view(s: &AppState, ctx: &Ctx, id: i64, f: InviteForm, errors: FormErrors) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let college = match s.app.get_org(p, id).await {
        Ok(v) => v.record,
        Err(e) => return page_error(e),
    };
    let enterprises = my_enterprises(p);
    if enterprises.is_empty() {
        return page_error(AppError::Forbidden);
    }
    let page = InvitePage {
        c: Chrome::new(s, ctx, &format!("/orgs/{id}/invite")).await,
        id,
        college_name: college.profile.name,
        enterprises,
        f,
        errors,
    };
    render(&page)
}

pub(in crate::pages) async fn invite_page(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    invite_view(&s, &ctx, id, InviteForm::default(), FormErrors::none()).await
}

pub(in crate::pages) async fn invite_submit(
    State(s): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    CsrfForm { ctx, form }: CsrfForm<InviteForm>,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let result = async {
        let input = InvitationInput {
            enterprise_id: forms::parse_int("enterprise_id", &form.enterprise_id)?,
            title: form.title.clone(),
            message: opt_text(&form.message),
            participants_expected: forms::parse_int("participants_expected", &form.participants_expected)?,
            preferred_period: opt_text(&form.preferred_period),
        };
        s.app.invite_college(p, id, &input).await
    }
    .await;
    match result {
        Ok(r) => see_other(&format!("/service-requests/{}", r.id)),
        Err(e @ (AppError::Forbidden | AppError::NotFound(_) | AppError::InvalidState { .. })) => page_error(e),
        Err(e) => {
            let errs = field_messages(&ctx, &e);
            invite_view(&s, &ctx, id, form, errs).await
        }
    }
}
