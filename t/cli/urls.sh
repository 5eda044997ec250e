#!/bin/bash
# URLs through the real binary: kensa scan --json on the messages of
# t/data/urls (text and HTML bodies, base64 and quoted-printable,
# UTF-8 and ISO-2022-JP), the per-part "urls" lists, the url findings and
# the default policy's verdicts; url.listed from a URLhaus CSV export.
. "${abs_top_srcdir:-$(dirname "$0")/../..}/t/lib.sh"
D="$abs_top_srcdir/t/data/urls"

scan() { # scan FILE [POLICY] -> JSON line in $WORK/out.json
	"$KENSA" scan --policy "${2:-$POLICY}" --json "$D/$1" >"$WORK/out.json"
}

expect() { # expect PYTHON-ASSERTIONS (j: the report)
	python3 -c "import json,sys; j=json.load(open('$WORK/out.json'))
ids=[f['id'] for f in j['findings']]
det={f['id']: f['detail'] for f in j['findings']}
purls=[p['urls'] for p in j['parts']]
$1"
}

scan emotet-link.eml
check "Japanese text around a link to a macro document on an IP host" expect "
assert j['urls'] == ['http://198.51.100.7/wp-content/uploads/invoice_2611.docm'], j['urls']
assert purls == [j['urls']], purls
assert det['url.ip_host'] == det['url.download'] == j['urls'][0]
assert j['verdict'] == 'quarantine' and 'url-download-ip' in j['rules']"

scan html-mismatch.eml
check "QP soft break inside an href, ISO-2022-JP HTML, text mismatch tagged" expect "
assert j['urls'][0] == 'https://login-check.evil.example/secure/verify/account/update/now/index.php?id=0042', j['urls']
assert ids == ['url.text_mismatch'], ids
assert det['url.text_mismatch'].endswith(' shown as https://www.mybank.co.jp/login')
assert j['verdict'] == 'tag' and j['rules'] == ['url-suspicious']"

scan newsletter.eml
check "matching anchors, <base>, mailto: nothing to judge, accepted" expect "
assert ids == [], ids
assert purls == [['https://www.example.org/news/2026/11', 'http://www.example.org/'],
                 ['https://www.example.org/news/', 'https://shop.example.org/', 'https://cdn.example.net/logo.png']], purls
assert len(j['urls']) == 5 and j['verdict'] == 'accept'"

scan punycode.eml
check "punycode with mixed scripts tagged" expect "
assert sorted(ids) == ['url.mixed_script', 'url.punycode'], ids
assert j['verdict'] == 'tag'"

scan shortener.eml
check "a shortener of the default policy's list tagged" expect "
assert det['url.shortener'] == 'https://bit.ly/3xYzAbc in shorteners', det
assert j['verdict'] == 'tag'"

# url.listed: a URLhaus CSV export beside a policy that includes the
# default rules
cp "$POLICY" "$WORK/"
cat >"$WORK/urlhaus.csv" <<'CSV'
################################################################
# abuse.ch URLhaus Database Dump (CSV - recent URLs only)      #
################################################################
#
# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter
"3000001","2026-11-25 10:00:00","https://bit.ly/3xYzAbc","online","2026-11-25 10:00:00","malware_download","emotet","https://urlhaus.abuse.ch/url/3000001/","tester"
CSV
sed -i 's/^lists:$/lists:\n  urlhaus: {type: url, format: urlhaus, file: urlhaus.csv}/' "$WORK/policy.yaml"
check "policy with a URLhaus list checks" "$KENSA" policy check "$WORK/policy.yaml"
scan shortener.eml "$WORK/policy.yaml"
check "a URL of a URLhaus export is url.listed and quarantined" expect "
assert det['url.listed'] == 'https://bit.ly/3xYzAbc in urlhaus', det
assert j['verdict'] == 'quarantine' and 'listed' in j['rules']"

# the cap: limits.urls from kensa.yaml
printf 'limits:\n  urls: 2\n' >"$WORK/kensa.yaml"
"$KENSA" scan --config "$WORK/kensa.yaml" --policy "$POLICY" --json "$D/newsletter.eml" >"$WORK/out.json"
check "limits.urls caps the URLs: scan.limit" expect "
assert len(j['urls']) == 2 and det['scan.limit'] == 'urls over 2', (j['urls'], det)"

# the same engine in the daemon's sandboxed scan workers: a QP-encoded
# HTML mismatch is tagged
kensa_start_milter || exit 1
cat >"$WORK/send.lua" <<'LUA'
package.path = os.getenv("KENSA_LUA_PATH") .. "/?.lua;" .. package.path
local t = require("lib")
local conn = t.connect()
local h = t.plain_headers("links")
table.insert(h, {"Content-Type", "text/html; charset=utf-8"})
table.insert(h, {"Content-Transfer-Encoding", "quoted-printable"})
local body = "<html><body>=E3=81=94=E7=A2=BA=E8=AA=8D<a href=3D\"https://evil.example/lo=\r\n" ..
	"gin\">https://www.mybank.co.jp/</a></body></html>\r\n"
t.send(conn, "QURL1", h, body)
if mt.eom_check(conn, MT_HDRADD, "X-Kensa-Verdict", " tag") then print("verdict tag") end
mt.disconnect(conn)
LUA
run_lua "$WORK/send.lua" >"$WORK/lua1.out"
check "kensa-milter tags the HTML mismatch" grep -qx "verdict tag" "$WORK/lua1.out"
check "logged with the url rule" wait_for "QURL1: verdict=tag .*rules=url-suspicious" "$WORK/milter.log"
finish
