//! `xiaoqi occupation suggest`: standard occupations for free-text job titles, as JSON lines.

use std::io::{BufRead as _, BufWriter, Write as _};

use anyhow::Context as _;
use xiaoqi_engine::occupation::OccupationIndex;

/// How many suggestions each title gets.
const SUGGESTIONS: usize = 5;

/// The suggester over the embedded classification (the same one the web uses).
pub fn index() -> anyhow::Result<&'static OccupationIndex> {
    xiaoqi_app::talent::occupation_index().map_err(|e| anyhow::anyhow!("loading the occupation classification: {e}"))
}

/// One title's answer: `{"title": …, "suggestions": [{"code", "name", "score"}, …]}`.
pub fn line(index: &OccupationIndex, title: &str) -> String {
    let suggestions: Vec<serde_json::Value> = index
        .suggest(title, SUGGESTIONS)
        .into_iter()
        .map(|s| serde_json::json!({"code": s.code, "name": s.name, "score": (s.score * 10_000.0).round() / 10_000.0}))
        .collect();
    // Written by hand so that "title" comes first, as documented (serde_json sorts map keys).
    format!(
        "{{\"title\":{},\"suggestions\":{}}}",
        serde_json::Value::from(title),
        serde_json::Value::Array(suggestions)
    )
}

/// With a title, prints one object; without, one object per line of standard input, in order.
pub fn run(title: Option<&str>) -> anyhow::Result<()> {
    let index = index()?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match title {
        Some(t) => writeln!(out, "{}", line(index, t))?,
        None => {
            // Bytes, not `lines()`: a line in another encoding is read lossily instead of ending
            // the run, so every input line gets its output line.
            for l in std::io::stdin().lock().split(b'\n') {
                let bytes = l.context("reading standard input")?;
                let text = String::from_utf8_lossy(&bytes);
                writeln!(out, "{}", line(index, text.trim_end_matches('\r')))?;
            }
        }
    }
    out.flush()?;
    Ok(())
}
