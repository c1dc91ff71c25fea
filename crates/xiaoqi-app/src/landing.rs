//! What anyone may see before logging in: the alliance's public figures for the landing page.

use xiaoqi_store::PublicFigures;

use crate::App;
use crate::error::AppResult;

impl App {
    /// The alliance's public figures: counts over member organisations only (a pending or
    /// refused organisation counts for nothing), never a record of one of them.
    pub async fn public_figures(&self) -> AppResult<PublicFigures> {
        let mut conn = self.store.conn().await?;
        Ok(conn.public_figures(self.today()).await?)
    }
}
