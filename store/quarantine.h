/*
 * quarantine - kensa's own quarantine store (quarantine_method: store).
 * An entry is two files in quarantine_dir/YYYY-MM-DD/: ID.eml, exactly the
 * bytes received, and ID.json, the metadata; each is written to a temp
 * file, fsynced and renamed, the message first, then the metadata, then
 * the directory is fsynced: an entry exists once its .json does, and a
 * crash in between leaves only an orphan .eml that list ignores and purge
 * removes. IDs sort by time ("20261126T004402Z-" + 12 hex digits) and are
 * checked against that pattern before they touch a path; files are opened
 * with O_NOFOLLOW. Files are mode 0640 (the kensa group may read).
 */
#ifndef KENSA_QUARANTINE_H
#define KENSA_QUARANTINE_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

#define QUARANTINE_ID_LEN 29

int quarantine_new_id(char id[QUARANTINE_ID_LEN + 1]);
int quarantine_id_valid(const char *id);
int quarantine_store(const char *dir, const char *id, int msg_fd,
		     size_t msg_size, const char *meta);
/* Calls fn for every entry, oldest first; stops when fn returns non-zero. */
int quarantine_foreach(const char *dir,
		       int (*fn)(const char *id, json_t *meta, void *arg),
		       void *arg);
json_t *quarantine_meta(const char *dir, const char *id);
int quarantine_open_message(const char *dir, const char *id);
int quarantine_delete(const char *dir, const char *id);
/* Removes entries (and orphans) stored before the given time. */
int quarantine_purge(const char *dir, time_t before, unsigned *removed);
time_t quarantine_id_time(const char *id);

#endif
