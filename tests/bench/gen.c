/*
 * gen.c - write a benchmark portfolio: N realistic goal documents.
 *
 *	gen [-n N] [-s SEED] [-p] DIR
 *
 * Writes DIR/goals/<id>.yaml for N goals (default 10000) and, with -p,
 * DIR/lps.yaml (for when `lps init` is not there to write it).  The
 * output depends only on N and SEED, so two runs write the same bytes and
 * figures from different machines compare the same work.
 *
 * The documents follow schemas/goal.schema.yaml (and lps.yaml follows
 * schemas/portfolio.schema.yaml): they must all be valid, since the
 * benchmark also checks that `lps check` answers 0.  Each is about 600
 * bytes: one or two indicators with two to four measurements each, two or
 * three action steps, a few standards.  Ids are a bijection of the index,
 * so they are distinct without remembering the ones already used.
 *
 * Prints one line to stdout: how many files and bytes it wrote.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DOCS 1000000L
#define DOC_CAP 4096

static uint64_t rng_state;

/* xorshift64*: small, fast, and the same on every platform. */
static uint32_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

static unsigned pick(unsigned n)
{
	return rnd() % n;
}

/* A 32-bit bijection (odd multiplies and xor-shifts are invertible), so
 * distinct indexes give distinct ids that still look random. */
static uint32_t id_of(uint32_t i, uint32_t seed)
{
	uint32_t x = i * 0x9E3779B1u + seed;

	x ^= x >> 16;
	x *= 0x85EBCA6Bu;
	x ^= x >> 13;
	x *= 0xC2B2AE35u;
	x ^= x >> 16;
	return x;
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const subjects[] = {
	"grade 3 reading", "middle school math", "ninth grade attendance",
	"English learner progress", "writing across content areas",
	"science inquiry", "chronic absence", "algebra readiness",
	"early literacy", "student voice in class", "family engagement",
	"on-time graduation", "special education inclusion",
	"classroom discourse", "formative assessment use",
};

static const char *const verbs[] = {
	"Raise", "Improve", "Strengthen", "Grow", "Lift", "Deepen",
};

static const char *const agendas[] = { "student", "professional", "system" };

static const char *const areas[] = {
	"focus", "communities", "external", "strategic", "coherence",
};

static const char *const standards[] = {
	"issl.1a", "issl.1b", "issl.1c", "issl.1d", "issl.2c", "issl.4b",
	"issl.6c", "wsbc.1", "wsbc.2", "wsbc.3", "wsbc.4", "wsbc.5",
	"lfl.focus", "lfl.communities", "lfl.external", "lfl.strategic",
	"lfl.coherence",
};

static const char *const aligns[] = {
	"district goal 1 - early literacy",
	"district goal 2 - algebra readiness",
	"district goal 3 - attendance",
	"district goal 4 - graduation",
	"district goal 5 - family partnership",
};

static const char *const statements[] = {
	"Act on screener data within two weeks of each window.",
	"Check understanding in every lesson and adjust teaching.",
	"Notice and support absent students in the first week.",
	"Spread strong practice through peer coaching.",
	"Put professional learning behind a few proven practices.",
};

static const char *const measures[] = {
	"Students at benchmark on the screener",
	"Average daily attendance",
	"Passing the common unit test",
	"Teachers using the feedback protocol",
	"Families at conferences",
	"Students meeting growth targets",
};

static const char *const units[] = {
	"percent", "students", "teachers", "points", "families",
};

static const char *const owners[] = {
	"principal", "instructional coach", "grade 3 team", "math department",
	"counseling office", "leadership team",
};

static const char *const steps[] = {
	"Launch biweekly grade-level data teams",
	"Train teachers on the new screener",
	"Set up a call list for absent students",
	"Schedule peer observations",
	"Review intervention groups each window",
	"Share progress at staff meetings",
	"Visit two classrooms a day",
	"Plan a family reading night",
};

struct out {
	char buf[DOC_CAP];
	size_t len;
	int overflow;
};

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, sizeof(o->buf) - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(o->buf) - o->len)
		o->overflow = 1;
	else
		o->len += (size_t)n;
}

/* Day d (0-based) of the school year starting 2026-08-01, as YYYY-MM-DD.
 * Days run 1..28 in every month so every date exists. */
static void date_of(char *s, size_t cap, unsigned d)
{
	unsigned month = 8 + d / 28, year = 2026;

	while (month > 12) {
		month -= 12;
		year++;
	}
	snprintf(s, cap, "%04u-%02u-%02u", year, month, d % 28 + 1);
}

/* A value between baseline and target, moving by `done` out of 5 steps,
 * with a little noise; kept to one decimal. */
static double between(double base, double target, unsigned done)
{
	double v = base + (target - base) * done / 5.0;
	double noise = ((double)pick(21) - 10.0) / 10.0;

	return (double)(long)((v + noise) * 10.0) / 10.0;
}

static void indicator(struct out *o, unsigned k, unsigned m,
		      unsigned created)
{
	char d[16];
	unsigned i, day = created;
	int percent = pick(2) == 0;
	double base = percent ? 40 + pick(30) : 10 + pick(40);
	double target = base + 5 + pick(20);

	put(o, "- id: k%u\n", k);
	put(o, "  measure: %s\n", measures[pick(N_OF(measures))]);
	put(o, "  baseline: %g\n", base);
	put(o, "  target: %g\n", target);
	put(o, "  unit: %s\n", percent ? "percent" : units[1 + pick(4)]);
	date_of(d, sizeof(d), 280 + pick(8));
	put(o, "  due: %s\n", d);
	put(o, "  measurements:\n");
	for (i = 0; i < m; i++) {
		day += 20 + pick(40);
		date_of(d, sizeof(d), day);
		put(o, "  - date: %s\n", d);
		put(o, "    value: %g\n", between(base, target, i + 1));
	}
}

