use super::*;

fn input() -> TermsInput {
    TermsInput {
        class_name: "创智精密数控订单班".into(),
        major_ids: vec![3, 4],
        quota: 30,
        scholarships: vec![ScholarshipInput {
            name: "创智奖学金".into(),
            amount_yuan: "5000".into(),
            count: 5,
            condition: Some("综合成绩前 5 名".into()),
        }],
        employment: EmploymentInput {
            posts: vec![CommittedPost { title: "数控车工".into(), occupation_code: Some("6-18-02-04".into()) }],
            pay_floor_yuan: "5500".into(),
            service_years: 3,
        },
        courses: vec![
            CourseInput { name: "机械制图".into(), taught_by: "college".into(), kind: "theory".into(), hours: 64 },
            CourseInput {
                name: "数控车床实操".into(),
                taught_by: "enterprise".into(),
                kind: "practice".into(),
                hours: 120,
            },
            CourseInput {
                name: "暑期顶岗".into(),
                taught_by: "enterprise".into(),
                kind: "summer_practice".into(),
                hours: 160,
            },
        ],
        weights: AssessmentWeights { college: 60, enterprise: 40 },
    }
}

/// The (field, rule) pairs of a refused input, or `[("ok", "ok")]`.
fn refusals(i: &TermsInput) -> Vec<(String, &'static str)> {
    match validate_terms(i) {
        Ok(_) => vec![("ok".into(), "ok")],
        Err(e) => e.0.into_iter().map(|f| (f.field, f.rule)).collect(),
    }
}

fn refused(i: &TermsInput, field: &str, rule: &str) -> bool {
    refusals(i).iter().any(|(f, r)| f == field && *r == rule)
}

#[test]
fn valid_terms_keep_exact_money_and_every_part() {
    let t = validate_terms(&input()).expect("valid terms");
    assert_eq!(t.scholarships[0].amount_fen, 500_000);
    assert_eq!(t.scholarships[0].limit(), Fen(2_500_000));
    assert_eq!(t.employment.pay_floor_fen, 550_000);
    assert_eq!((t.hours_by(Side::College), t.hours_by(Side::Enterprise)), (64, 280));
    assert_eq!(t.courses[2].kind, CourseKind::SummerPractice);
    assert_eq!(t.major_ids, vec![3, 4]);
}

#[test]
fn class_name_is_one_to_sixty_characters() {
    let mut i = input();
    i.class_name = "订".repeat(60);
    assert_eq!(refusals(&i), vec![("ok".to_string(), "ok")]);
    i.class_name = "订".repeat(61);
    assert!(refused(&i, "class_name", "too_long"));
    i.class_name = "  ".into();
    assert!(refused(&i, "class_name", "required"));
}

#[test]
fn at_least_one_major_and_repeats_collapse() {
    let mut i = input();
    i.major_ids = vec![];
    assert!(refused(&i, "major_ids", "required"));
    i.major_ids = vec![7, 7, 8];
    assert_eq!(validate_terms(&i).map(|t| t.major_ids).ok(), Some(vec![7, 8]));
    i.major_ids = (1..=21).collect();
    assert!(refused(&i, "major_ids", "too_many"));
}

#[test]
fn quota_is_one_to_five_hundred() {
    let mut i = input();
    i.scholarships.clear();
    for (q, ok) in [(0, false), (1, true), (500, true), (501, false), (-3, false)] {
        i.quota = q;
        assert_eq!(!refused(&i, "quota", "quota_range"), ok, "quota {q}");
    }
}

#[test]
fn scholarship_amounts_are_exact_positive_and_at_most_a_million_yuan() {
    let mut i = input();
    let f = "scholarships[0].amount_yuan";
    for (amount, rule) in [
        ("0", Some("amount_range")),
        ("0.01", None),
        ("1000000", None),
        ("1,000,000.00", None),
        ("1000000.01", Some("amount_range")),
        ("-5", Some("money_negative")),
        ("12.345", Some("money_too_many_decimals")),
        ("1e3", Some("money_format")),
    ] {
        i.scholarships[0].amount_yuan = amount.into();
        match rule {
            Some(r) => assert!(refused(&i, f, r), "{amount}: {:?}", refusals(&i)),
            None => assert!(validate_terms(&i).is_ok(), "{amount}: {:?}", refusals(&i)),
        }
    }
    i.scholarships[0].amount_yuan = "0.07".into();
    assert_eq!(validate_terms(&i).map(|t| t.scholarships[0].amount_fen).ok(), Some(7));
}

