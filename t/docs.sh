#!/bin/bash
# Docs stay true: every finding id of parser/finding_ids.c is documented in
# kensa-findings(7); every kensa.yaml key of policy/settings.c is in
# kensa.yaml(5) and in conf/kensa.yaml; every condition kind of
# policy/cond.c is in kensa-policy(5); every man page renders cleanly.
. "${abs_top_srcdir:-$(dirname "$0")/..}/t/lib.sh"
S="$abs_top_srcdir"

ids=$(sed -n 's/^[[:space:]]*"\([a-z]*\.[a-z_.]*\)",*.*/\1/p; s/, *"\([a-z]*\.[a-z_.]*\)"/\n\1/gp' \
	"$S/parser/finding_ids.c" | grep -oE '[a-z]+\.[a-z_.]+' | sort -u)
check "finding ids found in finding_ids.c" test "$(echo "$ids" | wc -l)" -ge 60
for id in $ids; do
	grep -qF -- "$id" "$S/man/kensa-findings.7" || fail "kensa-findings(7) lacks $id"
done
keys=$(grep -oE '^[[:space:]]*\{"[a-z_.]+", K_' "$S/policy/settings.c" | grep -oE '"[a-z_.]+"' | tr -d '"')
check "settings keys found" test "$(echo "$keys" | wc -l)" -ge 30
for k in $keys; do
	leaf=${k##*.}
	grep -qF -- "$leaf" "$S/man/kensa.yaml.5" || fail "kensa.yaml(5) lacks $k"
	[ "$k" = test_hooks ] || grep -qE "^[[:space:]]*$leaf:" "$S/conf/kensa.yaml" ||
		fail "conf/kensa.yaml lacks $k"
done
kinds=$(sed -n '/^static const struct cond_kind kinds\[\]/,/^};/p' "$S/policy/cond.c" |
	grep -oE '\{"[a-z_]+"' | tr -d '{"')
check "condition kinds found" test "$(echo "$kinds" | wc -l)" -ge 15
for k in $kinds; do
	grep -qE -- "$k" "$S/man/kensa-policy.5" || fail "kensa-policy(5) lacks condition $k"
done
for m in "$S"/man/*.[1-8]; do
	check "$(basename "$m") renders without warnings" \
		sh -c "LC_ALL=C.UTF-8 groff -man -Tutf8 -ww '$m' 2>&1 >/dev/null | (! grep -q .)"
done
finish
