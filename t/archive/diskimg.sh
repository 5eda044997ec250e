#!/bin/bash
# Disk images read by parser/fat.c and parser/vhd.c, end to end through
# `kensa scan --json`, built here with mkfs.fat and mtools (dosfstools,
# mtools) and t/tools/make_vhd.py: a FAT12 floppy image holding a shortcut
# under a Japanese long name and a macro document in a subdirectory, the
# same image inside a zip, a FAT16 disk behind an MBR in a fixed VHD, a
# FAT12 disk behind a GPT, a FAT32 volume in a dynamic VHD, VHD and VHDX
# written by qemu-img (qemu-utils), a broken VHDX, a truncated image.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"
. "$abs_top_srcdir/t/archive/lib.sh"

if ! command -v mkfs.fat >/dev/null || ! command -v mcopy >/dev/null; then
	fail "mkfs.fat or mcopy not installed (./bootstrap --deps installs dosfstools and mtools)"
	finish
fi
export LANG=C.UTF-8 MTOOLS_SKIP_CHECK=1
F="$WORK/in"
make_samples "$F"
DOCM="$TESTDATA/office/macro/SimpleMacro.docm"
VHD="python3 $abs_top_srcdir/t/tools/make_vhd.py"

# ---- FAT12 floppy image: a shortcut, a macro document in a directory ----
mkfs.fat -C -n INVOICE "$WORK/floppy.img" 1440 >/dev/null
mcopy -i "$WORK/floppy.img" "$F/invoice.lnk" "::請求書 2024.lnk"
mmd -i "$WORK/floppy.img" ::docs
mcopy -i "$WORK/floppy.img" "$DOCM" "::docs/Quarterly report.docm"
scan_file "$WORK/floppy.img" invoice.img
check "img: read as a FAT image" part '["2"]' application/x-fat-image
check "img: attachment.disk_image" has attachment.disk_image fat '["2"]'
check "img: the shortcut under its long name" \
	has attachment.lnk "shell link" '["2","請求書 2024.lnk"]'
check "img: the document in its directory" \
	part '["2","docs/Quarterly report.docm"]' application/vnd.openxmlformats-officedocument
check "img: its macros" has office.vba.present "" \
	'["2","docs/Quarterly report.docm","word/vbaProject.bin"]'
check "img: rejected" test "$(verdict)" = reject
check "img: nothing unreadable" hasnt archive.unsupported

# a disk image without the shortcut is still quarantined
mkfs.fat -C "$WORK/doc.img" 1440 >/dev/null
mcopy -i "$WORK/doc.img" "$F/note.txt" ::note.txt
scan_file "$WORK/doc.img" note.img
check "img with a note: the note listed" part '["2","note.txt"]' text/plain
check "img with a note: quarantined" test "$(verdict)" = quarantine

# the image inside a zip
(cd "$WORK" && cp floppy.img invoice.img && zip -q img.zip invoice.img)
scan_file "$WORK/img.zip" img.zip
check "img in a zip: the shortcut" \
	has attachment.lnk "shell link" '["2","invoice.img","請求書 2024.lnk"]'
check "img in a zip: the image itself" \
	has attachment.disk_image fat '["2","invoice.img"]'

# ---- FAT16 behind an MBR, in a fixed VHD ----
mkfs.fat -F 16 -C "$WORK/vol16" 20000 >/dev/null
mmd -i "$WORK/vol16" ::Setup
mcopy -i "$WORK/vol16" "$F/invoice.exe" "::Setup/invoice.exe"
$VHD mbr "$WORK/vol16" "$WORK/disk16.img"
$VHD fixed "$WORK/disk16.img" "$WORK/fixed.vhd"
scan_file "$WORK/fixed.vhd" invoice.vhd
check "fixed VHD: attachment.disk_image" has attachment.disk_image vhd '["2"]'
check "fixed VHD: the program in the FAT16 partition" \
	has attachment.executable pe '["2","Setup/invoice.exe"]'
check "fixed VHD: rejected" test "$(verdict)" = reject
scan_file "$WORK/disk16.img" disk.img
check "raw disk with an MBR: the program" \
	has attachment.executable pe '["2","Setup/invoice.exe"]'

