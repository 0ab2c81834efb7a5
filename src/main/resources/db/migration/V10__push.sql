-- Web Push (the push package). Plain SQL that H2 and PostgreSQL both run.

-- The VAPID key pair, made once when doorcast.push.vapid-private-key is not set: one row, the private key as
-- its raw 32-byte P-256 scalar in base64url (the public key is derived from it). Whoever reads this table can
-- sign pushes to this server's subscribers: the store is as private as the settings.
CREATE TABLE push_vapid_key (
    id INTEGER PRIMARY KEY,
    private_key VARCHAR(64) NOT NULL,
    created_at BIGINT NOT NULL
);

-- One browser's subscription (PushSubscription.toJSON()), and the credential that made it.
--   device: the one device it is for; null for every device its holder opens
--   holder: who made it, for the per-credential cap and for deleting it: owner, device:<id>, or
--           address:<client address> while viewer access is off
--   credential: which token made it, as a keyed hash (never the token): pushes stop once that token is changed
CREATE TABLE push_subscription (
    id VARCHAR(32) PRIMARY KEY,
    endpoint VARCHAR(1024) NOT NULL,
    p256dh VARCHAR(100) NOT NULL,
    auth VARCHAR(32) NOT NULL,
    device VARCHAR(100),
    holder VARCHAR(200) NOT NULL,
    credential VARCHAR(64) NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX push_subscription_endpoint ON push_subscription (endpoint);
CREATE INDEX push_subscription_holder ON push_subscription (holder);
