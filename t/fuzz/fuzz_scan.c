/*
 * fuzz_scan - libFuzzer target for the whole engine: a message's bytes
 * through scan_message (GMime walk, file types, analyzers), the report to
 * JSON, to the workers' form and back, and a policy's decision. Built by `make fuzz`
 * with clang; with t/fuzz/replay.c it also replays files in `make check`.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../parser/report_json.h"
#include "../../parser/report_wire.h"
#include "../../parser/scan.h"
#include "../../policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fuzz_policy[] =
    "version: 1\n"
    "thresholds: {tag: 5, quarantine: 15, reject: 50}\n"
    "rules:\n"
    "  - name: any\n"
    "    when: {any: [{finding: 'attachment.*'}, {not: {finding: 'mime.*'}}]}\n"
    "    score: 5\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct policy *policy;
	static int ready;
	struct scan_options opts = {.limits = SCAN_LIMITS_DEFAULT};
	struct report report, again;
	struct decision d;
	json_t *obj;
	char *error = NULL;
	unsigned char *wire;
	size_t len;

	if (!ready) {
		scan_global_init();
		if (policy_load_string("fuzz", fuzz_policy, strlen(fuzz_policy),
				       &policy, &error) < 0)
			abort();
		ready = 1;
	}
	opts.limits.decoded_bytes = 16u << 20;
	if (scan_message(span_make(data, size), &opts, &report) < 0)
		abort();
	obj = json_object();
	if (!obj || report_to_json(&report, obj) < 0 ||
	    report_to_wire(&report, &wire, &len) < 0)
		abort();
	if (report_from_wire(wire, len, &again, opts.limits.findings) < 0 ||
	    again.nfindings != report.nfindings ||
	    again.nparts != report.nparts || again.nurls != report.nurls)
		abort();
	free(wire);
	if (policy_decide(policy, &report, NULL, &d) < 0)
		abort();
	decision_free(&d);
	report_free(&again);
	json_decref(obj);
	report_free(&report);
	return 0;
}
