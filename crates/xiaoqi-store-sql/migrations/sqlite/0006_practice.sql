-- Practice places, allocation rounds, ranked applications and allocations (SQLite). Keep in
-- step with ../postgres/0006_practice.sql: same tables, columns and constraints; only type
-- spellings differ. Dates are 'YYYY-MM-DD' text (they sort as dates), money is i64 fen, the
-- terms checked by the internship rules and the ranked lists are JSON text read and written whole.
CREATE TABLE practice_places (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL CHECK (kind IN ('cognitive', 'shadowing', 'post', 'apprenticeship')),
    title TEXT NOT NULL,
    occupation_code TEXT,
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    effective_capacity INTEGER NOT NULL CHECK (effective_capacity >= 0 AND effective_capacity <= capacity),
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    region_code TEXT,
    monthly_pay_fen INTEGER NOT NULL CHECK (monthly_pay_fen >= 0),
    terms_json TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES accounts (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (end_date >= start_date)
);
CREATE INDEX practice_places_org ON practice_places (org_id, created_at);
CREATE INDEX practice_places_list ON practice_places (created_at);

CREATE TABLE practice_rounds (
    id INTEGER PRIMARY KEY,
    college_org_id INTEGER NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    place_ids_json TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'allocated')),
    inputs_json TEXT,
    created_by INTEGER NOT NULL REFERENCES accounts (id),
    created_at INTEGER NOT NULL,
    allocated_by INTEGER REFERENCES accounts (id),
    allocated_at INTEGER,
    updated_at INTEGER NOT NULL
);
CREATE INDEX practice_rounds_college ON practice_rounds (college_org_id, created_at);

CREATE TABLE practice_applications (
    round_id INTEGER NOT NULL REFERENCES practice_rounds (id),
    student_id INTEGER NOT NULL REFERENCES accounts (id),
    place_ids_json TEXT NOT NULL,
    submitted_at INTEGER NOT NULL,
    PRIMARY KEY (round_id, student_id)
);

CREATE TABLE practice_rankings (
    round_id INTEGER NOT NULL REFERENCES practice_rounds (id),
    place_id INTEGER NOT NULL REFERENCES practice_places (id),
    student_ids_json TEXT NOT NULL,
    ranked_by INTEGER NOT NULL REFERENCES accounts (id),
    ranked_at INTEGER NOT NULL,
    PRIMARY KEY (round_id, place_id)
);

CREATE TABLE practice_allocations (
    round_id INTEGER NOT NULL REFERENCES practice_rounds (id),
    student_id INTEGER NOT NULL REFERENCES accounts (id),
    place_id INTEGER REFERENCES practice_places (id),
    certificate_json TEXT NOT NULL,
    PRIMARY KEY (round_id, student_id)
);
CREATE INDEX practice_allocations_place ON practice_allocations (place_id);
