//! Paging of list pages: `?limit=&offset=` read and refused as the API refuses them, a pager
//! under every list (never a silent cap), and whole lists for pickers, read page by page.

use std::future::Future;

use serde::Deserialize;
use xiaoqi_app::{AppError, AppResult};
use xiaoqi_domain::page::{MAX_LIMIT, Page, PageRequest};
use xiaoqi_domain::{FieldError, ValidationErrors};

use super::forms;
use crate::i18n::T;

/// The paging part of a list page's query, as typed (so that a bad value is a field error).
#[derive(Debug, Default, Deserialize)]
pub struct PageParams {
    #[serde(default)]
    pub limit: Option<String>,
    #[serde(default)]
    pub offset: Option<String>,
}

impl PageParams {
    /// The paging values of a second list on a page, e.g. `teams_offset`, from the raw query.
    pub fn prefixed(query: &std::collections::HashMap<String, String>, prefix: &str) -> PageParams {
        PageParams {
            limit: query.get(&format!("{prefix}limit")).cloned(),
            offset: query.get(&format!("{prefix}offset")).cloned(),
        }
    }

    /// The page asked for: missing values give the first page of 20; anything else is checked
    /// by `PageRequest::new`, the API's own rule.
    pub fn request(&self) -> Result<PageRequest, ValidationErrors> {
        let mut e = ValidationErrors::new();
        let limit = e.check(forms::parse_int("limit", self.limit.as_deref().unwrap_or(""))).flatten();
        let offset = e.check(forms::parse_int("offset", self.offset.as_deref().unwrap_or(""))).flatten();
        e.into_result()?;
        Ok(PageRequest::new(limit, offset)?)
    }
}

/// The pager under a list: which items are shown, of how many, and links to the pages around.
#[derive(Debug, Clone, Default)]
pub struct Pager {
    /// "第 21–40 条，共 57 条" or "21–40 of 57"; empty when the list is empty.
    pub label: String,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// The pager of `page`, whose links keep the other query values of `base` (a path with or
    /// without a query string).
    pub fn new<X>(t: &T, page: &Page<X>, base: &str) -> Pager {
        Pager::named(t, page, base, "")
    }

    /// The pager of one of several lists on a page: its query values are `{prefix}offset` and
    /// `{prefix}limit` (see [`PageParams::prefixed`]).
    pub fn named<X>(t: &T, page: &Page<X>, base: &str, prefix: &str) -> Pager {
        let limit = u64::from(page.limit);
        let link = |offset: u64| {
            let sep = if base.contains('?') { '&' } else { '?' };
            let size = if page.limit == xiaoqi_domain::page::DEFAULT_LIMIT {
                String::new()
            } else {
                format!("&{prefix}limit={limit}")
            };
            format!("{base}{sep}{prefix}offset={offset}{size}")
        };
        let shown = page.items.len() as u64;
        let label = if shown == 0 {
            String::new()
        } else {
            t.get("common.showing")
                .replace("{from}", &(page.offset + 1).to_string())
                .replace("{to}", &(page.offset + shown).to_string())
                .replace("{total}", &page.total.to_string())
        };
        Pager {
            label,
            prev: (page.offset > 0).then(|| link(page.offset.saturating_sub(limit))),
            next: page.has_next().then(|| link(page.offset + limit)),
        }
    }
}

/// The most items a picker reads (a select of organisations, the mentors of a college).
pub const PICKER_CAP: usize = 10_000;

/// Every item of a list, read page by page (for pickers and side panels that must show all),
/// up to [`PICKER_CAP`] items; an error of any page is the error of the whole.
pub async fn all_pages<X, F, Fut>(mut fetch: F) -> AppResult<Vec<X>>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: Future<Output = AppResult<Page<X>>>,
{
    let mut out = Vec::new();
    loop {
        let request = PageRequest::new(Some(i64::from(MAX_LIMIT)), Some(out.len() as i64))
            .map_err(|e: FieldError| AppError::internal(e))?;
        let page = fetch(request).await?;
        let more = page.has_next() && !page.items.is_empty();
        out.extend(page.items);
        if !more || out.len() >= PICKER_CAP {
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn page(offset: u64, items: usize, total: u64) -> Page<u8> {
        Page { items: vec![0; items], total, limit: 20, offset }
    }

    #[test]
    fn the_pager_says_what_is_shown_and_links_around_it() {
        let t = T { lang: Lang::Zh };
        let p = Pager::new(&t, &page(20, 20, 57), "/demands?region=44");
        assert_eq!(p.label, "第 21–40 条，共 57 条");
        assert_eq!(p.prev.as_deref(), Some("/demands?region=44&offset=0"));
        assert_eq!(p.next.as_deref(), Some("/demands?region=44&offset=40"));
        let last = Pager::new(&T { lang: Lang::En }, &page(40, 17, 57), "/demands");
        assert_eq!((last.label.as_str(), last.next), ("41–57 of 57", None));
        assert_eq!(Pager::new(&t, &page(0, 0, 0), "/x").label, "");
    }

    #[test]
    fn paging_values_are_refused_as_the_api_refuses_them() {
        let bad = PageParams { limit: Some("500".into()), offset: Some("x".into()) };
        let rules: Vec<&str> = bad.request().err().map(|e| e.0.iter().map(|f| f.rule).collect()).unwrap_or_default();
        assert_eq!(rules, vec!["integer_format"]);
        let too_big = PageParams { limit: Some("500".into()), offset: None };
        assert_eq!(too_big.request().err().map(|e| e.0[0].rule), Some("page_limit_range"));
        assert_eq!(PageParams::default().request(), Ok(PageRequest::default()));
    }

    #[tokio::test]
    async fn a_whole_list_is_read_page_by_page() {
        let total = 230u64;
        let all = all_pages(|r: PageRequest| async move {
            let n = (total.saturating_sub(r.offset)).min(u64::from(r.limit)) as usize;
            Ok(Page { items: (0..n).map(|i| r.offset + i as u64).collect(), total, limit: r.limit, offset: r.offset })
        })
        .await
        .unwrap_or_default();
        assert_eq!(all.len(), 230);
        assert_eq!(all.last(), Some(&229));
    }
}