#[test]
fn scholarship_count_is_at_least_one_and_within_the_quota() {
    let mut i = input();
    i.scholarships[0].count = 0;
    assert!(refused(&i, "scholarships[0].count", "scholarship_count_range"));
    i.scholarships[0].count = 30;
    assert!(validate_terms(&i).is_ok());
    i.scholarships[0].count = 31;
    assert!(refused(&i, "scholarships[0].count", "scholarship_count_over_quota"));
}

#[test]
fn scholarship_names_are_required_and_distinct() {
    let mut i = input();
    i.scholarships.push(i.scholarships[0].clone());
    assert!(refused(&i, "scholarships[1].name", "scholarship_duplicate"));
    i.scholarships[1].name = " ".into();
    assert!(refused(&i, "scholarships[1].name", "required"));
    i.scholarships = (0..21)
        .map(|n| ScholarshipInput { name: format!("奖{n}"), amount_yuan: "1".into(), count: 1, condition: None })
        .collect();
    assert!(refused(&i, "scholarships", "too_many"));
}

#[test]
fn employment_commitment_needs_a_post_a_pay_floor_and_zero_to_ten_service_years() {
    let mut i = input();
    for (years, ok) in [(-1, false), (0, true), (10, true), (11, false)] {
        i.employment.service_years = years;
        assert_eq!(!refused(&i, "employment.service_years", "service_years_range"), ok, "{years}");
    }
    i.employment.service_years = 3;
    i.employment.pay_floor_yuan = "0".into();
    assert!(refused(&i, "employment.pay_floor_yuan", "amount_range"));
    i.employment.pay_floor_yuan = "1000000.01".into();
    assert!(refused(&i, "employment.pay_floor_yuan", "amount_range"));
    i.employment.pay_floor_yuan = "1000000".into();
    assert!(validate_terms(&i).is_ok());
    i.employment.posts.clear();
    assert!(refused(&i, "employment.posts", "required"));
    i.employment.posts = vec![CommittedPost { title: "".into(), occupation_code: None }];
    assert!(refused(&i, "employment.posts[0].title", "required"));
}

#[test]
fn course_hours_are_one_to_two_thousand() {
    let mut i = input();
    for (hours, ok) in [(0, false), (1, true), (2000, true), (2001, false)] {
        i.courses[0].hours = hours;
        assert_eq!(!refused(&i, "courses[0].hours", "course_hours_range"), ok, "{hours}");
    }
}

#[test]
fn college_courses_are_theory_and_the_enterprise_teaches_the_rest() {
    let mut i = input();
    for kind in ["practice", "lecture", "summer_practice"] {
        i.courses[0].kind = kind.into();
        assert!(refused(&i, "courses[0].kind", "college_course_theory"), "{kind}");
        i.courses[1].kind = kind.into();
        assert!(!refused(&i, "courses[1].kind", "college_course_theory"), "the enterprise may teach {kind}");
    }
    i.courses[0].kind = "theory".into();
    i.courses[1].kind = "theory".into();
    assert!(validate_terms(&i).is_ok(), "an enterprise may also teach theory");
    i.courses[0].taught_by = "school".into();
    assert!(refused(&i, "courses[0].taught_by", "taught_by_unknown"));
    i.courses[0].kind = "workshop".into();
    assert!(refused(&i, "courses[0].kind", "course_kind_unknown"));
    i.courses.clear();
    assert!(refused(&i, "courses", "required"));
}

#[test]
fn weights_are_whole_percents_summing_to_exactly_one_hundred() {
    let mut i = input();
    for (c, n, ok) in [(60, 40, true), (100, 0, true), (0, 100, true), (60, 41, false), (50, 49, false)] {
        i.weights = AssessmentWeights { college: c, enterprise: n };
        assert_eq!(!refused(&i, "weights", "weights_sum"), ok, "{c}+{n}");
    }
    i.weights = AssessmentWeights { college: 101, enterprise: -1 };
    assert!(refused(&i, "weights.college", "weight_range"));
    assert!(refused(&i, "weights.enterprise", "weight_range"));
    let e = validate_terms(&AssessmentWeights { college: 70, enterprise: 40 }.into_input()).err().unwrap_or_default();
    let sum = e.0.iter().find(|f| f.field == "weights").map(|f| (f.zh.clone(), f.en.clone())).unwrap_or_default();
    assert!(sum.0.contains("100%") && sum.0.contains("110"), "{}", sum.0);
    assert!(sum.1.contains("exactly 100") && sum.1.contains("110"), "{}", sum.1);
}

