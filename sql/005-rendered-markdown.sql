-- Markdown is rendered once, when a ticket or reply is written, and the
-- HTML kept: a page view then costs no rendering, and a hostile body that
-- is slow to render (cmark has inputs that take quadratic time) costs
-- that time once, not at every view. NULL means "render when shown", so
-- after a cmark upgrade that changes its output,
--   UPDATE tickets SET body_html = NULL; UPDATE comments SET body_html = NULL;
-- makes every page use the new renderer.

ALTER TABLE tickets ADD COLUMN body_html MEDIUMTEXT NULL AFTER body;
ALTER TABLE comments ADD COLUMN body_html MEDIUMTEXT NULL AFTER body;
