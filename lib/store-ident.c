/*
 * store-ident.c - who makes a commit, and when, chosen as git chooses:
 * the GIT_AUTHOR_* / GIT_COMMITTER_* environment first (scripts and
 * tests set them to get reproducible commits), then user.name and
 * user.email from git config.
 */
#include "store-int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static long long days_from_civil(long long y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Read exactly n digits at *p into *v. */
static int digits(const char **p, int n, int *v)
{
	int r = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		r = r * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*v = r;
	return 0;
}

/* "+hhmm", "+hh:mm", "+hh" or "Z"; minutes east of UTC. */
static int parse_zone(const char *p, int *offset_min)
{
	if (strcmp(p, "Z") == 0 || strcmp(p, "z") == 0) {
		*offset_min = 0;
		return 0;
	}
	if (*p != '+' && *p != '-')
		return -1;
	int sign = *p == '-' ? -1 : 1, hh, mm = 0;
	p++;
	if (digits(&p, 2, &hh) < 0)
		return -1;
	if (*p == ':')
		p++;
	if (*p && digits(&p, 2, &mm) < 0)
		return -1;
	if (*p || hh > 14 || mm > 59)
		return -1;
	*offset_min = sign * (hh * 60 + mm);
	return 0;
}

static int parse_epoch(const char *s, git_time_t *when, int *offset_min)
{
	char *end;
	long long secs = strtoll(s, &end, 10);
	if (end == s || secs < 0)
		return -1;
	while (*end == ' ')
		end++;
	*offset_min = 0;
	if (*end && parse_zone(end, offset_min) < 0)
		return -1;
	*when = (git_time_t)secs;
	return 0;
}

int lps_store__parse_date(const char *s, git_time_t *when, int *offset_min)
{
	while (*s == ' ')
		s++;
	if (*s == '@')
		return parse_epoch(s + 1, when, offset_min);
	const char *p = s;
	int y, mo, d, h, mi, se;
	if (digits(&p, 4, &y) < 0 || *p != '-') {
		/* git's internal form: "<epoch> <+hhmm>" */
		const char *sp = strchr(s, ' ');
		if (!sp)
			return -1;
		return parse_epoch(s, when, offset_min);
	}
	p++;
	if (digits(&p, 2, &mo) < 0 || *p++ != '-' || digits(&p, 2, &d) < 0 ||
	    (*p != 'T' && *p != 't' && *p != ' '))
		return -1;
	p++;
	if (digits(&p, 2, &h) < 0 || *p++ != ':' ||
	    digits(&p, 2, &mi) < 0 || *p++ != ':' || digits(&p, 2, &se) < 0)
		return -1;
	if (*p == '.' || *p == ',') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p))
			p++;
	}
	while (*p == ' ')
		p++;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 60)
		return -1;
	long long t = days_from_civil(y, mo, d) * 86400 +
		      h * 3600 + mi * 60 + se;
	if (*p) {
		if (parse_zone(p, offset_min) < 0)
			return -1;
		*when = (git_time_t)(t - (long long)*offset_min * 60);
		return 0;
	}
	/* No zone: local time, as git reads it. */
	struct tm tm = {
		.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
		.tm_hour = h, .tm_min = mi, .tm_sec = se, .tm_isdst = -1,
	};
	time_t lt = mktime(&tm);
	if (lt == (time_t)-1)
		return -1;
	*when = (git_time_t)lt;
	*offset_min = (int)((t - (long long)lt) / 60);
	return 0;
}

/* Minutes east of UTC of local time at t. */
static int local_offset(time_t t)
{
	struct tm lt, gt;
	if (!localtime_r(&t, &lt) || !gmtime_r(&t, &gt))
		return 0;
	long long l = days_from_civil(lt.tm_year + 1900,
				      lt.tm_mon + 1, lt.tm_mday) * 86400 +
		      lt.tm_hour * 3600 + lt.tm_min * 60 + lt.tm_sec;
	long long g = days_from_civil(gt.tm_year + 1900,
				      gt.tm_mon + 1, gt.tm_mday) * 86400 +
		      gt.tm_hour * 3600 + gt.tm_min * 60 + gt.tm_sec;
	return (int)((l - g) / 60);
}

static const char *nonempty_env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

/* One signature for role "AUTHOR" or "COMMITTER". */
static struct lps_error *one_signature(git_signature **out, const char *role,
				       const char *cfg_name,
				       const char *cfg_email)
{
	char var[32];
	snprintf(var, sizeof(var), "GIT_%s_NAME", role);
	const char *name = nonempty_env(var);
	snprintf(var, sizeof(var), "GIT_%s_EMAIL", role);
	const char *email = nonempty_env(var);
	if (!name)
		name = cfg_name;
	if (!email)
		email = cfg_email;
	if (!name || !email)
		return lps_error_new(LPS_EREFUSED,
				     "no git identity: set it with: git config "
				     "--global user.name \"Your Name\" && git "
				     "config --global user.email "
				     "you@example.org");
	git_time_t when;
	int offset;
	snprintf(var, sizeof(var), "GIT_%s_DATE", role);
	const char *date = nonempty_env(var);
	if (date) {
		if (lps_store__parse_date(date, &when, &offset) < 0)
			return lps_error_new(LPS_EINVALID,
					     "invalid date in %s: \"%s\"", var,
					     date);
	} else {
		time_t now = time(NULL);
		when = (git_time_t)now;
		offset = local_offset(now);
	}
	if (git_signature_new(out, name, email, when, offset) < 0)
		return lps_store__git_error("invalid git identity \"%s <%s>\"",
					    name, email);
	return NULL;
}

struct lps_error *lps_store__signatures(git_repository *repo,
					git_signature **author,
					git_signature **committer)
{
	*author = *committer = NULL;
	git_config *cfg = NULL;
	git_buf name = GIT_BUF_INIT, email = GIT_BUF_INIT;
	struct lps_error *err = NULL;
	if (git_repository_config_snapshot(&cfg, repo) < 0)
		return lps_store__git_error("cannot read the git configuration");
	int have_name = git_config_get_string_buf(&name, cfg, "user.name") == 0
			&& name.size > 0;
	int have_email = git_config_get_string_buf(&email, cfg,
						   "user.email") == 0 &&
			 email.size > 0;
	git_error_clear();
	err = one_signature(author, "AUTHOR", have_name ? name.ptr : NULL,
			    have_email ? email.ptr : NULL);
	if (!err)
		err = one_signature(committer, "COMMITTER",
				    have_name ? name.ptr : NULL,
				    have_email ? email.ptr : NULL);
	if (err) {
		git_signature_free(*author);
		*author = NULL;
	}
	git_buf_dispose(&name);
	git_buf_dispose(&email);
	git_config_free(cfg);
	return err;
}
