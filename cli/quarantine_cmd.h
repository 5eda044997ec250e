/*
 * quarantine_cmd - `kensa quarantine [--config FILE] [--dir PATH]
 * list|show|release|delete|purge`: the SOC's view of kensa's quarantine
 * store (store/quarantine.h). Release re-injects the original bytes with
 * a release stamp over SMTP to release_smtp (store/release.h). Every
 * release, delete and purge is appended to quarantine_dir/audit.log (who,
 * when, what). Exit status: 0 done, 1 not found or refused, 2 usage or
 * I/O error.
 */
#ifndef KENSA_QUARANTINE_CMD_H
#define KENSA_QUARANTINE_CMD_H

int quarantine_cmd(int argc, char **argv);

#endif
