//! Builders for the records a test needs, written over the real use cases (`xiaoqi_app::App`):
//! each returns the ids and a bearer token of what it made. Names and logins are unique within
//! the test's platform, so a test may build as many as it likes.

use std::sync::atomic::Ordering;

use serde_json::Value;
use xiaoqi_app::Principal;
use xiaoqi_app::directory::{OrgInput, RegistrationInput};
use xiaoqi_app::membership::DecisionInput;
use xiaoqi_app::people::NewMemberInput;

use super::TestApp;

/// The password of every account a builder makes.
pub const PASSWORD: &str = "built-pass-1";

/// The alliance administrator's login.
pub const ALLIANCE_ADMIN: &str = "admin@alliance.test";

/// An account of the test and how to act as it.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: i64,
    pub login: String,
    /// A bearer token for the API.
    pub token: String,
}

impl Actor {
    /// The token as `call` takes it.
    pub fn t(&self) -> Option<&str> {
        Some(&self.token)
    }
}

/// An organisation made by a builder, with its first administrator.
#[derive(Debug, Clone)]
pub struct Org {
    pub id: i64,
    pub name: String,
    /// The administrator who registered it (`org_admin`; also `enterprise_hr` is not implied).
    pub admin: Actor,
}

/// The kinds of organisation a builder registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    College,
    Enterprise,
    IndustryAssociation,
    Intermediary,
    Government,
}

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Kind::College => "college",
            Kind::Enterprise => "enterprise",
            Kind::IndustryAssociation => "industry_association",
            Kind::Intermediary => "intermediary",
            Kind::Government => "government",
        }
    }
}

