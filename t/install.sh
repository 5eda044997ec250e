#!/bin/bash
# make install DESTDIR=…: binaries, man pages, configuration, systemd unit
# and logrotate snippet land where they belong; the installed daemon
# checks the installed configuration.
. "${abs_top_srcdir:-$(dirname "$0")/..}/t/lib.sh"

ROOT="$WORK/root"
make -s -C "$abs_top_builddir" install DESTDIR="$ROOT" >"$WORK/install.log" 2>&1
check "make install DESTDIR succeeds" test $? = 0
prefix=$(sed -n "s/^prefix = //p" "$abs_top_builddir/Makefile")
sysconfdir=$(sed -n "s/^sysconfdir = //p" "$abs_top_builddir/Makefile" | sed "s|\${prefix}|$prefix|")
for f in bin/kensa sbin/kensa-milter share/man/man8/kensa-milter.8 \
	share/man/man1/kensa.1 share/man/man5/kensa.yaml.5 \
	share/man/man5/kensa-policy.5 share/man/man7/kensa-findings.7 \
	lib/systemd/system/kensa-milter.service \
	lib/systemd/system/kensa-quarantine-purge.service \
	lib/systemd/system/kensa-quarantine-purge.timer; do
	check "installed $f" test -e "$ROOT$prefix/$f"
done
for f in kensa/kensa.yaml kensa/policy.yaml logrotate.d/kensa; do
	check "installed $sysconfdir/$f" test -e "$ROOT$sysconfdir/$f"
done
check "unit points at the installed daemon" \
	grep -q "ExecStart=$prefix/sbin/kensa-milter -c $sysconfdir/kensa/kensa.yaml -f" \
	"$ROOT$prefix/lib/systemd/system/kensa-milter.service"
check "installed daemon checks the installed configuration" \
	"$ROOT$prefix/sbin/kensa-milter" -c "$ROOT$sysconfdir/kensa/kensa.yaml" -t \
	-o user= -o group= -o socket_group= -o "policy=$ROOT$sysconfdir/kensa/policy.yaml" \
	-o "spool_dir=$WORK/spool" -o "state_dir=$WORK/state"
make -s -C "$abs_top_builddir" uninstall DESTDIR="$ROOT" >>"$WORK/install.log" 2>&1
check "make uninstall leaves no files" test -z "$(find "$ROOT" -type f)"
finish
