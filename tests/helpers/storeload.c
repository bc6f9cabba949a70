/*
 * storeload - commit N change sets through lps_store_commit, for the
 * store's CLI tests (tests/cli/t0900-store.sh).
 *
 *	storeload REPO PREFIX N
 *
 * Change set i (0 <= i < N) writes PREFIX-<i>.yaml containing
 * "prefix: PREFIX\nn: <i>\n" with the message
 *
 *	load: PREFIX <i>
 *
 *	LPS-Command: storeload
 *	LPS-Phase: focus
 *
 * Errors print as the product prints them (lps_cli_fail), so the exit
 * status is the product's: 3 refused, 4 system error, and so on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store.h"

static const char usage[] = "usage: storeload REPO PREFIX N\n";

static struct lps_error *one(struct lps_store *store, const char *prefix,
			     long i)
{
	char path[512], data[600], msg[600];
	snprintf(path, sizeof(path), "%s-%ld.yaml", prefix, i);
	snprintf(data, sizeof(data), "prefix: %s\nn: %ld\n", prefix, i);
	snprintf(msg, sizeof(msg),
		 "load: %s %ld\n\nLPS-Command: storeload\nLPS-Phase: focus\n",
		 prefix, i);
	struct lps_changeset *cs = NULL;
	struct lps_error *err = lps_changeset_new(&cs);
	if (!err)
		err = lps_changeset_write(cs, path, data, strlen(data));
	if (!err)
		err = lps_store_commit(store, cs, msg, NULL);
	lps_changeset_free(cs);
	return err;
}

int main(int argc, char **argv)
{
	lps_cli_begin(usage);
	if (argc != 4)
		return lps_cli_usage_error("expected 3 arguments");
	char *end;
	long n = strtol(argv[3], &end, 10);
	if (*end || n < 0 || n > 100000 || strlen(argv[2]) > 256)
		return lps_cli_usage_error("bad N or PREFIX");
	struct lps_store *store = NULL;
	struct lps_error *err = lps_store_open(&store, argv[1]);
	for (long i = 0; !err && i < n; i++)
		err = one(store, argv[2], i);
	lps_store_free(store);
	return lps_cli_fail(err);
}
