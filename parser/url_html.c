/*
 * url_html - URLs of HTML through libxml2's SAX parser; see url_html.h.
 */
#include "url_html.h"

#include <ctype.h>
#include <limits.h>
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "url.h"

struct url_html_state {
	const struct url_html_sink *sink;
	htmlParserCtxtPtr parser;
	char *base; /* the first absolute <base href>, or NULL */
	char *href; /* of the open <a>, absolute, or NULL */
	char text[URL_HTML_TEXT_BYTES];
	size_t text_len;
	int rc;
	int done; /* a sink wants nothing more */
};

static const char *const url_html_attrs[] = {
    "href", "src", "action", "formaction", "background", "poster", NULL,
};

static void url_html_fail(struct url_html_state *s)
{
	s->rc = -1;
	xmlStopParser(s->parser);
}

/* What a sink returned: negative fails, positive ends the scan. */
static void url_html_sink_rc(struct url_html_state *s, int rc)
{
	if (rc < 0) {
		url_html_fail(s);
	} else if (rc > 0) {
		s->done = 1;
		xmlStopParser(s->parser);
	}
}

/* Whether ref starts with a scheme ("http:", "mailto:"). */
static int url_html_has_scheme(const char *ref)
{
	const char *p = ref;

	while (isspace((unsigned char)*p))
		p++;
	if (!isalpha((unsigned char)*p))
		return 0;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' ||
	       *p == '.')
		p++;
	return *p == ':';
}

/* ref made absolute (malloc'ed) in *out, NULL when it cannot be. */
static int url_html_absolute(struct url_html_state *s, const char *ref,
			     char **out)
{
	const char *p = ref;

	*out = NULL;
	while (isspace((unsigned char)*p))
		p++;
	if (!*p || *p == '#')
		return 0;
	if (url_html_has_scheme(p)) {
		*out = strdup(p);
		return *out ? 0 : -1;
	}
	if (s->base)
		return url_resolve(s->base, span_str(p), out) < 0 ? -1 : 0;
	if (p[0] == '/' && p[1] == '/')
		return url_resolve("http://base.invalid/", span_str(p), out) < 0
			   ? -1
			   : 0;
	return 0;
}

/* Hands ref, made absolute, to the sink; keeps it in *keep if asked. */
static void url_html_ref(struct url_html_state *s, const char *ref, char **keep)
{
	char *abs;

	if (url_html_absolute(s, ref, &abs) < 0) {
		url_html_fail(s);
		return;
	}
	if (abs && !s->done)
		url_html_sink_rc(s,
				 s->sink->found(s->sink->arg, span_str(abs)));
	if (keep)
		*keep = abs;
	else
		free(abs);
}

static void url_html_anchor_end(struct url_html_state *s)
{
	if (s->href && s->rc == 0 && !s->done && s->sink->anchor)
		url_html_sink_rc(
		    s, s->sink->anchor(s->sink->arg, span_str(s->href),
				       span_make(s->text, s->text_len)));
	free(s->href);
	s->href = NULL;
	s->text_len = 0;
}

/* The URL of a refresh: "5; url='http://...'". */
static void url_html_refresh(struct url_html_state *s, const char *content)
{
	const char *p = strcasestr(content, "url");
	char *copy;
	size_t n;

	if (!p)
		return;
	p += 3;
	while (isspace((unsigned char)*p))
		p++;
	if (*p++ != '=')
		return;
	while (isspace((unsigned char)*p))
		p++;
	n = strlen(p);
	if (*p == '\'' || *p == '"') {
		const char *close = strchr(p + 1, *p);
		p++;
		n = close ? (size_t)(close - p) : strlen(p);
	}
	copy = strndup(p, n);
	if (!copy) {
		url_html_fail(s);
		return;
	}
	url_html_ref(s, copy, NULL);
	free(copy);
}

static const char *url_html_attr(const xmlChar **atts, const char *name)
{
	for (size_t i = 0; atts && atts[i]; i += 2)
		if (strcmp((const char *)atts[i], name) == 0)
			return atts[i + 1] ? (const char *)atts[i + 1] : "";
	return NULL;
}