impl AssessmentWeights {
    fn into_input(self) -> TermsInput {
        TermsInput { weights: self, ..input() }
    }
}

#[test]
fn every_bad_field_is_reported_at_once() {
    let mut i = input();
    i.class_name = String::new();
    i.quota = 0;
    i.weights.college = 10;
    let fields: Vec<String> = refusals(&i).into_iter().map(|(f, _)| f).collect();
    for f in ["class_name", "quota", "weights"] {
        assert!(fields.iter().any(|x| x == f), "{f} in {fields:?}");
    }
}

#[test]
fn the_lifecycle_runs_draft_to_closed() {
    let mut s = S::Draft;
    for (a, to) in [
        (A::Sign, S::Signed),
        (A::OpenRecruiting, S::Recruiting),
        (A::StartTraining, S::InTraining),
        (A::StartAssessment, S::Assessment),
        (A::StartEmployment, S::Employment),
        (A::Close, S::Closed),
    ] {
        s = s.after(a).unwrap_or_else(|| panic!("{a:?} from {s:?}"));
        assert_eq!(s, to);
    }
    assert!(s.actions().is_empty(), "closed is final");
}

#[test]
fn the_table_is_exactly_this_and_refuses_every_other_step() {
    let mut allowed = Vec::new();
    for from in S::ALL {
        for a in A::ALL {
            if let Some(to) = from.after(*a) {
                allowed.push((from.as_str(), a.as_str(), to.as_str()));
            }
        }
    }
    assert_eq!(
        allowed,
        vec![
            ("draft", "sign", "signed"),
            ("signed", "open_recruiting", "recruiting"),
            ("recruiting", "start_training", "in_training"),
            ("in_training", "start_assessment", "assessment"),
            ("assessment", "start_employment", "employment"),
            ("employment", "close", "closed"),
        ]
    );
    assert_eq!(S::Draft.after(A::OpenRecruiting), None, "an unsigned agreement cannot recruit");
    assert_eq!(S::Signed.after(A::Sign), None, "signed once");
    assert_eq!(S::Recruiting.after(A::Close), None);
}

#[test]
fn each_step_is_taken_by_the_side_the_table_names() {
    assert_eq!(A::Sign.taker(), Taker::Both);
    assert_eq!(A::OpenRecruiting.taker(), Taker::Only(Side::College));
    assert_eq!(A::StartTraining.taker(), Taker::Either);
    assert_eq!(A::StartAssessment.taker(), Taker::Only(Side::College));
    assert_eq!(A::StartEmployment.taker(), Taker::Only(Side::Enterprise));
    assert_eq!(A::Close.taker(), Taker::Either);
    assert!(!A::OpenRecruiting.taker().includes(Side::Enterprise));
    assert!(!A::StartEmployment.taker().includes(Side::College));
    assert!(A::Close.taker().includes(Side::College) && A::Close.taker().includes(Side::Enterprise));
}

#[test]
fn the_agreement_is_in_force_between_signing_and_closing_and_pays_from_training() {
    let in_force: Vec<_> = S::ALL.iter().filter(|s| s.in_force()).map(|s| s.as_str()).collect();
    assert_eq!(in_force, vec!["signed", "recruiting", "in_training", "assessment", "employment"]);
    let pays: Vec<_> = S::ALL.iter().filter(|s| s.pays_scholarships()).map(|s| s.as_str()).collect();
    assert_eq!(pays, vec!["in_training", "assessment", "employment"]);
}

#[test]
fn enrolment_needs_both_parties_and_either_may_turn_down() {
    use EnrolmentStatus as E;
    assert_eq!(E::of(None, None), E::Applied);
    assert_eq!(E::of(Some(true), None), E::Applied);
    assert_eq!(E::of(None, Some(true)), E::Applied);
    assert_eq!(E::of(Some(true), Some(true)), E::Selected);
    assert_eq!(E::of(Some(false), Some(true)), E::Rejected);
    assert_eq!(E::of(Some(true), Some(false)), E::Rejected);
    assert_eq!(E::of(None, Some(false)), E::Rejected);
}

#[test]
fn an_offer_is_answered_once() {
    use EmploymentStatus as E;
    assert_eq!(E::Offered.answer(true), Some(E::Accepted));
    assert_eq!(E::Offered.answer(false), Some(E::Declined));
    assert_eq!(E::Accepted.answer(false), None);
    assert_eq!(E::Declined.answer(true), None);
}

