//! Placements: creation from an allocation, the whole-row save guarded by the status, counts of
//! mentored students and of interns, and the record of the internship.

use xiaoqi_domain::org::OrgKind;
use xiaoqi_domain::placement::{AttendanceStatus, PlacementStatus, Reviewer};

use super::practice::place;
use super::{T0, add_account, add_org, assert_conflict, assert_not_found, conn};
use crate::ReadScope;
use crate::prelude::*;
use crate::{NewPlacement, PlacementFilter, PlacementSettings};

pub async fn placement_round_trips_and_saves_only_from_the_status_read(store: &dyn Store) {
    let mut c = conn(store).await;
    let college = add_org(&mut c, OrgKind::College, "鹏城职院").await;
    let ent = add_org(&mut c, OrgKind::Enterprise, "创智精密").await;
    let (hr, s1, s2, teacher) = (
        add_account(&mut c, "hr@e.example").await,
        add_account(&mut c, "s1@c.example").await,
        add_account(&mut c, "s2@c.example").await,
        add_account(&mut c, "t@c.example").await,
    );
    let pl = c.create_place(ent, &place("数控车工", 4), hr, T0).await.expect("place");
    let other = c.create_place(ent, &place("装配", 4), hr, T0).await.expect("place");
    let round = c.create_round(college, "春季", &[pl, other], hr, T0).await.expect("round");
    let new = |student, place_id| NewPlacement {
        round_id: round,
        college_org_id: college,
        student_id: student,
        place_id,
        enterprise_org_id: ent,
        place: place("数控车工", 4),
    };
    let a = c.create_placement(&new(s1, pl), T0).await.expect("create");
    let b = c.create_placement(&new(s2, other), T0).await.expect("create");
    assert_conflict(c.create_placement(&new(s1, other), T0).await, "one placement per student and round");
    let mut rec = c.find_placement(&ReadScope::Everything, a).await.expect("find").expect("the placement");
    assert_eq!(
        (rec.status, rec.place.clone(), rec.student_id),
        (PlacementStatus::AgreementPending, place("数控车工", 4), s1)
    );
    assert_eq!((rec.college_name.as_str(), rec.enterprise_name.as_str()), ("鹏城职院", "创智精密"));
    // The read scope: either party's members and the student read it; no one else does.
    let outsider = add_org(&mut c, OrgKind::Enterprise, "无关企业").await;
    for (account, orgs, seen) in [
        (hr, vec![ent], true),
        (teacher, vec![outsider, college], true),
        (s1, vec![], true),
        (s2, vec![], false),
        (hr, vec![outsider], false),
    ] {
        let s = ReadScope::Member { account, orgs: orgs.clone() };
        let found = c.find_placement(&s, a).await.expect("find").is_some();
        assert_eq!(found, seen, "placement read by account {account} through {orgs:?}");
    }

    rec.facts.birth_date = Some("2008-05-01".into());
    rec.facts.guardian_name = Some("李父".into());
    rec.signatures.school_signed_by = Some(teacher);
    rec.signatures.school_signed_on = Some("2026-02-20".into());
    rec.teacher_id = Some(teacher);
    rec.outcome.report_grade = Some(88);
    rec.status = PlacementStatus::Agreed;
    c.save_placement(&rec, PlacementStatus::AgreementPending, T0 + 1).await.expect("save");
    let saved = c.find_placement(&ReadScope::Everything, a).await.expect("find").expect("the placement");
    assert_eq!(
        (saved.facts.clone(), saved.signatures.clone(), saved.outcome.clone()),
        (rec.facts.clone(), rec.signatures.clone(), rec.outcome.clone())
    );
    assert_eq!(
        (saved.status, saved.teacher_name.as_deref(), saved.updated_at),
        (PlacementStatus::Agreed, Some("t@c.example"), T0 + 1)
    );
    assert_conflict(
        c.save_placement(&rec, PlacementStatus::AgreementPending, T0 + 2).await,
        "a save from a status the placement left changes nothing",
    );

    assert_eq!(c.count_mentored(teacher, false, 0).await.expect("count"), 1);
    assert_eq!(c.count_mentored(teacher, false, a).await.expect("count"), 0, "the placement itself is left out");
    assert_eq!(c.count_mentored(teacher, true, 0).await.expect("count"), 0, "not a master");
    assert_eq!(c.count_interns(ent, pl, "2026-03-01", "2026-08-31", b).await.expect("count"), (1, 1));
    assert_eq!(c.count_interns(ent, other, "2026-03-01", "2026-08-31", b).await.expect("count"), (1, 0));
    assert_eq!(c.count_interns(ent, pl, "2026-09-01", "2026-12-31", b).await.expect("count"), (0, 0), "no overlap");
    assert_eq!(
        c.count_interns(ent, pl, "2026-03-01", "2026-08-31", a).await.expect("count"),
        (0, 0),
        "pending ones do not count"
    );

    let mine = c.list_placements(&PlacementFilter { teacher: Some(teacher), ..PlacementFilter::default() }).await;
    assert_eq!(mine.expect("list").iter().map(|p| p.id).collect::<Vec<_>>(), vec![a]);
    let all_of = c
        .list_placements(&PlacementFilter { college: Some(college), round: Some(round), ..PlacementFilter::default() })
        .await;
    assert_eq!(all_of.expect("list").iter().map(|p| p.id).collect::<Vec<_>>(), vec![a, b]);

    assert_eq!(c.find_placement_settings(college).await.expect("settings"), None);
    let s = PlacementSettings {
        max_per_teacher: 2,
        max_per_master: 1,
        warn_after_days: 4,
        weight_report: 50,
        weight_evaluation: 30,
        weight_attendance: 20,
    };
    c.put_placement_settings(college, &s, hr, T0).await.expect("put");
    c.put_placement_settings(college, &s, hr, T0 + 1).await.expect("put again replaces");
    assert_eq!(c.find_placement_settings(college).await.expect("settings"), Some(s));
}