static void url_html_base(struct url_html_state *s, const xmlChar **atts)
{
	const char *href = url_html_attr(atts, "href");
	struct url u;

	if (s->base || !href || !url_html_has_scheme(href))
		return;
	if (url_parse(span_str(href), &u) != 0)
		return;
	s->base = u.normalized;
	u.normalized = NULL;
	url_free(&u);
}

static void url_html_start(void *arg, const xmlChar *name, const xmlChar **atts)
{
	struct url_html_state *s = arg;
	const char *tag = (const char *)name, *v;

	if (s->rc < 0 || s->done)
		return;
	if (strcmp(tag, "base") == 0)
		url_html_base(s, atts);
	if (strcmp(tag, "a") == 0)
		url_html_anchor_end(s);
	for (size_t i = 0; url_html_attrs[i] && s->rc == 0 && !s->done; i++)
		if ((v = url_html_attr(atts, url_html_attrs[i])))
			url_html_ref(s, v,
				     i == 0 && strcmp(tag, "a") == 0 ? &s->href
								     : NULL);
	if (strcmp(tag, "object") == 0 && (v = url_html_attr(atts, "data")))
		url_html_ref(s, v, NULL);
	if (strcmp(tag, "meta") == 0 &&
	    (v = url_html_attr(atts, "http-equiv")) &&
	    strcasecmp(v, "refresh") == 0 &&
	    (v = url_html_attr(atts, "content")))
		url_html_refresh(s, v);
}

static void url_html_end(void *arg, const xmlChar *name)
{
	struct url_html_state *s = arg;

	if (strcmp((const char *)name, "a") == 0)
		url_html_anchor_end(s);
}

static void url_html_chars(void *arg, const xmlChar *ch, int len)
{
	struct url_html_state *s = arg;
	size_t n = len > 0 ? (size_t)len : 0;

	if (!s->href)
		return;
	if (n > sizeof(s->text) - s->text_len)
		n = sizeof(s->text) - s->text_len;
	memcpy(s->text + s->text_len, ch, n);
	s->text_len += n;
}

static void url_html_skip(void *arg, const xmlChar *ch, int len)
{
	(void)arg;
	(void)ch;
	(void)len;
}

/* Whether html names any attribute a URL is read from: no name, no
 * URL, and libxml2's parse (most of an HTML part's cost) is skipped. */
static int url_html_may_link(struct span html)
{
	static const char *const names[] = {
	    "href", "src", "action", "poster", "background", "data", "refresh"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (span_find_nocase(html, names[i]))
			return 1;
	return 0;
}

int url_html_scan(struct span html, const struct url_html_sink *sink)
{
	struct url_html_state s;
	htmlSAXHandler sax;
	xmlSAXHandlerPtr saved;

	memset(&s, 0, sizeof(s));
	memset(&sax, 0, sizeof(sax));
	s.sink = sink;
	sax.startElement = url_html_start;
	sax.endElement = url_html_end;
	sax.characters = url_html_chars;
	sax.cdataBlock = url_html_skip;
	if (html.len == 0 || !url_html_may_link(html))
		return 0;
	if (html.len > INT_MAX)
		html.len = INT_MAX;
	s.parser =
	    htmlCreateMemoryParserCtxt((const char *)html.ptr, (int)html.len);
	if (!s.parser)
		return -1;
	/* the handler is ours, on the stack: the context must not free it */
	saved = s.parser->sax;
	s.parser->sax = &sax;
	s.parser->userData = &s;
	xmlSwitchEncoding(s.parser, XML_CHAR_ENCODING_UTF8);
	htmlCtxtUseOptions(s.parser, HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
					 HTML_PARSE_NONET |
					 HTML_PARSE_IGNORE_ENC);
	htmlParseDocument(s.parser);
	s.parser->sax = saved;
	if (s.rc == 0)
		url_html_anchor_end(&s);
	free(s.href);
	free(s.base);
	htmlFreeParserCtxt(s.parser);
	return s.rc;
}
