/*
 * fuzz_policy - libFuzzer target for the YAML readers: bytes as a policy
 * (policy_load_string) and as kensa.yaml (through a temporary file).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../policy/policy.h"
#include "../../policy/settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy *p = NULL;
	struct settings s;
	char *error = NULL;
	char path[] = "/tmp/kensa-fuzz-settings.XXXXXX";
	int fd;

	if (policy_load_string("fuzz", (const char *)data, size, &p, &error) ==
	    0)
		policy_free(p);
	free(error);
	error = NULL;
	fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		settings_defaults(&s);
		settings_load(&s, path, &error);
		settings_free(&s);
		free(error);
	}
	close(fd);
	unlink(path);
	return 0;
}
