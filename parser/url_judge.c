/*
 * url_judge - record and judge the URLs of a message; see url_judge.h.
 */
#include "url_judge.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "address.h"
#include "url.h"
#include "url_html.h"
#include "url_text.h"

/* the extensions of files that deliver code or documents */
static const char *const url_download_exts[] = {
    "doc", "docm", "xls", "xlsm", "xlsb", "ppt", "one", "zip",
    "rar", "7z",   "iso", "img",  "vhd",  "exe", "scr", "js",
    "jse", "vbs",  "hta", "lnk",  "msi",  "dll", NULL,
};

enum url_script {
	SCRIPT_NONE,
	SCRIPT_LATIN,
	SCRIPT_GREEK,
	SCRIPT_CYRILLIC,
	SCRIPT_ARMENIAN,
	SCRIPT_HEBREW,
	SCRIPT_ARABIC,
	SCRIPT_THAI,
	SCRIPT_GEORGIAN,
	SCRIPT_CJK,
};

static enum url_script url_script_of(unsigned cp)
{
	static const struct {
		unsigned lo, hi;
		enum url_script s;
	} ranges[] = {
	    {'a', 'z', SCRIPT_LATIN},	     {'A', 'Z', SCRIPT_LATIN},
	    {0xC0, 0x24F, SCRIPT_LATIN},     {0x1E00, 0x1EFF, SCRIPT_LATIN},
	    {0x370, 0x3FF, SCRIPT_GREEK},    {0x1F00, 0x1FFF, SCRIPT_GREEK},
	    {0x400, 0x52F, SCRIPT_CYRILLIC}, {0x530, 0x58F, SCRIPT_ARMENIAN},
	    {0x590, 0x5FF, SCRIPT_HEBREW},   {0x600, 0x6FF, SCRIPT_ARABIC},
	    {0xE00, 0xE7F, SCRIPT_THAI},     {0x10A0, 0x10FF, SCRIPT_GEORGIAN},
	    {0x1100, 0x11FF, SCRIPT_CJK},    {0x3040, 0x30FF, SCRIPT_CJK},
	    {0x3400, 0x4DBF, SCRIPT_CJK},    {0x4E00, 0x9FFF, SCRIPT_CJK},
	    {0xAC00, 0xD7AF, SCRIPT_CJK},    {0xFF66, 0xFF9F, SCRIPT_CJK},
	};

	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
		if (cp >= ranges[i].lo && cp <= ranges[i].hi)
			return ranges[i].s;
	return SCRIPT_NONE;
}

/* The next code point of UTF-8 s (advanced); invalid bytes read as one. */
static unsigned url_next_cp(const unsigned char **s)
{
	const unsigned char *p = *s;
	unsigned cp = *p++;
	int more = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;

	if (more)
		cp &= 0x3F >> more;
	while (more-- > 0 && (*p & 0xC0) == 0x80)
		cp = (cp << 6) | (*p++ & 0x3F);
	*s = p;
	return cp;
}

int url_mixed_script(const char *host)
{
	const unsigned char *p = (const unsigned char *)host;
	unsigned seen = 0;

	for (;;) {
		unsigned cp = *p ? url_next_cp(&p) : 0;
		enum url_script s;
		if (cp == 0 || cp == '.' || cp == 0x3002 || cp == 0xFF0E) {
			unsigned other =
			    seen & ~((1u << SCRIPT_LATIN) | (1u << SCRIPT_CJK));
			/* two scripts, not counting Latin with CJK */
			if ((seen & (seen - 1)) && other)
				return 1;
			if (cp == 0)
				return 0;
			seen = 0;
			continue;
		}
		s = url_script_of(cp);
		if (s != SCRIPT_NONE)
			seen |= 1u << s;
	}
}

static int url_is_download(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *seg = slash ? slash + 1 : path;
	const char *dot = strrchr(seg, '.');

	if (!dot)
		return 0;
	for (size_t i = 0; url_download_exts[i]; i++)
		if (strcasecmp(dot + 1, url_download_exts[i]) == 0)
			return 1;
	return 0;
}

static int url_has_punycode(const char *host)
{
	for (const char *l = host; l;
	     l = strchr(l, '.') ? strchr(l, '.') + 1 : NULL)
		if (strncmp(l, "xn--", 4) == 0)
			return 1;
	return 0;
}

static int url_judge(struct scan_ctx *ctx, const struct part_path *part,
		     const struct url *u, struct span found)
{
	static const struct {
		const char *id;
		int what;
	} kinds[] = {{"url.ip_host", 0},	  {"url.punycode", 1},
		     {"url.mixed_script", 2},	  {"url.userinfo", 3},
		     {"url.nonstandard_port", 4}, {"url.download", 5}};
	int n =
	    found.len > URL_DETAIL_BYTES ? URL_DETAIL_BYTES : (int)found.len;
	int rc = 0;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		int hit = 0;
		switch (kinds[i].what) {
		case 0: hit = u->ip != 0; break;
		case 1: hit = url_has_punycode(u->host); break;
		case 2:
			hit = u->host_unicode &&
			      url_mixed_script(u->host_unicode);
			break;
		case 3: hit = u->has_userinfo; break;
		case 4: hit = !url_port_is_default(u->scheme, u->port); break;
		case 5: hit = url_is_download(u->path); break;
		}
		if (hit)
			rc |= scan_finding(ctx, kinds[i].id, part, "%.*s", n,
					   (const char *)found.ptr);
	}
	return rc < 0 ? -1 : 0;
}

