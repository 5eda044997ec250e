#!/bin/bash
# kensa replay: a directory of messages (some with envelope sidecars)
# decided under a baseline and a draft policy; the changed messages, the
# transitions and the rule hits are checked exactly.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"

M="$WORK/mail"
mkdir -p "$M"
msg() { # msg FILE SUBJECT [ATTACHMENT-NAME]
	{
		printf 'From: a@partner.example\r\nTo: b@corp.example\r\n'
		printf 'Subject: %s\r\nMIME-Version: 1.0\r\n' "$2"
		if [ -n "${3:-}" ]; then
			printf 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
			printf -- '--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n'
			printf -- '--b\r\nContent-Type: application/octet-stream; name="%s"\r\n' "$3"
			printf 'Content-Disposition: attachment; filename="%s"\r\n\r\n' "$3"
			printf 'some bytes\r\n--b--\r\n'
		else
			printf 'Content-Type: text/plain\r\n\r\nhello\r\n'
		fi
	} >"$M/$1"
}
msg 1-plain.eml "lunch"
msg 2-invoice.eml "Invoice 4711" invoice.zip
msg 3-image.eml "disk" disk.img
msg 4-invoice-partner.eml "Invoice 4712" invoice.zip
printf '{"sender":"a@partner.example","recipients":["b@corp.example"],"client_addr":"192.0.2.5","helo":"mx.partner.example"}' \
	>"$M/4-invoice-partner.json"

cat >"$WORK/old.yaml" <<'YAML'
version: 1
thresholds: {tag: 5, quarantine: 15}
rules:
  - {name: image, when: {attachment_name: '*.img'}, action: quarantine}
YAML
cat >"$WORK/new.yaml" <<'YAML'
version: 1
thresholds: {tag: 5, quarantine: 15}
rules:
  - {name: image, when: {attachment_name: '*.img'}, action: quarantine}
  - {name: invoice-zip, when: {all: [{subject: {regex: '(?i)invoice'}},
                                     {attachment_name: '*.zip'}]}, score: 15}
  - {name: partner, when: {client: 192.0.2.0/24}, score: -15}
YAML

"$KENSA" replay --baseline "$WORK/old.yaml" --policy "$WORK/new.yaml" --json "$M" >"$WORK/replay.json"
check "replay exits 0" test $? = 0
check "changes, unevaluated rules and summary exactly" python3 - "$WORK/replay.json" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
summary = lines[-1]["summary"]
changed = {l["file"].rsplit("/", 1)[1]: l for l in lines[:-1]}
assert set(changed) == {"2-invoice.eml", "4-invoice-partner.eml"}, changed
two = changed["2-invoice.eml"]
assert two["before"] == {"verdict": "accept", "score": 0, "rules": []}
assert two["after"] == {"verdict": "quarantine", "score": 15, "rules": ["invoice-zip"]}
assert two["unevaluated"] == ["partner"]        # no envelope beside it
four = changed["4-invoice-partner.eml"]
assert four["after"] == {"verdict": "accept", "score": 0, "rules": ["invoice-zip", "partner"]}
assert "unevaluated" not in four               # its sidecar was read
assert summary["messages"] == 4 and summary["changed"] == 2, summary
assert summary["transitions"] == {"accept->quarantine": 1}, summary
assert summary["rule_hits"] == {"image": [1, 1], "invoice-zip": [0, 2], "partner": [0, 1]}, summary
PY
"$KENSA" replay --baseline "$WORK/old.yaml" --policy "$WORK/new.yaml" "$M" >"$WORK/replay.txt"
check "readable table" grep -q '2-invoice.eml: accept -> quarantine (score 0 -> 15)' "$WORK/replay.txt"
check "readable summary" grep -q '^4 messages, 2 changed$' "$WORK/replay.txt"
"$KENSA" policy explain --policy "$WORK/new.yaml" "$M/4-invoice-partner.eml" >"$WORK/explain.txt"
check "explain: envelope read from the sidecar" grep -q '^envelope: from the file beside it' "$WORK/explain.txt"
check "explain: matched rule with its score" grep -q '^rule  partner .*matched: score -15' "$WORK/explain.txt"
check "explain: failed condition named" grep -q '^rule  image .*not matched: attachment_name: did not match' "$WORK/explain.txt"
check "explain: verdict" grep -q '^score 0, verdict accept' "$WORK/explain.txt"
"$KENSA" policy explain --policy "$WORK/new.yaml" "$M/2-invoice.eml" >"$WORK/explain2.txt"
check "explain: envelope conditions fail without one" grep -q 'partner .*not matched: client: no envelope' "$WORK/explain2.txt"
# Jobs split the walk; the output is the same as one process's, in order.
for j in 1 3; do
	"$KENSA" replay --jobs $j --baseline "$WORK/old.yaml" --policy "$WORK/new.yaml" \
		--json "$M" "$TESTDATA/mail" "$WORK/missing" >"$WORK/jobs$j.json" 2>"$WORK/jobs$j.err"
	echo $? >"$WORK/jobs$j.rc"
