#include "history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "doc.h"
#include "shallow.h"

/* Longest trailer value kept; longer ones are cut (never a whole body). */
#define MAX_TRAILER 4096

void lps_history_entry_free(struct lps_history_entry *e)
{
	if (!e)
		return;
	free(e->author);
	free(e->subject);
	free(e->command);
	free(e->phase);
	free(e->phase_from);
	free(e->phase_to);
	free(e->forced);
	free(e);
}

int lps_history_entry_is_phase(const struct lps_history_entry *e)
{
	return e && e->phase_from && e->phase_to;
}

/* The first value of trailer key, copied (at most MAX_TRAILER bytes). */
static int take_trailer(char **dst, const git_message_trailer_array *t,
			const char *key)
{
	for (size_t i = 0; i < t->count; i++) {
		if (strcasecmp(t->trailers[i].key, key) != 0)
			continue;
		*dst = strndup(t->trailers[i].value, MAX_TRAILER);
		return *dst ? 0 : -1;
	}
	return 0;
}

static char *join_author(const git_signature *sig)
{
	struct lps_buf b = LPS_BUF_INIT;
	if (lps_buf_addf(&b, "%s <%s>", sig->name ? sig->name : "",
			 sig->email ? sig->email : "") < 0)
		return NULL;
	return lps_buf_detach(&b, NULL);
}

static struct lps_error *git_fail(const char *what)
{
	const git_error *ge = git_error_last();
	return lps_error_new(LPS_ESYS, "%s: %s", what,
			     ge && ge->message ? ge->message : "libgit2 error");
}

struct lps_error *lps_history_entry_from_commit(
	struct lps_history_entry **out, git_commit *commit)
{
	*out = NULL;
	const char *message = git_commit_message(commit);
	git_message_trailer_array t = { 0 };
	struct lps_error *err = NULL;
	struct lps_history_entry *e = NULL;
	git_buf sid = { 0 };

	if (git_message_trailers(&t, message ? message : "") < 0) {
		err = git_fail("reading commit trailers");
		goto out;
	}
	e = calloc(1, sizeof(*e));
	if (!e || take_trailer(&e->command, &t, "LPS-Command") < 0)
		goto nomem;
	if (!e->command)
		goto out; /* not an lps commit */
	if (take_trailer(&e->phase, &t, "LPS-Phase") < 0 ||
	    take_trailer(&e->phase_from, &t, "LPS-Phase-From") < 0 ||
	    take_trailer(&e->phase_to, &t, "LPS-Phase-To") < 0 ||
	    take_trailer(&e->forced, &t, "LPS-Forced") < 0)
		goto nomem;

	const git_signature *sig = git_commit_author(commit);
	const char *summary = git_commit_summary(commit);
	e->author = join_author(sig);
	e->subject = strdup(summary ? summary : "");
	if (!e->author || !e->subject)
		goto nomem;
	e->time = (int64_t)sig->when.time;
	e->offset = sig->when.offset;
	git_oid_cpy(&e->commit, git_commit_id(commit));
	if (git_object_short_id(&sid, (const git_object *)commit) < 0) {
		err = git_fail("abbreviating a commit id");
		goto out;
	}
	snprintf(e->short_id, sizeof(e->short_id), "%s", sid.ptr);
	*out = e;
	e = NULL;
	goto out;
nomem:
	err = lps_error_nomem();
out:
	git_buf_dispose(&sid);
	git_message_trailer_array_free(&t);
	lps_history_entry_free(e);
	return err;
}

void lps_history_free(struct lps_history *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++)
		lps_history_entry_free(h->entries[i]);
	free(h->entries);
	free(h);
}

struct walk {
	struct lps_history *h;
	size_t cap;
	struct lps_history_opts opts;
	struct lps_error *err;
};

static int collect(void *ctx, git_commit *commit)
{
	struct walk *w = ctx;
	struct lps_history_entry *e;
	w->err = lps_history_entry_from_commit(&e, commit);
	if (w->err)
		return 1;
	if (!e)
		return 0;
	if (w->opts.phases_only && !lps_history_entry_is_phase(e)) {
		lps_history_entry_free(e);
		return 0;
	}
	if (w->h->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		void *p = realloc(w->h->entries, cap * sizeof(e));
		if (!p) {
			lps_history_entry_free(e);
			w->err = lps_error_nomem();
			return 1;
		}
		w->h->entries = p;
		w->cap = cap;
	}
	w->h->entries[w->h->n++] = e;
	return w->opts.max && w->h->n >= w->opts.max;
}

