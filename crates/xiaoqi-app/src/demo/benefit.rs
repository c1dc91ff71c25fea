//! Demo of part 2 on the demo project (自动化产线焊接变形控制): an agreement signed by both
//! parties, a registered patent, a licence income distributed into the ledger, and a programme
//! of the demo government agency with one awarded application.

use xiaoqi_domain::benefit::{self, Inventor, IpOwnership, Terms};
use xiaoqi_domain::conversion::{ConversionKind, ResultKind};
use xiaoqi_domain::money::Fen;
use xiaoqi_domain::org::OrgKind;
use xiaoqi_domain::page::PageRequest;
use xiaoqi_domain::research::FundingSource;
use xiaoqi_domain::sharing::Share;
use xiaoqi_domain::time::{Date, Timestamp};
use xiaoqi_store::{
    ConversionDecision, NewApplication, NewBudgetLine, NewConversion, NewResult, OrgFilter, ProgrammeFields,
    ProjectFilter, ResultOwner,
};

use super::DAY;
use crate::App;
use crate::error::{AppError, AppResult};
use crate::research::ledger_lines;

fn missing(what: &str) -> AppError {
    AppError::internal(format!("demo {what} missing"))
}

impl App {
    /// Seeds the project's agreement, result, licence and programme (the last area).
    pub(super) async fn seed_research_benefit_demo(&self) -> AppResult<()> {
        let mut tx = self.store.begin().await?;
        let t = self.now();
        let today = Date::shanghai_of(Timestamp(t));
        let hr = tx.find_account_by_email("hr@chuangzhi.demo").await?.ok_or_else(|| missing("hr"))?.id;
        let leader = tx.find_account_by_email("leader@pcvc.demo").await?.ok_or_else(|| missing("leader"))?.id;
        let teacher = tx.find_account_by_email("teacher@pcvc.demo").await?.ok_or_else(|| missing("teacher"))?.id;
        let gov_admin = tx.find_account_by_email("member@gov.demo").await?.ok_or_else(|| missing("gov"))?.id;
        let gov = tx
            .list_orgs(
                &OrgFilter { kind: Some(OrgKind::Government), ..OrgFilter::default() },
                PageRequest { limit: 1, offset: 0 },
            )
            .await?
            .items
            .first()
            .map(|o| o.id)
            .ok_or_else(|| missing("agency"))?;
        let projects = tx.list_projects(&ProjectFilter::default(), PageRequest { limit: 1, offset: 0 }).await?.items;
        let j = projects.first().ok_or_else(|| missing("project"))?;

        // The agreement: costs 60/40, revenue 40/60, half of the college's part to the inventors.
        let mut terms =
            Terms::prefilled((j.enterprise_org_id, &j.enterprise_name), (j.college_org_id, &j.college_name));
        terms.parties[0].cost_share = Share(6_000);
        terms.parties[1].cost_share = Share(4_000);
        terms.parties[0].revenue_share = Share(4_000);
        terms.parties[1].revenue_share = Share(6_000);
        terms.ip_ownership = IpOwnership::Joint;
        terms.ip_note = "专利由双方共同申请；企业在本行业内享有优先实施许可。".into();
        terms.inventors = vec![
            Inventor { account_id: Some(teacher), name: "王老师".into(), share: Share(6_000) },
            Inventor { account_id: None, name: "李工".into(), share: Share(4_000) },
        ];
        terms.validate().map_err(|e| AppError::internal(format!("demo terms: {e:?}")))?;
        let signed_at = j.created_at + DAY;
        let version = tx.propose_agreement(j.id, 1, &terms, hr, signed_at).await?;
        tx.sign_agreement(version, j.enterprise_org_id, hr, signed_at).await?;
        tx.sign_agreement(version, j.college_org_id, leader, signed_at + 3_600_000).await?;
        tx.put_agreement_in_force(version, signed_at + 3_600_000).await?;

        // A patent and a licence whose income is distributed by the agreement.
        let result = tx
            .create_result(&NewResult {
                project_id: j.id,
                kind: ResultKind::Patent,
                title: "一种机架焊接反变形工装".into(),
                registration_no: Some("ZL2026XXXXXXXX.X（演示）".into()),
                result_date: Date(today.0 - 6).format(),
                owners: vec![
                    ResultOwner { name: j.enterprise_name.clone(), org_id: Some(j.enterprise_org_id) },
                    ResultOwner { name: j.college_name.clone(), org_id: Some(j.college_org_id) },
                ],
                by: teacher,
                at: t - 6 * DAY,
            })
            .await?;
        let income = Fen(8_000_033);
        let lines = benefit::distribute(income, &terms).map_err(|e| AppError::internal(format!("{e:?}")))?;
        let conversion = tx
            .record_conversion(&NewConversion {
                result_id: result,
                kind: ConversionKind::Licence,
                counterparty: "东莞华联电子制造有限公司".into(),
                event_date: Date(today.0 - 2).format(),
                income_fen: income.0,
                note: "普通实施许可，一次性许可费".into(),
                agreement_version_id: version,
                lines: ledger_lines(&lines, &terms),
                recorded_side: "enterprise".into(),
                by: hr,
                at: t - 2 * DAY,
            })
            .await?;
        // The college's programme leader confirmed the income, so it is in the ledger.
        tx.decide_conversion(
            conversion,
            &ConversionDecision {
                decision: "confirmed".into(),
                reason: String::new(),
                decided_by: leader,
                decided_at: t - DAY,
            },
        )
        .await?;

        // A programme of the agency with an awarded application that became a budget line.
        let programme = tx
            .create_programme(
                gov,
                &ProgrammeFields {
                    name: "南山区中小企业技术攻关资助计划（演示）".into(),
                    description: "支持中小企业联合院校攻关关键工艺，企业按 50% 配套。".into(),
                    eligible_sizes: vec!["micro".into(), "small".into(), "medium".into()],
                    matching_ratio: 5_000,
                    ceiling_fen: 30_000_000,
                    deadline: Date(today.0 + 60).format(),
                },
                gov_admin,
                t - 10 * DAY,
            )
            .await?;
        let enterprise_funding: i64 = tx
            .list_budget_lines(&xiaoqi_store::ReadScope::Everything, j.id)
            .await?
            .iter()
            .filter(|l| l.source == FundingSource::Enterprise)
            .map(|l| l.amount_fen)
            .sum();
        let application = tx
            .create_programme_application(&NewApplication {
                programme_id: programme,
                project_id: j.id,
                applicant_org_id: j.enterprise_org_id,
                requested_fen: 20_000_000,
                enterprise_funding_fen: enterprise_funding,
                by: hr,
                at: t - 9 * DAY,
            })
            .await?;
        let award = Fen(10_000_000);
        let line = tx
            .add_budget_line(
                j.id,
                &NewBudgetLine {
                    source: FundingSource::Government,
                    programme: Some("南山区中小企业技术攻关资助计划（演示）".into()),
                    amount_fen: award.0,
                },
                gov_admin,
                t - 4 * DAY,
            )
            .await?;
        tx.award_programme_application(application, award.0, line, gov_admin, t - 4 * DAY).await?;
        tx.commit().await?;
        Ok(())
    }
}
