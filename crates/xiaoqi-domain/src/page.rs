//! Offset pagination: a validated page request and one page of results.

use serde::Serialize;

use crate::error::FieldError;

/// Page size used when the caller gives none.
pub const DEFAULT_LIMIT: u32 = 20;

/// Largest page size a caller may ask for.
pub const MAX_LIMIT: u32 = 100;

/// Largest offset a caller may ask for.
pub const MAX_OFFSET: u64 = 10_000_000;

/// A validated request for one page: at most `limit` items, skipping the first `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct PageRequest {
    /// Page size, 1 to [`MAX_LIMIT`].
    pub limit: u32,
    /// Number of items skipped, 0 to [`MAX_OFFSET`].
    pub offset: u64,
}

impl Default for PageRequest {
    /// The first page with the default size.
    fn default() -> Self {
        PageRequest { limit: DEFAULT_LIMIT, offset: 0 }
    }
}

impl PageRequest {
    /// The first `limit` items (at least 1, at most [`MAX_LIMIT`]), for a preview that is not a
    /// list to page through (a count, the five latest notifications, eight suggestions).
    pub const fn first(limit: u32) -> PageRequest {
        let limit = if limit == 0 {
            1
        } else if limit > MAX_LIMIT {
            MAX_LIMIT
        } else {
            limit
        };
        PageRequest { limit, offset: 0 }
    }

    /// Validates raw query values; a missing limit is 20 and a missing offset is 0.
    pub fn new(limit: Option<i64>, offset: Option<i64>) -> Result<PageRequest, FieldError> {
        let limit = match limit {
            None => DEFAULT_LIMIT,
            Some(l) => u32::try_from(l).ok().filter(|l| (1..=MAX_LIMIT).contains(l)).ok_or_else(|| {
                FieldError::new(
                    "limit",
                    "page_limit_range",
                    format!("每页条数必须在 1 到 {MAX_LIMIT} 之间（page_limit_range），收到 {l}"),
                    format!(
                        "The page size must be between 1 and {MAX_LIMIT} \
                             (page_limit_range); got {l}"
                    ),
                )
            })?,
        };
        let offset = match offset {
            None => 0,
            Some(o) => u64::try_from(o).ok().filter(|o| *o <= MAX_OFFSET).ok_or_else(|| {
                FieldError::new(
                    "offset",
                    "page_offset_range",
                    format!("偏移量必须在 0 到 {MAX_OFFSET} 之间（page_offset_range），收到 {o}"),
                    format!(
                        "The offset must be between 0 and {MAX_OFFSET} \
                             (page_offset_range); got {o}"
                    ),
                )
            })?,
        };
        Ok(PageRequest { limit, offset })
    }
}

/// One page of results together with the total count of matching items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// Number of matching items across all pages.
    pub total: u64,
    /// The page size that was requested.
    pub limit: u32,
    /// Number of items skipped before this page.
    pub offset: u64,
}

impl<T> Page<T> {
    /// A page holding `items` out of `total`, answering `request`.
    pub fn new(items: Vec<T>, total: u64, request: PageRequest) -> Page<T> {
        Page { items, total, limit: request.limit, offset: request.offset }
    }

    /// The same page with every item transformed by `f`.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            limit: self.limit,
            offset: self.offset,
        }
    }

    /// Whether items remain after this page.
    pub fn has_next(&self) -> bool {
        let seen = self.offset.saturating_add(self.items.len() as u64);
        seen < self.total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule_and_field(limit: Option<i64>, offset: Option<i64>) -> (&'static str, String) {
        PageRequest::new(limit, offset).err().map_or(("ok", String::new()), |e| (e.rule, e.field))
    }

    #[test]
    fn missing_values_give_the_first_page_of_twenty() {
        assert_eq!(PageRequest::new(None, None), Ok(PageRequest::default()));
        assert_eq!(PageRequest::default(), PageRequest { limit: 20, offset: 0 });
    }

    #[test]
    fn limit_bounds_are_inclusive() {
        assert_eq!(PageRequest::new(Some(1), None).map(|p| p.limit), Ok(1));
        assert_eq!(PageRequest::new(Some(100), None).map(|p| p.limit), Ok(100));
    }

    #[test]
    fn limit_outside_one_to_hundred_is_rejected_on_limit() {
        for l in [0, -1, 101, i64::MAX, i64::MIN] {
            let expected = ("page_limit_range", "limit".to_string());
            assert_eq!(rule_and_field(Some(l), None), expected, "{l}");
        }
    }

    #[test]
    fn offset_bounds_are_inclusive() {
        let p = PageRequest::new(None, Some(10_000_000));
        assert_eq!(p.map(|p| p.offset), Ok(10_000_000));
        assert_eq!(PageRequest::new(None, Some(0)).map(|p| p.offset), Ok(0));
    }

    #[test]
    fn negative_or_huge_offset_is_rejected_on_offset() {
        for o in [-1, 10_000_001, i64::MAX, i64::MIN] {
            let expected = ("page_offset_range", "offset".to_string());
            assert_eq!(rule_and_field(Some(20), Some(o)), expected, "{o}");
        }
    }

    #[test]
    fn error_messages_are_bilingual_and_name_the_rule() {
        let e = PageRequest::new(Some(500), None).err();
        let (zh, en) = e.map(|e| (e.zh, e.en)).unwrap_or_default();
        assert!(zh.contains("每页条数") && zh.contains("page_limit_range") && zh.contains("500"));
        assert!(en.contains("page size") && en.contains("page_limit_range"));
    }

    #[test]
    fn a_preview_is_the_first_page_within_the_bounds() {
        assert_eq!(PageRequest::first(5), PageRequest { limit: 5, offset: 0 });
        assert_eq!(PageRequest::first(0).limit, 1);
        assert_eq!(PageRequest::first(500).limit, MAX_LIMIT);
    }

    #[test]
    fn has_next_compares_items_seen_with_total() {
        let req = PageRequest { limit: 2, offset: 0 };
        assert!(Page::new(vec![1, 2], 3, req).has_next());
        assert!(!Page::new(vec![1, 2], 2, req).has_next());
        let last = PageRequest { limit: 2, offset: 2 };
        assert!(!Page::new(vec![3], 3, last).has_next());
        assert!(!Page::<u8>::new(vec![], 0, req).has_next());
    }

    #[test]
    fn map_transforms_items_and_keeps_counts() {
        let page = Page::new(vec![1, 2], 5, PageRequest::default()).map(|n| n * 10);
        assert_eq!(page.items, vec![10, 20]);
        assert_eq!((page.total, page.limit, page.offset), (5, 20, 0));
    }
}
