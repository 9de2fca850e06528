-- Promise 6 of issue 18 (docs/security.md, "Transport security").
-- transport: the device's own policy, 'any' or 'secure_only'; NULL follows tls.deviceTransport.
-- dtls_key: whether the device was handed a DTLS key distinct from its token. Devices that exist
-- now were not (false: they keep using their token as the DTLS PSK while tls.legacyTokenPsk
-- allows it); devices provisioned or rotated from now on are (the platform sets it to true).
ALTER TABLE devices
  ADD COLUMN transport text CHECK (transport IN ('any', 'secure_only')),
  ADD COLUMN dtls_key boolean NOT NULL DEFAULT false;
