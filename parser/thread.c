#include "thread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "mime_text.h"
#include "thread_subject.h"
#include "utf8.h"

/* NFKC, case-folded copy of s, g_free()d by the caller, or NULL. GLib's
 * normalizer reads past the end of invalid UTF-8 (a name cut inside a
 * character, or raw bytes), so s is mended first. */
static char *fold(const char *s)
{
	char *mended =
	    utf8_valid(s, strlen(s)) ? NULL : utf8_repair(s, strlen(s));
	char *nfkc =
	    g_utf8_normalize(mended ? mended : s, -1, G_NORMALIZE_NFKC);
	char *folded;

	free(mended);
	if (!nfkc)
		return NULL;
	folded = g_utf8_casefold(nfkc, -1);
	g_free(nfkc);
	return folded;
}

static int is_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* The word bytes of s, squashed together, in place. */
static void squash(char *s)
{
	size_t o = 0;

	for (size_t i = 0; s[i]; i++)
		if (is_word_byte((unsigned char)s[i]))
			s[o++] = s[i];
	s[o] = '\0';
}

static int has_word(const char *s, const char *word, size_t n)
{
	for (const char *p = s; (p = strstr(p, word)) != NULL; p++) {
		int starts = p == s || !is_word_byte((unsigned char)p[-1]);
		if (starts && !is_word_byte((unsigned char)p[n]))
			return 1;
	}
	return 0;
}

/* Every word of at least two bytes of a is a word of b (and there is one). */
static int words_within(const char *a, const char *b)
{
	char word[THREAD_QUOTE_NAME_BYTES + 1];
	int words = 0;

	for (size_t i = 0; a[i];) {
		size_t n = 0;
		while (a[i] && !is_word_byte((unsigned char)a[i]))
			i++;
		while (a[i] && is_word_byte((unsigned char)a[i])) {
			if (n < THREAD_QUOTE_NAME_BYTES)
				word[n++] = a[i];
			i++;
		}
		if (n < 2)
			continue;
		word[n] = '\0';
		if (!has_word(b, word, n))
			return 0;
		words++;
	}
	return words > 0;
}

int thread_name_matches(const char *sender_name, const char *shown)
{
	char *a = fold(sender_name), *b = fold(shown);
	int match = 0;

	if (a && b) {
		match = words_within(a, b);
		squash(a);
		squash(b);
		if (*a && (!strcmp(a, b) || (strlen(a) >= 4 && strstr(b, a))))
			match = 1;
	}
	g_free(a);
	g_free(b);
	return match;
}

static const char *org_of(const char *addr)
{
	const char *domain = address_domain(addr);
	return domain && *domain ? address_org_domain(domain) : NULL;
}

static void list_domain(char *buf, size_t size, unsigned *listed,
			const char *org)
{
	size_t used = strlen(buf);

	if (!org || *listed >= 3 || strstr(buf, org))
		return;
	snprintf(buf + used, size - used, "%s%s", *listed ? ", " : "", org);
	(*listed)++;
}

int thread_sender_in_quote(const struct thread_quote *q, const char *addr,
			   const char *name, char **domains_out)
{
	char *sender = address_lower_dup(addr), domains[256] = "";
	const char *sender_org;
	unsigned listed = 0;
	int in = 0;

	if (domains_out)
		*domains_out = NULL;
	if (!sender)
		return 1;
	sender_org = org_of(sender);
	for (size_t i = 0; i < q->n && !in; i++) {
		const struct thread_participant *p = &q->p[i];
		if (p->addr) {
			const char *org = org_of(p->addr);
			in = !strcmp(p->addr, sender) ||
			     (org && sender_org && !strcmp(org, sender_org));
			list_domain(domains, sizeof(domains), &listed, org);
		} else if (p->name) {
			in = !name || !*name ||
			     thread_name_matches(name, p->name);
		}
	}
	free(sender);
	if (!in && domains_out)
		*domains_out = strdup(domains);
	return in;
}

