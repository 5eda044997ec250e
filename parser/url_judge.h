/*
 * url_judge - where every URL kensa finds goes: the text and HTML
 * extractors (url_text.h, url_html.h), macro code, OOXML relationships.
 * url_found() normalizes the URL (url.h), records it once per message
 * with the part it was first found in (report.h), and judges it the first
 * time: url.ip_host, url.punycode, url.mixed_script, url.userinfo,
 * url.nonstandard_port, url.download, each with the URL as found as
 * detail. A URL is not suspicious for being there: a plain hyperlink of a
 * document gives no finding of its own. url.listed and url.shortener need
 * the policy's lists and are found by policy_judge().
 *
 * Limits: limits.urls distinct URLs per message (then scan.limit once,
 * and the rest are not recorded), URL_MAX_BYTES a URL, URL_DETAIL_BYTES
 * of it in a detail.
 */
#ifndef KENSA_URL_JUDGE_H
#define KENSA_URL_JUDGE_H

#include "scan_ctx.h"

#define URL_DETAIL_BYTES 1024

/* A URL (or a scheme-less www. host) found in part; 0, or -1 when memory
 * ran out. Strings that are no URL kensa reads are ignored. */
int url_found(struct scan_ctx *ctx, const struct part_path *part,
	      struct span found);

/* An HTML anchor: its absolute href and its visible text. When the text is
 * a URL or a domain whose registrable domain differs from the href's, and
 * neither host is the other or a subdomain of it: url.text_mismatch. */
int url_anchor(struct scan_ctx *ctx, const struct part_path *part,
	       struct span href, struct span text);

/* The URLs of a text part (UTF-8): plain text (url_text.h) or HTML
 * (url_html.h), each through url_found(), each anchor through
 * url_anchor(). 0, or -1 when memory ran out. */
int url_scan_text(struct scan_ctx *ctx, const struct part_path *part,
		  struct span text, int html);

/* Whether a label of host mixes scripts (e.g. Cyrillic with Latin); host
 * is UTF-8. Latin with Han, kana or Hangul is not counted. */
int url_mixed_script(const char *host);

#endif