struct lps_error *lps_history_read(struct lps_history **out,
				   struct lps_store *store, const char *rev,
				   const struct lps_history_opts *opts)
{
	*out = NULL;
	struct walk w = { 0 };
	struct lps_history_opts all = LPS_HISTORY_OPTS_INIT;
	w.opts = opts ? *opts : all;
	w.h = calloc(1, sizeof(*w.h));
	if (!w.h)
		return lps_error_nomem();
	git_oid from;
	struct lps_error *err = NULL;
	if (rev && (err = lps_store_resolve(store, rev, &from)))
		goto fail;
	err = lps_shallow_walk(store, rev ? &from : NULL, collect, &w, NULL);
	if (w.err) {
		lps_error_free(err);
		err = w.err;
	}
	if (err)
		goto fail;
	*out = w.h;
	return NULL;
fail:
	lps_history_free(w.h);
	return err;
}

/* The calendar day (and time) of t as seen at offset minutes from UTC. */
static int civil(struct tm *tm, int64_t t, int offset)
{
	time_t local = (time_t)(t + (int64_t)offset * 60);
	return gmtime_r(&local, tm) ? 0 : -1;
}

struct lps_error *lps_history_write_text(struct lps_buf *out,
					 const struct lps_history *h,
					 int phases)
{
	for (size_t i = 0; i < h->n; i++) {
		const struct lps_history_entry *e = h->entries[i];
		struct tm tm;
		char day[32] = "?";
		if (civil(&tm, e->time, e->offset) == 0)
			strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		int rc;
		if (phases && lps_history_entry_is_phase(e)) {
			rc = lps_buf_addf(out, "%s %s %s -> %s", e->short_id,
					  day, e->phase_from, e->phase_to);
			if (rc == 0 && e->forced)
				rc = lps_buf_addf(out, " (forced: %s)",
						  e->forced);
		} else {
			rc = lps_buf_addf(out, "%s %s %s", e->short_id, day,
					  e->subject);
		}
		if (rc < 0 || lps_buf_addc(out, '\n') < 0)
			return lps_error_nomem();
	}
	return NULL;
}

/* ", "key": "value"" when value is set; first says no comma is due. */
static int json_field(struct lps_buf *out, int first, const char *key,
		      const char *value)
{
	if (!value)
		return 0;
	if (!first && lps_buf_adds(out, ", ") < 0)
		return -1;
	if (lps_json_quote(out, key, strlen(key)) < 0 ||
	    lps_buf_adds(out, ": ") < 0 ||
	    lps_json_quote(out, value, strlen(value)) < 0)
		return -1;
	return 0;
}

struct lps_error *lps_history_write_json(struct lps_buf *out,
					 const struct lps_history *h)
{
	if (lps_buf_adds(out, "{\"entries\": [") < 0)
		return lps_error_nomem();
	for (size_t i = 0; i < h->n; i++) {
		const struct lps_history_entry *e = h->entries[i];
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), &e->commit);
		struct tm tm;
		char date[40] = "";
		if (civil(&tm, e->time, 0) == 0)
			strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
		if ((i && lps_buf_adds(out, ", ") < 0) ||
		    lps_buf_addc(out, '{') < 0 ||
		    json_field(out, 1, "commit", hex) < 0 ||
		    json_field(out, 0, "date", date) < 0 ||
		    json_field(out, 0, "author", e->author) < 0 ||
		    json_field(out, 0, "subject", e->subject) < 0 ||
		    json_field(out, 0, "command", e->command) < 0 ||
		    json_field(out, 0, "phase", e->phase) < 0 ||
		    json_field(out, 0, "phase_from", e->phase_from) < 0 ||
		    json_field(out, 0, "phase_to", e->phase_to) < 0 ||
		    json_field(out, 0, "forced", e->forced) < 0 ||
		    lps_buf_addc(out, '}') < 0)
			return lps_error_nomem();
	}
	if (lps_buf_adds(out, "]}\n") < 0)
		return lps_error_nomem();
	return NULL;
}
