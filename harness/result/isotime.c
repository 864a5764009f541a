/* isotime.c: reading and writing ISO 8601 times (isotime.h). */
#include "isotime.h"

#include <math.h>
#include <stdio.h>
#include <time.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant,
 * "chrono-Compatible Low-Level Date Algorithms", days_from_civil). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
    long long era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

static unsigned days_in_month(unsigned y, unsigned m)
{
    static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : days[m - 1];
}

/* n decimal digits at *s into *v, advancing *s. */
static int digits(const char **s, int n, unsigned *v)
{
    int i;

    *v = 0;
    for (i = 0; i < n; i++) {
        if ((*s)[i] < '0' || (*s)[i] > '9')
            return -1;
        *v = *v * 10 + (unsigned)((*s)[i] - '0');
    }
    *s += n;
    return 0;
}

/* "[.frac]" into *frac and "[Z|+HH:MM|-HH:MM|+HHMM]" into *offset
 * (seconds east of UTC), up to the end of s. */
static int parse_tail(const char *s, double *frac, int *offset)
{
    unsigned oh = 0, om = 0;
    double scale = 0.1;
    int sign = 0;

    *frac = 0;
    if (*s == '.' || *s == ',') {
        s++;
        if (*s < '0' || *s > '9')
            return -1;
        for (; *s >= '0' && *s <= '9'; s++, scale /= 10)
            *frac += (*s - '0') * scale;
    }
    if (*s == 'Z' || *s == 'z') {
        s++;
    } else if (*s == '+' || *s == '-') {
        sign = *s++ == '-' ? -1 : 1;
        if (digits(&s, 2, &oh) < 0)
            return -1;
        if (*s == ':')
            s++;
        if (digits(&s, 2, &om) < 0 || oh > 23 || om > 59)
            return -1;
    }
    *offset = sign * (int)(oh * 3600 + om * 60);
    return *s ? -1 : 0;
}

int iso_time_parse(const char *s, double *epoch)
{
    unsigned y, mo, d, h, mi, sec;
    double frac;
    int offset;

    if (digits(&s, 4, &y) < 0 || *s++ != '-' || digits(&s, 2, &mo) < 0 || *s++ != '-' ||
        digits(&s, 2, &d) < 0 || (*s != 'T' && *s != 't' && *s != ' '))
        return -1;
    s++;
    if (digits(&s, 2, &h) < 0 || *s++ != ':' || digits(&s, 2, &mi) < 0 || *s++ != ':' ||
        digits(&s, 2, &sec) < 0)
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
        sec > 60)
        return -1;
    if (parse_tail(s, &frac, &offset) < 0)
        return -1;
    *epoch = (double)(days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) + frac -
             offset;
    return 0;
}

int iso_time_utc(const char *s, char *out, size_t size)
{
    struct tm tm;
    double epoch;
    time_t t;

    if (iso_time_parse(s, &epoch) < 0)
        return -1;
    t = (time_t)floor(epoch);
    if (!gmtime_r(&t, &tm) || strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return -1;
    return 0;
}

void iso_time_ms(double epoch, char *out, size_t size)
{
    time_t t = (time_t)floor(epoch);
    long ms = lround((epoch - (double)t) * 1000.0);
    struct tm tm;

    if (ms >= 1000) {
        t++;
        ms -= 1000;
    }
    gmtime_r(&t, &tm);
    snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}
