//! API tests: the real router, in process, on SQLite and PostgreSQL.

mod support;

#[path = "api/accounts.rs"]
mod accounts;
#[path = "api/authz.rs"]
mod authz;
#[path = "api/destinations.rs"]
mod destinations;
#[path = "api/errors.rs"]
mod errors;
#[path = "api/flows.rs"]
mod flows;
#[path = "api/input.rs"]
mod input;
#[path = "api/landing.rs"]
mod landing;
#[path = "api/openapi_bodies.rs"]
mod openapi_bodies;
#[path = "api/order_class_pages.rs"]
mod order_class_pages;
#[path = "api/order_classes.rs"]
mod order_classes;
#[path = "api/placements.rs"]
mod placements;
#[path = "api/placements_pages.rs"]
mod placements_pages;
#[path = "api/practice.rs"]
mod practice;
#[path = "api/practice_pages.rs"]
mod practice_pages;
#[path = "api/research.rs"]
mod research;
#[path = "api/research_benefit.rs"]
mod research_benefit;
#[path = "api/research_benefit_pages.rs"]
mod research_benefit_pages;
#[path = "api/research_pages.rs"]
mod research_pages;
#[path = "api/service_pages.rs"]
mod service_pages;
#[path = "api/services.rs"]
mod services;
#[path = "api/talent.rs"]
mod talent;
#[path = "api/talent_pages.rs"]
mod talent_pages;
#[path = "api/web.rs"]
mod web;
