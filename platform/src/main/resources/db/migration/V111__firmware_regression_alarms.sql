-- Fleet-level alarms of the firmware regression guard: a firmware version whose alarm rate on one
-- rule is significantly worse than its predecessor's on the same model. One active alarm per
-- (model, firmware, rule); it is cleared when the evaluation no longer finds the regression, and
-- a later regression raises a new one. `evidence` holds both rates, their intervals, the rate
-- ratio and the p-value of the last evaluation.
CREATE TABLE firmware_regression_alarms (
    id                  bigserial   PRIMARY KEY,
    model               text        NOT NULL,
    firmware            text        NOT NULL,
    previous_firmware   text        NOT NULL,
    rule_id             text        NOT NULL,
    status              text        NOT NULL CHECK (status IN ('active', 'cleared')),
    raised_at           timestamptz NOT NULL,
    evaluated_at        timestamptz NOT NULL,
    cleared_at          timestamptz,
    evidence            jsonb       NOT NULL,
    CHECK ((status = 'cleared') = (cleared_at IS NOT NULL))
);
CREATE UNIQUE INDEX firmware_regression_alarms_one_active
    ON firmware_regression_alarms (model, firmware, rule_id) WHERE status = 'active';
CREATE INDEX firmware_regression_alarms_raised ON firmware_regression_alarms (raised_at DESC, id DESC);
