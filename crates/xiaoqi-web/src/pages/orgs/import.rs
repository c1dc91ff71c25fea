//! Importing a college's people from CSV or Excel, and the template.

use super::*;

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    c: Chrome,
    id: i64,
    errors: FormErrors,
    report: Option<ImportReport>,
}

pub(in crate::pages) async fn import_page(State(s): State<AppState>, ctx: Ctx, ApiPath(id): ApiPath<i64>) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    if let Err(e) = p.org_admin(id) {
        return page_error(e);
    }
    render(&ImportPage {
        c: Chrome::new(&s, &ctx, &format!("/orgs/{id}/import")).await,
        id,
        errors: FormErrors::none(),
        report: None,
    })
}

/// Reads the multipart upload: the CSRF field and the file.
pub(in crate::pages) async fn read_upload(mut mp: Multipart) -> Result<(String, String, Vec<u8>), AppError> {
    let mut csrf = String::new();
    let mut file = None;
    let bad = |e: String| AppError::state(format!("上传失败：{e}"), format!("The upload failed: {e}"));
    while let Some(field) = mp.next_field().await.map_err(|e| bad(e.body_text()))? {
        match field.name() {
            Some("_csrf") => csrf = field.text().await.map_err(|e| bad(e.body_text()))?,
            Some("file") => {
                let name = field.file_name().unwrap_or("upload.csv").to_string();
                let bytes = field.bytes().await.map_err(|e| bad(e.body_text()))?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let (name, bytes) = file.ok_or_else(|| AppError::from(xiaoqi_domain::FieldError::required("file")))?;
    Ok((csrf, name, bytes))
}

pub(in crate::pages) async fn import_submit(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiPath(id): ApiPath<i64>,
    mp: Multipart,
) -> Response {
    let Some(p) = ctx.principal.as_ref() else { return see_other("/login") };
    let result = async {
        let (csrf, name, bytes) = read_upload(mp).await?;
        check_csrf(&ctx, Some(&csrf))?;
        s.app.import_people(p, id, &name, &bytes).await
    }
    .await;
    let c = Chrome::new(&s, &ctx, &format!("/orgs/{id}/import")).await;
    match result {
        Ok(report) => render(&ImportPage { c, id, errors: FormErrors::none(), report: Some(report) }),
        Err(AppError::Forbidden) => page_error(AppError::Forbidden),
        Err(e) => render(&ImportPage { c, id, errors: field_messages(&ctx, &e), report: None }),
    }
}

pub(in crate::pages) async fn import_template(ApiPath(_id): ApiPath<i64>) -> Response {
    // A BOM makes Excel open the UTF-8 file with the right encoding.
    let body = format!("\u{FEFF}{TEMPLATE_CSV}");
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"people-template.csv\""),
        ],
        body,
    )
        .into_response()
}
