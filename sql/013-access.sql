-- Access (issue 10): the "Your data" page counts what a person wrote in
-- every workspace and lists the invitations and mail sent to their
-- address. Tickets were indexed by requester only within a workspace,
-- and attachments, invitations and the outbox not by person at all:
-- without these, each look-up would read the whole table (erasing an
-- account looks them up the same way).
ALTER TABLE tickets ADD KEY tickets_requester_any (requester_id);
ALTER TABLE attachments ADD KEY attachments_uploader (uploader_id);
ALTER TABLE invitations ADD KEY invitations_email (email);
ALTER TABLE outbox ADD KEY outbox_to (to_addr);