static int header_present(GMimeMessage *message, const char *name)
{
	const char *v = g_mime_object_get_header(GMIME_OBJECT(message), name);

	while (v && (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n'))
		v++;
	return v && *v;
}

static int check_subject(struct scan_ctx *ctx, GMimeMessage *message,
			 enum thread_subject_kind *kind)
{
	const char *subject = g_mime_message_get_subject(message);
	struct thread_subject s;
	int rc = 0;

	if (!subject)
		return 0;
	if (thread_subject_parse(span_str(subject), &s) < 0)
		return -1;
	*kind = s.kind;
	if (s.kind == THREAD_SUBJECT_REPLY &&
	    !header_present(message, "In-Reply-To") &&
	    !header_present(message, "References"))
		rc = scan_finding(ctx, "thread.fake_reply", NULL,
				  "reply subject without In-Reply-To or "
				  "References");
	thread_subject_free(&s);
	return rc < 0 ? -1 : 0;
}

/* The first mailbox of From, or NULL. */
static InternetAddressMailbox *from_mailbox(GMimeMessage *message)
{
	InternetAddressList *from = g_mime_message_get_from(message);
	InternetAddress *a;

	if (!from || internet_address_list_length(from) < 1)
		return NULL;
	a = internet_address_list_get_address(from, 0);
	return INTERNET_ADDRESS_IS_MAILBOX(a) ? INTERNET_ADDRESS_MAILBOX(a)
					      : NULL;
}

static int check_display_name(struct scan_ctx *ctx, const char *name,
			      const char *addr)
{
	struct span s = span_str(name);
	size_t start, len;

	while (thread_quote_find_address(s, &start, &len)) {
		if (strlen(addr) != len ||
		    g_ascii_strncasecmp((const char *)s.ptr + start, addr, len))
			return scan_finding(ctx, "thread.display_name_address",
					    NULL, "display name shows %.*s",
					    (int)len, s.ptr + start) < 0
				   ? -1
				   : 0;
		s.ptr += start + len;
		s.len -= start + len;
	}
	return 0;
}

static int scan_text(void *arg, struct span text, int html)
{
	struct thread_quote *q = arg;

	return html ? thread_quote_scan_html(q, text)
		    : thread_quote_scan_text(q, text);
}

static int check_quote(struct scan_ctx *ctx, GMimeMessage *message,
		       const char *name, const char *addr)
{
	struct thread_quote q;
	size_t total = THREAD_TEXT_BYTES, read = 0;
	char *domains = NULL;
	int rc;

	if (ctx->budget_left < total)
		total = ctx->budget_left;
	thread_quote_init(&q);
	rc = mime_text_foreach(message, ctx->limits, THREAD_QUOTE_BYTES, total,
			       scan_text, &q, &read);
	scan_budget_take(ctx, read);
	if (rc == 0 && q.recipient_blocks && thread_quote_addresses(&q) &&
	    !thread_sender_in_quote(&q, addr, name, &domains))
		rc = scan_finding(ctx, "thread.sender_not_in_thread", NULL,
				  "sender %s; quoted %zu participants of %s",
				  address_domain(addr) ? address_domain(addr)
						       : addr,
				  q.n, domains ? domains : "?");
	free(domains);
	thread_quote_free(&q);
	return rc < 0 ? -1 : 0;
}

int thread_scan(struct scan_ctx *ctx, GMimeMessage *message)
{
	InternetAddressMailbox *mb = from_mailbox(message);
	const char *addr = mb ? internet_address_mailbox_get_addr(mb) : NULL;
	const char *raw_name =
	    mb ? internet_address_get_name(INTERNET_ADDRESS(mb)) : NULL;
	enum thread_subject_kind kind = THREAD_SUBJECT_NEW;
	char *name = NULL;
	int rc;

	if (check_subject(ctx, message, &kind) < 0)
		return -1;
	if (!addr || !*addr)
		return 0;
	if (raw_name && !(name = thread_text_utf8(span_str(raw_name),
						  THREAD_SUBJECT_BYTES)))
		return -1;
	rc = name ? check_display_name(ctx, name, addr) : 0;
	if (rc == 0 && kind != THREAD_SUBJECT_FORWARD &&
	    !header_present(message, "List-Id") &&
	    !header_present(message, "List-Post"))
		rc = check_quote(ctx, message, name, addr);
	free(name);
	return rc;
}
