#!/bin/bash
# ZIP archives end to end through `kensa scan --json`, on fixtures built
# here with Info-ZIP (zip -P) and 7-Zip (-mem=AES256): passwords given by
# the message in Japanese and other forms, AES, CP932 member names, three
# levels of nesting, the depth and entries limits, a member expanding to
# 1 GB, SpamAssassin's zippwmacro.eml.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"
. "$abs_top_srcdir/t/archive/lib.sh"

SRC="$WORK/src"
make_samples "$SRC"

# ---- SpamAssassin: the body says "Password: sa" ----
scan "$TESTDATA/mail/spamassassin/zippwmacro.eml"
check "zippwmacro: archive.encrypted" has archive.encrypted ZipCrypto '["2"]'
check "zippwmacro: archive.decrypted, password from the body" \
	has archive.decrypted "body line 1, after Password" '["2"]'
check "zippwmacro: macro.xlsm scanned as OOXML" \
	part '["2","macro.xlsm"]' application/vnd.openxmlformats-officedocument
check "zippwmacro: the macro inside the protected zip is found" \
	has office.vba.present "" '["2","macro.xlsm","xl/vbaProject.bin"]'

# ---- passwords written the Japanese way, and others ----
(cd "$SRC" && zip -q -P 'abc123' "$WORK/pw.zip" invoice.exe)
n=0
while IFS= read -r body; do
	n=$((n + 1))
	mkeml "$WORK/jp$n.eml" "請求書の送付" "$(printf '%b' "$body")" "$WORK/pw.zip" "請求書.zip"
	scan "$WORK/jp$n.eml"
	check "password form $n decrypts" has archive.decrypted "after"
	check "password form $n: the executable inside is found" \
		has attachment.executable pe '["2","invoice.exe"]'
	check "password form $n: rejected" test "$(verdict)" = reject
done <<'EOF'
お世話になっております。\nパスワード：abc123\nよろしくお願いします。
【パスワード】abc123
パスワードは「abc123」です。
解凍パスワード：\n\nabc123
ＰＷ　：　abc123
パス『abc123』
暗証番号 : abc123。
Password: "abc123"
Kennwort: abc123
mot de passe : abc123
contraseña: abc123
senha: abc123
pwd=abc123
パスワード：ａｂｃ１２３
EOF

mkeml "$WORK/where.eml" "書類" "$(printf 'いつもお世話になっております。\n\n添付ファイルをご確認ください。\n\nパスワード：abc123\n')" "$WORK/pw.zip"
scan "$WORK/where.eml"
check "origin names the line and the label" \
	has archive.decrypted "password from body line 5, after パスワード"

mkeml "$WORK/html.eml" "書類" "<html><body><p>ご確認ください</p><p>&#x30D1;スワード【abc123】</p></body></html>" "$WORK/pw.zip"
scan "$WORK/html.eml"
check "password in an HTML body" has archive.decrypted "html body line"

mkeml "$WORK/subject.eml" "書類 (パスワード: abc123)" "添付します" "$WORK/pw.zip"
scan "$WORK/subject.eml"
check "password in the Subject" has archive.decrypted "subject, after パスワード"

# a Japanese password typed on Japanese Windows: the ZIP holds its CP932
# bytes, the mail writes it in UTF-8
(cd "$SRC" && zip -q -P "$(printf '見積2024' | iconv -f UTF-8 -t CP932)" "$WORK/cp932.zip" invoice.exe)
mkeml "$WORK/cp932.eml" "お見積り" "$(printf 'パスワード：見積2024\n')" "$WORK/cp932.zip"
scan "$WORK/cp932.eml"
check "a Japanese password in CP932 bytes opens the ZIP" \
	has archive.decrypted "after パスワード, in CP932"
check "and the executable inside is found" has attachment.executable pe '["2","invoice.exe"]'

