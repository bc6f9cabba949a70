#include "date.h"

#include <string.h>

static int is_leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int lps_date_days(const char *s, long *days)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				     30, 31 };
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int k = 0; k < 10; k++)
		if (k != 4 && k != 7 && (s[k] < '0' || s[k] > '9'))
			return -1;
	long y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
		 (s[2] - '0') * 10 + (s[3] - '0');
	long m = (s[5] - '0') * 10 + (s[6] - '0');
	long d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1)
		return -1;
	long dim = mdays[m - 1] + (m == 2 && is_leap(y));
	if (d > dim)
		return -1;
	/* Days from civil (Howard Hinnant's well-known arithmetic). */
	long yy = m <= 2 ? y - 1 : y;
	long era = yy / 400;
	long yoe = yy - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*days = era * 146097 + doe - 719468;
	return 0;
}
