-- Order classes (订单班): classes, versions of terms, signatures, enrolments, scores, employment
-- decisions and the scholarship ledger (SQLite). Keep in step with ../postgres/0007_order_classes.sql:
-- same tables, columns and constraints; only type spellings and the ledger's trigger differ. Terms
-- are JSON text read and written whole; money is i64 fen; scores are tenths of a point (0–1000);
-- dates are 'YYYY-MM-DD' text.
CREATE TABLE order_classes (
    id INTEGER PRIMARY KEY,
    college_org_id INTEGER NOT NULL REFERENCES organizations (id),
    enterprise_org_id INTEGER NOT NULL REFERENCES organizations (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'signed', 'recruiting', 'in_training', 'assessment',
        'employment', 'closed')),
    current_version INTEGER NOT NULL CHECK (current_version >= 1),
    created_by INTEGER NOT NULL REFERENCES accounts (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (college_org_id <> enterprise_org_id)
);
CREATE INDEX order_classes_college ON order_classes (college_org_id, updated_at);
CREATE INDEX order_classes_enterprise ON order_classes (enterprise_org_id, updated_at);

CREATE TABLE order_class_versions (
    class_id INTEGER NOT NULL REFERENCES order_classes (id),
    version INTEGER NOT NULL CHECK (version >= 1),
    terms_json TEXT NOT NULL,
    proposed_by INTEGER NOT NULL REFERENCES accounts (id),
    proposed_side TEXT NOT NULL CHECK (proposed_side IN ('college', 'enterprise')),
    proposed_at INTEGER NOT NULL,
    effective_at INTEGER,
    PRIMARY KEY (class_id, version)
);

CREATE TABLE order_class_signatures (
    class_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    side TEXT NOT NULL CHECK (side IN ('college', 'enterprise')),
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    role TEXT NOT NULL,
    signed_at INTEGER NOT NULL,
    PRIMARY KEY (class_id, version, side),
    FOREIGN KEY (class_id, version) REFERENCES order_class_versions (class_id, version)
);

CREATE TABLE order_class_enrolments (
    class_id INTEGER NOT NULL REFERENCES order_classes (id),
    student_id INTEGER NOT NULL REFERENCES accounts (id),
    applied_at INTEGER NOT NULL,
    consented_at INTEGER NOT NULL,
    college_selected INTEGER CHECK (college_selected IN (0, 1)),
    college_decided_by INTEGER REFERENCES accounts (id),
    college_decided_at INTEGER,
    enterprise_selected INTEGER CHECK (enterprise_selected IN (0, 1)),
    enterprise_decided_by INTEGER REFERENCES accounts (id),
    enterprise_decided_at INTEGER,
    PRIMARY KEY (class_id, student_id)
);

CREATE TABLE order_class_scores (
    class_id INTEGER NOT NULL,
    student_id INTEGER NOT NULL,
    side TEXT NOT NULL CHECK (side IN ('college', 'enterprise')),
    score_tenths INTEGER NOT NULL CHECK (score_tenths >= 0 AND score_tenths <= 1000),
    scored_by INTEGER NOT NULL REFERENCES accounts (id),
    scored_at INTEGER NOT NULL,
    PRIMARY KEY (class_id, student_id, side),
    FOREIGN KEY (class_id, student_id) REFERENCES order_class_enrolments (class_id, student_id)
);

CREATE TABLE order_class_employment (
    class_id INTEGER NOT NULL,
    student_id INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('offered', 'accepted', 'declined')),
    post_title TEXT NOT NULL,
    monthly_pay_fen INTEGER NOT NULL CHECK (monthly_pay_fen > 0),
    offered_by INTEGER NOT NULL REFERENCES accounts (id),
    offered_at INTEGER NOT NULL,
    decided_at INTEGER,
    decline_reason TEXT,
    PRIMARY KEY (class_id, student_id),
    FOREIGN KEY (class_id, student_id) REFERENCES order_class_enrolments (class_id, student_id),
    CHECK (status <> 'declined' OR decline_reason IS NOT NULL)
);

CREATE TABLE order_class_disbursements (
    id INTEGER PRIMARY KEY,
    class_id INTEGER NOT NULL,
    student_id INTEGER NOT NULL,
    scholarship TEXT NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0 AND amount_fen <= 100000000),
    paid_on TEXT NOT NULL,
    recorded_by INTEGER NOT NULL REFERENCES accounts (id),
    recorded_at INTEGER NOT NULL,
    FOREIGN KEY (class_id, student_id) REFERENCES order_class_enrolments (class_id, student_id)
);
CREATE INDEX order_class_disbursements_class ON order_class_disbursements (class_id, id);
-- Append-only: a payment once recorded is corrected by a new row, never edited.
CREATE TRIGGER order_class_disbursements_no_update BEFORE UPDATE ON order_class_disbursements
BEGIN SELECT RAISE(ABORT, 'order_class_disbursements is append-only'); END;
CREATE TRIGGER order_class_disbursements_no_delete BEFORE DELETE ON order_class_disbursements
BEGIN SELECT RAISE(ABORT, 'order_class_disbursements is append-only'); END;