pub async fn placement_journal_keeps_tasks_logs_attendance_reports_signoffs_and_reviews(store: &dyn Store) {
    let mut c = conn(store).await;
    let college = add_org(&mut c, OrgKind::College, "鹏城职院").await;
    let ent = add_org(&mut c, OrgKind::Enterprise, "创智精密").await;
    let (hr, s1) = (add_account(&mut c, "hr@e.example").await, add_account(&mut c, "s1@c.example").await);
    let pl = c.create_place(ent, &place("数控车工", 4), hr, T0).await.expect("place");
    let round = c.create_round(college, "春季", &[pl], hr, T0).await.expect("round");
    let new = NewPlacement {
        round_id: round,
        college_org_id: college,
        student_id: s1,
        place_id: pl,
        enterprise_org_id: ent,
        place: place("数控车工", 4),
    };
    let p = c.create_placement(&new, T0).await.expect("create");

    let task = c.create_task(p, "车削外圆", "cnc-turning", hr, T0).await.expect("task");
    assert_eq!(
        c.list_tasks(p).await.expect("list").iter().map(|t| (t.id, t.skill_code.as_str())).collect::<Vec<_>>(),
        vec![(task, "cnc-turning")]
    );
    c.create_log(p, "2026-03-02", Some(task), "车外圆，尺寸合格", Some("表面粗糙度不达标"), T0).await.expect("log");
    c.create_log(p, "2026-03-03", None, "清理机床", None, T0).await.expect("log");
    let logs = c.list_logs(p).await.expect("list");
    assert_eq!(logs.iter().map(|l| l.log_date.as_str()).collect::<Vec<_>>(), vec!["2026-03-03", "2026-03-02"]);
    assert_eq!((logs[1].task_id, logs[1].problem.as_deref()), (Some(task), Some("表面粗糙度不达标")));

    c.put_attendance(p, "2026-03-02", AttendanceStatus::Absent, T0).await.expect("record");
    c.put_attendance(p, "2026-03-02", AttendanceStatus::Present, T0 + 1).await.expect("correct before confirmation");
    c.confirm_attendance(p, "2026-03-02", hr, T0 + 2).await.expect("confirm");
    assert_conflict(c.put_attendance(p, "2026-03-02", AttendanceStatus::Leave, T0).await, "a confirmed day is fixed");
    assert_not_found(c.confirm_attendance(p, "2026-03-03", hr, T0).await, "an unrecorded day");
    let days = c.list_attendance(p).await.expect("list");
    assert_eq!((days.len(), days[0].status, days[0].confirmed_by), (1, AttendanceStatus::Present, Some(hr)));

    c.put_weekly_report(p, "2026-03-02", "第一周", T0).await.expect("report");
    c.comment_weekly_report(p, "2026-03-02", "继续保持", hr, T0 + 1).await.expect("comment");
    assert_not_found(c.comment_weekly_report(p, "2026-03-09", "x", hr, T0).await, "no such week");
    let weeks = c.list_weekly_reports(p).await.expect("list");
    assert_eq!((weeks[0].body.as_str(), weeks[0].teacher_comment.as_deref()), ("第一周", Some("继续保持")));

    c.create_signoff(p, "cnc-turning", 3, "2026-03-20", hr, T0).await.expect("signoff");
    let so = c.list_signoffs(p).await.expect("list");
    assert_eq!((so[0].skill_code.as_str(), so[0].level, so[0].signed_on.as_str()), ("cnc-turning", 3, "2026-03-20"));

    let r = c.create_review(p, "期中评议", "2026-05-31", hr, T0).await.expect("review");
    c.sign_review(r, Reviewer::Student, Some("收获很大"), T0 + 1).await.expect("sign");
    assert_conflict(c.sign_review(r, Reviewer::Student, None, T0 + 2).await, "one signature per reviewer");
    c.sign_review(r, Reviewer::Teacher, None, T0 + 3).await.expect("sign");
    let rev = &c.list_reviews(p).await.expect("list")[0];
    assert_eq!(
        (rev.student.comment.as_deref(), rev.student.signed_at, rev.teacher.signed_at),
        (Some("收获很大"), Some(T0 + 1), Some(T0 + 3))
    );
    assert!(!rev.all_signed(), "the master has not signed");
    c.sign_review(r, Reviewer::Master, Some("认真"), T0 + 4).await.expect("sign");
    assert!(c.list_reviews(p).await.expect("list")[0].all_signed());
}
