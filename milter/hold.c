#include "hold.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "../store/quarantine.h"
#include "../store/release.h"
#include "daemon.h"
#include "log.h"

static unsigned char release_key[RELEASE_KEY_LEN];
static int have_key;

int hold_init(void)
{
	const struct settings *s = &kensa.settings;

	if (release_key_ensure(s->state_dir, release_key) < 0) {
		log_msg(LOG_WARNING,
			"no release key in %s: release stamps are not honoured",
			s->state_dir);
		return 0;
	}
	have_key = 1;
	return 0;
}

int hold_store(const struct spool *spool, const struct envelope *env,
	       const struct judgement *j, double elapsed_ms,
	       struct quarantine_ref *ref, char *id_buf, size_t id_len)
{
	const struct settings *s = &kensa.settings;
	char id[QUARANTINE_ID_LEN + 1];
	json_t *meta;
	char *text;
	int rc;

	if (id_len <= QUARANTINE_ID_LEN || quarantine_new_id(id) < 0)
		return -1;
	memcpy(id_buf, id, sizeof(id));
	ref->method = "store";
	ref->id = id_buf;
	meta = events_object(env, j, elapsed_ms, ref);
	text = meta ? json_dumps(meta, JSON_INDENT(2)) : NULL;
	json_decref(meta);
	if (!text)
		return -1;
	rc = quarantine_store(s->quarantine_dir, id, spool->fd, spool->size,
			      text);
	free(text);
	return rc;
}

void hold_send_copies(const struct spool *spool, const struct envelope *env,
		      const struct decision *d)
{
	const struct settings *s = &kensa.settings;
	char field[256], err[256];
	void *map;

	if (d->monitor || d->verdict < VERDICT_QUARANTINE || spool->size == 0)
		return;
	for (size_t i = 0; i < d->nrules; i++) {
		const char *to = d->acting[i]->copy_to;
		if (!to)
			continue;
		map = mmap(NULL, spool->size, PROT_READ, MAP_SHARED, spool->fd,
			   0);
		if (map == MAP_FAILED)
			return;
		snprintf(field, sizeof(field),
			 "X-Kensa-Copy: %s; rule=%s; queue-id=%s",
			 verdict_name(d->verdict), d->acting[i]->name,
			 env->queue_id && !strpbrk(env->queue_id, "\r\n;")
			     ? env->queue_id
			     : "-");
		if (release_send(s->release_smtp,
				 env->sender ? env->sender : "", &to, 1, field,
				 span_make(map, spool->size), err,
				 sizeof(err)) < 0)
			log_msg(LOG_WARNING, "copy_to %s failed: %s", to, err);
		munmap(map, spool->size);
	}
}

void hold_check_release(struct judgement *j, const char *stamp,
			const char *digest)
{
	char id[64];

	if (!have_key || !stamp ||
	    !release_stamp_valid(release_key, stamp, digest, id))
		return;
	j->released_id = strdup(id);
	if (j->decision.verdict > VERDICT_TAG)
		j->decision.verdict = VERDICT_TAG;
}
