#!/bin/bash
# kensa scan: one well-formed JSON line per message for every mail in the
# shared test data; exit status 0/1/2; stdin, directories and mbox files;
# kensa policy check.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"

MAIL="$TESTDATA/mail"
check "test data present" test -d "$MAIL"

"$KENSA" scan --policy "$POLICY" --json "$MAIL" >"$WORK/all.json" 2>"$WORK/all.err"
rc=$?
check "scan of the whole mail set exits 0 or 1" test "$rc" -le 1
check "no error output" test ! -s "$WORK/all.err"
messages=$(find "$MAIL" -type f -name '*.eml' | wc -l)
check "one line per message ($messages files)" test "$(wc -l <"$WORK/all.json")" -ge "$messages"
check "every line is one well-formed JSON object with the contract's fields" \
	python3 - "$WORK/all.json" <<'PY'
import json, sys
need = {"v", "file", "message_id", "verdict", "score", "mode", "policy_digest",
        "rules", "monitor_rules", "findings", "parts", "urls", "elapsed_ms"}
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    obj = json.loads(line)
    missing = need - obj.keys()
    assert not missing, (n, missing)
    assert obj["v"] == 1 and obj["verdict"] in ("accept", "tag", "quarantine", "reject")
    assert obj["policy_digest"].startswith("sha256:")
    for f in obj["findings"]:
        assert set(f) == {"id", "part", "detail"} and isinstance(f["part"], list)
    for p in obj["parts"]:
        assert len(p["sha256"]) == 64 and isinstance(p["path"], list)
PY

check "Japanese subject decoded in JSON" \
	sh -c "'$KENSA' scan --policy '$POLICY' --json '$MAIL/japanese/japanese_iso_2022.eml' | grep -q 'まみむめも'"

# exit status: 1 when something is rejected or quarantined
cat >"$WORK/exe.eml" <<'EML'
From: a@example.org
To: b@example.net
Subject: invoice
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

see attached
--b
Content-Type: application/octet-stream; name="invoice.pdf"
Content-Disposition: attachment; filename="invoice.pdf"
Content-Transfer-Encoding: base64

TVoAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==
--b--
EML
"$KENSA" scan --policy "$POLICY" "$WORK/exe.eml" >"$WORK/exe.out"
check "reject exits 1" test $? = 1
check "human line names verdict, rule and finding" \
	grep -q 'exe.eml: reject score=0 rules=executable findings=attachment.executable' "$WORK/exe.out"
"$KENSA" scan --policy "$POLICY" - <"$WORK/exe.eml" >"$WORK/stdin.out"
check "stdin is scanned as '-'" grep -q '^-: reject' "$WORK/stdin.out"
"$KENSA" scan --policy "$POLICY" "$MAIL/japanese/japanese.eml" >/dev/null
check "accept exits 0" test $? = 0
"$KENSA" scan --policy "$POLICY" "$WORK/missing.eml" 2>/dev/null
check "missing file exits 2" test $? = 2
"$KENSA" scan 2>/dev/null
check "usage error exits 2" test $? = 2

# an mbox is split into its messages
{ printf 'From a@example.org Mon Jan  1 00:00:00 2024\n'; cat "$MAIL/japanese/japanese.eml";
  printf '\n\nFrom b@example.org Mon Jan  1 00:00:00 2024\n'; cat "$WORK/exe.eml"; } >"$WORK/box.mbox"
"$KENSA" scan --policy "$POLICY" "$WORK/box.mbox" >"$WORK/mbox.out"
check "mbox: two messages" test "$(wc -l <"$WORK/mbox.out")" = 2
check "mbox: second message rejected" grep -q 'box.mbox:2: reject' "$WORK/mbox.out"

# policy check
check "default policy checks" "$KENSA" policy check "$POLICY"
printf 'version: 1\nrules:\n  - name: a\n    when: {finding: x}\n    action: explode\n' >"$WORK/bad.yaml"
"$KENSA" policy check "$WORK/bad.yaml" 2>"$WORK/bad.err"
check "broken policy exits non-zero" test $? != 0
check "error names file:line:column and what was expected" \
	grep -q 'bad.yaml:5:13: expected an action: tag, quarantine or reject' "$WORK/bad.err"

