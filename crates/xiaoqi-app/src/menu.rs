//! The navigation as a view per principal: which sections and entries a person sees, each with
//! a stable key, the route it opens and the i18n key of its label (no HTML). The rules are those
//! of `authz`; the pages render the menu and decide nothing themselves.

use serde::Serialize;

use crate::{App, Principal, authz};

/// One entry of the menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MenuEntry {
    /// Stable key of the entry (`demands`, `membership_queue` …), for role homes and tests.
    pub key: &'static str,
    /// The path the entry opens.
    pub route: &'static str,
    /// The i18n key of its label.
    pub label: &'static str,
}

/// A group of entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MenuSection {
    /// Stable key of the section: `platform`, `work`, `personal`.
    pub key: &'static str,
    pub entries: Vec<MenuEntry>,
}

/// The menu of one person: sections in display order, entries most used first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Menu {
    pub sections: Vec<MenuSection>,
}

const fn entry(key: &'static str, route: &'static str, label: &'static str) -> MenuEntry {
    MenuEntry { key, route, label }
}

const HOME: MenuEntry = entry("home", "/", "nav.home");
const DIRECTORY: MenuEntry = entry("directory", "/directory", "nav.directory");
const OCCUPATIONS: MenuEntry = entry("occupations", "/occupations", "nav.occupations");
const DEMANDS: MenuEntry = entry("demands", "/demands", "nav.demands");
const SEARCH: MenuEntry = entry("search", "/search", "nav.search");
const PROFILE: MenuEntry = entry("profile", "/me/profile", "nav.profile");
const PRACTICE: MenuEntry = entry("practice", "/practice", "nav.practice");
const PLACEMENTS: MenuEntry = entry("placements", "/placements", "nav.placements");
const ORDER_CLASSES: MenuEntry = entry("order_classes", "/order-classes", "nav.order_classes");
const DESTINATIONS: MenuEntry = entry("destinations", "/destinations", "nav.destinations");
const SERVICES: MenuEntry = entry("services", "/services", "nav.services");
const RESEARCH: MenuEntry = entry("research", "/research", "nav.research");
const SERVICE_REQUESTS: MenuEntry = entry("service_requests", "/service-requests", "nav.service_requests");
const MEMBERSHIP_QUEUE: MenuEntry = entry("membership_queue", "/membership/queue", "nav.queue");
const NOTIFICATIONS: MenuEntry = entry("notifications", "/notifications", "nav.notifications");
const ACCOUNT: MenuEntry = entry("account", "/account", "nav.account");

impl Menu {
    /// The menu of a visitor who is not logged in.
    pub fn public() -> Menu {
        Menu { sections: vec![MenuSection { key: "platform", entries: vec![HOME, DIRECTORY, OCCUPATIONS] }] }
    }

    /// The menu of a logged-in person.
    pub fn of(p: &Principal) -> Menu {
        // The entries of the person's own work first (most used first per role), then the
        // alliance's shared spaces.
        let mut own: Vec<MenuEntry> = Vec::new();
        if authz::reviews_membership(p) {
            own.push(MEMBERSHIP_QUEUE);
        }
        if authz::is_student(p) {
            own.extend([PROFILE, PLACEMENTS, PRACTICE]);
        }
        if authz::takes_part_in_placements(p) {
            own.extend([PLACEMENTS, PRACTICE]);
        }
        own.push(DEMANDS);
        if authz::is_student(p) || p.grants.iter().any(|g| authz::reads_destinations(p, g.org_id)) {
            own.push(DESTINATIONS);
        }
        if authz::takes_part_in_order_classes(p) {
            own.push(ORDER_CLASSES);
        }
        if p.is_alliance_admin() || authz::acts_for_any_side(p) {
            own.push(SERVICE_REQUESTS);
        }
        own.extend([PRACTICE, SERVICES, RESEARCH, SEARCH]);
        let mut work: Vec<MenuEntry> = Vec::new();
        for e in own {
            if !work.contains(&e) {
                work.push(e);
            }
        }
        Menu {
            sections: vec![
                MenuSection { key: "platform", entries: vec![HOME, DIRECTORY, OCCUPATIONS] },
                MenuSection { key: "work", entries: work },
                MenuSection { key: "personal", entries: vec![NOTIFICATIONS, ACCOUNT] },
            ],
        }
    }

    /// Every entry in display order.
    pub fn entries(&self) -> impl Iterator<Item = &MenuEntry> {
        self.sections.iter().flat_map(|s| s.entries.iter())
    }

    /// Whether the menu holds the entry with `key`.
    pub fn has(&self, key: &str) -> bool {
        self.entries().any(|e| e.key == key)
    }
}

impl App {
    /// The navigation of a person.
    pub fn menu(&self, p: &Principal) -> Menu {
        Menu::of(p)
    }
}

#[cfg(test)]
mod tests {
    use xiaoqi_domain::org::Role;

    use super::*;
    use crate::authz::tests::{ALLIANCE, COLLEGE, ENTERPRISE, holding};

    fn keys(m: &Menu) -> Vec<&'static str> {
        m.entries().map(|e| e.key).collect()
    }

    #[test]
    fn a_visitor_sees_only_the_public_pages() {
        assert_eq!(keys(&Menu::public()), ["home", "directory", "occupations"]);
    }

    #[test]
    fn a_student_sees_profile_and_placements_first_and_no_administration() {
        let m = Menu::of(&holding(&[(COLLEGE, Role::Student)]));
        let work: Vec<_> = m.sections[1].entries.iter().map(|e| e.key).collect();
        assert_eq!(&work[..3], ["profile", "placements", "practice"]);
        assert!(!m.has("membership_queue"));
        assert!(!m.has("service_requests"));
    }

    #[test]
    fn an_alliance_administrator_sees_the_membership_queue_first() {
        let m = Menu::of(&holding(&[(ALLIANCE, Role::AllianceAdmin), (ALLIANCE, Role::OrgAdmin)]));
        assert_eq!(m.sections[1].entries[0].key, "membership_queue");
        assert!(m.has("service_requests"));
        assert!(m.has("order_classes"));
        assert!(!m.has("profile"));
        assert!(!m.has("placements"));
    }

    #[test]
    fn enterprise_hr_sees_placements_demands_and_service_requests_but_not_the_queue() {
        let m = Menu::of(&holding(&[(ENTERPRISE, Role::EnterpriseHr)]));
        for key in ["placements", "practice", "demands", "order_classes", "service_requests"] {
            assert!(m.has(key), "{key}");
        }
        assert!(!m.has("membership_queue"));
        assert!(!m.has("profile"));
    }

    #[test]
    fn a_teacher_has_no_service_requests_since_teachers_do_not_act_for_the_college() {
        let m = Menu::of(&holding(&[(COLLEGE, Role::Teacher)]));
        assert!(m.has("placements"));
        assert!(!m.has("service_requests"));
    }

    #[test]
    fn every_menu_lists_each_entry_once_and_ends_with_notifications_and_account() {
        for p in
            [holding(&[(COLLEGE, Role::Student), (COLLEGE, Role::Teacher)]), holding(&[(ENTERPRISE, Role::OrgAdmin)])]
        {
            let m = Menu::of(&p);
            let k = keys(&m);
            let mut unique = k.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), k.len(), "{k:?}");
            assert_eq!(&k[k.len() - 2..], ["notifications", "account"]);
        }
    }
}
