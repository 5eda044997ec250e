/*
 * explain_cmd - `kensa policy explain [--policy FILE] [--config FILE]
 * MESSAGE`: every rule and allow entry of the policy with matched or not
 * (and, if not, which condition failed), then the score and the verdict,
 * exactly as the daemon would decide (envelope from a sidecar, as
 * `kensa replay` reads it). Exit: 0, or 2 on a usage or I/O error.
 */
#ifndef KENSA_EXPLAIN_CMD_H
#define KENSA_EXPLAIN_CMD_H

int explain_cmd(int argc, char **argv);

#endif
