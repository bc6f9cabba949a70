/*
 * test-peer - feedback between roundtable members, read from members'
 * fetched branches: resolving an item id on a member's ref, and
 * gathering the feedback addressed to one member from everyone's
 * branch.  The fetched refs are made directly with libgit2 in a
 * temporary repository (no roundtable needed to read them).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <git2.h>

#include "peer.h"
#include "remote.h"
#include "store.h"

struct fixture {
	char dir[64];
	git_repository *repo;
	struct lps_store *store;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/lps-test-peer.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	git_libgit2_init();
	if (git_repository_init(&f->repo, f->dir, 0) < 0)
		return -1;
	struct lps_error *err = lps_store_open(&f->store, f->dir);
	if (err) {
		lps_error_free(err);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];
	lps_store_free(f->store);
	git_repository_free(f->repo);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	git_libgit2_shutdown();
	return 0;
}

/* Point refs/remotes/roundtable/members/<handle> at a root commit whose
 * tree holds files[] (path, text pairs, NULL-ended). */
static void member(struct fixture *f, const char *handle,
		   const char *const *files)
{
	git_index *idx;
	git_signature *sig;
	git_oid tree_id, id;
	git_tree *tree;
	git_reference *ref;
	char name[128];

	assert_int_equal(git_index_new(&idx), 0);
	for (size_t i = 0; files[i]; i += 2) {
		git_index_entry e;
		memset(&e, 0, sizeof(e));
		e.path = files[i];
		e.mode = GIT_FILEMODE_BLOB;
		assert_int_equal(git_blob_create_from_buffer(
					 &e.id, f->repo, files[i + 1],
					 strlen(files[i + 1])), 0);
		assert_int_equal(git_index_add(idx, &e), 0);
	}
	assert_int_equal(git_index_write_tree_to(&tree_id, idx, f->repo), 0);
	assert_int_equal(git_tree_lookup(&tree, f->repo, &tree_id), 0);
	assert_int_equal(git_signature_new(&sig, "T", "t@example.org",
					   1788256800, 0), 0);
	assert_int_equal(git_commit_create(&id, f->repo, NULL, sig, sig, NULL,
					   "publish", tree, 0, NULL), 0);
	snprintf(name, sizeof(name), LPS_REMOTE_TRACK_PREFIX "%s", handle);
	assert_int_equal(git_reference_create(&ref, f->repo, name, &id, 1,
					      NULL), 0);
	git_reference_free(ref);
	git_signature_free(sig);
	git_tree_free(tree);
	git_index_free(idx);
}

static const char lps_yaml[] =
	"lps: 1\nowner:\n  name: Someone\nrole: principal\nphase: purpose\n";

static const char goal_a1[] =
	"lps: 1\nid: g-000000a1\ntitle: Reading\nagenda: student\n"
	"status: active\ncycle: 2026-2027\ncreated: 2026-09-01\n";

/* A feedback document given to `to` (NULL: none) about `on`. */
static char *feedback(const char *id, const char *date, const char *to,
		      const char *on, const char *body)
{
	char *s = malloc(512);
	assert_non_null(s);
	snprintf(s, 512, "lps: 1\nid: %s\ndate: %s\nfrom: Giver\n%s%s%s"
		 "kind: question\n\"on\": %s\nbody: %s\n", id, date,
		 to ? "to: " : "", to ? to : "", to ? "\n" : "", on, body);
	return s;
}

static void test_resolve_on(void **state)
{
	struct fixture *f = *state;
	const char *files[] = {
		"lps.yaml", lps_yaml,
		"goals/g-000000a1.yaml", goal_a1,
		"goals/g-000000a2.yaml", goal_a1,
		"evidence/e-000000a1.yaml", "lps: 1\n",
		"evidence/e-000000a1/photo.yaml", "not an item\n",
		"reflections/r-0000b000.yaml", "lps: 1\n",
		NULL,
	};
	char id[LPS_ID_LEN + 1];
	struct lps_error *err;

	member(f, "ada", files);

	/* Whole ids, typed prefixes, a bare hex prefix in all folders. */
	assert_null(lps_peer_resolve_on(id, f->store, "ada", "g-000000a1"));
	assert_string_equal(id, "g-000000a1");
	assert_null(lps_peer_resolve_on(id, f->store, "ada", "g-000000a2"));
	assert_string_equal(id, "g-000000a2");
	assert_null(lps_peer_resolve_on(id, f->store, "ada", "e-0"));
	assert_string_equal(id, "e-000000a1");
	assert_null(lps_peer_resolve_on(id, f->store, "ada", "0000b"));
	assert_string_equal(id, "r-0000b000");

	/* Ambiguous: within goals, and across folders for bare hex. */
	err = lps_peer_resolve_on(id, f->store, "ada", "g-000000a");
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EINVALID);
	assert_non_null(strstr(err->msg, "g-000000a1"));
	assert_non_null(strstr(err->msg, "g-000000a2"));
	lps_error_free(err);
	err = lps_peer_resolve_on(id, f->store, "ada", "000000a1");
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EINVALID);
	assert_non_null(strstr(err->msg, "e-000000a1"));
	lps_error_free(err);

	/* Nothing matches; a letter that is no item kind; no member. */
	err = lps_peer_resolve_on(id, f->store, "ada", "fff");
	assert_non_null(err);
	assert_int_equal(err->code, LPS_ENOTFOUND);
	assert_string_equal(err->msg, "ada has no goal, evidence or "
			    "reflection matching \"fff\"");
	lps_error_free(err);
	err = lps_peer_resolve_on(id, f->store, "ada", "x-1");
	assert_non_null(err);
	assert_int_equal(err->code, LPS_EUSAGE);
	lps_error_free(err);
	err = lps_peer_resolve_on(id, f->store, "zed", "g-000000a1");
	assert_non_null(err);
	assert_int_equal(err->code, LPS_ENOTFOUND);
	assert_non_null(strstr(err->msg, "zed"));
	lps_error_free(err);
}