mkeml "$WORK/token.eml" "documents" "here you go, use abc123 to open it" "$WORK/pw.zip"
scan "$WORK/token.eml"
check "password as a bare token of the body" has archive.decrypted "body line 1"

(cd "$SRC" && zip -q -P 'infected' "$WORK/common.zip" invoice.exe)
mkeml "$WORK/common.eml" "sample" "see attached" "$WORK/common.zip"
scan "$WORK/common.eml"
check "common password" has archive.decrypted "common passwords"

(cd "$SRC" && zip -q -P 'Zq8-unguessable' "$WORK/locked.zip" invoice.exe note.txt)
mkeml "$WORK/locked.eml" "請求書" "パスワードは別途お送りします。" "$WORK/locked.zip"
scan "$WORK/locked.eml"
check "no password: archive.password_unknown" \
	has archive.password_unknown "2 encrypted members not opened"
check "no password: nothing decrypted" hasnt archive.decrypted
check "no password: quarantined" test "$(verdict)" = quarantine

printf 'limits:\n  password_tries: 3\n' >"$WORK/tries.yaml"
scan "$WORK/locked.eml" --config "$WORK/tries.yaml"
check "password tries limit: scan.limit" has scan.limit "password tries over 3"

# ---- WinZip AES (7-Zip), stored and deflated ----
if command -v 7z >/dev/null; then
	head -c 100000 /dev/zero | tr '\0' 'a' >"$SRC/big.txt"
	(cd "$SRC" && 7z a -bd -tzip -mem=AES256 -p'Kx9-q7!' "$WORK/aes.zip" invoice.exe big.txt >/dev/null)
	mkeml "$WORK/aes.eml" "files" "$(printf 'Password: Kx9-q7!\n')" "$WORK/aes.zip"
	scan "$WORK/aes.eml"
	check "AES: archive.encrypted" has archive.encrypted "AES-256"
	check "AES: decrypted" has archive.decrypted "after Password"
	check "AES: the executable inside is found" \
		has attachment.executable pe '["2","invoice.exe"]'
	check "AES: the deflated member is whole" part '["2","big.txt"]' text/plain
	mkeml "$WORK/aes-wrong.eml" "files" "Password: Kx9-q8!" "$WORK/aes.zip"
	scan "$WORK/aes-wrong.eml"
	check "AES: wrong password, archive.password_unknown" has archive.password_unknown
else
	fail "7z not installed (./bootstrap --deps installs p7zip-full)"
fi

# ---- CP932 member names (Japanese Windows, no UTF-8 flag) ----
mkdir -p "$WORK/cp932"
sjis=$(printf '請求書.exe' | iconv -f UTF-8 -t CP932)
cp "$SRC/invoice.exe" "$WORK/cp932/$sjis"
(cd "$WORK/cp932" && LC_ALL=C zip -q "$WORK/cp932.zip" "$sjis")
mkeml "$WORK/cp932.eml" "t" "see attached" "$WORK/cp932.zip"
scan "$WORK/cp932.eml"
check "CP932 member name as UTF-8" part '["2","請求書.exe"]' application/x-dosexec
check "CP932 member: the executable is found under its name" \
	has attachment.executable pe '["2","請求書.exe"]'

# ---- nesting: a document in a zip in a zip in a zip ----
(cd "$SRC" && zip -q "$WORK/l3.zip" invoice.exe)
(cd "$WORK" && zip -q l2.zip l3.zip && zip -q l1.zip l2.zip)
mkeml "$WORK/nest.eml" "t" "see attached" "$WORK/l1.zip"
scan "$WORK/nest.eml"
check "three levels: the executable is found" \
	has attachment.executable pe '["2","l2.zip","l3.zip","invoice.exe"]'
check "three levels: no depth finding" hasnt archive.depth_exceeded
printf 'limits:\n  nesting_depth: 2\n' >"$WORK/depth.yaml"
scan "$WORK/nest.eml" --config "$WORK/depth.yaml"
check "nesting_depth 2: archive.depth_exceeded on the third zip" \
	has archive.depth_exceeded "nesting over 2" '["2","l2.zip","l3.zip"]'
