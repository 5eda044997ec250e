#!/bin/bash
# Encrypted Office documents end to end through `kensa scan --json`, on
# fixtures encrypted here by t/tools/office_encrypt.py and checked first
# with msoffcrypto-tool -p (an independent implementation): an agile .xlsm
# with an auto-exec macro whose password the body gives in Japanese, a
# workbook under Excel's VelvetSweatshop (standard encryption), one whose
# password the message does not give, the per-document tries limit, an
# Excel 97-2003 workbook with Excel 4.0 macros under VelvetSweatshop (RC4
# CryptoAPI), and SpamAssassin's encrypted.eml (a .docx Word encrypted,
# agile).
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"
. "$abs_top_srcdir/t/archive/lib.sh"

ENCRYPT="$abs_top_srcdir/t/tools/office_encrypt.py"
MACRO="$TESTDATA/office/macro"

# encrypt PASSWORD IN OUT [--standard]: encrypted, and msoffcrypto-tool
# gives IN back with PASSWORD
encrypt() {
	python3 "$ENCRYPT" ${4:+"$4"} "$1" "$2" "$3" &&
		msoffcrypto-tool -p "$1" "$3" "$WORK/check.out" &&
		cmp -s "$2" "$WORK/check.out"
}

# elapsed_ms: the scan time the last report gives
elapsed_ms() {
	python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["elapsed_ms"]))' "$WORK/out.json"
}

# ---- the password in the body, after パスワード and a full-width colon ----
check "agile fixture made and checked by msoffcrypto-tool" \
	encrypt 'Kensa-2024x' "$MACRO/57181.xlsm" "$WORK/invoice.xlsm"
mkeml "$WORK/body.eml" "請求書の送付" \
	"$(printf 'お世話になっております。\n請求書をお送りします。\n「パスワード：Kensa-2024x」\nよろしくお願いいたします。\n')" \
	"$WORK/invoice.xlsm" "請求書.xlsm"
scan "$WORK/body.eml"
check "body password: office.decrypted, from line 3 after パスワード" \
	has office.decrypted "password from body line 3, after パスワード; agile AES-256 SHA512 100000 rounds" '["2"]'
check "body password: not left office.encrypted" hasnt office.encrypted
check "body password: the package is scanned as OOXML" \
	part '["2","EncryptedPackage"]' application/vnd.openxmlformats-officedocument
check "body password: the auto-exec macro inside is found" \
	has office.vba.autoexec Workbook_Open '["2","EncryptedPackage","xl/vbaProject.bin"]'
check "body password: rejected (decrypted-document-autoexec)" \
	test "$(verdict)" = reject
echo "scan time, agile .xlsm opened with the body's password: $(elapsed_ms) ms"

# ---- Excel's built-in VelvetSweatshop, standard encryption ----
check "standard fixture made and checked by msoffcrypto-tool" \
	encrypt VelvetSweatshop "$MACRO/SimpleMacro.xlsm" "$WORK/velvet.xlsm" --standard
mkeml "$WORK/velvet.eml" "report" "see attached" "$WORK/velvet.xlsm" "report.xlsm"
scan "$WORK/velvet.eml"
check "VelvetSweatshop: office.decrypted, Excel's default" \
	has office.decrypted "password from Excel's built-in default VelvetSweatshop; standard AES-128 SHA1 50000 rounds" '["2"]'
check "VelvetSweatshop: the macro inside is found" \
	has office.vba.present "" '["2","EncryptedPackage","xl/vbaProject.bin"]'
check "VelvetSweatshop: no office.encrypted" hasnt office.encrypted
echo "scan time, standard VelvetSweatshop workbook: $(elapsed_ms) ms"

# agile under VelvetSweatshop, named as a document: found in the common list
check "agile VelvetSweatshop fixture" \
	encrypt VelvetSweatshop "$MACRO/SimpleMacro.xlsm" "$WORK/velvet2.xlsm"
mkeml "$WORK/velvet2.eml" "report" "see attached" "$WORK/velvet2.xlsm" "report.bin"
scan "$WORK/velvet2.eml"
check "VelvetSweatshop from the common list when the name says nothing" \
	has office.decrypted "password from common passwords"

# ---- Excel 97-2003, RC4 CryptoAPI, VelvetSweatshop: Excel 4.0 macros ----
python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import make_office_seeds as m; open(sys.argv[2], "wb").write(m.biff_xlm())' \
	"$abs_top_srcdir/t/tools" "$WORK/xlm.biff"