struct warned {
	size_t n;
	char member[16];
	char text[256];
};

static void on_warn(void *ctx, const char *member,
		    const struct lps_error *problem)
{
	struct warned *w = ctx;
	char *s = lps_error_format(problem);
	w->n++;
	snprintf(w->member, sizeof(w->member), "%s", member);
	snprintf(w->text, sizeof(w->text), "%s", s ? s : "");
	free(s);
}

static void test_received(void **state)
{
	struct fixture *f = *state;
	char *b1 = feedback("f-000000b1", "2026-09-21", "ada", "g-000000a1",
			    "Second by date");
	char *b2 = feedback("f-000000b2", "2026-09-20", "ada", "g-000000a1",
			    "First by date");
	char *b3 = feedback("f-000000b3", "2026-09-20", "cy", "g-000000c1",
			    "Not for ada");
	char *b4 = feedback("f-000000b4", "2026-09-19", NULL, "g-000000b1",
			    "Received by bob from his partner");
	char *c1 = feedback("f-000000c1", "2026-09-21", "ada", "e-000000a1",
			    "Same day as b1, member cy after bob");
	const char *bob[] = {
		"lps.yaml", lps_yaml,
		"feedback/f-000000b1.yaml", b1,
		"feedback/f-000000b2.yaml", b2,
		"feedback/f-000000b3.yaml", b3,
		"feedback/f-000000b4.yaml", b4,
		NULL,
	};
	const char *cy[] = {
		"lps.yaml", lps_yaml,
		"feedback/f-000000c1.yaml", c1,
		"feedback/f-000000c2.yaml", "lps: 1\nid: f-000000c2\nto: ada\n",
		NULL,
	};
	struct warned w = { 0 };
	struct lps_doc *out = NULL;

	member(f, "bob", bob);
	member(f, "cy", cy);

	assert_null(lps_peer_received(&out, f->store, "ada", on_warn, &w));
	const struct lps_node *seq = lps_doc_root(out);
	assert_int_equal(seq->type, LPS_NODE_SEQ);
	assert_int_equal(seq->v.seq.n, 3);
	static const char *const want[][3] = {
		{ "f-000000b2", "bob", "First by date" },
		{ "f-000000b1", "bob", "Second by date" },
		{ "f-000000c1", "cy", "Same day as b1, member cy after bob" },
	};
	for (size_t i = 0; i < 3; i++) {
		const struct lps_node *d = seq->v.seq.items[i];
		assert_string_equal(lps_node_str(lps_map_get(d, "id")),
				    want[i][0]);
		assert_string_equal(lps_node_str(lps_map_get(d, "member")),
				    want[i][1]);
		assert_string_equal(lps_node_str(lps_map_get(d, "body")),
				    want[i][2]);
		assert_string_equal(lps_node_str(lps_map_get(d, "to")), "ada");
	}
	/* The invalid document of cy was reported, not gathered. */
	assert_int_equal(w.n, 1);
	assert_string_equal(w.member, "cy");
	assert_non_null(strstr(w.text, "feedback/f-000000c2.yaml"));
	lps_doc_free(out);

	/* Nobody wrote to bob; no warning callback is fine. */
	assert_null(lps_peer_received(&out, f->store, "bob", NULL, NULL));
	assert_int_equal(lps_doc_root(out)->v.seq.n, 0);
	lps_doc_free(out);
	free(b1);
	free(b2);
	free(b3);
	free(b4);
	free(c1);
}

static void test_received_nothing_fetched(void **state)
{
	struct fixture *f = *state;
	struct lps_doc *out = NULL;
	assert_null(lps_peer_received(&out, f->store, "ada", NULL, NULL));
	assert_int_equal(lps_doc_root(out)->type, LPS_NODE_SEQ);
	assert_int_equal(lps_doc_root(out)->v.seq.n, 0);
	lps_doc_free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_resolve_on, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_received, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_received_nothing_fetched,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
