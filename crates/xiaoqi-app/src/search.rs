//! The one search box: keeping the index in step with public records and querying it.
//!
//! Only what the whole alliance may see is indexed: member organisations, published demands,
//! majors of member colleges, active service offerings, teams of member colleges and the public
//! part of open problems of member enterprises. Writers call
//! `index_*` in the same transaction as the record, so the index never shows a rolled-back
//! write.

use serde::Serialize;
use xiaoqi_domain::FieldError;
use xiaoqi_domain::org::{MembershipStatus, OrgKind};
use xiaoqi_domain::page::PageRequest;
use xiaoqi_domain::talent::DemandStatus;
use xiaoqi_store::prelude::*;
use xiaoqi_store::{DemandFilter, MajorRecord, OrgId, OrgRecord, SearchDoc, SearchKind, SearchQuery, SearchResults};

use crate::error::AppResult;
use crate::talent::vocab;
use crate::{App, Principal};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// Every offering (of one college), page by page.
async fn offerings_of(
    conn: &mut Box<dyn Conn>,
    college: Option<OrgId>,
) -> AppResult<Vec<xiaoqi_store::ServiceOfferingRecord>> {
    let filter = xiaoqi_store::ServiceOfferingFilter { college, ..Default::default() };
    let mut out = Vec::new();
    loop {
        let page = conn.list_offerings(&filter, PageRequest { limit: 100, offset: out.len() as u64 }).await?;
        if page.items.is_empty() {
            break;
        }
        out.extend(page.items);
    }
    Ok(out)
}

/// A search answer with the query echoed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchAnswer {
    pub query: String,
    #[serde(flatten)]
    pub results: SearchResults,
}

impl App {
    pub(crate) async fn index_doc(
        &self,
        conn: &mut Box<dyn Conn>,
        kind: SearchKind,
        ref_id: i64,
        org_id: Option<OrgId>,
        (title, summary, body): (&str, &str, &str),
    ) -> AppResult<()> {
        let doc = SearchDoc {
            kind,
            ref_id,
            org_id,
            title: title.to_string(),
            summary: summary.to_string(),
            body: body.to_string(),
            updated_at: self.now(),
        };
        Ok(conn.upsert_search_doc(&doc).await?)
    }

    pub(crate) async fn unindex_doc(&self, conn: &mut Box<dyn Conn>, kind: SearchKind, ref_id: i64) -> AppResult<()> {
        conn.delete_search_doc(kind, ref_id).await?;
        Ok(())
    }

    /// Indexes an organisation while it is an alliance member; removes it otherwise.
    pub(crate) async fn index_org(&self, conn: &mut Box<dyn Conn>, o: &OrgRecord) -> AppResult<()> {
        if o.membership != MembershipStatus::Member || o.profile.kind == OrgKind::Alliance {
            return self.unindex_doc(conn, SearchKind::Org, o.id).await;
        }
        let p = &o.profile;
        let body = [
            p.name.as_str(),
            p.name_en.as_deref().unwrap_or(""),
            p.kind.label_zh(),
            p.kind.label_en(),
            p.description.as_deref().unwrap_or(""),
        ]
        .join(" ");
        let summary = p.kind.label_zh().to_string();
        self.index_doc(conn, SearchKind::Org, o.id, Some(o.id), (&p.name, &summary, &body)).await
    }

    /// Indexes a major of a member college with what it teaches.
    pub(crate) async fn index_major(&self, conn: &mut Box<dyn Conn>, m: &MajorRecord) -> AppResult<()> {
        let Some(org) = conn.find_org(m.org_id).await? else { return Ok(()) };
        if org.membership != MembershipStatus::Member {
            return self.unindex_doc(conn, SearchKind::Major, m.id).await;
        }
        let mut body = vec![m.name.clone(), m.code.clone(), org.profile.name.clone(), m.supply.description.clone()];
        for s in &m.supply.skills {
            body.push(vocab::skill_name(&s.skill, "zh"));
            body.push(vocab::skill_name(&s.skill, "en"));
        }
        let summary = format!("{} · 年毕业 {} 人", org.profile.name, m.supply.yearly_graduates);
        self.index_doc(conn, SearchKind::Major, m.id, Some(m.org_id), (&m.name, &summary, &body.join(" "))).await
    }

