-- What the service organisation needs to know about a device's owner and warranty, without
-- holding personal data: a reference into the customer system, the customer's service tier,
-- and the sale date from which the warranty runs.
ALTER TABLE devices
    ADD COLUMN customer_ref  text,
    ADD COLUMN customer_tier text NOT NULL DEFAULT 'standard'
        CHECK (customer_tier IN ('standard', 'premium', 'vip')),
    ADD COLUMN sold_on       date;
