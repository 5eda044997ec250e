#!/bin/bash
# YARA: a site's rule files named in the policy are compiled at load
# (a syntax error refuses the policy with its file and line), matched on
# every part by `kensa scan` and by the daemon's workers (which pick up
# changed rule files after a reload), as findings yara.RULE.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"

cat >"$WORK/lure.yar" <<'YAR'
rule Invoice_Lure
{
  meta:
    description = "invoice lure text"
  strings:
    $a = "see attached invoice" nocase
  condition:
    $a
}
YAR
cat >"$WORK/policy.yaml" <<'YAML'
version: 1
yara: [lure.yar]
rules:
  - {name: yara-hit, when: {finding: 'yara.*'}, action: quarantine}
  - {name: yara-lure, when: {finding: {id: yara.Invoice_Lure, detail: '*lure*'}}, score: 1}
YAML
cat >"$WORK/lure.eml" <<'EML'
From: a@example.org
Subject: payment
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

Hello, please SEE ATTACHED INVOICE.
--b--
EML
"$KENSA" scan --json --policy "$WORK/policy.yaml" "$WORK/lure.eml" >"$WORK/scan.json"
check "kensa scan: YARA finding with the rule's description" \
	grep -q '"id":"yara.Invoice_Lure","part":\["1"\],"detail":"invoice lure text"' "$WORK/scan.json"
check "kensa scan: rules on it" grep -q '"rules":\["yara-hit","yara-lure"\]' "$WORK/scan.json"

printf 'rule Broken { condition: $nope }\n' >"$WORK/broken.yar"
sed 's/\[lure.yar\]/[lure.yar, broken.yar]/' "$WORK/policy.yaml" >"$WORK/broken.yaml"
"$KENSA" policy check "$WORK/broken.yaml" 2>"$WORK/broken.err"
check "a YARA syntax error refuses the policy" test $? != 0
check "with the rule file and line" grep -q 'broken.yaml:2:7: YARA: .*broken.yar:1: undefined string' "$WORK/broken.err"

printf 'version: 1\nrules: []\n' >"$WORK/empty.yaml"
"$KENSA" replay --json --baseline "$WORK/empty.yaml" --policy "$WORK/policy.yaml" "$WORK/lure.eml" >"$WORK/replay.json"
check "replay: the draft's YARA rules are applied to it" \
	grep -q '"after":{"verdict":"quarantine","score":1,"rules":\["yara-hit","yara-lure"\]}' "$WORK/replay.json"

TEST_POLICY="$WORK/policy.yaml" kensa_start_milter || exit 1
cat >"$WORK/yara.lua" <<'LUA'
package.path = os.getenv("KENSA_LUA_PATH") .. "/?.lua;" .. package.path
local t = require("lib")
local conn = t.connect()
local h = t.plain_headers(os.getenv("SUBJ"))
local reply = t.send(conn, os.getenv("QID"), h, os.getenv("BODY") .. "\r\n")
if mt.eom_check(conn, MT_QUARANTINE) then print("quarantined") end
mt.disconnect(conn)
LUA
send() { (export QID="$1" SUBJ="$2" BODY="$3"; run_lua "$WORK/yara.lua"); }
send QY1 "lure" "please see attached invoice" >"$WORK/y1.out"
check "daemon: the worker matches the site's rules" grep -qx quarantined "$WORK/y1.out"
send QY2 "other" "the wire transfer is ready" >"$WORK/y2.out"
check "daemon: other mail is not matched" sh -c "! grep -qx quarantined '$WORK/y2.out'"
cat >>"$WORK/lure.yar" <<'YAR'
rule Wire_Lure { strings: $a = "wire transfer" condition: $a }
YAR
kill -USR1 "$MILTER_PID"
check "reloaded" wait_for 'SIGUSR1: reloading' "$WORK/milter.log"
sleep 0.3
send QY3 "other" "the wire transfer is ready" >"$WORK/y3.out"
check "daemon: a changed rule file applies after the reload" grep -qx quarantined "$WORK/y3.out"
check "logged" grep -q 'QY3: verdict=quarantine .*rules=yara-hit' "$WORK/milter.log"
finish