    /// Indexes an active offering of a member college; removes it otherwise.
    pub(crate) async fn index_offering(
        &self,
        conn: &mut Box<dyn Conn>,
        o: &xiaoqi_store::ServiceOfferingRecord,
    ) -> AppResult<()> {
        let member = conn.find_org(o.org_id).await?.is_some_and(|c| c.membership == MembershipStatus::Member);
        if !member || o.status != xiaoqi_domain::service::OfferingStatus::Active {
            return self.unindex_doc(conn, SearchKind::Service, o.id).await;
        }
        let (title, summary, body) = crate::services::offering_search_text(o);
        self.index_doc(conn, SearchKind::Service, o.id, Some(o.org_id), (&title, &summary, &body)).await
    }

    /// Re-indexes an organisation and, for a college, its majors and offerings (after a
    /// membership decision or a profile edit).
    pub(crate) async fn reindex_org_tree(&self, conn: &mut Box<dyn Conn>, org: OrgId) -> AppResult<()> {
        let Some(o) = conn.find_org(org).await? else { return Ok(()) };
        self.index_org(conn, &o).await?;
        for m in conn.list_majors(org).await? {
            self.index_major(conn, &m).await?;
        }
        for o in offerings_of(conn, Some(org)).await? {
            self.index_offering(conn, &o).await?;
        }
        self.reindex_research_of(conn, org).await?;
        Ok(())
    }

    /// Rebuilds the index when it is empty but there is something to index (a database created
    /// before the index existed). Returns how many documents were written.
    pub async fn ensure_search_index(&self) -> AppResult<u64> {
        if self.store.conn().await?.count_search_docs().await? > 0 {
            return Ok(0);
        }
        self.rebuild_search_index().await
    }

    /// Indexes every public record again (idempotent); returns how many documents were written.
    pub async fn rebuild_search_index(&self) -> AppResult<u64> {
        let mut tx = self.store.begin().await?;
        let mut n = 0;
        let filter = xiaoqi_store::OrgFilter { membership: Some(MembershipStatus::Member), ..Default::default() };
        let mut offset = 0;
        loop {
            let page = tx.list_orgs(&filter, PageRequest { limit: 100, offset }).await?;
            if page.items.is_empty() {
                break;
            }
            offset += page.items.len() as u64;
            for o in &page.items {
                self.index_org(&mut tx, o).await?;
                n += 1;
                for m in tx.list_majors(o.id).await? {
                    self.index_major(&mut tx, &m).await?;
                    n += 1;
                }
            }
        }
        let mut offset = 0;
        let df = DemandFilter { statuses: vec![DemandStatus::Published], ..Default::default() };
        loop {
            let page = tx.list_demands(&df, PageRequest { limit: 100, offset }).await?;
            if page.items.is_empty() {
                break;
            }
            offset += page.items.len() as u64;
            for d in &page.items {
                self.index_demand(&mut tx, d).await?;
                n += 1;
            }
        }
        for o in offerings_of(&mut tx, None).await? {
            self.index_offering(&mut tx, &o).await?;
            n += 1;
        }
        n += self.reindex_research(&mut tx).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Searches everything public; every word of the query must occur.
    pub async fn search(
        &self,
        _p: &Principal,
        q: &str,
        kinds: Vec<SearchKind>,
        page: PageRequest,
    ) -> AppResult<SearchAnswer> {
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(FieldError::too_long("q", MAX_QUERY_CHARS).into());
        }
        let query = q.trim().to_string();
        let results = self.store.conn().await?.search(&SearchQuery { text: query.clone(), kinds, page }).await?;
        Ok(SearchAnswer { query, results })
    }
}
