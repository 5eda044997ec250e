# t/archive/lib.sh - helpers for the archive and attachment shell tests
# (sourced after t/lib.sh): build a message around a file, scan it with
# `kensa scan --json`, ask the JSON line for findings and parts.

# mkeml OUT SUBJECT BODY ATTACHMENT [NAME]: a message with the body as
# UTF-8 text/plain (or text/html when BODY starts with <) and the file as
# a base64 attachment (application/zip for a .zip name, else
# application/octet-stream).
mkeml() {
	python3 - "$@" <<'PY'
import sys, os, email.message, email.policy
out, subject, body, path = sys.argv[1:5]
name = sys.argv[5] if len(sys.argv) > 5 else os.path.basename(path)
m = email.message.EmailMessage(policy=email.policy.SMTP)
m["From"] = "a@example.org"
m["To"] = "b@example.net"
m["Subject"] = subject
m.set_content(body, subtype="html" if body.startswith("<") else "plain")
with open(path, "rb") as f:
    m.add_attachment(f.read(), maintype="application",
                     subtype="zip" if name.endswith(".zip") else "octet-stream",
                     filename=name)
open(out, "wb").write(m.as_bytes())
PY
}

# scan EML [kensa scan options]: the JSON line in $WORK/out.json
scan() {
	eml=$1
	shift
	"$KENSA" scan --policy "$POLICY" --json "$@" "$eml" >"$WORK/out.json"
}

# has ID [DETAIL-SUBSTRING [PATH-JSON]]: the last scan has such a finding
has() {
	python3 - "$WORK/out.json" "$@" <<'PY'
import json, sys
o = json.load(open(sys.argv[1], encoding="utf-8"))
fid = sys.argv[2]
sub = sys.argv[3] if len(sys.argv) > 3 else ""
path = json.loads(sys.argv[4]) if len(sys.argv) > 4 else None
for f in o["findings"]:
    if f["id"] == fid and sub in f["detail"] and (path is None or f["part"] == path):
        sys.exit(0)
print("findings:", json.dumps(o["findings"], ensure_ascii=False), file=sys.stderr)
sys.exit(1)
PY
}

hasnt() { ! has "$@" 2>/dev/null; }

# part PATH-JSON [TYPE]: the last scan lists that part (of that type)
part() {
	python3 - "$WORK/out.json" "$@" <<'PY'
import json, sys
o = json.load(open(sys.argv[1], encoding="utf-8"))
path = json.loads(sys.argv[2])
for p in o["parts"]:
    if p["path"] == path and (len(sys.argv) < 4 or p["type"] == sys.argv[3]):
        sys.exit(0)
print("parts:", json.dumps([(p["path"], p["type"]) for p in o["parts"]],
                           ensure_ascii=False), file=sys.stderr)
sys.exit(1)
PY
}

verdict() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$WORK/out.json"
}


# scan_file FILE NAME: one attachment NAME made of FILE, scanned
scan_file() {
	mkeml "$WORK/m.eml" "files" "see attached" "$1" "$2"
	scan "$WORK/m.eml"
}

# make_samples DIR: a program (invoice.exe, helper.dll), a shortcut
# (invoice.lnk) and a note (note.txt), small and harmless
make_samples() {
	mkdir -p "$1"
	printf 'MZ\220\0' >"$1/invoice.exe"
	head -c 200 /dev/zero >>"$1/invoice.exe"
	cp "$1/invoice.exe" "$1/helper.dll"
	printf 'L\0\0\0\1\24\2\0\0\0\0\0\300\0\0\0\0\0\0\106' >"$1/invoice.lnk"
	head -c 100 /dev/zero >>"$1/invoice.lnk"
	printf 'just a note\n' >"$1/note.txt"
}