done
check "jobs: a missing path is exit 2" test "$(cat "$WORK/jobs3.rc")" = 2
check "jobs: the missing path is reported once" \
	test "$(grep -c missing "$WORK/jobs3.err")" = 1
check "jobs: same changes in the same order, same summary" python3 - "$WORK/jobs1.json" "$WORK/jobs3.json" <<'PY'
import json, sys
one, three = ([json.loads(l) for l in open(f)] for f in sys.argv[1:3])
assert len(one) == 3, one  # two changes, in jobs 1 and 0 of 3, and the summary
assert one == three, (one, three)
assert one[-1]["summary"]["messages"] > 10, one[-1]
PY
"$KENSA" replay --jobs 0 --policy "$WORK/new.yaml" "$M" 2>/dev/null
check "jobs: 0 is a usage error" test $? = 2
"$KENSA" replay --policy "$WORK/nope.yaml" "$M" 2>/dev/null
check "missing policy is a usage error" test $? = 2

# direction from the sidecar (as the quarantine store records it), or
# classified from the envelope; the thread ledger with --ledger
D="$WORK/dir"
mkdir -p "$D"
cp "$M/1-plain.eml" "$D/out-said.eml"
printf '{"envelope":{"sender":"a@corp.example","recipients":["x@partner.example"]},"client":{"addr":"192.0.2.9"},"direction":"outbound"}' >"$D/out-said.json"
cp "$M/1-plain.eml" "$D/out-auth.eml"
printf '{"sender":"a@corp.example","recipients":["x@partner.example"],"client_addr":"192.0.2.9","auth":"alice"}' >"$D/out-auth.json"
cp "$M/1-plain.eml" "$D/in.eml"
printf '{"sender":"a@partner.example","recipients":["b@corp.example"],"client_addr":"192.0.2.9"}' >"$D/in.json"
printf 'version: 1\nrules: []\n' >"$WORK/none.yaml"
cat >"$WORK/dir.yaml" <<'YAML'
version: 1
thresholds: {tag: 5, quarantine: 15}
rules:
  - {name: outbound, when: {direction: outbound}, score: 1}
  - {name: ledger, when: {finding: 'thread.ledger_*'}, score: 1}
YAML
"$KENSA" replay --jobs 1 --config /dev/null --baseline "$WORK/none.yaml" \
	--policy "$WORK/dir.yaml" --json "$D" >"$WORK/dir.json"
check "direction: the two outbound messages hit the rule, the inbound one not" \
	test "$(grep -c '"rules":\["outbound"\]' "$WORK/dir.json")" = 2
check "direction: the inbound one is unchanged" sh -c "! grep -q 'in.eml' '$WORK/dir.json'"
printf 'state_dir: %s\n' "$WORK/state" >"$WORK/k.yaml"
mkdir -p "$WORK/state"
"$KENSA" ledger --config "$WORK/k.yaml" --ledger "$WORK/ledger" record \
	"$abs_top_srcdir/t/data/ledger/sent" >/dev/null
"$KENSA" replay --jobs 1 --config "$WORK/k.yaml" --ledger "$WORK/ledger" \
	--baseline "$WORK/none.yaml" --policy "$WORK/dir.yaml" --json \
	"$abs_top_srcdir/t/data/ledger/reply_hijacked.eml" >"$WORK/ledger.json"
check "--ledger: the hijacked reply hits the ledger rule" \
	grep -q '"after":{"verdict":"accept","score":1,"rules":\["ledger"\]}' "$WORK/ledger.json"
finish
