-- The platform's nodes, each renewing its heartbeat every third of cluster.nodeTimeout; a node
-- whose heartbeat is older than that is dead: another node ends the device sessions it held and
-- removes its row (platform/cluster/NodeSessions.java). A clean stop removes its own row.
CREATE TABLE platform_nodes (
    node_id      text        PRIMARY KEY,
    started_at   timestamptz NOT NULL,
    heartbeat_at timestamptz NOT NULL
);

-- The node holding the device's connection while it is online, so that a node restarting after a
-- crash ends its own sessions only, and an offline change from a node that no longer holds the
-- session (the device reconnected elsewhere) leaves the summary alone. NULL: offline, or online
-- since before V100.
ALTER TABLE devices ADD COLUMN online_node text;

CREATE INDEX devices_online_node ON devices (online_node) WHERE online;
