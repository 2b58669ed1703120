/*
 * demo-tickets.h: the demo's tickets (tools/demo.c), oldest first, as a
 * software company's support desk would have them over six weeks: the
 * opening message, the thread that followed (replies, notes between
 * agents, the requester's answers, some by mail) and where triage left
 * each one. Times are relative: a ticket opened `ago` minutes before the
 * demo is loaded, each step `after` minutes after the ticket opened.
 *
 * Only tools/demo.c includes this.
 */

#define H(h)	((h) * 60)		/* hours, in minutes */

/* Who: the people of tools/demo.c, by index. */
enum {
	ADMIN, AGENT, AGENT2, REQUESTER, REQUESTER2,
	HANNAH, DIEGO, CHLOE, KENJI, SAMIRA, NPEOPLE
};

/* A file generated in code (tools/demo.c), sent with a message. */
enum demo_file { F_NONE, F_CONSOLE_LOG, F_USAGE_CSV, F_TIMELINE_PNG,
	F_WEBHOOK_LOG };

struct demo_step {
	int		 who;
	int		 after;		/* minutes after the ticket opened */
	int		 internal;	/* a note between agents */
	int		 mail;		/* came in by mail: quoted part folded */
	enum demo_file	 file;
	const char	*text;
};

struct demo_ticket {
	const char	*subject;
	int		 requester;
	int		 ago;		/* minutes before now */
	int		 mail;		/* opened by mail: signature folded */
	enum demo_file	 file;
	const char	*body;
	int		 status;	/* where triage left it */
	int		 priority;
	int		 assignee;	/* -1: nobody */
	const char	*tags;
	struct demo_step steps[6];	/* up to the first text NULL */
};

enum { S_NEW = 1, S_OPEN, S_PENDING, S_SOLVED, S_CLOSED };
enum { P_LOW = 1, P_NORMAL, P_HIGH, P_URGENT };