#[test]
fn scores_are_zero_to_one_hundred_with_one_decimal() {
    let rule = |s: &str| score_tenths("score", s).err().map_or("ok", |e| e.rule);
    assert_eq!(score_tenths("score", "0"), Ok(0));
    assert_eq!(score_tenths("score", "85.5"), Ok(855));
    assert_eq!(score_tenths("score", "100"), Ok(1000));
    assert_eq!(score_tenths("score", "100.0"), Ok(1000));
    for bad in ["100.1", "101", "-1", "85.55", "abc", "", "8e1"] {
        assert_eq!(rule(bad), "score_range", "{bad}");
    }
}

#[test]
fn the_composite_is_weighted_exactly() {
    let w = AssessmentWeights { college: 60, enterprise: 40 };
    // 85.5 × 60 % + 90 × 40 % = 51.3 + 36 = 87.3
    assert_eq!(composite_thousandths(w, Some(855), Some(900)), Some(87_300));
    assert_eq!(format_thousandths(87_300), "87.3");
    // 77.7 × 33 % + 88.8 × 67 % = 25.641 + 59.496 = 85.137, no rounding
    let odd = AssessmentWeights { college: 33, enterprise: 67 };
    assert_eq!(composite_thousandths(odd, Some(777), Some(888)).map(format_thousandths), Some("85.137".into()));
    assert_eq!(composite_thousandths(w, Some(1000), Some(1000)), Some(100_000));
    assert_eq!(format_thousandths(100_000), "100");
    assert_eq!(composite_thousandths(w, Some(855), None), None, "both sides must score");
}

#[test]
fn the_conversion_rate_is_a_fraction_and_a_percent_rounded_half_up() {
    assert_eq!(ConversionRate::of(3, 5).label(), "3/5 (60.0%)");
    assert_eq!(ConversionRate::of(2, 3).label(), "2/3 (66.7%)");
    assert_eq!(ConversionRate::of(1, 3).label(), "1/3 (33.3%)");
    assert_eq!(ConversionRate::of(1, 8).permille, Some(125), "12.5 % exactly");
    assert_eq!(ConversionRate::of(1, 16).permille, Some(63), "6.25 % rounds half up to 6.3 %");
    assert_eq!(ConversionRate::of(4, 4).label(), "4/4 (100.0%)");
    assert_eq!(ConversionRate::of(0, 0).label(), "0/0 (—)");
}

#[test]
fn scholarship_payments_stop_at_amount_times_count() {
    let s = Scholarship { name: "创智奖学金".into(), amount_fen: 500_000, count: 2, condition: String::new() };
    assert_eq!(within_scholarship_limit("amount_yuan", &s, Fen(500_000), Fen(500_000)), Ok(Fen(500_000)));
    let e = within_scholarship_limit("amount_yuan", &s, Fen(500_000), Fen(500_001)).err();
    let e = e.expect("one fen over the limit is refused");
    assert_eq!((e.field.as_str(), e.rule), ("amount_yuan", "scholarship_limit"));
    assert!(e.zh.contains("¥10,000.00") && e.zh.contains("¥5,000.00"), "{}", e.zh);
    assert!(e.en.contains("at most ¥5,000.00 left"), "{}", e.en);
    assert!(within_scholarship_limit("a", &s, Fen(0), Fen(i64::MAX)).is_err(), "no overflow");
    assert_eq!(disbursement_amount("a", "0").err().map(|e| e.rule), Some("amount_range"));
}

#[test]
fn one_student_receives_at_most_one_award_of_a_scholarship_in_instalments() {
    let s = Scholarship { name: "创智奖学金".into(), amount_fen: 500_000, count: 3, condition: String::new() };
    assert_eq!(within_student_award("amount_yuan", &s, Fen(200_000), Fen(300_000)), Ok(Fen(300_000)));
    let e = within_student_award("amount_yuan", &s, Fen(500_000), Fen(500_000)).err();
    let e = e.expect("a second award to the same student is refused");
    assert_eq!((e.field.as_str(), e.rule), ("amount_yuan", "scholarship_per_student"));
    assert!(e.zh.contains("最多还可发 ¥0.00"), "{}", e.zh);
    assert_eq!(
        within_student_award("a", &s, Fen(499_999), Fen(2)).err().map(|e| e.rule),
        Some("scholarship_per_student")
    );
    assert!(within_student_award("a", &s, Fen(1), Fen(i64::MAX)).is_err(), "no overflow");
}
