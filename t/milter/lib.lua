-- t/milter/lib.lua: helpers for kensa's miltertest scripts.
-- The socket comes from $KENSA_SOCKET; t/milter/*.sh start the daemon.
-- kensa negotiates SMFIP_HDR_LEADSPC, so the header values it adds or
-- changes carry their leading space: expect " accept", not "accept".

local M = {}

function M.die(msg)
	io.stderr:write("FAIL: " .. msg .. "\n")
	os.exit(1)
end

function M.expect(cond, msg)
	if not cond then M.die(msg) end
	print("ok: " .. msg)
end

function M.connect()
	local conn = mt.connect(os.getenv("KENSA_SOCKET"), 20, 0.25)
	if conn == nil then M.die("cannot connect to " .. os.getenv("KENSA_SOCKET")) end
	if mt.conninfo(conn, "client.example", "192.0.2.10") ~= nil then
		M.die("conninfo")
	end
	if mt.getreply(conn) ~= SMFIR_CONTINUE then M.die("conninfo reply") end
	if mt.helo(conn, "client.example") ~= nil then M.die("helo") end
	return conn
end

-- Sends one message up to (not including) end of message.
-- headers: list of {name, value}; body: string with CRLF line ends.
function M.send_until_eom(conn, qid, headers, body)
	mt.macro(conn, SMFIC_MAIL, "i", qid, "{auth_authen}", "")
	if mt.mailfrom(conn, "<sender@example.org>") ~= nil then M.die("mailfrom") end
	if mt.rcptto(conn, "<rcpt@example.net>") ~= nil then M.die("rcptto") end
	for _, h in ipairs(headers) do
		if mt.header(conn, h[1], h[2]) ~= nil then M.die("header " .. h[1]) end
	end
	if mt.eoh(conn) ~= nil then M.die("eoh") end
	-- in chunks of at most 65535 bytes, as an MTA sends them
	for i = 1, #body, 65535 do
		if mt.bodystring(conn, body:sub(i, i + 65534)) ~= nil then M.die("body") end
	end
end

function M.send(conn, qid, headers, body)
	M.send_until_eom(conn, qid, headers, body)
	if mt.eom(conn) ~= nil then M.die("eom") end
	return mt.getreply(conn)
end

function M.plain_headers(subject)
	return {
		{"From", "Sender <sender@example.org>"},
		{"To", "rcpt@example.net"},
		{"Subject", subject},
		{"Message-ID", "<test-" .. subject:gsub("%W", "") .. "@example.org>"},
		{"MIME-Version", "1.0"},
	}
end

-- A multipart message with one attachment; content is base64 already.
function M.attachment_message(subject, filename, base64)
	local h = M.plain_headers(subject)
	table.insert(h, {"Content-Type", "multipart/mixed; boundary=\"b1\""})
	local body = "--b1\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n" ..
		"--b1\r\nContent-Type: application/octet-stream; name=\"" .. filename ..
		"\"\r\nContent-Disposition: attachment; filename=\"" .. filename ..
		"\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" .. base64 ..
		"\r\n--b1--\r\n"
	return h, body
end

-- "MZ" and 62 zero bytes: a DOS/PE header, base64.
M.EXE_BASE64 = "TVoAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="
M.TEXT_BASE64 = "aGVsbG8gd29ybGQK"

return M
