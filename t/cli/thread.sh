#!/bin/bash
# kensa scan on hijacked and genuine replies (t/data/thread): the thread
# findings each must give or must not give, and the default policy's
# verdicts: thread findings alone tag, with an archive, a macro, a program
# or a download link they quarantine.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"

DATA="$abs_top_srcdir/t/data/thread"
"$KENSA" scan --policy "$POLICY" --json "$DATA" >"$WORK/thread.json" 2>"$WORK/thread.err"
check "scan of the thread fixtures exits 0 or 1" test $? -le 1
check "no error output" test ! -s "$WORK/thread.err"

# file: verdict, then the thread.* findings, exactly
check "thread findings and verdicts as expected" \
	python3 - "$WORK/thread.json" <<'PY'
import json, sys
want = {
    "ja-hijack-zip.eml": ("quarantine", {"thread.sender_not_in_thread"}),
    "ja-hijack-qp.eml": ("tag", {"thread.fake_reply",
                                 "thread.display_name_address",
                                 "thread.sender_not_in_thread"}),
    "en-hijack.eml": ("tag", {"thread.sender_not_in_thread"}),
    "de-hijack.eml": ("tag", {"thread.sender_not_in_thread"}),
    "fr-hijack.eml": ("tag", {"thread.sender_not_in_thread"}),
    "en-genuine.eml": ("accept", set()),
    "en-genuine-zip.eml": ("tag", set()),
    "en-genuine-gmail.eml": ("accept", set()),
    "en-forward.eml": ("accept", set()),
    "en-forward-list.eml": ("accept", set()),
    "en-list-reply.eml": ("accept", set()),
    "ja-genuine-names.eml": ("accept", set()),
    "ja-genuine-gmail.eml": ("accept", set()),
    "de-genuine-domain.eml": ("accept", set()),
    "newsletter.eml": ("accept", set()),
    "ja-first-contact.eml": ("accept", set()),
}
seen = set()
bad = 0
for line in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(line)
    name = o["file"].rsplit("/", 1)[-1]
    seen.add(name)
    thread = {f["id"] for f in o["findings"] if f["id"].startswith("thread.")}
    verdict, ids = want[name]
    if o["verdict"] != verdict or thread != ids:
        print(f"{name}: {o['verdict']} {sorted(thread)}, expected {verdict} {sorted(ids)}")
        bad += 1
missing = set(want) - seen
if missing:
    print("not scanned:", missing)
    bad += 1
sys.exit(1 if bad else 0)
PY

detail() { # detail FILE FINDING: its detail
	"$KENSA" scan --policy "$POLICY" --json "$DATA/$1" |
		python3 -c 'import json,sys; print([f["detail"] for f in json.load(sys.stdin)["findings"] if f["id"] == sys.argv[1]][0])' "$2"
}
check "sender_not_in_thread names the sender's domain and the thread's" \
	test "$(detail ja-hijack-zip.eml thread.sender_not_in_thread)" = \
	"sender hacked-shop.example; quoted 3 participants of example.co.jp, partner.co.jp"
check "display_name_address shows the address of the display name" \
	test "$(detail ja-hijack-qp.eml thread.display_name_address)" = \
	"display name shows yamada@partner.co.jp"
check "the hijacked reply with a password ZIP is quarantined by the thread rule" \
	sh -c "'$KENSA' scan --policy '$POLICY' '$DATA/ja-hijack-zip.eml' | grep -q 'rules=.*hijacked-thread-payload'"
check "the same ZIP in a genuine reply only tags" \
	sh -c "'$KENSA' scan --policy '$POLICY' '$DATA/en-genuine-zip.eml' | grep -q ': tag score=10 rules=archive-decrypted findings'"
check "Japanese subject of the hijacked reply decoded" \
	sh -c "'$KENSA' scan --policy '$POLICY' --json '$DATA/ja-hijack-zip.eml' | grep -q 'RE: お見積りの件'"

# a reply subject alone, no quote: fake_reply, tag
cat >"$WORK/fake.eml" <<'EML'
From: Billing <billing@invoices.example>
To: someone@example.com
Subject: RE: Ｒｅ[2]: your invoice
Message-ID: <fake@invoices.example>

see the link
EML
"$KENSA" scan --policy "$POLICY" "$WORK/fake.eml" >"$WORK/fake.out"
check "reply subject without In-Reply-To: fake_reply, tagged" \
	grep -q 'fake.eml: tag score=5 rules=thread-anomaly findings=thread.fake_reply' "$WORK/fake.out"
sed -i 's/^Message-ID: .*/&\nIn-Reply-To: <orig@example.com>/' "$WORK/fake.eml"
"$KENSA" scan --policy "$POLICY" "$WORK/fake.eml" >"$WORK/real.out"
check "with In-Reply-To: no finding" grep -q 'fake.eml: accept score=0' "$WORK/real.out"
# raw ISO-2022-JP in the Subject ("ＲＥ：test", unencoded, as some Japanese
# mailers send it) is decoded before matching
printf 'From: a@b.example\r\nTo: c@d.example\r\nSubject: \033$B#R#E!\047\033(B test\r\nMessage-ID: <r@b.example>\r\n\r\nhi\r\n' >"$WORK/rawjis.eml"
check "raw ISO-2022-JP reply subject: fake_reply" \
	sh -c "'$KENSA' scan --policy '$POLICY' '$WORK/rawjis.eml' | grep -q 'findings=thread.fake_reply'"
finish