printf 'version: 1\nrules:\n  - {name: a, when: {finding: office.vba.autoexc}, score: 1}\n' >"$WORK/typo.yaml"
"$KENSA" policy check "$WORK/typo.yaml" >"$WORK/typo.out" 2>"$WORK/typo.err"
check "a misspelt finding id is only a warning" test $? = 0
check "warning suggests the nearest id" \
	grep -q "finding 'office.vba.autoexc' matches no known finding id (did you mean 'office.vba.autoexec'?)" "$WORK/typo.err"

cat >"$WORK/never.yaml" <<'EOF'
version: 1
lists:
  partners: {type: domain, items: []}
rules:
  - {name: big, when: {size: {min: 100, max: 10}}, score: 1}
  - {name: typo, when: {all: [{finding: office.vba.autoexc}, {type: "*"}]}, score: 1}
  - {name: partner, when: {sender_domain: {list: partners}}, score: 1}
  - {name: ok, when: {any: [{finding: office.vba.autoexc}, {finding: office.vba.autoexec}]}, score: 1}
  - {name: both, when: {all: [{direction: inbound}, {direction: outbound}]}, score: 1}
  - {name: outthread, when: {all: [{direction: outbound}, {finding: 'thread.*'}]}, score: 1}
  - {name: inthread, when: {all: [{direction: inbound}, {finding: 'thread.*'}]}, score: 1}
allow:
  - {name: nobody, rules: [nosuch*], when: {sender_domain: example.org}}
EOF
"$KENSA" policy check "$WORK/never.yaml" >/dev/null 2>"$WORK/never.err"
check "rules that can never fire are only warnings" test $? = 0
check "size range that cannot hold" \
	grep -q "rule 'big' can never fire: size: min 100 is above max 10" "$WORK/never.err"
check "all: with a dead finding" \
	grep -q "rule 'typo' can never fire: finding: no known finding id matches" "$WORK/never.err"
check "condition on an empty list" \
	grep -q "rule 'partner' can never fire: sender_domain: its list has no entries" "$WORK/never.err"
check "any: with one live branch can fire" sh -c "! grep -q \"rule 'ok' can never fire\" '$WORK/never.err'"
check "all: with a direction both ways" \
	grep -q "rule 'both' can never fire: all: asks for direction both ways" "$WORK/never.err"
check "all: thread findings on outbound mail" \
	grep -q "rule 'outthread' can never fire: all: thread findings on outbound mail" "$WORK/never.err"
check "thread findings on inbound mail can fire" sh -c "! grep -q \"rule 'inthread'\" '$WORK/never.err'"
check "allow naming no rule" \
	grep -q "allow 'nobody' names no rule of this policy" "$WORK/never.err"
"$KENSA" policy check "$POLICY" >/dev/null 2>"$WORK/shipped.err"
check "the shipped policy draws no warnings" test ! -s "$WORK/shipped.err"

# kensa-milter -t checks configuration and policy
check "kensa-milter -t accepts the shipped configuration" \
	"$KENSA_MILTER" -c "$CONFIG" -t -o user= -o group= -o socket_group= -o "policy=$POLICY"
"$KENSA_MILTER" -c "$CONFIG" -t -o user= -o group= -o socket_group= -o "policy=$WORK/bad.yaml" 2>"$WORK/t.err"
check "kensa-milter -t refuses a broken policy" test $? != 0
check "kensa-milter -t prints the error" grep -q 'bad.yaml:5:13' "$WORK/t.err"
"$KENSA_MILTER" -c "$CONFIG" -t -o nosuchkey=1 2>"$WORK/t2.err"
check "unknown -o key refused" grep -q "unknown key 'nosuchkey'" "$WORK/t2.err"
finish
