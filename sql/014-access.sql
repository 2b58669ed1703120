-- Access (issue 10): the "Your data" page counts what a person wrote in
-- every workspace. Tickets are indexed by requester only within a
-- workspace, and attachments not by uploader at all: without these, each
-- count would read the whole table.
ALTER TABLE tickets ADD KEY tickets_requester_any (requester_id);
ALTER TABLE attachments ADD KEY attachments_uploader (uploader_id);
