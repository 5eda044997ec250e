-- The daemon's answers over the milter protocol: accept, tag, reject,
-- quarantine; forged X-Kensa headers removed.
package.path = os.getenv("KENSA_LUA_PATH") .. "/?.lua;" .. package.path
local t = require("lib")

-- accept, with forged headers in mixed case removed
local conn = t.connect()
local h = t.plain_headers("hello")
table.insert(h, {"X-Kensa-Verdict", "accept"})
table.insert(h, {"x-kensa-verdict", "accept"})
table.insert(h, {"X-KENSA-SCORE", "-100"})
local reply = t.send(conn, "QACCEPT", h, "plain body\r\n")
t.expect(reply == SMFIR_CONTINUE or reply == SMFIR_ACCEPT, "clean mail accepted")
t.expect(mt.eom_check(conn, MT_HDRADD, "X-Kensa-Verdict", " accept"), "verdict header accept")
t.expect(mt.eom_check(conn, MT_HDRADD, "X-Kensa-Score", " 0"), "score header 0")
t.expect(mt.eom_check(conn, MT_HDRADD, "X-Kensa-Rules", " none"), "rules header none")
t.expect(mt.eom_check(conn, MT_HDRDELETE, "X-Kensa-Verdict"), "forged verdict header deleted")
t.expect(mt.eom_check(conn, MT_HDRDELETE, "X-Kensa-Score"), "forged score header deleted")
t.expect(not mt.eom_check(conn, MT_HDRDELETE, "X-Kensa-Rules"), "absent rules header not deleted")
t.expect(not mt.eom_check(conn, MT_QUARANTINE), "clean mail not quarantined")

-- tag: broken MIME structure, Subject prefixed; same connection, next message
h = t.plain_headers("broken")
table.insert(h, {"Content-Type", "multipart/mixed"})
reply = t.send(conn, "QTAG", h, "no boundary here\r\n")
t.expect(reply == SMFIR_CONTINUE or reply == SMFIR_ACCEPT, "tagged mail let through")
t.expect(mt.eom_check(conn, MT_HDRADD, "X-Kensa-Verdict", " tag"), "verdict header tag")
t.expect(mt.eom_check(conn, MT_HDRADD, "X-Kensa-Rules", " mime-malformed"), "rules header names the rule")
t.expect(mt.eom_check(conn, MT_HDRCHANGE, "Subject", " [SUSPICIOUS] broken"), "Subject prefixed")
mt.disconnect(conn)

-- reject: executable attachment, 550 5.7.1 with the policy's text
conn = t.connect()
h, body = t.attachment_message("invoice", "invoice.pdf", t.EXE_BASE64)
reply = t.send(conn, "QREJECT", h, body)
t.expect(reply == SMFIR_REPLYCODE, "executable refused with a reply code")
t.expect(mt.eom_check(conn, MT_SMTPREPLY, "550", "5.7.1", "Executable attachments are not accepted"),
	"reply is 550 5.7.1 with the rule's text")
t.expect(not mt.eom_check(conn, MT_HDRADD), "no headers added to a rejected mail")
mt.disconnect(conn)

-- quarantine: disk image name
conn = t.connect()
h, body = t.attachment_message("image", "disk.img", t.TEXT_BASE64)
reply = t.send(conn, "QHOLD", h, body)
t.expect(reply == SMFIR_CONTINUE or reply == SMFIR_ACCEPT, "quarantined mail accepted for hold")
t.expect(mt.eom_check(conn, MT_QUARANTINE), "quarantine requested")
t.expect(mt.eom_check(conn, MT_HDRADD, "X-Kensa-Verdict", " quarantine"), "verdict header quarantine")
mt.disconnect(conn)
