/* cmd.c: how the command layer speaks: one line to stderr per message. */
#include "cmd.h"

#include <stdarg.h>
#include <stdio.h>

void die_msg(const char *fmt, ...)
{
    va_list ap;

    fputs("pacer: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void warn_msg(const char *fmt, ...)
{
    va_list ap;

    fputs("pacer: warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
