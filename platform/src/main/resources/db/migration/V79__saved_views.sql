-- Saved views (docs/staff-api.md, "Saved views"): a staff member's named filters of a console
-- list. Owned by the member's name (the bootstrap admin has no staff row, hence no foreign key).

CREATE TABLE saved_views (
    id          bigserial   PRIMARY KEY,
    owner       text        NOT NULL,
    page        text        NOT NULL CHECK (page IN ('devices', 'alarms', 'tickets')),
    name        text        NOT NULL,
    -- Query parameters of the page's list route, each a string.
    query       jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (owner, page, name)
);
