/*
 * date.h - calendar arithmetic on the YYYY-MM-DD dates lps documents
 * carry (reports and charts measure time between them).
 */
#ifndef LPS_DATE_H
#define LPS_DATE_H

/*
 * Days since 1970-01-01 of a YYYY-MM-DD date (proleptic Gregorian) into
 * *days: 0, or -1 when s is not exactly such a date (month 1-12, a day
 * that exists in that month).
 */
int lps_date_days(const char *s, long *days);

#endif