static void action(struct out *o, unsigned s, const char *text,
		   unsigned created)
{
	char d[16];
	unsigned due = created + 14 + pick(120);
	int done = pick(3) == 0;

	put(o, "- id: s%u\n", s);
	put(o, "  text: %s\n", text);
	if (pick(4) == 0)
		put(o, "  owner: %s\n", owners[pick(N_OF(owners))]);
	if (done || pick(2) == 0) {
		date_of(d, sizeof(d), due);
		put(o, "  due: %s\n", d);
	}
	put(o, "  status: %s\n", done ? "done" : "open");
	if (done) {
		date_of(d, sizeof(d), due - pick(10));
		put(o, "  done: %s\n", d);
	}
}

static void goal(struct out *o, uint32_t id)
{
	char d[16];
	unsigned created = 20 + pick(50), n, i, first;
	const char *subject = subjects[pick(N_OF(subjects))];

	o->len = 0;
	o->overflow = 0;
	put(o, "lps: 1\n");
	put(o, "id: g-%08x\n", (unsigned)id);
	put(o, "title: %s %s\n", verbs[pick(N_OF(verbs))], subject);
	put(o, "agenda: %s\n", agendas[pick(N_OF(agendas))]);
	put(o, "area: %s\n", areas[pick(N_OF(areas))]);
	put(o, "status: active\n");
	put(o, "cycle: 2026-2027\n");
	put(o, "standards:\n");
	/* Distinct standards: a run of consecutive codes from a random start. */
	n = 1 + pick(2);
	first = pick(N_OF(standards));
	for (i = 0; i < n; i++)
		put(o, "- %s\n", standards[(first + i) % N_OF(standards)]);
	if (pick(2) == 0)
		put(o, "aligns: %s\n", aligns[pick(N_OF(aligns))]);
	put(o, "statement: %s\n", statements[pick(N_OF(statements))]);
	date_of(d, sizeof(d), created);
	put(o, "created: %s\n", d);
	put(o, "indicators:\n");
	/* Two to four measurements in all (mostly two or three), over one
	 * indicator or, in one goal of five, two. */
	n = pick(20);
	n = n < 12 ? 2 : n < 18 ? 3 : 4;
	if (pick(5) != 0) {
		indicator(o, 1, n, created);
	} else {
		indicator(o, 1, n / 2, created);
		indicator(o, 2, n - n / 2, created);
	}
	put(o, "actions:\n");
	n = pick(10) < 7 ? 2 : 3;
	first = pick(N_OF(steps));
	for (i = 0; i < n; i++)
		action(o, i + 1, steps[(first + i) % N_OF(steps)], created);
}

static int write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "gen: %s: write failed\n", path);
		return -1;
	}
	return 0;
}

static const char portfolio[] =
	"lps: 1\n"
	"owner:\n"
	"  name: Bench Leader\n"
	"  email: bench@example.org\n"
	"role: principal\n"
	"district: Lakeside Unified\n"
	"school: Lakeside Elementary\n"
	"cycle: 2026-2027\n"
	"phase: purpose\n"
	"created: 2026-08-03\n";

static int usage(void)
{
	fprintf(stderr, "usage: gen [-n N] [-s SEED] [-p] DIR\n");
	return 2;
}

int main(int argc, char **argv)
{
	long n = 10000, i;
	unsigned long seed = 1;
	int with_portfolio = 0, c;
	char path[4096];
	static struct out o;
	unsigned long long total = 0;
	const char *dir;

	while ((c = getopt(argc, argv, "n:s:p")) != -1) {
		switch (c) {
		case 'n':
			n = strtol(optarg, NULL, 10);
			if (n < 1 || n > MAX_DOCS) {
				fprintf(stderr, "gen: -n: 1 to %ld\n", MAX_DOCS);
				return 2;
			}
			break;
		case 's':
			seed = strtoul(optarg, NULL, 10);
			break;
		case 'p':
			with_portfolio = 1;
			break;
		default:
			return usage();
		}
	}
	if (optind != argc - 1)
		return usage();
	dir = argv[optind];
	rng_state = 0x9E3779B97F4A7C15ULL ^ (seed * 0xD1B54A32D192ED03ULL);
	if (rng_state == 0)
		rng_state = 1;

	snprintf(path, sizeof(path), "%s/goals", dir);
	if (mkdir(path, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		return 4;
	}
	if (with_portfolio) {
		snprintf(path, sizeof(path), "%s/lps.yaml", dir);
		if (write_file(path, portfolio, sizeof(portfolio) - 1) != 0)
			return 4;
	}
	for (i = 0; i < n; i++) {
		uint32_t id = id_of((uint32_t)i, (uint32_t)seed);

		goal(&o, id);
		if (o.overflow) {
			fprintf(stderr, "gen: document %ld too big\n", i);
			return 4;
		}
		snprintf(path, sizeof(path), "%s/goals/g-%08x.yaml", dir,
			 (unsigned)id);
		if (write_file(path, o.buf, o.len) != 0)
			return 4;
		total += o.len;
	}
	printf("%ld goal documents, %llu bytes (%llu per document)\n", n,
	       total, total / (unsigned long long)n);
	return 0;
}
