//! Demo data of the marketplace: the demo college's offerings (one free), a request of the demo
//! enterprise delivered and rated, and a training invitation awaiting the college.

use xiaoqi_domain::service::{PriceUnit, ServiceKind, ServiceRequestStatus as S};
use xiaoqi_store::prelude::*;
use xiaoqi_store::{NewServiceRequest, OrgId, ServiceOfferingFields, ServiceStep};

use super::{DAY, account};
use crate::error::{AppError, AppResult};

/// (kind, title, description, capacity, price in fen, unit)
const OFFERINGS: &[(ServiceKind, &str, &str, i64, i64, PriceUnit)] = &[
    (
        ServiceKind::SkillsTraining,
        "数控车床操作与编程培训",
        "面向一线操作工和班组长的数控车床实操课程：G 代码编程、对刀、首件检验与常见报警处理，在校内实训车间授课，结业考核合格者可参加 1+X 数控车铣加工职业技能等级证书考试。",
        30,
        80_000,
        PriceUnit::PerPerson,
    ),
    (
        ServiceKind::TechnicalService,
        "工业机器人产线调试技术服务",
        "工业机器人技术专业教师团队驻厂调试焊接、搬运和码垛机器人工作站，优化节拍并培训维护人员。",
        5,
        2_000_000,
        PriceUnit::PerProject,
    ),
    (
        ServiceKind::ManagementConsulting,
        "中小企业精益生产管理咨询",
        "现场诊断生产流程，开展 5S、价值流分析和标准作业改进，形成可执行的改善方案。",
        10,
        500_000,
        PriceUnit::PerDay,
    ),
    (
        ServiceKind::TrainingBase,
        "智能制造实训基地开放日（免费）",
        "联盟成员企业可预约参观智能制造实训基地，体验五轴加工中心、工业机器人和数字化产线，每月一场。",
        40,
        0,
        PriceUnit::PerSession,
    ),
];

/// Seeds the marketplace in the demo transaction, `t` being the seeding time.
pub(super) async fn seed(tx: &mut Box<dyn Conn>, college: OrgId, enterprise: OrgId, t: i64) -> AppResult<()> {
    let college_admin = account(tx, "admin@pcvc.demo").await?;
    let leader = account(tx, "leader@pcvc.demo").await?;
    let hr = account(tx, "hr@chuangzhi.demo").await?;
    let mut first = None;
    for (i, (kind, title, description, capacity, price_fen, price_unit)) in OFFERINGS.iter().enumerate() {
        let fields = ServiceOfferingFields {
            kind: *kind,
            title: (*title).into(),
            description: (*description).into(),
            capacity: *capacity,
            price_fen: *price_fen,
            price_unit: *price_unit,
        };
        let by = if i % 2 == 0 { college_admin } else { leader };
        let id = tx.create_offering(college, &fields, by, t - 60 * DAY + i as i64).await?;
        first.get_or_insert(id);
    }
    let offering = first.ok_or_else(|| AppError::Internal("no demo offering".into()))?;

    let delivered = tx
        .create_service_request(&NewServiceRequest {
            offering_id: Some(offering),
            enterprise_org_id: enterprise,
            college_org_id: college,
            kind: ServiceKind::SkillsTraining,
            title: "数控车床操作与编程培训（创智精密第一期）".into(),
            message: Some("新购 12 台数控车床，希望为车间操作工开展集中培训。".into()),
            participants_expected: Some(28),
            preferred_period: Some("下月两个周末".into()),
            requested_by: hr,
            requested_at: t - 40 * DAY,
        })
        .await?;
    let steps = [
        (S::Requested, S::Accepted, ServiceStep::Accept, college_admin, t - 38 * DAY),
        (
            S::Accepted,
            S::Scheduled,
            ServiceStep::Schedule { start: t - 30 * DAY, end: t - 28 * DAY },
            college_admin,
            t - 37 * DAY,
        ),
        (
            S::Scheduled,
            S::Delivered,
            ServiceStep::Deliver { hours_tenths: 240, participants: 27 },
            college_admin,
            t - 27 * DAY,
        ),
        (
            S::Delivered,
            S::Rated,
            ServiceStep::Rate { rating: 5, comment: Some("课程贴合产线实际，学员反馈很好。".into()) },
            hr,
            t - 26 * DAY,
        ),
    ];
    for (from, to, step, by, at) in steps {
        tx.advance_service_request(delivered, from, to, &step, by, at).await?;
    }

    tx.create_service_request(&NewServiceRequest {
        offering_id: None,
        enterprise_org_id: enterprise,
        college_org_id: college,
        kind: ServiceKind::SkillsTraining,
        title: "新员工安全生产与质量意识培训".into(),
        message: Some("今年新招 40 名操作工，希望贵校派老师到厂开展两次半天的培训。".into()),
        participants_expected: Some(40),
        preferred_period: Some("下月两个周六上午".into()),
        requested_by: hr,
        requested_at: t - 2 * DAY,
    })
    .await?;
    Ok(())
}
