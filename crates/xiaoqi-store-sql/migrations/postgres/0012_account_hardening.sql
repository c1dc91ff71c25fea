-- Devices that logged in before: the right password from one of them is never throttled.
-- Only the SHA-256 of the device cookie's random secret is stored.
CREATE TABLE known_devices (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL
);
CREATE INDEX known_devices_account ON known_devices (account_id, last_used_at);
-- Forgotten-password codes sent through the outbox: stored hashed, single use, expiring.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX password_resets_account ON password_resets (account_id);
CREATE INDEX login_attempts_at ON login_attempts (at);
