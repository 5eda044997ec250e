#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../parser/utf8.h"

#define LOG_CLEAN_MAX 200

static int to_syslog = 1;
static int to_stderr;
static int max_priority = LOG_INFO;

static const struct {
	const char *name;
	int facility;
} facilities[] = {
    {"mail", LOG_MAIL},	    {"daemon", LOG_DAEMON}, {"local0", LOG_LOCAL0},
    {"local1", LOG_LOCAL1}, {"local2", LOG_LOCAL2}, {"local3", LOG_LOCAL3},
    {"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5}, {"local6", LOG_LOCAL6},
    {"local7", LOG_LOCAL7}, {"user", LOG_USER},
};

int log_open(const char *facility, int use_syslog, int use_stderr, int debug)
{
	int fac = -1;

	for (size_t i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++)
		if (strcasecmp(facility, facilities[i].name) == 0)
			fac = facilities[i].facility;
	if (fac < 0)
		return -1;
	to_syslog = use_syslog;
	to_stderr = use_stderr;
	max_priority = debug ? LOG_DEBUG : LOG_INFO;
	if (to_syslog)
		openlog("kensa-milter", LOG_PID | LOG_NDELAY, fac);
	return 0;
}

void log_msg(int priority, const char *fmt, ...)
{
	static const char *const names[] = {"emerg", "alert",	"crit",
					    "error", "warning", "notice",
					    "info",  "debug"};
	char line[2048];
	va_list ap;

	if (priority > max_priority)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (to_syslog)
		syslog(priority, "%s", line);
	if (to_stderr)
		fprintf(stderr, "kensa-milter: %s: %s\n", names[priority & 7],
			line);
}

char *log_clean(const char *text)
{
	size_t len;
	char *out;

	if (!text)
		return strdup("-");
	len = strlen(text);
	if (len > LOG_CLEAN_MAX)
		len = LOG_CLEAN_MAX;
	while (len > 0 && len < strlen(text) &&
	       ((unsigned char)text[len] & 0xc0) == 0x80)
		len--;
	out = utf8_repair(text, len);
	for (char *p = out; p && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return out;
}
