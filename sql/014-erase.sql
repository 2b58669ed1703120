-- Erasure (lib/domain/erase.h) finds the audit rows about a person
-- (object 'user', their id) without reading the whole log. The files they
-- uploaded, the invitations to their address and the mail to it use the
-- indexes of 013-access.sql.
ALTER TABLE audit_log ADD KEY audit_object (object_type, object_id);