check "xls fixture made, msoffcrypto-tool opens it" \
	sh -c "python3 '$ENCRYPT' --xls VelvetSweatshop '$WORK/xlm.biff' '$WORK/xlm.xls' &&
		msoffcrypto-tool -p VelvetSweatshop '$WORK/xlm.xls' '$WORK/xlm-mso.xls'"
scan_file "$WORK/xlm-mso.xls" "invoice.xls"
check "xls: what msoffcrypto-tool decrypted holds the Auto_Open macro sheet" \
	has office.xlm.autoexec Auto_Open
scan_file "$WORK/xlm.xls" "invoice.xls"
check "xls: office.decrypted with VelvetSweatshop, RC4 CryptoAPI" \
	has office.decrypted "password from Excel's built-in default VelvetSweatshop; workbook RC4 CryptoAPI 128-bit" '["2"]'
check "xls: the Excel 4.0 macros are found once decrypted" \
	has office.xlm.autoexec Auto_Open '["2"]'
check "xls: the very hidden macro sheet too" has office.xlm.hidden "very hidden"
check "xls: rejected" test "$(verdict)" = reject
check "xls: no office.encrypted" hasnt office.encrypted
python3 "$ENCRYPT" --xls 'Zq8-never' "$WORK/xlm.biff" "$WORK/xlm-locked.xls"
scan_file "$WORK/xlm-locked.xls" "invoice.xls"
check "xls, unknown password: office.encrypted, workbook FILEPASS" \
	has office.encrypted "workbook FILEPASS, RC4 CryptoAPI 128-bit, password unknown"
check "xls, unknown password: the macros are not seen" hasnt office.xlm.autoexec

# ---- a password the message does not give ----
check "unknown-password fixture" \
	encrypt 'Zq8-never-written' "$MACRO/57181.xlsm" "$WORK/locked.xlsm"
mkeml "$WORK/locked.eml" "請求書" "パスワードは別途お送りします。" "$WORK/locked.xlsm" "請求書.xlsm"
scan "$WORK/locked.eml"
check "unknown password: office.encrypted, tries counted" \
	has office.encrypted "EncryptedPackage, agile AES-256 SHA512 100000 rounds, password unknown" '["2"]'
check "unknown password: nothing decrypted" hasnt office.decrypted
check "unknown password: quarantined" test "$(verdict)" = quarantine
t=$(elapsed_ms)
echo "scan time, agile .xlsm with an unknown password: $t ms"
check "unknown password: bounded time (< 5 s)" test "$t" -lt 5000

printf 'limits:\n  office_password_tries: 2\n' >"$WORK/tries.yaml"
scan "$WORK/locked.eml" --config "$WORK/tries.yaml"
check "per-document limit: 2 tries, said so" \
	has office.encrypted "2 passwords tried (limit reached)"
printf 'limits:\n  password_ms: 1\n' >"$WORK/ms.yaml"
scan "$WORK/locked.eml" --config "$WORK/ms.yaml"
check "message time limit: scan.limit" has scan.limit "password time over 1 ms"

# ---- SpamAssassin's encrypted.eml: Word's agile .docx ----
SA="$TESTDATA/mail/spamassassin/encrypted.eml"
scan "$SA"
check "encrypted.eml: the body's 'Doc password is password' opens it" \
	has office.decrypted "password from body line 1, after password; agile AES-256 SHA512 100000 rounds" '["2"]'
check "encrypted.eml: the .docx inside is scanned" \
	part '["2","EncryptedPackage"]' application/vnd.openxmlformats-officedocument
echo "scan time, encrypted.eml: $(elapsed_ms) ms"
# without it: "password" is also in the default common list, so the
# common list is replaced too
sed 's/^Doc password is password/Doc sent separately/' "$SA" >"$WORK/sa-locked.eml"
printf 'passwords:\n  common: "infected malware VelvetSweatshop"\n' >"$WORK/common.yaml"
scan "$WORK/sa-locked.eml" --config "$WORK/common.yaml"
check "encrypted.eml without its password: office.encrypted" \
	has office.encrypted "password unknown"
t=$(elapsed_ms)
echo "scan time, encrypted.eml without the password: $t ms"
check "encrypted.eml without its password: bounded time (< 5 s)" \
	test "$t" -lt 5000
check "encrypted.eml without its password: quarantined" \
	test "$(verdict)" = quarantine

finish
