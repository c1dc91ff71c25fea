-- Industry–university–research cooperation (SQLite): teams, technical problems, admissions,
-- proposals, projects, milestones, budget lines and expenditures. Keep in step with
-- ../postgres/0009_research.sql: same tables, columns and constraints; only type spellings differ.
-- Money is BIGINT fen, times ms UTC, dates 'YYYY-MM-DD' text; capabilities, proposed milestones,
-- proposal members and risks are JSON text read and written whole.
CREATE TABLE research_teams (
    id INTEGER PRIMARY KEY,
    college_org_id INTEGER NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('rd_service_centre', 'young_teachers_studio', 'application_technology_team')),
    description TEXT NOT NULL,
    skills_json TEXT NOT NULL,
    occupations_json TEXT NOT NULL,
    equipment_json TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES accounts (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX research_teams_college ON research_teams (college_org_id, created_at);
CREATE INDEX research_teams_list ON research_teams (created_at);

CREATE TABLE research_team_members (
    team_id INTEGER NOT NULL REFERENCES research_teams (id),
    position INTEGER NOT NULL,
    account_id INTEGER REFERENCES accounts (id),
    external_name TEXT,
    org_id INTEGER REFERENCES organizations (id),
    role TEXT NOT NULL CHECK (role IN ('leader', 'teacher', 'student', 'technician')),
    PRIMARY KEY (team_id, position),
    CHECK ((account_id IS NULL) <> (external_name IS NULL))
);
CREATE INDEX research_team_members_account ON research_team_members (account_id);

CREATE TABLE research_problems (
    id INTEGER PRIMARY KEY,
    enterprise_org_id INTEGER NOT NULL REFERENCES organizations (id),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    details TEXT NOT NULL,
    field TEXT NOT NULL,
    skills_json TEXT NOT NULL,
    occupations_json TEXT NOT NULL,
    budget_min_fen INTEGER NOT NULL CHECK (budget_min_fen >= 0 AND budget_min_fen <= 100000000000),
    budget_max_fen INTEGER NOT NULL CHECK (budget_max_fen >= 0 AND budget_max_fen <= 100000000000),
    deadline TEXT NOT NULL,
    deliverable TEXT NOT NULL,
    trl INTEGER NOT NULL CHECK (trl BETWEEN 1 AND 9),
    terms TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'selected', 'closed')),
    created_by INTEGER NOT NULL REFERENCES accounts (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (budget_min_fen <= budget_max_fen)
);
CREATE INDEX research_problems_enterprise ON research_problems (enterprise_org_id, created_at);
CREATE INDEX research_problems_list ON research_problems (status, created_at);

CREATE TABLE research_admissions (
    problem_id INTEGER NOT NULL REFERENCES research_problems (id),
    team_id INTEGER NOT NULL REFERENCES research_teams (id),
    requested_by INTEGER NOT NULL REFERENCES accounts (id),
    requested_at INTEGER NOT NULL,
    terms_accepted_by INTEGER REFERENCES accounts (id),
    terms_accepted_at INTEGER,
    admitted_by INTEGER REFERENCES accounts (id),
    admitted_at INTEGER,
    PRIMARY KEY (problem_id, team_id),
    CHECK (admitted_at IS NULL OR terms_accepted_at IS NOT NULL)
);

CREATE TABLE research_proposals (
    id INTEGER PRIMARY KEY,
    problem_id INTEGER NOT NULL REFERENCES research_problems (id),
    team_id INTEGER NOT NULL REFERENCES research_teams (id),
    approach TEXT NOT NULL,
    milestones_json TEXT NOT NULL,
    budget_fen INTEGER NOT NULL CHECK (budget_fen > 0 AND budget_fen <= 100000000000),
    members_json TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'shortlisted', 'selected', 'rejected')),
    submitted_by INTEGER NOT NULL REFERENCES accounts (id),
    submitted_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    FOREIGN KEY (problem_id, team_id) REFERENCES research_admissions (problem_id, team_id)
);
CREATE INDEX research_proposals_problem ON research_proposals (problem_id, submitted_at);
-- At most one selected proposal per problem.
CREATE UNIQUE INDEX research_proposals_one_selected ON research_proposals (problem_id) WHERE status = 'selected';

CREATE TABLE research_projects (
    id INTEGER PRIMARY KEY,
    problem_id INTEGER NOT NULL UNIQUE REFERENCES research_problems (id),
    proposal_id INTEGER NOT NULL UNIQUE REFERENCES research_proposals (id),
    team_id INTEGER NOT NULL REFERENCES research_teams (id),
    enterprise_org_id INTEGER NOT NULL REFERENCES organizations (id),
    college_org_id INTEGER NOT NULL REFERENCES organizations (id),
    title TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'completed', 'terminated')),
    risks_json TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES accounts (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX research_projects_enterprise ON research_projects (enterprise_org_id, created_at);
CREATE INDEX research_projects_college ON research_projects (college_org_id, created_at);

CREATE TABLE research_milestones (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES research_projects (id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    deliverable TEXT NOT NULL,
    due_date TEXT NOT NULL,
    submitted_by INTEGER REFERENCES accounts (id),
    submitted_at INTEGER,
    submission_note TEXT,
    accepted_by INTEGER REFERENCES accounts (id),
    accepted_at INTEGER,
    UNIQUE (project_id, position),
    CHECK (accepted_at IS NULL OR submitted_at IS NOT NULL)
);

CREATE TABLE research_budget_lines (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES research_projects (id),
    source TEXT NOT NULL CHECK (source IN ('enterprise', 'college', 'government')),
    programme TEXT,
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0 AND amount_fen <= 100000000000),
    -- Kept by the same statement that records an expenditure; the CHECK is the database's own
    -- guard against spending past the line.
    spent_fen INTEGER NOT NULL CHECK (spent_fen >= 0 AND spent_fen <= amount_fen),
    created_by INTEGER NOT NULL REFERENCES accounts (id),
    created_at INTEGER NOT NULL,
    CHECK (programme IS NULL OR source = 'government')
);
CREATE INDEX research_budget_lines_project ON research_budget_lines (project_id, id);

CREATE TABLE research_expenditures (
    id INTEGER PRIMARY KEY,
    line_id INTEGER NOT NULL REFERENCES research_budget_lines (id),
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0 AND amount_fen <= 100000000000),
    spent_on TEXT NOT NULL,
    purpose TEXT NOT NULL,
    recorded_by INTEGER NOT NULL REFERENCES accounts (id),
    recorded_at INTEGER NOT NULL
);
CREATE INDEX research_expenditures_line ON research_expenditures (line_id, id);
