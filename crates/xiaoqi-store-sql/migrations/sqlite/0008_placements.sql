-- Placements of allocated students, their tripartite agreements, dual mentors and the record of
-- the internship (SQLite). Keep in step with ../postgres/0008_placements.sql: same tables,
-- columns and constraints; only type spellings differ. Dates are 'YYYY-MM-DD' text, times ms
-- UTC, flags 0/1; the place's terms are copied into the placement as JSON when it is created,
-- so a later edit of the place does not change a signed agreement.
CREATE TABLE placement_settings (
    college_org_id INTEGER PRIMARY KEY REFERENCES organizations (id),
    max_per_teacher INTEGER NOT NULL CHECK (max_per_teacher BETWEEN 1 AND 1000),
    max_per_master INTEGER NOT NULL CHECK (max_per_master BETWEEN 1 AND 1000),
    warn_after_days INTEGER NOT NULL CHECK (warn_after_days BETWEEN 1 AND 60),
    weight_report INTEGER NOT NULL CHECK (weight_report BETWEEN 0 AND 100),
    weight_evaluation INTEGER NOT NULL CHECK (weight_evaluation BETWEEN 0 AND 100),
    weight_attendance INTEGER NOT NULL CHECK (weight_attendance BETWEEN 0 AND 100),
    updated_by INTEGER NOT NULL REFERENCES accounts (id),
    updated_at INTEGER NOT NULL,
    CHECK (weight_report + weight_evaluation + weight_attendance = 100)
);

CREATE TABLE placements (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES practice_rounds (id),
    college_org_id INTEGER NOT NULL REFERENCES organizations (id),
    student_id INTEGER NOT NULL REFERENCES accounts (id),
    place_id INTEGER NOT NULL REFERENCES practice_places (id),
    enterprise_org_id INTEGER NOT NULL REFERENCES organizations (id),
    status TEXT NOT NULL CHECK (status IN ('agreement_pending', 'agreed', 'active', 'completed')),
    place_json TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    birth_date TEXT,
    guardian_name TEXT,
    guardian_consent_date TEXT,
    insurer TEXT,
    insurance_policy_no TEXT,
    insurance_start TEXT,
    insurance_end TEXT,
    school_signed_by INTEGER REFERENCES accounts (id),
    school_signed_on TEXT,
    enterprise_signed_by INTEGER REFERENCES accounts (id),
    enterprise_signed_on TEXT,
    student_signed_on TEXT,
    teacher_id INTEGER REFERENCES accounts (id),
    master_id INTEGER REFERENCES accounts (id),
    report_text TEXT,
    report_submitted_at INTEGER,
    report_grade INTEGER CHECK (report_grade BETWEEN 0 AND 100),
    report_graded_by INTEGER REFERENCES accounts (id),
    evaluation_score INTEGER CHECK (evaluation_score BETWEEN 0 AND 100),
    evaluation_comment TEXT,
    evaluated_by INTEGER REFERENCES accounts (id),
    composite_centi INTEGER CHECK (composite_centi BETWEEN 0 AND 10000),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (end_date >= start_date),
    CHECK (insurance_end IS NULL OR insurance_start IS NULL OR insurance_end >= insurance_start),
    UNIQUE (round_id, student_id)
);
CREATE INDEX placements_college ON placements (college_org_id, status);
CREATE INDEX placements_enterprise ON placements (enterprise_org_id, status);
CREATE INDEX placements_student ON placements (student_id);
CREATE INDEX placements_teacher ON placements (teacher_id);
CREATE INDEX placements_master ON placements (master_id);

CREATE TABLE placement_tasks (
    id INTEGER PRIMARY KEY,
    placement_id INTEGER NOT NULL REFERENCES placements (id),
    title TEXT NOT NULL,
    skill_code TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES accounts (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX placement_tasks_placement ON placement_tasks (placement_id);

CREATE TABLE placement_logs (
    id INTEGER PRIMARY KEY,
    placement_id INTEGER NOT NULL REFERENCES placements (id),
    log_date TEXT NOT NULL,
    task_id INTEGER REFERENCES placement_tasks (id),
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 500),
    problem TEXT CHECK (problem IS NULL OR length(problem) <= 500),
    created_at INTEGER NOT NULL
);
CREATE INDEX placement_logs_placement ON placement_logs (placement_id, log_date);

CREATE TABLE placement_attendance (
    placement_id INTEGER NOT NULL REFERENCES placements (id),
    day TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('present', 'absent', 'leave')),
    recorded_at INTEGER NOT NULL,
    confirmed_by INTEGER REFERENCES accounts (id),
    confirmed_at INTEGER,
    PRIMARY KEY (placement_id, day)
);

CREATE TABLE placement_weekly_reports (
    placement_id INTEGER NOT NULL REFERENCES placements (id),
    week_start TEXT NOT NULL,
    body TEXT NOT NULL,
    submitted_at INTEGER NOT NULL,
    teacher_comment TEXT,
    commented_by INTEGER REFERENCES accounts (id),
    commented_at INTEGER,
    PRIMARY KEY (placement_id, week_start)
);

CREATE TABLE placement_signoffs (
    id INTEGER PRIMARY KEY,
    placement_id INTEGER NOT NULL REFERENCES placements (id),
    skill_code TEXT NOT NULL,
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    signed_on TEXT NOT NULL,
    signed_by INTEGER NOT NULL REFERENCES accounts (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX placement_signoffs_placement ON placement_signoffs (placement_id);

CREATE TABLE placement_reviews (
    id INTEGER PRIMARY KEY,
    placement_id INTEGER NOT NULL REFERENCES placements (id),
    name TEXT NOT NULL,
    due_date TEXT NOT NULL,
    student_comment TEXT,
    student_signed_at INTEGER,
    teacher_comment TEXT,
    teacher_signed_at INTEGER,
    master_comment TEXT,
    master_signed_at INTEGER,
    created_by INTEGER NOT NULL REFERENCES accounts (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX placement_reviews_placement ON placement_reviews (placement_id);