check "nesting_depth 2: quarantined" test "$(verdict)" = quarantine

# ---- entries ----
mkdir -p "$WORK/many"
for i in $(seq 1 30); do echo "$i" >"$WORK/many/f$i.txt"; done
(cd "$WORK/many" && zip -q "$WORK/many.zip" ./*.txt)
mkeml "$WORK/many.eml" "t" "see attached" "$WORK/many.zip"
printf 'limits:\n  archive_entries: 20\n' >"$WORK/entries.yaml"
scan "$WORK/many.eml" --config "$WORK/entries.yaml"
check "entries limit: archive.entries_exceeded" has archive.entries_exceeded "30 members"
check "entries limit: 20 members read" test "$(grep -o '"path":\["2","f' "$WORK/out.json" | wc -l)" = 20
scan "$WORK/many.eml"
check "30 entries within the default limit" hasnt archive.entries_exceeded

# ---- a member that expands to 1 GB of zeros ----
head -c 1073741824 /dev/zero | zip -q -1 "$WORK/bomb.zip" -
mkeml "$WORK/bomb.eml" "t" "see attached" "$WORK/bomb.zip"
scan "$WORK/bomb.eml"
check "1 GB member: archive.bomb" has archive.bomb "declares 1073741824 expanded bytes"
check "1 GB member: archive.oversized_member" has archive.oversized_member "declares 1073741824 bytes"
check "1 GB member: its head is inspected (4 MiB)" \
	python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); assert [p for p in o["parts"] if p["path"]==["2","-"] and p["size"]==4<<20]' "$WORK/out.json"
check "1 GB member: quarantined" test "$(verdict)" = quarantine
printf 'limits:\n  decoded_bytes: 4M\n' >"$WORK/budget.yaml"
head -c 3000000 /dev/urandom >"$SRC/random.bin"
(cd "$SRC" && zip -q -0 "$WORK/random.zip" random.bin)
mkeml "$WORK/random.eml" "t" "see attached" "$WORK/random.zip"
scan "$WORK/random.eml" --config "$WORK/budget.yaml"
check "shared budget runs out inside the archive: archive.bomb" \
	has archive.bomb "expanded bytes budget"

# a stored encrypted member over the member limit: the right password
# opens it, a wrong one that passes the check byte fails on the CRC
(cd "$SRC" && zip -q -0 -P 'Qz7-right' "$WORK/bigpw.zip" random.bin)
printf 'limits:\n  archive_member_bytes: 1M\n' >"$WORK/member.yaml"
mkeml "$WORK/bigpw.eml" "t" "pw: Qz7-right" "$WORK/bigpw.zip"
scan "$WORK/bigpw.eml" --config "$WORK/member.yaml"
check "big encrypted member: decrypted" has archive.decrypted "after pw"
check "big encrypted member: oversized, once" \
	test "$(grep -o archive.oversized_member "$WORK/out.json" | wc -l)" = 1
# 300 wrong words: most likely some pass the check byte (1 in 256)
printf 'limits:\n  archive_member_bytes: 1M\n  password_tokens: 400\n' >"$WORK/member.yaml"
mkeml "$WORK/bigpw2.eml" "t" "pw: Qz7-wrong $(seq -f 'w%g' 1 300 | tr '\n' ' ')" "$WORK/bigpw.zip"
scan "$WORK/bigpw2.eml" --config "$WORK/member.yaml"
check "big encrypted member, wrong password: not opened" \
	has archive.password_unknown "1 encrypted members not opened"

# ---- not a readable zip ----
printf 'PK\003\004garbage' >"$WORK/broken.zip"
mkeml "$WORK/broken.eml" "t" "see attached" "$WORK/broken.zip"
scan "$WORK/broken.eml"
check "broken zip: archive.unsupported" has archive.unsupported "zip:"
finish