# ---- a GPT disk: a Linux partition first, then the FAT one ----
mkfs.fat -C "$WORK/volg" 1024 >/dev/null
mcopy -i "$WORK/volg" "$F/invoice.lnk" "::gpt.lnk"
$VHD gpt "$WORK/volg" "$WORK/gpt.img"
scan_file "$WORK/gpt.img" gpt.img
check "GPT disk: a FAT image" part '["2"]' application/x-fat-image
check "GPT disk: the shortcut in its basic data partition" \
	has attachment.lnk "shell link" '["2","gpt.lnk"]'

# ---- FAT32 in a dynamic VHD (unallocated blocks read as zeros) ----
mkfs.fat -F 32 -C "$WORK/vol32" 40000 >/dev/null
mcopy -i "$WORK/vol32" "$F/helper.dll" "::helper.dll"
mcopy -i "$WORK/vol32" "$F/note.txt" "::A rather long name for a note.txt"
$VHD dynamic "$WORK/vol32" "$WORK/dynamic.vhd"
scan_file "$WORK/dynamic.vhd" invoice.vhd
check "dynamic VHD: the DLL" has attachment.executable pe '["2","helper.dll"]'
check "dynamic VHD: the long-named note" \
	part '["2","A rather long name for a note.txt"]' text/plain
check "dynamic VHD: smaller than its disk" \
	test "$(stat -c %s "$WORK/dynamic.vhd")" -lt "$(stat -c %s "$WORK/vol32")"

# ---- VHD and VHDX written by qemu-img: another writer than ours ----
if command -v qemu-img >/dev/null; then
	qemu-img convert -f raw -O vpc -o subformat=dynamic "$WORK/floppy.img" "$WORK/q.vhd"
	scan_file "$WORK/q.vhd" q.vhd
	check "qemu dynamic VHD: the shortcut" \
		has attachment.lnk "shell link" '["2","請求書 2024.lnk"]'
	# a FAT32 partition over several 1 MiB blocks: a 3 MB file read whole
	head -c 3000000 /dev/urandom >"$WORK/random.bin"
	mcopy -i "$WORK/vol32" "$WORK/random.bin" ::random.bin
	mcopy -i "$WORK/vol32" "$F/invoice.exe" ::late.exe
	$VHD mbr "$WORK/vol32" "$WORK/disk32.img"
	qemu-img convert -f raw -O vhdx -o block_size=1M,log_size=1M \
		"$WORK/disk32.img" "$WORK/q.vhdx"
	scan_file "$WORK/q.vhdx" invoice.vhdx
	check "VHDX: attachment.disk_image" has attachment.disk_image vhd '["2"]'
	check "VHDX: the program" has attachment.executable pe '["2","late.exe"]'
	check "VHDX: the 3 MB file, byte for byte" python3 - "$WORK/out.json" \
		"$(sha256sum "$WORK/random.bin" | cut -d' ' -f1)" <<'PY'
import json, sys
o = json.load(open(sys.argv[1]))
sys.exit(0 if any(p["path"] == ["2", "random.bin"] and p["sha256"] == sys.argv[2]
                  for p in o["parts"]) else 1)
PY
	check "VHDX: rejected" test "$(verdict)" = reject
else
	fail "qemu-img not installed (./bootstrap --deps installs qemu-utils)"
fi

# ---- what is not read ----
{ printf 'vhdxfile'; head -c 4096 /dev/zero; } >"$WORK/x.vhdx"
scan_file "$WORK/x.vhdx" invoice.vhdx
check "broken VHDX: attachment.disk_image" has attachment.disk_image vhd '["2"]'
check "broken VHDX: archive.unsupported" has archive.unsupported "VHDX without a header" '["2"]'
check "broken VHDX: quarantined" test "$(verdict)" = quarantine

head -c 20000 "$WORK/floppy.img" >"$WORK/cut.img"
scan_file "$WORK/cut.img" cut.img
check "truncated image: archive.unsupported" has archive.unsupported "past the image" '["2"]'
check "truncated image: still a disk image" has attachment.disk_image fat '["2"]'

finish
