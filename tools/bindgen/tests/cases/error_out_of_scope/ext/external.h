#ifndef EXTERNAL_H
#define EXTERNAL_H
typedef struct external_thing { int x; } external_thing;
typedef enum external_kind { EXTERNAL_A = 0 } external_kind;
#endif
