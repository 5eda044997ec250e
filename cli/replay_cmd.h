/*
 * replay_cmd - `kensa replay --policy NEW [--baseline OLD] [--config FILE]
 * [--json] PATH...`: each message (files, directories, mbox, the
 * quarantine store) is scanned and decided under each policy (with its own
 * YARA rules and lists); what changed is reported, message by message,
 * then a summary (transitions and hits per rule). A message with an envelope beside it (envelope_file.h)
 * is decided with it; one without lists the rules that look at the
 * envelope as not evaluated. Exit: 0 done, 2 usage or I/O error.
 */
#ifndef KENSA_REPLAY_CMD_H
#define KENSA_REPLAY_CMD_H

int replay_cmd(int argc, char **argv);

#endif
