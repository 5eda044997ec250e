#include "thread_ledger.h"

#include <gmime/gmime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../parser/address.h"
#include "../parser/span.h"
#include "../parser/thread_subject.h"

struct refs {
	size_t n;
	char *id[THREAD_MAX_REFERENCES];
};

static const char *header_value(const struct report *r, const char *name)
{
	for (size_t i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

static void refs_add(struct refs *refs, const char *id, size_t len)
{
	if (refs->n == THREAD_MAX_REFERENCES || len == 0 || len > 998 ||
	    !memchr(id, '@', len))
		return;
	for (size_t i = 0; i < refs->n; i++)
		if (strlen(refs->id[i]) == len &&
		    memcmp(refs->id[i], id, len) == 0)
			return;
	if ((refs->id[refs->n] = strndup(id, len)) != NULL)
		refs->n++;
}

/* The "<...>" tokens of a header value, newest (last) first. */
static void refs_from(struct refs *refs, const char *value)
{
	const char *starts[THREAD_MAX_REFERENCES * 4];
	size_t lens[THREAD_MAX_REFERENCES * 4], n = 0;

	for (const char *p = value; p && (p = strchr(p, '<')) != NULL;) {
		const char *end = strchr(p, '>');
		if (!end)
			break;
		if (n == sizeof(starts) / sizeof(starts[0])) { /* keep newest */
			memmove(starts, starts + 1, --n * sizeof(starts[0]));
			memmove(lens, lens + 1, n * sizeof(lens[0]));
		}
		starts[n] = p + 1;
		lens[n++] = (size_t)(end - p - 1);
		p = end + 1;
	}
	while (n-- > 0)
		refs_add(refs, starts[n], lens[n]);
}

static void refs_free(struct refs *refs)
{
	for (size_t i = 0; i < refs->n; i++)
		free(refs->id[i]);
	refs->n = 0;
}

/* The domain of a Message-ID, lower-cased, or NULL. */
static char *message_id_domain(const char *id)
{
	const char *at = id ? strrchr(id, '@') : NULL;
	char *d;

	if (!at)
		return NULL;
	d = address_lower_dup(at + 1);
	if (d)
		d[strcspn(d, "> \t")] = '\0';
	return d;
}

/* domain is one of the words of list, or a subdomain of one. */
static int domain_listed(const char *list, const char *domain)
{
	if (!domain || !*domain)
		return 0;
	for (struct span w; (w = span_next_word(&list)).len;)
		if (address_within(domain, (const char *)w.ptr, w.len))
			return 1;
	return 0;
}

typedef void (*mailbox_fn)(const char *name, const char *addr, void *arg);

static void each_mailbox(InternetAddressList *list, mailbox_fn fn, void *arg,
			 int depth)
{
	int n = list ? internet_address_list_length(list) : 0;

	for (int i = 0; i < n; i++) {
		InternetAddress *a = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_MAILBOX(a))
			fn(internet_address_get_name(a),
			   internet_address_mailbox_get_addr(
			       INTERNET_ADDRESS_MAILBOX(a)),
			   arg);
		else if (INTERNET_ADDRESS_IS_GROUP(a) && depth == 0)
			each_mailbox(internet_address_group_get_members(
					 INTERNET_ADDRESS_GROUP(a)),
				     fn, arg, 1);
	}
}

static void header_mailboxes(const struct report *r, const char *name,
			     mailbox_fn fn, void *arg)
{
	for (size_t i = 0; i < r->nheaders; i++) {
		InternetAddressList *list;
		if (strcasecmp(r->headers[i].name, name) != 0)
			continue;
		list = internet_address_list_parse(NULL, r->headers[i].value);
		each_mailbox(list, fn, arg, 0);
		if (list)
			g_object_unref(list);
	}
}

/* A display name as the ledger keys it: NFKC, case-folded, quotes and
 * repeated spaces gone; NULL when it does not look like a person's. */
static char *person_name(const char *name)
{
	char *nfkc, *folded, *out, *o;
	int words = 1, ascii = 1;

	if (!name || !*name || strchr(name, '@') ||
	    !g_utf8_validate(name, -1, NULL))
		return NULL;
	nfkc = g_utf8_normalize(name, -1, G_NORMALIZE_NFKC);
	folded = nfkc ? g_utf8_casefold(nfkc, -1) : NULL;
	g_free(nfkc);
	if (!folded || !(out = malloc(strlen(folded) + 1))) {
		g_free(folded);
		return NULL;
	}
	o = out;
	for (const char *p = folded; *p; p++) {
		if (*p == '"' || *p == '\'')
			continue;
		if (*p == ' ' || *p == '\t') {
			if (o > out && o[-1] != ' ')
				*o++ = ' ';
			continue;
		}
		ascii &= (unsigned char)*p < 0x80;
		*o++ = *p;
	}
	if (o > out && o[-1] == ' ')
		o--;
	*o = '\0';
	g_free(folded);
	for (const char *p = out; *p; p++)
		words += *p == ' ';
	if (g_utf8_strlen(out, -1) < THREAD_NAME_MIN || (ascii && words < 2)) {
		free(out);
		return NULL;
	}
	return out;
}

static int finding(struct report *r, const char *id, const char *detail)
{
	return report_add_finding(r, id, NULL, detail, strlen(detail));
}

struct sender {
	char *addr, *org, *name;
	const struct ledger *l;
	int hashed; /* addr_h and org_h made (sender_hash) */
	struct ledger_hash addr_h, org_h;
};

static void sender_of(const struct ledger *l, const struct report *r,
		      struct sender *s)
{
	InternetAddressList *from =
	    r->from ? internet_address_list_parse(NULL, r->from) : NULL;
	InternetAddress *a = from && internet_address_list_length(from) > 0
				 ? internet_address_list_get_address(from, 0)
				 : NULL;

	memset(s, 0, sizeof(*s));
	s->addr = address_lower_dup(r->from_addr);
	s->org = address_lower_dup(address_org_domain(address_domain(s->addr)));
	if (a && INTERNET_ADDRESS_IS_MAILBOX(a))
		s->name = person_name(internet_address_get_name(a));
	if (from)
		g_object_unref(from);
	s->l = l;
}

/* The keyed hashes of s's address and organization, made when a ledger
 * entry or name is to be compared with them: most mail needs none. */
static void sender_hash(struct sender *s)
{
	if (!s->hashed && s->l) {
		if (s->addr)
			ledger_hash_text(s->l, s->addr, &s->addr_h);
		if (s->org)
			ledger_hash_text(s->l, s->org, &s->org_h);
	}
	s->hashed = 1;
}

static void sender_free(struct sender *s)
{
	free(s->addr);
	free(s->org);
	free(s->name);
}

/* The lookups of In-Reply-To and References; *verified when one is ours
 * and went to the sender. */
static int check_references(struct ledger *l, const char *local_domains,
			    struct sender *s, struct report *r, int *verified,
			    const char **ledger_error)
{
	struct refs refs = {0};
	struct ledger_entry e;
	char mismatch[LEDGER_DOMAINS_LEN + 1] = "", *local = NULL;
	int found = 0, unknown = 0, rc = 0;

	refs_from(&refs, header_value(r, "In-Reply-To"));
	refs_from(&refs, header_value(r, "References"));
	for (size_t i = 0; i < refs.n && !*verified && !unknown; i++) {
		char *domain;
		switch (ledger_get(l, refs.id[i], &e)) {
		case LEDGER_UNKNOWN:
			unknown = 1;
			*ledger_error = ledger_last_error(l);
			break;
		case LEDGER_FOUND:
			sender_hash(s);
			*verified =
			    s->addr &&
			    (ledger_hash_in(e.rcpt, e.nrcpts, &s->addr_h) ||
			     ledger_hash_in(e.org, e.norgs, &s->org_h));
			if (!found++)
				snprintf(mismatch, sizeof(mismatch), "%s",
					 e.domains);
			break;
		case LEDGER_ABSENT:
			domain = message_id_domain(refs.id[i]);
			if (!local && domain_listed(local_domains, domain))
				local = refs.id[i];
			free(domain);
			break;
		}
	}
	if (*verified)
		rc = finding(r, "thread.reply_verified", "");
	else if (found)
		rc = finding(r, "thread.ledger_mismatch",
			     *mismatch ? mismatch : "(no domains)");
	else if (local && !unknown)
		rc = finding(r, "thread.ledger_unknown", local);
	refs_free(&refs);
	return rc;
}

/* A known correspondent's name from an organization none of them uses;
 * a verified reply teaches the ledger its sender's name instead. */
static int check_name(struct ledger *l, int learn, int verified,
		      struct sender *s, struct report *r,
		      const char **ledger_error)
{
	struct ledger_name n;
	char detail[256];

	if (!s->name || !s->org)
		return 0;
	if (verified) {
		if (learn) {
			sender_hash(s);
			if (ledger_name_add(l, s->name, &s->org_h) < 0)
				*ledger_error = ledger_last_error(l);
		}
		return 0;
	}
	switch (ledger_name_get(l, s->name, &n)) {
	case LEDGER_UNKNOWN: *ledger_error = ledger_last_error(l); return 0;
	case LEDGER_ABSENT: return 0;
	case LEDGER_FOUND: break;
	}
	sender_hash(s);
	if (n.norgs == 0 || ledger_hash_in(n.org, n.norgs, &s->org_h))
		return 0;
	snprintf(detail, sizeof(detail), "%s from %s", s->name, s->org);
	return finding(r, "thread.display_name_impersonation", detail);
}

struct rcpt_match {
	const char *org, *sender_org;
	int hit;
};

static void match_rcpt_org(const char *name, const char *addr, void *arg)
{
	struct rcpt_match *m = arg;
	char *a = address_lower_dup(addr);
	const char *domain = address_domain(a);
	/* only a domain within the Message-ID's organization can be of it:
	 * the public suffix list is asked only then */
	const char *org =
	    domain && address_within(domain, m->org, strlen(m->org))
		? address_org_domain(domain)
		: NULL;

	if (org && strcmp(org, m->org) == 0 &&
	    (!m->sender_org || strcmp(org, m->sender_org) != 0))
		m->hit = 1;
	free(a);
}

/* The Message-ID's domain is a recipient's organization, not the
 * sender's: a message made up to look as if written inside. */
static int check_message_id(const struct envelope *env, const struct sender *s,
			    struct report *r)
{
	char *domain = message_id_domain(r->message_id), *org = NULL;
	const char *sender_domain = address_domain(s->addr);
	struct rcpt_match m = {NULL, s->org, 0};
	int rc = 0;

	/* a Message-ID of the sender's own domain is of the sender's
	 * organization: no finding, and no public suffix lookup */
	if (domain &&
	    !(sender_domain && strcasecmp(domain, sender_domain) == 0))
		org = address_lower_dup(address_org_domain(domain));
	m.org = org;
	if (org) {
		if (env && env->nrcpts)
			for (size_t i = 0; i < env->nrcpts; i++)
				match_rcpt_org(NULL, env->rcpts[i], &m);
		else {
			header_mailboxes(r, "To", match_rcpt_org, &m);
			header_mailboxes(r, "Cc", match_rcpt_org, &m);
		}
		if (m.hit)
			rc =
			    finding(r, "thread.msgid_recipient_domain", domain);
	}
	free(org);
	free(domain);
	return rc;
}

int thread_ledger_check(struct ledger *l, int learn, const char *local_domains,
			const struct envelope *env, struct report *r,
			const char **ledger_error)
{
	struct sender s;
	int verified = 0, rc = 0;

	*ledger_error = NULL;
	sender_of(l, r, &s);
	if (l)
		rc = check_references(l, local_domains ? local_domains : "", &s,
				      r, &verified, ledger_error);
	if (rc == 0 && l)
		rc = check_name(l, learn, verified, &s, r, ledger_error);
	if (rc == 0)
		rc = check_message_id(env, &s, r);
	sender_free(&s);
	return rc;
}

int thread_ledger_judge(struct ledger *l, int learn, const char *local_domains,
			const struct envelope *env, struct report *r,
			const char **ledger_error)
{
	*ledger_error = NULL;
	if (env && env->outbound == 1) {
		report_drop_findings(r, "thread.");
		return 0;
	}
	return thread_ledger_check(l, learn, local_domains, env, r,
				   ledger_error);
}

struct outbound {
	struct ledger *l;
	struct ledger_entry *e;
	int failed;
};

static void add_domain(struct ledger_entry *e, const char *domain)
{
	size_t have = strlen(e->domains), n = strlen(domain);
	const char *p = e->domains;

	for (; *p; p += strspn(p, " ")) {
		size_t w = strcspn(p, " ");
		if (w == n && memcmp(p, domain, n) == 0)
			return;
		p += w;
	}
	if (have + n + 1 < sizeof(e->domains))
		snprintf(e->domains + have, sizeof(e->domains) - have, "%s%s",
			 have ? " " : "", domain);
}

static void add_recipient(const char *name, const char *addr, void *arg)
{
	struct outbound *o = arg;
	struct ledger_entry *e = o->e;
	char *a = address_lower_dup(addr);
	const char *domain = address_domain(a);
	const char *org = address_org_domain(domain);
	struct ledger_hash h;

	if (!a || !domain || !*domain) {
		free(a);
		return;
	}
	if (e->nrcpts < LEDGER_MAX_RCPTS &&
	    ledger_hash_text(o->l, a, &h) == 0 &&
	    !ledger_hash_in(e->rcpt, e->nrcpts, &h))
		e->rcpt[e->nrcpts++] = h;
	if (e->norgs < LEDGER_MAX_ORGS &&
	    ledger_hash_text(o->l, org, &h) == 0 &&
	    !ledger_hash_in(e->org, e->norgs, &h))
		e->org[e->norgs++] = h;
	add_domain(e, domain);
	free(a);
}

/* The names our users write to, learned with their organization. */
static void learn_name(const char *name, const char *addr, void *arg)
{
	struct outbound *o = arg;
	char *person = person_name(name), *a = address_lower_dup(addr);
	const char *org = address_org_domain(address_domain(a));
	struct ledger_hash h;

	if (person && org && ledger_hash_text(o->l, org, &h) == 0 &&
	    ledger_name_add(o->l, person, &h) < 0)
		o->failed = 1;
	free(person);
	free(a);
}

int thread_ledger_record(struct ledger *l, const struct envelope *env,
			 const struct report *r)
{
	struct ledger_entry *e;
	struct outbound o;
	char *sender, *subject;
	int rc;

	if (!r->message_id)
		return 0;
	if (!(e = calloc(1, sizeof(*e))))
		return -1;
	o = (struct outbound){l, e, 0};
	e->time = (uint64_t)time(NULL);
	sender = address_lower_dup(r->from_addr ? r->from_addr
				   : env	? env->sender
						: NULL);
	if (thread_subject_base(r->subject ? r->subject : "", &subject) < 0)
		subject = NULL;
	ledger_hash_text(l, sender ? sender : "", &e->sender);
	ledger_hash_text(l, subject ? subject : "", &e->subject);
	free(sender);
	free(subject);
	if (env && env->nrcpts) {
		for (size_t i = 0; i < env->nrcpts; i++)
			add_recipient(NULL, env->rcpts[i], &o);
	} else {
		header_mailboxes(r, "To", add_recipient, &o);
		header_mailboxes(r, "Cc", add_recipient, &o);
		header_mailboxes(r, "Bcc", add_recipient, &o);
	}
	if (e->nrcpts == 0) {
		free(e);
		return 0;
	}
	rc = ledger_put(l, r->message_id, e);
	free(e);
	if (rc < 0)
		return -1;
	header_mailboxes(r, "To", learn_name, &o);
	header_mailboxes(r, "Cc", learn_name, &o);
	return o.failed ? -1 : 1;
}
