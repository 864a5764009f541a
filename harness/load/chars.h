/*
 * chars.h: the character classes of the wire formats the load generator
 * reads and writes: ASCII case, hex digits, and the token characters of
 * RFC 9110 section 5.6.2 (methods, header names, URL schemes).
 */
#ifndef PACER_CHARS_H
#define PACER_CHARS_H

#include <string.h>

/* c in lower case (ASCII letters only). */
static inline unsigned char char_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

/* The value of hex digit c, or -1. */
static inline int char_hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = char_lower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Whether c may stand in a token. */
static inline int char_is_token(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

#endif
