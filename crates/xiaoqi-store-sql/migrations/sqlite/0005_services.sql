-- The services marketplace (SQLite). Keep in step with ../postgres/0005_services.sql: same
-- tables, columns and constraints; only type spellings differ. Times are i64 ms since the epoch
-- (UTC), money is i64 fen (0 = free), delivered hours are i64 tenths of an hour.
CREATE TABLE service_offerings (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    price_fen INTEGER NOT NULL CHECK (price_fen >= 0),
    price_unit TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'withdrawn')),
    created_by INTEGER NOT NULL REFERENCES accounts (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX service_offerings_org ON service_offerings (org_id, created_at);
CREATE INDEX service_offerings_list ON service_offerings (status, kind, created_at);

CREATE TABLE service_requests (
    id INTEGER PRIMARY KEY,
    -- NULL for an invitation to run corporate training, which names only the college.
    offering_id INTEGER REFERENCES service_offerings (id),
    enterprise_org_id INTEGER NOT NULL REFERENCES organizations (id),
    college_org_id INTEGER NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    message TEXT,
    participants_expected INTEGER CHECK (participants_expected > 0),
    preferred_period TEXT,
    status TEXT NOT NULL CHECK (status IN ('requested', 'accepted', 'declined', 'scheduled', 'delivered', 'rated', 'cancelled')),
    decline_reason TEXT,
    cancel_reason TEXT,
    scheduled_start INTEGER,
    scheduled_end INTEGER,
    delivered_hours_tenths INTEGER CHECK (delivered_hours_tenths > 0),
    delivered_participants INTEGER CHECK (delivered_participants > 0),
    rating INTEGER CHECK (rating BETWEEN 1 AND 5),
    rating_comment TEXT,
    requested_by INTEGER NOT NULL REFERENCES accounts (id),
    requested_at INTEGER NOT NULL,
    accepted_by INTEGER REFERENCES accounts (id),
    accepted_at INTEGER,
    declined_by INTEGER REFERENCES accounts (id),
    declined_at INTEGER,
    scheduled_by INTEGER REFERENCES accounts (id),
    scheduled_at INTEGER,
    delivered_by INTEGER REFERENCES accounts (id),
    delivered_at INTEGER,
    rated_by INTEGER REFERENCES accounts (id),
    rated_at INTEGER,
    cancelled_by INTEGER REFERENCES accounts (id),
    cancelled_at INTEGER,
    updated_at INTEGER NOT NULL,
    CHECK (scheduled_end IS NULL OR scheduled_end > scheduled_start)
);
CREATE INDEX service_requests_enterprise ON service_requests (enterprise_org_id, updated_at);
CREATE INDEX service_requests_college ON service_requests (college_org_id, updated_at);
CREATE INDEX service_requests_offering ON service_requests (offering_id);
