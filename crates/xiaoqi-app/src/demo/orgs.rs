//! The demo's organisations and people: one alliance, three colleges and their majors, thirty
//! enterprises (two applying to join, one outside), associations, an intermediary, a government
//! agency, people in every role; the marketplace (`services.rs`) in the same transaction.

use xiaoqi_domain::credit_code::check_character;
use xiaoqi_domain::org::{MembershipStatus, OrgKind, Role};
use xiaoqi_domain::sme::{EnterpriseFigures, Industry, classify};
use xiaoqi_store::prelude::*;
use xiaoqi_store::{NewAccount, OrgId, OrgProfile, StudentRecord};

use crate::App;
use crate::audit::{Change, append};
use crate::error::{AppError, AppResult};

/// (name, region, industry, employees, revenue in 万元, assets in 万元, membership)
type Ent = (&'static str, &'static str, Industry, i64, i64, Option<i64>, MembershipStatus);

const ENTERPRISES: &[Ent] = {
    use Industry as I;
    use MembershipStatus as M;
    &[
        ("深圳创智精密机械有限公司", "440306", I::Industry, 260, 18_000, None, M::Member),
        ("鹏城数控刀具有限公司", "440307", I::Industry, 85, 2_600, None, M::Member),
        ("南山智造机器人科技有限公司", "440305", I::Industry, 420, 36_000, None, M::Member),
        ("宝安模具科技有限公司", "440306", I::Industry, 18, 250, None, M::Member),
        ("东莞华联电子制造有限公司", "441900", I::Industry, 1_500, 120_000, None, M::Member),
        ("顺德美厨小家电有限公司", "440606", I::Industry, 330, 25_000, None, M::Member),
        ("禅城陶瓷新材料有限公司", "440604", I::Industry, 140, 9_000, None, M::Member),
        ("深圳云帆软件有限公司", "440305", I::SoftwareItServices, 120, 3_500, None, M::Member),
        ("福田数联信息技术有限公司", "440304", I::SoftwareItServices, 35, 800, None, M::Member),
        ("天河智慧教育科技有限公司", "440106", I::SoftwareItServices, 8, 40, None, M::Member),
        ("杭州西湖数据服务有限公司", "330106", I::SoftwareItServices, 460, 52_000, None, M::Member),
        ("罗湖优选电商有限公司", "440303", I::Retail, 60, 3_000, None, M::Member),
        ("番禺跨境贸易有限公司", "440113", I::Wholesale, 30, 12_000, None, M::Member),
        ("香洲海鲜酒家有限公司", "440402", I::Catering, 45, 900, None, M::Member),
        ("惠城温泉度假酒店有限公司", "441302", I::Accommodation, 150, 5_000, None, M::Member),
        ("黄埔港湾物流有限公司", "440112", I::Transport, 380, 15_000, None, M::Member),
        ("龙岗智能仓储有限公司", "440307", I::Warehousing, 90, 2_200, None, M::Member),
        ("鹏城速递有限公司", "440303", I::Postal, 700, 26_000, None, M::Member),
        ("深圳城建装饰工程有限公司", "440304", I::Construction, 260, 9_000, Some(6_000), M::Member),
        ("南山置业发展有限公司", "440305", I::RealEstateDevelopment, 90, 30_000, Some(60_000), M::Member),
        ("福田物业服务有限公司", "440304", I::PropertyManagement, 900, 4_800, None, M::Member),
        ("宝安设备租赁有限公司", "440306", I::LeasingBusinessServices, 40, 1_500, Some(2_000), M::Member),
        ("从化生态农业有限公司", "440100", I::Agriculture, 70, 800, None, M::Member),
        ("粤通信息网络有限公司", "440106", I::InformationTransmission, 260, 8_000, None, M::Member),
        ("苏州虎丘精工有限公司", "320505", I::Industry, 600, 45_000, None, M::Member),
        ("武汉光谷激光设备有限公司", "420111", I::Industry, 210, 6_500, None, M::Member),
        ("成都武侯文创设计有限公司", "510107", I::Other, 25, 300, None, M::Member),
        ("上海浦东智能装备有限公司", "310115", I::Industry, 1_200, 35_000, None, M::Pending),
        ("北京海淀算法科技有限公司", "110108", I::SoftwareItServices, 55, 900, None, M::Pending),
        ("余杭电商直播服务有限公司", "330110", I::LeasingBusinessServices, 12, 150, Some(80), M::None),
    ]
};

