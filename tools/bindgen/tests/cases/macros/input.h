/* Integer constants become `const` members of Methods; guards and empty macros are skipped. */
#ifndef MACROS_H
#define MACROS_H

#define EMPTY_FLAG
#define SNN_EXTERN_C
#define SNN_API SNN_EXTERN_C __attribute__((visibility("default")))
#define CUSTOM_ATTRIBUTE __attribute__((deprecated))

#define DECIMAL 42
#define HEX 0x1F
#define OCTAL 017
#define ZERO 0
#define NEGATIVE (-5)
#define PARENTHESIZED ((7))
#define UNSIGNED_SUFFIX 4000000000u
#define HEX_TOO_BIG_FOR_INT 0xFFFFFFFF
#define LONG_VALUE 5000000000
#define LONG_SUFFIX 3L
#define ULL_MAX 18446744073709551615ULL
#define TRAILING_DOC 3 /* trailing comment */

/* Comment just above. */
#define LEADING_DOC 4

/* Not adjacent: a blank line separates it. */

#define NO_DOC 5

SNN_API int get_value(void);

#endif
