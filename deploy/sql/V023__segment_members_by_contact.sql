-- The segments a contact is stored as a member of: the recovery after a start compares them with what the contact
-- evaluates and sends only the differences.

CREATE INDEX IF NOT EXISTS ix_segment_members_contact ON segment_members (app_id, contact_key);