impl TestApp {
    /// A number unique within this test's platform, for names and logins.
    pub fn next(&self) -> u64 {
        self.seq.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// A unified social credit code no other built record has (tests pick theirs below 50000).
    pub fn next_credit_code(&self) -> String {
        super::credit_code(50_000 + u32::try_from(self.next()).expect("fewer than 50000 records"))
    }

    /// The principal behind a token, to call the use cases directly.
    pub async fn principal(&self, token: &str) -> Principal {
        self.app.resolve_token(token).await.expect("a valid token")
    }

    /// A fresh token for an account that can log in.
    pub async fn actor(&self, login: &str) -> Actor {
        let token = self.app.issue_token_for_login(login, "test").await.expect("token").token;
        let id = self.principal(&token).await.id();
        Actor { id, login: login.to_string(), token }
    }

    /// The alliance (created on first use with `init_alliance`) and its administrator.
    pub async fn alliance_admin(&self) -> Actor {
        let mut made = self.alliance.lock().await;
        if !*made {
            let (_, once) =
                self.app.init_alliance("测试联盟", "联盟管理员", ALLIANCE_ADMIN).await.expect("init the alliance");
            self.change_one_time_password(ALLIANCE_ADMIN, &once).await;
            *made = true;
        }
        self.actor(ALLIANCE_ADMIN).await
    }

    /// A member college of the alliance and its administrator.
    pub async fn college(&self, name: &str) -> Org {
        self.organisation(Kind::College, name, true).await
    }

    /// A member enterprise (software, 12 staff: micro) and its administrator, who is also its HR.
    pub async fn enterprise(&self, name: &str) -> Org {
        let org = self.organisation(Kind::Enterprise, name, true).await;
        self.grant(&org, org.admin.id, "enterprise_hr").await;
        org
    }

    /// An organisation registered with an administrator; approved as a member of the alliance
    /// when `member` (else outside it, membership `none`). Enterprises are in software with 12
    /// staff; every organisation is in Nanshan, Shenzhen (440305).
    pub async fn organisation(&self, kind: Kind, name: &str, member: bool) -> Org {
        let enterprise = kind == Kind::Enterprise;
        let input = OrgInput {
            kind: kind.code().into(),
            name: name.into(),
            region_code: Some("440305".into()),
            industry: enterprise.then(|| "software_it_services".into()),
            employees: enterprise.then_some(12),
            annual_revenue_yuan: enterprise.then(|| "900000".into()),
            credit_code: enterprise.then(|| self.next_credit_code()),
            ..OrgInput::default()
        };
        self.register(input, member).await
    }

    /// A member enterprise with its own region, industry, staff and revenue (yuan).
    pub async fn enterprise_with(&self, name: &str, region: &str, industry: &str, staff: i64, revenue: &str) -> Org {
        let input = OrgInput {
            kind: "enterprise".into(),
            name: name.into(),
            region_code: Some(region.into()),
            industry: Some(industry.into()),
            employees: Some(staff),
            annual_revenue_yuan: Some(revenue.into()),
            credit_code: Some(self.next_credit_code()),
            ..OrgInput::default()
        };
        self.register(input, true).await
    }

    /// Registers `input` with a new administrator (`register`), then, when `member`, has the
    /// administrator apply and the alliance approve (`apply_for_membership`, `decide_application`).
    pub async fn register(&self, input: OrgInput, member: bool) -> Org {
        let n = self.next();
        let login = format!("admin{n}@org.test");
        let name = input.name.clone();
        let registration = RegistrationInput {
            admin_name: format!("{name} 管理员"),
            organization: input,
            admin_email: Some(login.clone()),
            admin_mobile: None,
            password: PASSWORD.into(),
        };
        // Each registration from its own address: builders are not throttled.
        let created = self.app.register(&registration, None, &format!("builder-{n}")).await;
        let (id, _) = created.unwrap_or_else(|e| panic!("register {name}: {e:?}")).expect("a new registration");
        let admin = self.actor(&login).await;
        if member {
            let alliance = self.alliance_admin().await;
            let applicant = self.principal(&admin.token).await;
            let application = self.app.apply_for_membership(&applicant, id, None).await.expect("apply");
            let decider = self.principal(&alliance.token).await;
            let decision = DecisionInput { decision: "approve".into(), reason: None };
            self.app.decide_application(&decider, application, &decision).await.expect("approve");
        }
        Org { id, name, admin }
    }

    /// A member of `org` with `roles` (role codes), added by its administrator, password changed.
    pub async fn member(&self, org: &Org, roles: &[&str]) -> Actor {
        let n = self.next();
        let admin = self.principal(&org.admin.token).await;
        let input = NewMemberInput {
            display_name: format!("成员{n}"),
            email: Some(format!("member{n}@org.test")),
            mobile: None,
            roles: roles.iter().map(|r| (*r).to_string()).collect(),
        };
        let made = self.app.create_member(&admin, org.id, &input).await.expect("create the member");
        self.change_one_time_password(&made.login, &made.temporary_password).await;
        self.actor(&made.login).await
    }

    /// A student of `college` in class `class`, imported by the college's administrator, password
    /// changed; returns the actor (the student's account id is `actor.id`).
    pub async fn student_in(&self, college: &Org, class: &str) -> Actor {
        self.student_numbered(college, class).await.0
    }

    /// A student of `college` in class `class`, as [`TestApp::student_in`], with the student number.
    pub async fn student_numbered(&self, college: &Org, class: &str) -> (Actor, String) {
        let n = self.next();
        let login = format!("student{n}@org.test");
        let csv = format!("类型,姓名,学号,班级,入学年份,邮箱\n学生,学生{n},S{n:06},{class},2024,{login}\n");
        let admin = self.principal(&college.admin.token).await;
        let report = self.app.import_people(&admin, college.id, "s.csv", csv.as_bytes()).await.expect("import");
        let one_time = &report.credentials[0].temporary_password;
        self.change_one_time_password(&login, one_time).await;
        (self.actor(&login).await, format!("S{n:06}"))
    }

    /// A student of `college` in its class 测试2401班.
    pub async fn student(&self, college: &Org) -> Actor {
        self.student_in(college, "测试2401班").await
    }

    /// Grants a role to a member of `org` (by its administrator).
    pub async fn grant(&self, org: &Org, account: i64, role: &str) {
        let admin = self.principal(&org.admin.token).await;
        self.app.grant_role(&admin, org.id, account, role).await.unwrap_or_else(|e| panic!("grant {role}: {e:?}"));
    }

    /// A major of a college, made by its administrator; returns its id.
    pub async fn major(&self, college: &Org, code: &str, name: &str) -> i64 {
        let body = serde_json::json!({"code": code, "name": name});
        let r = self
            .call("POST", &format!("/api/v1/organizations/{}/majors", college.id), college.admin.t(), Some(body))
            .await;
        assert_eq!(r.status, 201, "create a major: {}", r.text);
        r.json["id"].as_i64().expect("major id")
    }

    /// Changes a one-time password to [`PASSWORD`] as its owner would (`change_password`), which
    /// also ends the owner's tokens: the actor gets a fresh one afterwards.
    async fn change_one_time_password(&self, login: &str, once: &str) {
        let token = self.app.issue_token_for_login(login, "setup").await.expect("token").token;
        let owner = self.principal(&token).await;
        self.app.change_password(&owner, once, PASSWORD).await.expect("change the password");
    }

    /// `POST` with a token; panics unless the answer is `status`; returns the body.
    pub async fn ok(&self, method: &str, uri: &str, who: &Actor, body: Option<Value>, status: u16) -> Value {
        let r = self.call(method, uri, who.t(), body).await;
        assert_eq!(r.status.as_u16(), status, "{method} {uri}: {}", r.text);
        r.json
    }

    /// A free skills-training offering of `college`, published by its administrator; returns its id.
    pub async fn offering(&self, college: &Org, title: &str) -> i64 {
        let body = serde_json::json!({"college_id": college.id, "kind": "skills_training", "title": title,
            "description": "测试服务", "capacity": 10, "price_yuan": "0", "price_unit": "per_session"});
        self.ok("POST", "/api/v1/services", &college.admin, Some(body), 201).await["id"].as_i64().expect("offering id")
    }
}
