//! Organisation kinds, roles and the membership state of an organisation in the alliance.

use serde::{Deserialize, Serialize};

macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v,)+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$v,)+];

            /// The stable snake_case code stored in the database and used in the API.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s,)+ }
            }

            /// Parses a stable code.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$v),)+ _ => None }
            }

            /// Parses a stable code typed or sent for `field`, or refuses it under `rule` naming
            /// the codes allowed: the API and the pages refuse the same input the same way.
            pub fn parse_field(field: &str, rule: &'static str, s: &str) -> Result<Self, $crate::FieldError> {
                Self::parse(s.trim()).ok_or_else(|| {
                    let codes = [$($s),+].join(", ");
                    $crate::FieldError::new(
                        field,
                        rule,
                        format!("未知的取值“{}”，应为以下之一：{codes}", s.trim()),
                        format!("Unknown value \"{}\"; expected one of: {codes}", s.trim()),
                    )
                })
            }

            /// Display label in Chinese.
            pub fn label_zh(self) -> &'static str {
                match self { $($name::$v => $zh,)+ }
            }

            /// Display label in English.
            pub fn label_en(self) -> &'static str {
                match self { $($name::$v => $en,)+ }
            }

            /// Display label in the language given (`en` or anything else for Chinese).
            pub fn label(self, lang: &str) -> &'static str {
                if lang == "en" { self.label_en() } else { self.label_zh() }
            }
        }
    };
}
pub(crate) use str_enum;

str_enum! {
    /// The kind of an organisation on the platform (DESIGN.md §1).
    OrgKind {
        Alliance = "alliance", "校企合作联盟", "Alliance";
        College = "college", "高职院校", "Vocational college";
        Enterprise = "enterprise", "企业", "Enterprise";
        IndustryAssociation = "industry_association", "行业协会", "Industry association";
        SmeAssociation = "sme_association", "中小企业协会", "SME association";
        Intermediary = "intermediary", "中介机构", "Intermediary agency";
        Government = "government", "政府部门", "Government agency";
    }
}

str_enum! {
    /// A role a person holds in one organisation; a person may hold several.
    Role {
        AllianceAdmin = "alliance_admin", "联盟管理员", "Alliance administrator";
        OrgAdmin = "org_admin", "机构管理员", "Organisation administrator";
        Teacher = "teacher", "教师（校内导师）", "Teacher (college mentor)";
        ProgrammeLeader = "programme_leader", "专业负责人", "Programme leader";
        CareerOfficer = "career_officer", "就业指导老师", "Career officer";
        EnterpriseHr = "enterprise_hr", "企业人事", "Enterprise HR";
        EnterpriseMentor = "enterprise_mentor", "企业导师（师傅）", "Enterprise mentor (master)";
        Technician = "technician", "技术人员", "Technician";
        Student = "student", "学生", "Student";
        Member = "member", "机构成员", "Member";
    }
}

impl Role {
    /// Whether this role can be held in an organisation of the given kind.
    pub fn allowed_in(self, kind: OrgKind) -> bool {
        use OrgKind as K;
        use Role as R;
        match self {
            R::AllianceAdmin => kind == K::Alliance,
            R::OrgAdmin | R::Member => true,
            R::Teacher | R::ProgrammeLeader | R::CareerOfficer | R::Student => kind == K::College,
            R::EnterpriseHr | R::EnterpriseMentor | R::Technician => kind == K::Enterprise,
        }
    }

    /// The roles an organisation of this kind can grant, in display order.
    pub fn for_kind(kind: OrgKind) -> Vec<Role> {
        Role::ALL.iter().copied().filter(|r| r.allowed_in(kind)).collect()
    }
}

str_enum! {
    /// Where an organisation stands with the alliance.
    MembershipStatus {
        /// Registered on the platform, never applied.
        None = "none", "未申请", "Not applied";
        Pending = "pending", "待审核", "Pending";
        Member = "member", "联盟成员", "Member";
        Rejected = "rejected", "未通过", "Rejected";
    }
}

impl MembershipStatus {
    /// Whether an organisation in this state may submit a (new) application.
    pub fn may_apply(self) -> bool {
        matches!(self, MembershipStatus::None | MembershipStatus::Rejected)
    }
}

str_enum! {
    /// The state of one membership application.
    ApplicationStatus {
        Pending = "pending", "待审核", "Pending";
        Approved = "approved", "已批准", "Approved";
        Rejected = "rejected", "已拒绝", "Rejected";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips() {
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::parse(k.as_str()), Some(*k));
        }
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(*r));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn college_roles_are_refused_in_an_enterprise() {
        assert!(!Role::Teacher.allowed_in(OrgKind::Enterprise));
        assert!(!Role::Student.allowed_in(OrgKind::Enterprise));
        assert!(Role::EnterpriseHr.allowed_in(OrgKind::Enterprise));
        assert!(!Role::AllianceAdmin.allowed_in(OrgKind::College));
        assert!(Role::for_kind(OrgKind::Government).contains(&Role::Member));
    }

    #[test]
    fn only_unapplied_or_rejected_organisations_may_apply() {
        assert!(MembershipStatus::None.may_apply());
        assert!(MembershipStatus::Rejected.may_apply());
        assert!(!MembershipStatus::Pending.may_apply());
        assert!(!MembershipStatus::Member.may_apply());
    }
}