/* found without the white space around it, for details */
static struct span url_trim(struct span s)
{
	while (s.len && isspace(s.ptr[0]))
		s = span_make(s.ptr + 1, s.len - 1);
	while (s.len && isspace(s.ptr[s.len - 1]))
		s.len--;
	return s;
}

int url_found(struct scan_ctx *ctx, const struct part_path *part,
	      struct span found)
{
	struct url u;
	int rc;

	/* over the limit, nothing more is listed or judged */
	if (ctx->url_limit_hit)
		return 0;
	/* written as recorded already: a repeat, no need to parse it */
	if (report_has_url(ctx->report, (const char *)found.ptr, found.len))
		return 0;
	rc = url_parse(found, &u);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (report_has_url(ctx->report, u.normalized, strlen(u.normalized))) {
		url_free(&u);
		return 0;
	}
	if (ctx->report->nurls >= ctx->limits->urls) {
		url_free(&u);
		if (ctx->url_limit_hit)
			return 0;
		ctx->url_limit_hit = 1;
		return scan_finding(ctx, "scan.limit", part, "urls over %u",
				    ctx->limits->urls) < 0
			   ? -1
			   : 0;
	}
	rc = report_add_url(ctx->report, part, u.normalized,
			    strlen(u.normalized));
	if (rc == 0)
		rc = url_judge(ctx, part, &u, url_trim(found));
	url_free(&u);
	return rc < 0 ? -1 : 0;
}

/* Text that reads as a URL or a domain, parsed; 0 when it is one. */
static int url_text_host(struct span text, struct url *out)
{
	char buf[512];
	size_t dots = 0;
	int rc;

	text = url_trim(text);
	if (!text.len || text.len >= sizeof(buf) - 8)
		return 1;
	for (size_t i = 0; i < text.len; i++) {
		if (isspace(text.ptr[i]) || text.ptr[i] == '@')
			return 1;
		dots += text.ptr[i] == '.';
	}
	if (!dots)
		return 1;
	rc = url_parse(text, out);
	if (rc != 1)
		return rc;
	/* a bare domain, perhaps with a path: example.com/login */
	memcpy(buf, "http://", 7);
	memcpy(buf + 7, text.ptr, text.len);
	rc = url_parse(span_make(buf, text.len + 7), out);
	if (rc != 0)
		return rc;
	/* a TLD of letters, and one the list knows (not "v1.2", "e.g.") */
	const char *tld = strrchr(out->host, '.');
	int ok = !out->ip && tld && tld[1] &&
		 strcmp(url_org_domain(out->host), tld + 1) != 0;
	for (const char *c = tld ? tld + 1 : ""; ok && *c; c++)
		if (!isalpha((unsigned char)*c) && *c != '-')
			ok = strncmp(tld + 1, "xn--", 4) == 0;
	if (!ok) {
		url_free(out);
		return 1;
	}
	return 0;
}

int url_anchor(struct scan_ctx *ctx, const struct part_path *part,
	       struct span href, struct span text)
{
	struct url target, shown;
	int rc = 0;

	if (ctx->url_limit_hit || url_text_host(text, &shown) != 0)
		return 0;
	if (url_parse(href, &target) != 0) {
		url_free(&shown);
		return 0;
	}
	if (strcmp(url_org_domain(target.host), url_org_domain(shown.host)) &&
	    !address_within(target.host, shown.host, strlen(shown.host)) &&
	    !address_within(shown.host, target.host, strlen(target.host))) {
		struct span h = url_trim(href), t = url_trim(text);
		int hn =
		    h.len > URL_DETAIL_BYTES ? URL_DETAIL_BYTES : (int)h.len;
		int tn =
		    t.len > URL_DETAIL_BYTES ? URL_DETAIL_BYTES : (int)t.len;
		rc = scan_finding(ctx, "url.text_mismatch", part,
				  "%.*s shown as %.*s", hn, (const char *)h.ptr,
				  tn, (const char *)t.ptr);
	}
	url_free(&target);
	url_free(&shown);
	return rc < 0 ? -1 : 0;
}

struct url_part {
	struct scan_ctx *ctx;
	const struct part_path *part;
};

/* The extractors stop when the limit is reached: nothing more counts. */
static int url_part_found(void *arg, struct span url)
{
	struct url_part *p = arg;

	if (url_found(p->ctx, p->part, url) < 0)
		return -1;
	return p->ctx->url_limit_hit;
}

static int url_part_anchor(void *arg, struct span href, struct span text)
{
	struct url_part *p = arg;

	if (url_anchor(p->ctx, p->part, href, text) < 0)
		return -1;
	return p->ctx->url_limit_hit;
}

int url_scan_text(struct scan_ctx *ctx, const struct part_path *part,
		  struct span text, int html)
{
	struct url_part p = {ctx, part};
	struct url_html_sink sink = {&p, url_part_found, url_part_anchor};

	if (html)
		return url_html_scan(text, &sink);
	return url_text_scan(text, url_part_found, &p) < 0 ? -1 : 0;
}