/// A valid unified social credit code for demo organisation `n` (authority `9`/`5`, type `1`).
fn demo_credit_code(prefix: &str, region: &str, n: usize) -> String {
    let first17 = format!("{prefix}{region}MA5F{n:05}");
    let check = check_character(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

fn profile(kind: OrgKind, name: &str, region: &str) -> OrgProfile {
    OrgProfile { region_code: Some(region.into()), ..OrgProfile::new(kind, name) }
}

struct Seeder {
    tx: Box<dyn Conn>,
    hash: String,
    t: i64,
}

impl Seeder {
    async fn org(&mut self, p: OrgProfile, m: MembershipStatus) -> AppResult<OrgId> {
        Ok(self.tx.create_org(&p, m, self.t).await?)
    }

    async fn person(&mut self, login: &str, name: &str, org: OrgId, roles: &[Role]) -> AppResult<i64> {
        let id = self
            .tx
            .create_account(&NewAccount {
                email: Some(login.into()),
                mobile: None,
                display_name: name.into(),
                password_hash: self.hash.clone(),
                must_change_password: false,
                created_at: self.t,
            })
            .await?;
        for r in roles {
            self.tx.grant_role(id, org, *r).await?;
        }
        Ok(id)
    }
}

impl App {
    /// Seeds the organisations, people and marketplace in one transaction (the first area).
    pub(super) async fn seed_orgs_demo(&self, hash: &str) -> AppResult<()> {
        let mut s = Seeder { tx: self.store.begin().await?, hash: hash.to_string(), t: self.now() };
        let mut alliance = profile(OrgKind::Alliance, "粤港澳校企合作联盟", "440300");
        alliance.name_en = Some("Greater Bay Area School-Enterprise Cooperation Alliance".into());
        alliance.description = Some("由高职院校、中小微企业、行业协会和政府部门组成的校企合作联盟。".into());
        let alliance = s.org(alliance, MembershipStatus::Member).await?;
        s.person("admin@alliance.demo", "联盟秘书处 陈主任", alliance, &[Role::AllianceAdmin, Role::OrgAdmin]).await?;

        let colleges = [
            ("鹏城职业技术学院", "Pengcheng Polytechnic", "440305", "pcvc"),
            ("珠江轻工职业技术学院", "Pearl River Light Industry Polytechnic", "440106", "zjlg"),
            ("莞城智能制造职业学院", "Guancheng Intelligent Manufacturing College", "441900", "gczz"),
        ];
        let majors = [
            ("智能制造学院", "460103", "数控技术"),
            ("智能制造学院", "460301", "机电一体化技术"),
            ("智能制造学院", "460305", "工业机器人技术"),
            ("信息工程学院", "510203", "软件技术"),
            ("信息工程学院", "510205", "大数据技术"),
            ("商学院", "530701", "电子商务"),
            ("商学院", "530802", "现代物流管理"),
        ];
        let mut first_college = None;
        for (i, (name, en, region, slug)) in colleges.iter().enumerate() {
            let mut p = profile(OrgKind::College, name, region);
            p.name_en = Some((*en).into());
            p.credit_code = Some(demo_credit_code("12", region, 100 + i));
            let id = s.org(p, MembershipStatus::Member).await?;
            first_college.get_or_insert(id);
            for (j, (dept, code, major)) in majors.iter().enumerate() {
                if (i + j) % 3 == 2 && i > 0 {
                    continue;
                }
                let d = crate::college::department_id(&mut s.tx, id, dept).await?;
                s.tx.create_major(id, Some(d), code, major).await?;
            }
            s.person(&format!("admin@{slug}.demo"), &format!("{name} 管理员"), id, &[Role::OrgAdmin]).await?;
        }
        let college = first_college.ok_or_else(|| AppError::Internal("no college seeded".into()))?;
        s.person("leader@pcvc.demo", "刘专业主任", college, &[Role::ProgrammeLeader]).await?;
        s.person("teacher@pcvc.demo", "王老师", college, &[Role::Teacher]).await?;
        s.person("career@pcvc.demo", "赵就业老师", college, &[Role::CareerOfficer]).await?;
        let majors_of_college = s.tx.list_majors(college).await?;
        let major = majors_of_college.first().map(|m| m.id);
        let class = s.tx.create_class(college, major, "数控2401班", 2024).await?;
        let student = s.person("student@pcvc.demo", "李同学", college, &[Role::Student]).await?;
        s.tx.create_student(&StudentRecord {
            account_id: student,
            org_id: college,
            student_no: "2024010101".into(),
            class_id: Some(class),
        })
        .await?;

        let mut first_enterprise = None;
        for (i, (name, region, industry, staff, revenue, assets, m)) in ENTERPRISES.iter().enumerate() {
            let mut p = profile(OrgKind::Enterprise, name, region);
            let figures = EnterpriseFigures {
                employees: u32::try_from(*staff).unwrap_or(0),
                revenue_fen: revenue * 1_000_000,
                total_assets_fen: assets.map(|a| a * 1_000_000),
            };
            p.industry = Some(industry.as_str().into());
            p.employees = Some(*staff);
            p.revenue_fen = Some(figures.revenue_fen);
            p.assets_fen = figures.total_assets_fen;
            p.size_class = Some(classify(*industry, &figures).size.as_str().into());
            p.credit_code = Some(demo_credit_code("91", region, i));
            let id = s.org(p, *m).await?;
            first_enterprise.get_or_insert(id);
            let admin = s
                .person(
                    &format!("admin@ent{:02}.demo", i + 1),
                    &format!("{name} 管理员"),
                    id,
                    &[Role::OrgAdmin, Role::EnterpriseHr],
                )
                .await?;
            if *m == MembershipStatus::Pending {
                s.tx.create_application(id, admin, Some("希望加入联盟，参与订单班和技术合作。"), s.t).await?;
            }
        }
        let ent = first_enterprise.ok_or_else(|| AppError::Internal("no enterprise seeded".into()))?;
        s.person("hr@chuangzhi.demo", "周经理（人事）", ent, &[Role::EnterpriseHr, Role::OrgAdmin]).await?;
        s.person("mentor@chuangzhi.demo", "孙师傅", ent, &[Role::EnterpriseMentor]).await?;
        s.person("tech@chuangzhi.demo", "吴工程师", ent, &[Role::Technician]).await?;

        let others = [
            (OrgKind::IndustryAssociation, "深圳市智能制造行业协会", "440304", "member@assoc.demo", "协会 郑秘书长"),
            (OrgKind::SmeAssociation, "广东省中小企业发展促进会", "440106", "member@sme-assoc.demo", "促进会 何会长"),
            (OrgKind::Intermediary, "鹏程科技成果转化服务中心", "440305", "member@agency.demo", "转化中心 林经理"),
            (OrgKind::Government, "深圳市南山区工业和信息化局", "440305", "member@gov.demo", "工信局 黄科长"),
        ];
        for (i, (kind, name, region, login, person)) in others.iter().enumerate() {
            let mut p = profile(*kind, name, region);
            p.credit_code =
                Some(demo_credit_code(if *kind == OrgKind::Government { "11" } else { "51" }, region, 200 + i));
            let id = s.org(p, MembershipStatus::Member).await?;
            s.person(login, person, id, &[Role::Member, Role::OrgAdmin]).await?;
        }
        super::services::seed(&mut s.tx, college, ent, s.t).await?;
        append(&mut s.tx, self.now(), None, None, None, Change::event("demo.seed", "database", "demo")).await?;
        s.tx.commit().await?;
        Ok(())
    }
}
