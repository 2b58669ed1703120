#ifndef WORDCHAR_H
#define WORDCHAR_H

#include <stddef.h>

/*
 * Whether the character at s (n bytes left, UTF-8) is part of a word as
 * InnoDB FULLTEXT's default parser cuts utf8mb4 text: ASCII letters,
 * digits and '_', and the letters and digits of MariaDB's Unicode table
 * up to U+FFFF. *len is the character's length in bytes (1 for a byte
 * that does not start a valid sequence, which is not a word character;
 * 0 when n is 0).
 */
int	word_char(const char *s, size_t n, size_t *len);

/* The code point at s (n > 0 bytes) and its length, or 0 with *len 1
 * for a byte that does not start a valid sequence. */
unsigned long	utf8_decode(const char *s, size_t n, size_t *len);

#endif