static const struct demo_ticket tickets[] = {
{ "Onboarding call to set up our workspace", HANNAH, H(1000), 0, F_NONE,
  "Hi! We just signed up for the Team plan (12 seats) and would like a "
  "short call to set up our project templates before we invite "
  "everyone. Are any slots free next week?",
  S_CLOSED, P_NORMAL, AGENT, "onboarding", {
  { AGENT, 95, 0, 0, F_NONE,
    "Welcome aboard, Hannah! I can do Tuesday 10:00 or Wednesday 14:00 "
    "(CET). The call takes about 30 minutes. If you have a list of your "
    "current projects (a spreadsheet is fine), send it beforehand and we "
    "will import it together." },
  { HANNAH, 180, 0, 0, F_NONE,
    "Wednesday 14:00 works. I'll send the spreadsheet on Monday." },
  { AGENT, 200, 1, 0, F_NONE,
    "Booked Wednesday 14:00 in the team calendar. Northwind: 12 seats, "
    "annual billing. Maria, for the onboarding list." },
  { AGENT, 9000, 0, 0, F_NONE,
    "Thanks for the call today. To sum up:\n\n"
    "- three project templates created\n"
    "- 47 projects imported from your spreadsheet\n"
    "- invitations sent to your team\n\n"
    "I'll close this ticket; reply here any time if something comes up." },
  } },
{ "Invoice #2291 charged twice", REQUESTER2, H(960), 0, F_NONE,
  "Our card was charged twice for invoice #2291 (EUR 348.00), a minute "
  "apart; both lines are on our statement. Please refund one of them.",
  S_SOLVED, P_HIGH, AGENT2, "billing,refund", {
  { AGENT2, 40, 0, 0, F_NONE,
    "Sorry about that, Linus. I can see two successful charges for #2291: "
    "the second came from an automatic retry after a timeout at our "
    "payment provider. I've refunded the duplicate (EUR 348.00); it takes "
    "5 to 10 business days to show on your statement." },
  { AGENT2, 45, 1, 0, F_NONE,
    "Second double charge from a retry after a timeout this month. "
    "Asked the billing team to make retries reuse the payment's "
    "idempotency key." },
  { REQUESTER2, 4400, 0, 0, F_NONE,
    "The refund arrived today. Thanks!" },
  } },
{ "Cannot sign in after password reset", REQUESTER, H(930), 0,
  F_CONSOLE_LOG,
  "Since this morning I get \"invalid email or password\", even right "
  "after resetting my password with the link from the email. I've "
  "attached what the browser console shows.\n\nBrowser: Firefox 128 on "
  "Windows 11.",
  S_SOLVED, P_HIGH, AGENT, "login", {
  { AGENT, 25, 0, 0, F_NONE,
    "Thanks for the log, Grace. The lines `reset token already used` show "
    "that the link was opened once before you clicked it: some mail "
    "scanners open links to check them, which uses up the token. I've "
    "sent you a fresh reset link; please copy it into the address bar "
    "instead of clicking it." },
  { REQUESTER, 60, 0, 0, F_NONE,
    "That worked, I'm in. Thank you!" },
  { AGENT, 70, 1, 0, F_NONE,
    "Third case of a mail scanner using up a reset token this month. "
    "Asked development whether the reset page could ask for a button "
    "press before it uses the token." },
  } },
{ "Export to CSV garbles accented names", DIEGO, H(900), 0, F_NONE,
  "When I export the time report to CSV, names like Zoë, José and "
  "Ramírez come out as \"ZoÃ«\", \"JosÃ©\" and \"RamÃ­rez\" in Excel.",
  S_CLOSED, P_NORMAL, AGENT2, "bug,export", {
  { AGENT2, 120, 0, 0, F_NONE,
    "Thanks, Diego. The file is UTF-8, but Excel reads a CSV as "
    "Windows-1252 unless the file starts with a byte-order mark. Two ways "
    "for now:\n\n"
    "1. In Excel, use *Data → From Text/CSV* and choose \"65001: "
    "Unicode (UTF-8)\".\n"
    "2. In our export dialog, choose the format **Excel (UTF-8 BOM)**." },
  { DIEGO, 300, 0, 0, F_NONE,
    "The BOM option works, thanks. Maybe make it the default?" },
  { AGENT2, 320, 0, 0, F_NONE,
    "Good idea: I've passed it on to the product team. I'll close this "
    "one, as the export works for you now." },
  } },
{ "Request: dark mode for the dashboard", CHLOE, H(860), 0, F_NONE,
  "Many of us work late and the white dashboard is hard on the eyes. Is "
  "a dark theme planned?",
  S_OPEN, P_LOW, AGENT, "feature-request", {
  { AGENT, 200, 0, 0, F_NONE,
    "Thanks, Chloé, you're not the only one asking. A dark theme is on "
    "our roadmap but not scheduled yet; I've added your vote. I'll keep "
    "this ticket open and write here when it ships." },
  { AGENT, 210, 1, 0, F_NONE,
    "Dark mode votes: 14 so far (tag feature-request). Maria, can you "
    "bring it to the next roadmap meeting?" },
  { ADMIN, 1500, 1, 0, F_NONE,
    "Brought it up: design will look at it next quarter. Keep the ticket "
    "open so that we can tell Chloé." },
  } },
{ "Outlook calendar sync stops after a day", KENJI, H(820), 0, F_NONE,
  "Our Outlook calendar sync works after connecting, but the next day "
  "the events stop updating. Connecting again fixes it for another day.",
  S_SOLVED, P_NORMAL, AGENT2, "integrations,outlook", {
  { AGENT2, 90, 0, 0, F_NONE,
    "Hi Kenji, this looks like your Microsoft 365 tenant ending app "
    "sessions after 24 hours (a conditional access policy). Could you ask "
    "your IT admin whether a *sign-in frequency* is set for third-party "
    "apps?" },
  { KENJI, 1400, 0, 0, F_NONE,
    "Our IT confirmed it: sign-in frequency was one day for all apps. "
    "They've made an exception for Acme and the sync has run for two days "
    "now." },
  { AGENT2, 1450, 0, 0, F_NONE,
    "Great to hear! I'll mark this as solved." },
  } },
{ "How do I give a colleague access to two projects only?", SAMIRA,
  H(790), 0, F_NONE,
  "I'd like to give our new designer access to two projects, without "
  "giving her access to everything. How do I do that?",
  S_CLOSED, P_LOW, AGENT, "how-to", {
  { AGENT, 35, 0, 0, F_NONE,
    "Hi Samira: go to *Settings → Members → Invite*, enter her address "
    "and choose the role **Guest**. Guests see only the projects shared "
    "with them: then open each of the two projects and use *Share* to "
    "add her." },
  { SAMIRA, 80, 0, 0, F_NONE,
    "Found it, done. Thanks!" },
  } },
{ "Credit for seats we no longer use", HANNAH, H(760), 1, F_NONE,
  "Hello,\n\nwe reduced our team from 12 to 9 people last week. Can we "
  "get a credit for the three seats we no longer use, for the rest of "
  "the year?\n\nBest regards\nHannah\n\n-- \nHannah Schmidt\n"
  "Operations, Northwind Logistics\n+49 40 555 0142\n",
  S_SOLVED, P_NORMAL, AGENT2, "billing", {
  { AGENT2, 150, 0, 0, F_NONE,
    "Hi Hannah, yes: when seats are removed from an annual plan, we credit "
    "the unused months, and the credit goes against your next invoice. "
    "I've reduced your plan to 9 seats; the credit (EUR 261.00) is under "
    "*Billing → Credits*." },
  { HANNAH, 500, 0, 1, F_NONE,
    "Perfect, I can see it. Thank you!\n\nHannah\n\n"
    "Priya Shah wrote:\n> Hi Hannah, yes: when seats are removed from an "
    "annual plan, we credit\n> the unused months, and the credit goes "
    "against your next invoice.\n" },
  } },
{ "Notification emails arrive hours late", REQUESTER2, H(720), 0, F_NONE,
  "Since yesterday the emails about new comments arrive two or three "
  "hours after the comment was written. Is something wrong on your "
  "side?",
  S_CLOSED, P_HIGH, AGENT, "notifications,incident", {
  { AGENT, 20, 0, 0, F_NONE,
    "Thanks for telling us, Linus. Our mail queue has had a backlog since "
    "yesterday afternoon and we're working on it. I'll update you here." },
  { AGENT, 25, 1, 0, F_NONE,
    "Mail queue at 48,000 messages: the provider throttled us after the "
    "bounce spike. Details in the incident channel." },
  { AGENT, 240, 0, 0, F_NONE,
    "The backlog is cleared and notifications go out within a minute "
    "again. Our mail provider had throttled us; we've raised our sending "
    "limit and added an alert for a growing queue. Sorry for the delay!" },
  { REQUESTER2, 600, 0, 0, F_NONE,
    "Confirmed, they're instant again." },
  } },
{ "iOS app closes when I attach a photo", DIEGO, H(690), 0, F_NONE,
  "The iOS app (version 4.2.0) closes as soon as I pick a photo to "
  "attach to a task. iPhone 13, iOS 17.5.",
  S_SOLVED, P_HIGH, AGENT2, "bug,mobile", {
  { AGENT2, 60, 0, 0, F_NONE,
    "Thanks, Diego. Does it happen with every photo, or only with photos "
    "taken by the camera (saved as HEIC, the iPhone's default)?" },
  { DIEGO, 140, 0, 0, F_NONE,
    "Only with photos from the camera; screenshots work fine. So HEIC, I "
    "guess." },
  { AGENT2, 150, 1, 0, F_NONE,
    "Reproduced with HEIC on iOS 17. The mobile team has a fix in 4.2.1, "
    "to be released next week." },
  { AGENT2, 7000, 0, 0, F_NONE,
    "Version 4.2.1 is in the App Store now and fixes attaching HEIC "
    "photos. Please update, and tell me if it still happens." },
  } },
{ "Change the billing address on our invoices", KENJI, H(650), 0, F_NONE,
  "We have moved. Please change the billing address on our invoices "
  "to:\n\nWatanabe Labs GmbH  \nTorstraße 140  \n10119 Berlin\n\nOur VAT "
  "ID stays the same.",
  S_CLOSED, P_LOW, AGENT, "billing", {
  { AGENT, 45, 0, 0, F_NONE,
    "Done, Kenji: the new address is on every invoice from now on. If you "
    "need the last invoice issued again with the new address, just say "
    "so." },
  { KENJI, 90, 0, 0, F_NONE, "Yes please, invoice #2410." },
  { AGENT, 130, 0, 0, F_NONE,
    "I've issued #2410 again with the new address; it's under *Billing → "
    "Invoices*." },
  } },
{ "Search takes 15 seconds in our largest project", SAMIRA, H(620), 0,
  F_NONE,
  "Searching in our biggest project (about 20,000 tasks) takes 10 to 15 "
  "seconds. In smaller projects it's instant.",
  S_PENDING, P_NORMAL, AGENT2, "performance,search", {
  { AGENT2, 100, 0, 0, F_NONE,
    "Hi Samira, could you tell me the project's name and one search that "
    "was slow, with the time you ran it? Our engineers can then find it "
    "in the logs." },
  { SAMIRA, 200, 0, 0, F_NONE,
    "Project \"Warehouse rollout\", search \"label printer\", at about "
    "14:20 today." },
  { AGENT2, 230, 1, 0, F_NONE,
    "Found it: with the filter on archived tasks the query doesn't use "
    "the index. Engineering ticket ENG-4471, fix planned for the next "
    "release." },
  { AGENT2, 240, 0, 0, F_NONE,
    "Thank you! We found the cause, and a fix is planned for the next "
    "release in about two weeks. I'll keep this ticket pending and tell "
    "you when it's out." },
  } },
{ "API returns 429 Too Many Requests during nightly sync", KENJI, H(590),
  0, F_NONE,
  "Our nightly sync script gets a 429 after about 300 calls:\n\n"
  "```\nGET /api/v2/tasks?page=301\nHTTP/1.1 429 Too Many Requests\n"
  "Retry-After: 60\n```\n\nWhat are the limits?",
  S_SOLVED, P_NORMAL, AGENT, "api", {
  { AGENT, 55, 0, 0, F_NONE,
    "Hi Kenji, the API allows 300 requests a minute per token, and "
    "`Retry-After` says how many seconds to wait. Either wait and retry "
    "as the header says, or ask for `per_page=200` (the maximum) so that "
    "the sync needs far fewer calls." },
  { KENJI, 400, 0, 0, F_NONE,
    "With `per_page=200` the sync finishes in 12 calls. Solved, thanks!" },
  } },
{ "Two-factor codes are rejected", REQUESTER, H(560), 0, F_NONE,
  "Every code from my authenticator app is rejected, so I can't sign in "
  "at all. I have a client presentation in an hour!",
  S_SOLVED, P_URGENT, AGENT, "login,2fa", {
  { AGENT, 10, 0, 0, F_NONE,
    "Hi Grace, the usual cause is a phone clock that is a minute or more "
    "off. Please check that your phone sets the time automatically "
    "(*Settings → General → Date & Time*) and try a fresh code." },
  { REQUESTER, 18, 0, 0, F_NONE,
    "The clock was set by hand and three minutes behind. Fixed it and "
    "I'm in. Phew, thanks!" },
  } },
{ "Feature request: recurring tasks", CHLOE, H(530), 0, F_NONE,
  "We have weekly checks (every Monday) that we create by hand. Could "
  "tasks repeat automatically?",
  S_OPEN, P_LOW, -1, "feature-request", {
  { AGENT, 300, 0, 0, F_NONE,
    "Thanks, Chloé, I've added your vote for recurring tasks. Until then, "
    "a task template and *Duplicate* save a few clicks. We'll write here "
    "when it's planned." },
  } },
{ "Seats on our invoice don't match our usage report", HANNAH, H(500), 0,
  F_USAGE_CSV,
  "Our latest invoice bills 11 seats, but our own usage report "
  "(attached) shows 9 people. Can you explain the difference?",
  S_SOLVED, P_NORMAL, AGENT2, "billing", {
  { AGENT2, 90, 0, 0, F_NONE,
    "Thanks for the CSV, Hannah. The two extra seats are Jonas Weber and "
    "Petra Lang: your report lists them as *invited*. Invited members "
    "count as seats from the day of the invitation until it is "
    "withdrawn. Shall I withdraw their invitations?" },
  { HANNAH, 200, 0, 0, F_NONE,
    "Ah, they start next month, so that's right. Please keep them." },
  { AGENT2, 210, 0, 0, F_NONE,
    "Then the invoice is correct. I'll mark this as solved." },
  } },
{ "Dashboard shows 502 Bad Gateway", REQUESTER2, H(470), 0, F_NONE,
  "Everyone in our team gets \"502 Bad Gateway\" on the dashboard, for "
  "about ten minutes now. Is there an outage?",
  S_CLOSED, P_URGENT, AGENT, "incident,outage", {
  { AGENT, 4, 0, 0, F_NONE,
    "Yes, Linus: we know and are working on it. Updates are on "
    "status.acme.example. Sorry for the trouble." },
  { ADMIN, 6, 1, 0, F_NONE,
    "I'm leading the incident (INC-112). So far: a database failover did "
    "not complete. Please tag every outage ticket *incident*." },
  { AGENT, 42, 0, 0, F_NONE,
    "Everything is back up. A database failover had not completed and we "
    "finished it by hand; the full report will be on the status page "
    "within two days." },
  { REQUESTER2, 50, 0, 0, F_NONE,
    "Working again here, thanks for the quick updates." },
  } },
{ "Is the app down? Projects won't load", SAMIRA, H(470) - 7, 0, F_NONE,
  "None of our projects load, the page just spins. Is it us or you?",
  S_CLOSED, P_URGENT, AGENT, "incident,outage", {
  { AGENT, 3, 0, 0, F_NONE,
    "Hi Samira, it's us: there's an outage and we're working on it. "
    "Updates are on status.acme.example, and I'll write here when it's "
    "fixed." },
  { AGENT, 38, 0, 0, F_NONE,
    "Fixed: projects load again. Sorry for the interruption!" },
  } },
{ "Data processing agreement for GDPR", HANNAH, H(440), 1, F_NONE,
  "Hello,\n\nour data protection officer asks for a signed data "
  "processing agreement (DPA) before we store customer data with you. "
  "Do you provide one?\n\nKind regards\nHannah\n\n-- \nHannah Schmidt\n"
  "Operations, Northwind Logistics\n+49 40 555 0142\n",
  S_SOLVED, P_NORMAL, ADMIN, "legal", {
  { ADMIN, 240, 0, 0, F_NONE,
    "Hi Hannah, yes: our DPA can be signed online under *Settings → "
    "Legal*, where the list of our subprocessors is linked too. If your "
    "data protection officer wants changes, send me their comments." },
  { HANNAH, 2900, 0, 1, F_NONE,
    "Signed, thank you. Our DPO is happy.\n\nHannah\n\n"
    "Maria Keller wrote:\n> Hi Hannah, yes: our DPA can be signed online "
    "under Settings > Legal,\n> where the list of our subprocessors is "
    "linked too.\n" },
  } },
{ "Gantt chart ends tasks a day early since the clock change", KENJI,
  H(410), 0, F_NONE,
  "Since the clocks changed, every task in the Gantt view ends one day "
  "early. The task itself shows the right date.",
  S_CLOSED, P_NORMAL, AGENT2, "bug", {
  { AGENT2, 80, 0, 0, F_NONE,
    "Thanks, Kenji, confirmed: the Gantt view converted dates through "
    "local time and lost an hour, which landed on the day before. A fix "
    "is out now; please reload the page." },
  { AGENT2, 85, 1, 0, F_NONE, "ENG-4490, hotfix deployed this afternoon." },
  { KENJI, 300, 0, 0, F_NONE, "Fixed here too, thanks." },
  } },
{ "Can we pay by bank transfer instead of card?", DIEGO, H(380), 0,
  F_NONE,
  "Our accountant prefers to pay invoices by bank transfer. Is that "
  "possible?",
  S_CLOSED, P_LOW, AGENT, "billing", {
  { AGENT, 60, 0, 0, F_NONE,
    "Hi Diego, yes, on annual plans: under *Billing → Payment method* "
    "choose **Invoice (bank transfer)**. Invoices then show our bank "
    "details and are due in 14 days." },
  { DIEGO, 150, 0, 0, F_NONE, "Switched, thanks." },
  } },
{ "Deleted a project by mistake", SAMIRA, H(350), 0, F_NONE,
  "I deleted the project \"Spring campaign\" by mistake a few minutes "
  "ago. Can it be restored? It has three months of work in it.",
  S_SOLVED, P_URGENT, AGENT2, "data-recovery", {
  { AGENT2, 12, 0, 0, F_NONE,
    "Don't worry, Samira: deleted projects stay in the trash for 30 days. "
    "Open *Settings → Trash*, select \"Spring campaign\" and choose "
    "*Restore*. Everything comes back, comments and files included." },
  { SAMIRA, 20, 0, 0, F_NONE, "Restored! You saved my week." },
  } },
{ "Timeline labels overlap when tasks start on the same day", CHLOE,
  H(320), 0, F_TIMELINE_PNG,
  "In the timeline view, the labels of two tasks that start on the same "
  "day are drawn on top of each other, so neither can be read. See the "
  "attached screenshot (Chrome 131, window 1280 px wide).",
  S_OPEN, P_NORMAL, AGENT2, "bug,ui", {
  { AGENT2, 180, 0, 0, F_NONE,
    "Thanks for the screenshot, Chloé: the two labels in the red box "
    "overlap, and I can reproduce it. I've passed it to the developers "
    "with your screenshot. Until it's fixed, zooming the timeline to "
    "*Week* separates them." },
  { AGENT2, 190, 1, 0, F_NONE,
    "ENG-4502. Design says the labels should stack; not scheduled yet." },
  } },
{ "Invoices need our purchase order number", REQUESTER2, H(290), 0,
  F_NONE,
  "Our purchasing department rejects invoices without a purchase order "
  "number. Ours is PO-77812. Can you add it to our invoices?",
  S_SOLVED, P_LOW, AGENT, "billing", {
  { AGENT, 70, 0, 0, F_NONE,
    "Sure, Linus: PO-77812 is now in your billing details, so it's on "
    "every invoice from now on. I've also issued the latest invoice again "
    "with it." },
  { REQUESTER2, 160, 0, 0, F_NONE,
    "Thank you, purchasing has accepted it." },
  } },
{ "Okta SSO: \"audience mismatch\" error", KENJI, H(260), 0, F_NONE,
  "We're setting up SAML single sign-on with Okta. After signing in at "
  "Okta we come back to Acme with \"SAML response invalid: audience "
  "mismatch\".",
  S_SOLVED, P_HIGH, AGENT2, "login,sso", {
  { AGENT2, 45, 0, 0, F_NONE,
    "Hi Kenji, the Audience URI in Okta must be exactly the *SP Entity "
    "ID* shown on your workspace's SSO page, "
    "`https://app.acme.example/saml/watanabe-labs`. A slash at the end "
    "is enough to cause this error." },
  { KENJI, 120, 0, 0, F_NONE,
    "There was a slash at the end indeed. Removed it, and SSO works." },
  { AGENT2, 130, 1, 0, F_NONE,
    "Suggested to the identity team that we ignore a trailing slash." },
  } },
{ "Trello import lost our checklists", DIEGO, H(230), 0, F_NONE,
  "I imported our Trello board. Cards and comments arrived, but the "
  "checklists on the cards are missing.",
  S_PENDING, P_NORMAL, AGENT, "bug,import", {
  { AGENT, 150, 0, 0, F_NONE,
    "Thanks, Diego. Checklists are imported as subtasks: open a task and "
    "look under *Subtasks*. Could you check one card that had a checklist "
    "and tell me whether its subtasks are there?" },
  } },
{ "How do I export all our data?", SAMIRA, H(200), 0, F_NONE,
  "Before our yearly review I'd like a copy of everything in our "
  "account. Is there a full export?",
  S_CLOSED, P_LOW, AGENT, "how-to,export", {
  { AGENT, 40, 0, 0, F_NONE,
    "Hi Samira: *Settings → Data → Export all* makes a ZIP with every "
    "project as CSV and JSON, and the attached files. You'll get an "
    "email with the download link when it's ready, usually within the "
    "hour." },
  { SAMIRA, 300, 0, 0, F_NONE, "Got the ZIP, thanks." },
  } },
{ "Your emails land in our spam folder", REQUESTER2, H(180), 1, F_NONE,
  "Hi,\n\nyour notification emails land in the spam folder for everyone "
  "at our company (we use Microsoft 365). Can you check?\n\nThanks,\n"
  "Linus\n",
  S_SOLVED, P_NORMAL, AGENT2, "notifications", {
  { AGENT2, 90, 0, 0, F_NONE,
    "Hi Linus, our mails pass SPF, DKIM and DMARC, so this is usually a "
    "rule in the tenant. Please ask your admin to add "
    "notifications@acme.example to the allowed senders in Microsoft 365 "
    "Defender (*Policies → Anti-spam*)." },
  { REQUESTER2, 1500, 0, 1, F_NONE,
    "Our admin added you; they arrive in the inbox now.\n\nLinus\n\n"
    "Priya Shah wrote:\n> Hi Linus, our mails pass SPF, DKIM and DMARC, "
    "so this is usually a\n> rule in the tenant.\n" },
  } },
{ "Upgrade from Team to Business plan", HANNAH, H(160), 0, F_NONE,
  "We'd like to move to the Business plan for the audit log. Do we pay "
  "the difference for the rest of the year, or start a new term?",
  S_SOLVED, P_NORMAL, AGENT, "billing,upgrade", {
  { AGENT, 50, 0, 0, F_NONE,
    "Hi Hannah, you pay only the difference for the months left; your "
    "renewal date stays the same. You can switch under *Billing → Plan*, "
    "or I can do it for you now." },
  { HANNAH, 90, 0, 0, F_NONE, "Please do it for us." },
  { AGENT, 100, 0, 0, F_NONE,
    "Done: you're on Business from today, and the invoice for the "
    "difference is under *Billing → Invoices*. The audit log is under "
    "*Settings → Audit log*." },
  } },
{ "Webhook deliveries stopped arriving", KENJI, H(140), 0, F_NONE,
  "Since yesterday our endpoint receives no webhooks, and our server "
  "logs show nothing arriving. Did your sending IP addresses change?",
  S_OPEN, P_HIGH, AGENT2, "api,webhooks", {
  { AGENT2, 60, 0, 0, F_NONE,
    "Hi Kenji, our sending addresses haven't changed. Our delivery log "
    "shows every attempt since yesterday evening timing out at your "
    "endpoint after 10 seconds. Could a firewall or proxy be holding the "
    "connection? The endpoint has to answer within 10 seconds." },
  { AGENT2, 65, 1, 0, F_WEBHOOK_LOG,
    "Delivery log attached: the connection opens, then no answer within "
    "10 s, every time since 18:00 yesterday. Looks like their side." },
  { KENJI, 300, 0, 0, F_NONE,
    "Our ops team is looking at the new proxy we put in yesterday. I'll "
    "report back." },
  } },
{ "Feature request: export the Gantt chart as PDF", CHLOE, H(120), 0,
  F_NONE,
  "We send our clients a plan every month. Could the Gantt chart be "
  "exported as a PDF?",
  S_OPEN, P_LOW, AGENT, "feature-request", {
  { AGENT, 90, 0, 0, F_NONE,
    "Thanks, Chloé. For now, the browser's *Print → Save as PDF* in "
    "landscape prints the visible part of the chart. I've logged your "
    "request for a proper PDF export." },
  } },
{ "Our guest can't open attached files", SAMIRA, H(100), 0, F_NONE,
  "Our guest (the designer) can see the tasks in the shared project, "
  "but not the files attached to them: she gets \"You do not have "
  "access\".",
  S_PENDING, P_NORMAL, AGENT, "permissions", {
  { AGENT, 80, 0, 0, F_NONE,
    "Hi Samira, files in the project's *Documents* folder follow that "
    "folder's own sharing. Open *Documents → Share* and add her there "
    "too. Does that fix it?" },
  } },
{ "Charged after cancelling our trial", REQUESTER, H(80), 0, F_NONE,
  "I cancelled our trial on day 12, but today our card was charged "
  "EUR 96 for the Team plan. Please refund it.",
  S_SOLVED, P_HIGH, AGENT2, "billing,refund", {
  { AGENT2, 30, 1, 0, F_NONE,
    "We have no cancellation on record: the trial was active until the "
    "charge. She may have cancelled in the mobile app, which has the "
    "cancel bug (ENG-4511). Maria, do we refund anyway?" },
  { ADMIN, 90, 1, 0, F_NONE,
    "Yes, refund in full: the mobile bug is ours." },
  { AGENT2, 100, 0, 0, F_NONE,
    "Hi Grace, I'm sorry: a bug in our mobile app did not pass your "
    "cancellation on. I've refunded the EUR 96 in full and ended the "
    "subscription; the refund shows on your statement within 5 to 10 "
    "business days." },
  } },
{ "Time tracking rounds to 15 minutes", KENJI, H(60), 0, F_NONE,
  "Our time entries are rounded to 15 minutes in reports, but we bill "
  "by the minute. Can rounding be switched off?",
  S_OPEN, P_NORMAL, AGENT, "time-tracking", {
  { AGENT, 120, 0, 0, F_NONE,
    "Hi Kenji, yes: *Settings → Time tracking → Rounding*, choose "
    "**None**. It applies to reports made from then on." },
  { KENJI, 240, 0, 0, F_NONE,
    "Found it. But older reports keep the rounding even when I make them "
    "again. Is that expected?" },
  } },
{ "Upload stops with \"File too large\"", HANNAH, H(48), 1, F_NONE,
  "Hi,\n\nwhen I attach a 25 MB PDF to a task, the upload reaches 100% "
  "and then says \"File too large\". Is there a limit?\n\nRegards,\n"
  "Hannah\n\n-- \nHannah Schmidt\nOperations, Northwind Logistics\n"
  "+49 40 555 0142\n",
  S_PENDING, P_NORMAL, AGENT2, "files", {
  { AGENT2, 200, 0, 0, F_NONE,
    "Hi Hannah, a file may be up to 10 MB on the Team plan and 100 MB on "
    "Business. Since your upgrade last week you should have the larger "
    "limit, but it's read when you sign in: could you sign out, sign in "
    "again and retry?" },
  } },
{ "Dashboard widgets are empty", REQUESTER2, H(30), 0, F_NONE,
  "Since this morning the *My tasks* and *Overdue* widgets on our "
  "dashboard are empty, although we have open tasks. Other views are "
  "fine.",
  S_OPEN, P_HIGH, AGENT2, "bug,dashboard", {
  { AGENT2, 40, 0, 0, F_NONE,
    "Thanks, Linus. Which browser do you use, and does it also happen in "
    "a private window?" },
  { REQUESTER2, 70, 0, 0, F_NONE,
    "Chrome 131. In a private window the widgets work." },
  { AGENT2, 80, 1, 0, F_NONE,
    "Probably an old dashboard layout in the browser's cache; development "
    "suggests clearing the site's data. If that isn't it, I'll escalate." },
  } },
{ "Spanish missing in the iOS app", DIEGO, H(20), 0, F_NONE,
  "The web app is all in Spanish, but the iOS app shows English menus, "
  "although my phone is set to Spanish.",
  S_NEW, P_LOW, -1, "mobile,translation", { { 0 } } },
{ "All invoices of last year as PDF for our auditor", SAMIRA, H(14), 0,
  F_NONE,
  "Our auditor needs all our invoices from last year as PDF files. Can I "
  "download them at once?",
  S_NEW, P_NORMAL, -1, "billing", { { 0 } } },
{ "Password reset email never arrives", CHLOE, H(8), 0, F_NONE,
  "I asked for a password reset three times in the last hour, but no "
  "email arrives (I checked the spam folder too).",
  S_PENDING, P_HIGH, AGENT, "login", {
  { AGENT, 25, 0, 0, F_NONE,
    "Hi Chloé, our mail log shows that your mail server refused the "
    "messages: \"mailbox full\". Could you free some space in your "
    "mailbox and ask for a new link?" },
  { AGENT, 30, 1, 0, F_NONE,
    "Mail log: `552 5.2.2 mailbox full`, three attempts." },
  } },
{ "Kanban cards can't be dragged on the iPad", SAMIRA, H(5), 0, F_NONE,
  "On the iPad (Safari, iPadOS 17) I can't drag cards between columns "
  "any more: the page scrolls instead.",
  S_NEW, P_NORMAL, -1, "bug,mobile", { { 0 } } },
{ "SSO for a second email domain", KENJI, H(3), 0, F_NONE,
  "We have bought a company whose people use @kobayashi-tech.example. "
  "Can they sign in through our existing Okta SSO too?",
  S_NEW, P_LOW, -1, "sso", { { 0 } } },
{ "All our projects are gone after switching workspaces", REQUESTER2,
  H(2), 0, F_NONE,
  "I switched workspaces and now all our projects are gone!",
  S_SOLVED, P_URGENT, AGENT2, "", {
  { AGENT2, 9, 0, 0, F_NONE,
    "Hi Linus, your projects are all there: the workspace switcher (top "
    "left) is on *Linus Berg* (your personal workspace). Switch back to "
    "*Berg & Co* and you'll see everything." },
  { REQUESTER2, 15, 0, 0, F_NONE,
    "Oh. Yes, there they are. Sorry for the alarm!" },
  } },
{ "Quote for 50 seats", DIEGO, H(1), 1, F_NONE,
  "Hello,\n\nour studio is growing and we'll need about 50 seats from "
  "next month. Could you send us a quote for the Business plan, billed "
  "yearly?\n\nThanks\nDiego\n\n-- \nDiego Ramírez\nRamírez Design "
  "Studio\n",
  S_NEW, P_NORMAL, -1, "sales", { { 0 } } },
{ "Automation rule posts to Slack twice", KENJI, 35, 0, F_NONE,
  "Our rule \"when the status changes to Done, post to #releases\" posts "
  "two messages in Slack every time.",
  S_NEW, P_NORMAL, -1, "", { { 0 } } },
};
