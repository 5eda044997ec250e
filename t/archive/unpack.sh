#!/bin/bash
# Containers read with libarchive, end to end through `kensa scan --json`:
# an ISO image holding a shortcut and a DLL (genisoimage), 7z plain and
# encrypted (7-Zip), CAB (gcab), tar, tar.gz, single files compressed with gzip,
# bzip2 and xz, a zip inside a 7z, a gzip member expanding to 1 GB.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"
. "$abs_top_srcdir/t/archive/lib.sh"

F="$WORK/in"
mkdir -p "$F"
make_samples "$F"
rm "$F/invoice.exe"

# ---- ISO 9660 ----
if command -v genisoimage >/dev/null; then
	genisoimage -quiet -J -r -o "$WORK/img.iso" "$F"
	scan_file "$WORK/img.iso" invoice.iso
	check "ISO: attachment.disk_image" has attachment.disk_image iso '["2"]'
	check "ISO: the shortcut inside" has attachment.lnk "shell link" '["2","invoice.lnk"]'
	check "ISO: the DLL inside" has attachment.executable pe '["2","helper.dll"]'
	check "ISO: rejected" test "$(verdict)" = reject
else
	fail "genisoimage not installed (./bootstrap --deps installs it)"
fi

# ---- 7z ----
if command -v 7z >/dev/null; then
	(cd "$F" && 7z a -bd "$WORK/plain.7z" helper.dll note.txt >/dev/null)
	scan_file "$WORK/plain.7z" plain.7z
	check "7z: the DLL inside" has attachment.executable pe '["2","helper.dll"]'
	check "7z: the note inside" part '["2","note.txt"]' text/plain
	(cd "$F" && 7z a -bd -p'x1' "$WORK/enc.7z" helper.dll >/dev/null)
	scan_file "$WORK/enc.7z" enc.7z
	check "7z encrypted: archive.encrypted" has archive.encrypted "1 of 1 members, 7z"
	check "7z encrypted: archive.password_unknown" has archive.password_unknown "no decryption for 7z"
	check "7z encrypted: quarantined" test "$(verdict)" = quarantine
	(cd "$F" && 7z a -bd -p'x1' -mhe=on "$WORK/hdr.7z" helper.dll >/dev/null)
	scan_file "$WORK/hdr.7z" hdr.7z
	check "7z with encrypted headers" has archive.encrypted "encrypted headers, 7z"
	(cd "$F" && zip -q "$WORK/inner.zip" helper.dll && cd "$WORK" && 7z a -bd outer.7z inner.zip >/dev/null)
	scan_file "$WORK/outer.7z" outer.7z
	check "a zip in a 7z" has attachment.executable pe '["2","inner.zip","helper.dll"]'
else
	fail "7z not installed (./bootstrap --deps installs p7zip-full)"
fi

# ---- CAB (gcab), stored and MSZIP ----
if command -v gcab >/dev/null; then
	(cd "$F" && gcab -c "$WORK/plain.cab" helper.dll note.txt && gcab -c -z "$WORK/mszip.cab" helper.dll)
	scan_file "$WORK/plain.cab" files.cab
	check "CAB: the DLL inside" has attachment.executable pe '["2","helper.dll"]'
	scan_file "$WORK/mszip.cab" files.cab
	check "CAB (MSZIP): the DLL inside" has attachment.executable pe '["2","helper.dll"]'
else
	fail "gcab not installed (./bootstrap --deps installs it)"
fi

# ---- tar and compressed files ----
(cd "$F" && tar cf "$WORK/files.tar" helper.dll note.txt)
scan_file "$WORK/files.tar" files.tar
check "tar: the DLL inside" has attachment.executable pe '["2","helper.dll"]'
gzip -c "$WORK/files.tar" >"$WORK/files.tar.gz"
scan_file "$WORK/files.tar.gz" files.tar.gz
check "tar.gz: the DLL in the tar in the gzip" has attachment.executable pe '["2","files.tar","helper.dll"]'
for z in gzip:gz bzip2:bz2 xz:xz; do
	"${z%:*}" -c "$F/helper.dll" >"$WORK/helper.dll.${z#*:}"
	scan_file "$WORK/helper.dll.${z#*:}" "helper.dll.${z#*:}"
	check "${z%:*}: the DLL inside, named after the part" \
		has attachment.executable pe '["2","helper.dll"]'
done

# ---- limits ----
printf 'limits:\n  nesting_depth: 1\n' >"$WORK/depth.yaml"
scan "$WORK/m.eml" --config "$WORK/depth.yaml"
check "nesting depth 1 leaves the xz file itself" hasnt archive.depth_exceeded
mkeml "$WORK/outer.eml" "t" "see" "$WORK/outer.7z" outer.7z
scan "$WORK/outer.eml" --config "$WORK/depth.yaml"
check "nesting depth 1: the zip in the 7z is not opened" \
	has archive.depth_exceeded "nesting over 1" '["2","inner.zip"]'
head -c 1073741824 /dev/zero | gzip -1 >"$WORK/zeros.gz"
scan_file "$WORK/zeros.gz" zeros.bin.gz
check "gzip of 1 GB: cut at the member limit" has archive.oversized_member "zeros.bin: over"
check "gzip of 1 GB: quarantined" test "$(verdict)" = quarantine
printf 'BZh9garbage' >"$WORK/bad.bz2"
scan_file "$WORK/bad.bz2" bad.bz2
check "broken bzip2: archive.unsupported" has archive.unsupported "bzip2"
finish
