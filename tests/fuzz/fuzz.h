/*
 * fuzz.h: what the libFuzzer harnesses of tests/fuzz share.  Each harness
 * is one file, fuzz_NAME.c, with LLVMFuzzerTestOneInput feeding the input
 * to one parser; `make fuzz` builds them with clang, libFuzzer,
 * AddressSanitizer and UndefinedBehaviorSanitizer and runs each on its
 * corpus (tests/fuzz/corpus/NAME, seeded from the files under tests/data).
 */
#ifndef PACER_FUZZ_H
#define PACER_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a NUL-terminated string (a new copy: free it). */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);

    if (s) {
        memcpy(s, data, size);
        s[size] = '\0';
    }
    return s;
}

/* The input as a file, for the readers that take a path: a memory file
 * (memfd) reached through /proc/self/fd, path filled in; its fd, or -1. */
static inline int fuzz_file(const uint8_t *data, size_t size, char *path, size_t psize)
{
    int fd = memfd_create("fuzz", MFD_CLOEXEC);
    size_t off = 0;

    if (fd < 0)
        return -1;
    while (off < size) {
        ssize_t n = write(fd, data + off, size - off);
        if (n <= 0) {
            close(fd);
            return -1;
        }
        off += (size_t)n;
    }
    snprintf(path, psize, "/proc/self/fd/%d", fd);
    return fd;
}

#endif
