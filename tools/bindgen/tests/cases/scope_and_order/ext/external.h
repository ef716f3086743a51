#ifndef EXTERNAL_H
#define EXTERNAL_H
#define EXTERNAL_CONSTANT 3
typedef struct external_thing { int x; } external_thing;
typedef union external_union { int a; float b; } external_union;
void external_function(external_thing* thing);
#endif
