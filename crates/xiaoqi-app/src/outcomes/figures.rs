//! A cohort's destination figures as of chosen dates, with their definitions.

use std::collections::HashMap;

use serde::Serialize;
use xiaoqi_domain::FieldError;
use xiaoqi_domain::destination::{
    DEFINITIONS, Definition, EntryFacts, Figures, GraduateFacts, check_cohort, cohort_window, figures,
};
use xiaoqi_domain::org::OrgKind;
use xiaoqi_domain::sme::SizeClass;
use xiaoqi_domain::time::Date;
use xiaoqi_store::{DestinationRecord, OrgId};

use crate::authz::reads_destinations;
use crate::error::{AppError, AppResult};
use crate::{App, Principal};

/// The figures of one date.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FiguresAsOf {
    /// YYYY-MM-DD.
    pub as_of: String,
    #[schema(value_type = Object)]
    pub figures: Figures,
}

/// A college's cohort figures at each date asked for, with the definitions used.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CohortFigures {
    pub college_org_id: OrgId,
    pub college_name: String,
    pub cohort: i64,
    pub dates: Vec<FiguresAsOf>,
    #[schema(value_type = Vec<Object>)]
    pub definitions: &'static [Definition],
}

/// The dates a cohort is usually read at: 31 August and 31 December of the graduation year.
pub fn default_dates(cohort: i64) -> Vec<String> {
    vec![format!("{cohort}-08-31"), format!("{cohort}-12-31")]
}

fn is_sme(size: Option<&str>) -> bool {
    matches!(size.and_then(SizeClass::parse), Some(SizeClass::Micro | SizeClass::Small | SizeClass::Medium))
}

fn entry_facts(d: &DestinationRecord) -> AppResult<EntryFacts> {
    Ok(EntryFacts {
        id: d.id,
        kind: d.kind,
        date: Date::parse("destination_date", &d.destination_date).map_err(AppError::internal)?,
        checked: d.status == xiaoqi_domain::destination::DestinationStatus::Checked,
        occupation_code: d.occupation_code.clone(),
        employer_is_sme: is_sme(d.employer_size_class.as_deref()),
        employer_is_member: d.employer_is_member,
    })
}

impl App {
    /// The figures of a college's cohort as of each date (at most four; default 31 August and
    /// 31 December of the graduation year), for those who read the register.
    pub async fn destination_figures(
        &self,
        p: &Principal,
        college: OrgId,
        cohort: i64,
        dates: &[String],
    ) -> AppResult<CohortFigures> {
        if !reads_destinations(p, college) {
            return Err(AppError::Forbidden);
        }
        let cohort = check_cohort("cohort", cohort)?;
        let wanted = if dates.is_empty() { default_dates(cohort) } else { dates.to_vec() };
        if wanted.len() > 4 {
            return Err(FieldError::new("as_of", "too_many_dates", "最多比较 4 个日期", "At most four dates").into());
        }
        let (_, last) = cohort_window(cohort);
        let mut as_of = Vec::new();
        for (i, s) in wanted.iter().enumerate() {
            let d = Date::parse(&format!("as_of[{i}]"), s)?;
            if d > last {
                return Err(FieldError::new(
                    format!("as_of[{i}]"),
                    "date_outside_cohort",
                    format!("{cohort} 届的统计截至 {}", last.format()),
                    format!("The statistics of the {cohort} cohort end on {}", last.format()),
                )
                .into());
            }
            as_of.push(d);
        }
        let mut conn = self.store.conn().await?;
        let org = conn.find_org(college).await?.ok_or(AppError::NotFound("organization"))?;
        if org.profile.kind != OrgKind::College {
            return Err(AppError::NotFound("organization"));
        }
        let graduates = conn.list_graduates(college, cohort).await?;
        let mut serves: HashMap<i64, Vec<String>> = HashMap::new();
        for major in graduates.iter().filter_map(|g| g.major_id) {
            if let std::collections::hash_map::Entry::Vacant(slot) = serves.entry(major) {
                slot.insert(conn.list_major_occupations(major).await?);
            }
        }
        let mut facts: Vec<GraduateFacts> = graduates
            .iter()
            .map(|g| GraduateFacts {
                major_occupations: g.major_id.and_then(|m| serves.get(&m).cloned()).unwrap_or_default(),
                entries: Vec::new(),
            })
            .collect();
        let index: HashMap<i64, usize> = graduates.iter().enumerate().map(|(i, g)| (g.id, i)).collect();
        for d in conn.list_cohort_destinations(college, cohort).await? {
            if let Some(i) = index.get(&d.graduate_id) {
                facts[*i].entries.push(entry_facts(&d)?);
            }
        }
        let dates = as_of.iter().map(|d| FiguresAsOf { as_of: d.format(), figures: figures(&facts, *d) }).collect();
        Ok(CohortFigures {
            college_org_id: college,
            college_name: org.profile.name,
            cohort,
            dates,
            definitions: DEFINITIONS,
        })
    }

    /// Replaces the occupations (CSCO 2022 codes, at most 20) a major of the college serves.
    pub async fn set_major_occupations(
        &self,
        p: &Principal,
        college: OrgId,
        major: i64,
        codes: &[String],
    ) -> AppResult<Vec<String>> {
        if !crate::authz::manages_majors(p, college) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.store.begin().await?;
        if !tx.list_majors(college).await?.iter().any(|m| m.id == major) {
            return Err(AppError::NotFound("major"));
        }
        let mut clean: Vec<String> = Vec::new();
        let mut e = xiaoqi_domain::ValidationErrors::new();
        for (i, c) in codes.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).enumerate() {
            match crate::talent::vocab::check_occupation(&mut tx, &format!("occupations[{i}]"), c).await {
                Ok(()) if !clean.iter().any(|x| x == c) => clean.push(c.to_string()),
                Ok(()) => {}
                Err(AppError::Validation(v)) => e.0.extend(v.0),
                Err(other) => return Err(other),
            }
        }
        if clean.len() > 20 {
            e.push(FieldError::new("occupations", "too_many", "最多 20 个职业", "At most 20 occupations"));
        }
        e.into_result()?;
        tx.set_major_occupations(major, &clean).await?;
        let change = crate::audit::Change::created("major.occupations", "major", major, &clean);
        crate::audit::record(&mut tx, self.now(), p, Some(college), change).await?;
        tx.commit().await?;
        Ok(clean)
    }
}
