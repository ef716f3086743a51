#define VERSION_STRING "1.2.3"
#define RATIO 0.5f
#define TWICE(x) ((x) * 2)
#define SUM (1 + 2)
#define WRAPS_AROUND -1u
#define NAMED_ALIAS VERSION_STRING
