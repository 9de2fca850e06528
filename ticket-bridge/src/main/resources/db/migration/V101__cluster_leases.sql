-- Cluster-wide duties (sweeps, SLA and incident clocks, archive, purges) run on one node at a time:
-- the node named in holder, until expires_at (database time). The holder renews its leases three
-- times per term; a lease whose holder stopped renewing expires and another node takes it
-- (bridge/lease/DutyLeases.java). A clean stop deletes its holder's rows.
CREATE TABLE cluster_leases (
    duty        text        PRIMARY KEY,
    holder      text        NOT NULL,
    acquired_at timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
